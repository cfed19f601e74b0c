package org.adamix4j.eval.tasks;

import org.adamix4j.eval.tasks.Task.Split;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped demo data set: shape, balance, no leakage, and that it is not solvable by word spotting. */
class DemoTaskTest {
    private final Task demo = new DemoTask();

    @Test
    void metadata() {
        assertEquals("demo", demo.id());
        assertEquals(List.of("negative", "positive"), demo.labels());
        assertFalse(demo.isRegression());
        assertEquals(List.of("accuracy"), demo.metrics());
        assertEquals("accuracy", demo.primaryMetric());
        assertInstanceOf(DemoTask.class, Tasks.byName("demo"));
    }

    @Test
    void trainAndDevAreBalancedSingleSentenceRows() {
        checkSplit(demo.read(null, Split.TRAIN), 400);
        checkSplit(demo.read(null, Split.DEV), 100);
    }

    private static void checkSplit(List<Example> rows, int size) {
        assertEquals(size, rows.size());
        assertEquals(size / 2, rows.stream().filter(e -> e.label() == 1).count(), "positives");
        assertEquals(size / 2, rows.stream().filter(e -> e.label() == 0).count(), "negatives");
        for (int i = 0; i < rows.size(); i++) {
            Example e = rows.get(i);
            assertEquals(Integer.toString(i), e.id());
            assertNull(e.textB());
            assertFalse(e.textA().isBlank());
        }
    }

    @Test
    void noSentenceRepeatsWithinOrAcrossSplits() {
        Set<String> seen = new HashSet<>();
        for (Split split : List.of(Split.TRAIN, Split.DEV)) {
            for (Example e : demo.read(null, split)) {
                assertTrue(seen.add(e.textA().toLowerCase(Locale.ROOT)), "repeated: " + e.textA());
            }
        }
    }

    @Test
    void dataDirIsIgnored() {
        assertEquals(demo.read(null, Split.DEV), demo.read(Path.of("/no/such/dir"), Split.DEV));
    }

    @Test
    void testSplitIsDevWithoutLabels() {
        List<Example> dev = demo.read(null, Split.DEV);
        List<Example> test = demo.read(null, Split.TEST);
        assertEquals(dev.size(), test.size());
        for (int i = 0; i < dev.size(); i++) {
            assertEquals(dev.get(i).textA(), test.get(i).textA());
            assertTrue(Double.isNaN(test.get(i).label()));
        }
    }

    /**
     * Negations and contrasts occur with both labels, so spotting a word cannot solve the task; this
     * guards against a regenerated data set that lost its harder templates.
     */
    @Test
    void polarWordsAndNegationsOccurWithBothLabels() {
        List<Example> train = demo.read(null, Split.TRAIN);
        assertBothLabels(train, s -> s.contains(" not ") || s.contains(" never "), 20);
        assertBothLabels(train, s -> s.contains(", but ") || s.startsWith("Although ") || s.contains(" even though "), 20);
        assertBothLabels(train, s -> s.matches(".*\\b(good|excellent|wonderful|superb)\\b.*"), 5);
        assertBothLabels(train, s -> s.matches(".*\\b(bad|boring|terrible|awful|dull)\\b.*"), 5);
    }

    private static void assertBothLabels(List<Example> rows, Predicate<String> match, int atLeast) {
        long pos = rows.stream().filter(e -> e.label() == 1 && match.test(e.textA())).count();
        long neg = rows.stream().filter(e -> e.label() == 0 && match.test(e.textA())).count();
        assertTrue(pos >= atLeast && neg >= atLeast, "positives " + pos + ", negatives " + neg);
    }

    @Test
    void readmeMarksItAsSyntheticDemo() throws IOException {
        try (InputStream in = DemoTask.class.getResourceAsStream(DemoTask.RESOURCE_DIR + "README.md")) {
            assertNotNull(in, "README.md beside the demo data");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains("DEMO") && text.contains("ynthetic") && text.contains("make_demo_data.py"));
        }
    }
}
