package org.adamix4j.eval.tasks;

import org.adamix4j.eval.tasks.Task.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads every split of the real GLUE data that the project has, and checks row counts (from each
 * task's SOURCE.md) and label distributions. These catch what fixtures cannot: quoting, BOMs and
 * odd rows in the actual files.
 *
 * <p>The data folder is {@code -Dadamix4j.glue=...}, else {@code $ADAMIX4J_GLUE}, else
 * {@code ../../shared/data/glue} relative to the working directory (the module dir under Maven).
 * Each test is skipped, with the reason printed, when its task folder is absent.
 */
class RealGlueDataTest {
    private static Path glue;
    private static String whereFrom;

    @BeforeAll
    static void locate() {
        String prop = System.getProperty("adamix4j.glue");
        String env = System.getenv("ADAMIX4J_GLUE");
        if (prop != null && !prop.isBlank()) {
            glue = Paths.get(prop);
            whereFrom = "system property adamix4j.glue";
        } else if (env != null && !env.isBlank()) {
            glue = Paths.get(env);
            whereFrom = "environment variable ADAMIX4J_GLUE";
        } else {
            glue = Paths.get("..", "..", "shared", "data", "glue");
            whereFrom = "default relative path from " + Paths.get("").toAbsolutePath();
        }
    }

    /** Skips the test (printing why) unless {@code <glue>/<folder>} exists. */
    private static void requireFolder(String folder, TestInfo info) {
        Path dir = glue.resolve(folder);
        boolean present = Files.isDirectory(dir);
        String reason = "real GLUE folder " + dir.toAbsolutePath().normalize() + " not found (" + whereFrom
                + "); set -Dadamix4j.glue or ADAMIX4J_GLUE to the folder that holds " + folder + "/";
        if (!present) {
            System.out.println("SKIPPED " + info.getDisplayName() + ": " + reason);
        }
        assumeTrue(present, reason);
    }

    /** Skips unless the file exists: some splits (QNLI train, MNLI, QQP dev) are not in the snapshot. */
    private static void requireFile(GlueTask task, Split split, TestInfo info) {
        requireFolder(task.folder(), info);
        Path file = glue.resolve(task.folder()).resolve(task.fileName(split));
        boolean present = Files.isRegularFile(file);
        String reason = "real GLUE file " + file.toAbsolutePath().normalize() + " not present";
        if (!present) {
            System.out.println("SKIPPED " + info.getDisplayName() + ": " + reason);
        }
        assumeTrue(present, reason);
    }

    /** Count per class index, in index order. */
    private static Map<Integer, Integer> distribution(List<Example> examples) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Example e : examples) {
            double l = e.label();
            assertEquals(Math.rint(l), l, "class label must be an integer index: " + e);
            counts.merge((int) l, 1, Integer::sum);
        }
        return counts;
    }

    private static List<Example> read(GlueTask task, Split split, TestInfo info) {
        requireFile(task, split, info);
        List<Example> examples = task.read(glue, split);
        for (Example e : examples) {
            assertEquals(task == GlueTask.COLA || task == GlueTask.SST2, e.textB() == null, "textB of " + e);
        }
        return examples;
    }

    private static void assertClasses(GlueTask task, Split split, int rows, Map<Integer, Integer> dist,
                                      TestInfo info) {
        List<Example> examples = read(task, split, info);
        assertEquals(rows, examples.size(), task + " " + split + " rows");
        assertEquals(dist, distribution(examples), task + " " + split + " label counts");
    }

    private static List<Example> assertUnlabelled(GlueTask task, Split split, int rows, TestInfo info) {
        List<Example> examples = read(task, split, info);
        assertEquals(rows, examples.size(), task + " " + split + " rows");
        for (Example e : examples) {
            assertTrue(Double.isNaN(e.label()), "test rows are unlabelled: " + e);
        }
        return examples;
    }

    // ---------------------------------------------------------------- SST-2

    @Test
    void sst2Train(TestInfo info) {
        assertClasses(GlueTask.SST2, Split.TRAIN, 67_349, Map.of(0, 29_780, 1, 37_569), info);
    }

    @Test
    void sst2Dev(TestInfo info) {
        assertClasses(GlueTask.SST2, Split.DEV, 872, Map.of(0, 428, 1, 444), info);
        Example first = GlueTask.SST2.read(glue, Split.DEV).get(0);
        // The GLUE file keeps a space before the tab; the reader keeps it too.
        assertEquals("it 's a charming and often affecting journey . ", first.textA());
        assertEquals(1, first.label());
    }

    @Test
    void sst2Test(TestInfo info) {
        List<Example> test = assertUnlabelled(GlueTask.SST2, Split.TEST, 1_821, info);
        assertEquals("0", test.get(0).id());
        assertEquals("1820", test.get(1_820).id());
    }

    // ---------------------------------------------------------------- CoLA

    @Test
    void colaTrain(TestInfo info) {
        assertClasses(GlueTask.COLA, Split.TRAIN, 8_551, Map.of(0, 2_528, 1, 6_023), info);
    }

    @Test
    void colaDev(TestInfo info) {
        // dev.tsv has no final newline: the last row must still be read.
        assertClasses(GlueTask.COLA, Split.DEV, 1_043, Map.of(0, 322, 1, 721), info);
    }

    @Test
    void colaTest(TestInfo info) {
        List<Example> test = assertUnlabelled(GlueTask.COLA, Split.TEST, 1_063, info);
        assertEquals("Bill whistled past the house.", test.get(0).textA());
    }

    // ---------------------------------------------------------------- RTE

    @Test
    void rteTrain(TestInfo info) {
        assertClasses(GlueTask.RTE, Split.TRAIN, 2_490, Map.of(0, 1_249, 1, 1_241), info);
    }

    @Test
    void rteDev(TestInfo info) {
        assertClasses(GlueTask.RTE, Split.DEV, 277, Map.of(0, 146, 1, 131), info);
        Example first = GlueTask.RTE.read(glue, Split.DEV).get(0);
        assertEquals("0", first.id());
        assertEquals("Christopher Reeve had an accident.", first.textB());
        assertEquals(1, first.label()); // not_entailment
    }

    @Test
    void rteTest(TestInfo info) {
        assertUnlabelled(GlueTask.RTE, Split.TEST, 3_000, info);
    }

    // ---------------------------------------------------------------- MRPC

    @Test
    void mrpcTrain(TestInfo info) {
        assertClasses(GlueTask.MRPC, Split.TRAIN, 3_668, Map.of(0, 1_194, 1, 2_474), info);
    }

    @Test
    void mrpcDev(TestInfo info) {
        assertClasses(GlueTask.MRPC, Split.DEV, 408, Map.of(0, 129, 1, 279), info);
        // Header starts with a BOM, and the first row's second sentence starts with an unbalanced quote.
        Example first = GlueTask.MRPC.read(glue, Split.DEV).get(0);
        assertTrue(first.textB().startsWith("\" The foodservice pie business"), first.textB());
        assertEquals(1, first.label());
    }

    @Test
    void mrpcTest(TestInfo info) {
        assertUnlabelled(GlueTask.MRPC, Split.TEST, 1_725, info);
    }

    // ---------------------------------------------------------------- STS-B

    @Test
    void stsbTrain(TestInfo info) {
        assertScores(Split.TRAIN, 5_749, 2.701, info);
    }

    @Test
    void stsbDev(TestInfo info) {
        assertScores(Split.DEV, 1_500, 2.364, info);
        Example first = GlueTask.STSB.read(glue, Split.DEV).get(0);
        assertEquals("A man with a hard hat is dancing.", first.textA());
        assertEquals(5.0, first.label());
    }

    /** Row count, mean score (computed from the files) and the full 0..5 range. */
    private static void assertScores(Split split, int rows, double mean, TestInfo info) {
        List<Example> examples = read(GlueTask.STSB, split, info);
        assertEquals(rows, examples.size(), "STS-B " + split + " rows");
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (Example e : examples) {
            sum += e.label();
            min = Math.min(min, e.label());
            max = Math.max(max, e.label());
        }
        assertEquals(mean, sum / rows, 0.0005, "mean score");
        assertEquals(0.0, min);
        assertEquals(5.0, max);
    }

    @Test
    void stsbTest(TestInfo info) {
        assertUnlabelled(GlueTask.STSB, Split.TEST, 1_379, info);
    }

    // ---------------------------------------------------------------- QNLI (dev and test only)

    @Test
    void qnliDev(TestInfo info) {
        assertClasses(GlueTask.QNLI, Split.DEV, 5_463, Map.of(0, 2_702, 1, 2_761), info);
    }

    @Test
    void qnliTest(TestInfo info) {
        assertUnlabelled(GlueTask.QNLI, Split.TEST, 5_463, info);
    }

    @Test
    void qnliTrain(TestInfo info) {
        requireFolder("QNLI", info);
        Path file = glue.resolve("QNLI").resolve("train.tsv");
        if (Files.isRegularFile(file)) {
            assertEquals(104_743, GlueTask.QNLI.read(glue, Split.TRAIN).size());
        } else {
            // Not in the snapshot (28 MB): the reader must say which file is missing.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GlueTask.QNLI.read(glue, Split.TRAIN));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- not in the shared snapshot

    @Test
    void mnliDevMatched(TestInfo info) {
        assertEquals(9_815, read(GlueTask.MNLI, Split.DEV, info).size());
    }

    @Test
    void mnliDevMismatched(TestInfo info) {
        assertEquals(9_832, read(GlueTask.MNLI_MM, Split.DEV, info).size());
    }

    @Test
    void qqpDev(TestInfo info) {
        assertEquals(40_430, read(GlueTask.QQP, Split.DEV, info).size());
    }

    @Test
    void wnliDev(TestInfo info) {
        assertEquals(71, read(GlueTask.WNLI, Split.DEV, info).size());
    }

    @Test
    void idsAreUniqueWhereFilesHaveAnIndex(TestInfo info) {
        requireFile(GlueTask.QNLI, Split.DEV, info);
        List<Example> dev = GlueTask.QNLI.read(glue, Split.DEV);
        assertEquals(dev.size(), dev.stream().map(Example::id).distinct().count());
    }
}
