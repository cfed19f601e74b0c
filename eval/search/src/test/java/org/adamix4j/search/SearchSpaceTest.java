package org.adamix4j.search;

import org.adamix4j.eval.train.MethodSpec;
import org.adamix4j.eval.train.TrainConfig;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Search spaces: JSON, the Arbiter spaces they become, the candidate → run config mapping, and bad input. */
class SearchSpaceTest {
    private static TrainConfig base(String method) {
        return new TrainConfig("demo", MethodSpec.defaults(method), new TrainConfig.Optim(5e-4, 0.1, 0.06, 1.0), 3, 32, 64,
                7, true, 0, 0);
    }

    @Test
    void aCandidateBecomesTheRunConfigWithEveryKnobSet() {
        Map<String, Object> v = Map.of("learning_rate", 2e-3, "r", 8, "experts", 2, "sharing", "down", "consistency_weight", 0.5,
                "epochs", 5, "batch_size", 16, "warmup_ratio", 0.1, "weight_decay", 0.0, "seed", 11);
        TrainConfig c = Knob.apply(base("adamix"), v);
        assertEquals(new MethodSpec("adamix", 8, 2, "down", 0.5, 16, 0.0), c.method());
        assertEquals(new TrainConfig.Optim(2e-3, 0.0, 0.1, 1.0), c.optim());
        assertEquals(5, c.epochs());
        assertEquals(16, c.batchSize());
        assertEquals(11, c.seed());
        assertEquals(64, c.maxLength(), "knobs the candidate does not name keep the base's value");
        for (Map.Entry<String, Object> e : v.entrySet()) {
            Object got = Knob.byId(e.getKey()).valueIn(c);
            if (e.getValue() instanceof Number n) assertEquals(n.doubleValue(), ((Number) got).doubleValue(), 0, e.getKey());
            else assertEquals(e.getValue(), got, e.getKey());
        }
    }

    @Test
    void anotherMethodStartsFromItsOwnDefaults() {
        TrainConfig c = Knob.apply(base("adamix"), Map.of("method", "lora", "lora_alpha", 32.0));
        assertEquals(new MethodSpec("lora", 8, 4, "up", 1.0, 32, 0.0), c.method(), "LoRA's r 8, not AdaMix's 16");
    }

    @Test
    void logUniformValuesAreUniformInLogSpace() {
        SearchSpace s = SearchSpace.resolve("{\"learning_rate\": {\"log_uniform\": [1e-4, 1e-2]}}");
        CandidateSpace a = s.toArbiter();
        a.collectLeaves().get(0).setIndices(0);
        // Quantile u maps to min * (max/min)^u: 1e-4, 1e-3, 1e-2 at 0, 1/2, 1 (hand-computed).
        assertEquals(1e-4, (Double) a.getValue(new double[]{0}).get("learning_rate"), 1e-12);
        assertEquals(1e-3, (Double) a.getValue(new double[]{0.5}).get("learning_rate"), 1e-10);
        assertEquals(1e-2, (Double) a.getValue(new double[]{1}).get("learning_rate"), 1e-9);

        // Arbiter's seeded random search: half the samples below the geometric mean 1e-3, none outside the range.
        RandomSearchGenerator g = new RandomSearchGenerator(s.toArbiter(), null);
        g.setRngSeed(3);
        int below = 0;
        for (int i = 0; i < 1000; i++) {
            double lr = (Double) ((Map<?, ?>) g.getCandidate().getValue()).get("learning_rate");
            assertTrue(lr >= 1e-4 && lr <= 1e-2, "in range: " + lr);
            if (lr < 1e-3) below++;
        }
        assertEquals(500, below, 50, "log-uniform median is sqrt(min * max)");
    }

    @Test
    void randomSearchIsReproducibleFromItsSeed() {
        SearchSpace s = SearchSpace.resolve("adamix");
        assertEquals(draw(s, 5), draw(s, 5));
        assertNotEquals(draw(s, 5), draw(s, 6));
    }

    private static List<Object> draw(SearchSpace s, long seed) {
        RandomSearchGenerator g = new RandomSearchGenerator(s.toArbiter(), null);
        g.setRngSeed(seed);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) out.add(g.getCandidate().getValue());
        return out;
    }

    @Test
    void gridSearchIsTheCartesianProductAndFixedKnobsAreNotGridAxes() {
        SearchSpace s = SearchSpace.resolve("{\"method\": \"adamix\", \"r\": {\"choice\": [8, 16]}, "
                + "\"learning_rate\": {\"log_uniform\": [1e-4, 1e-2]}, \"epochs\": {\"int\": [1, 2]}}");
        GridSearchCandidateGenerator g = new GridSearchCandidateGenerator(s.toArbiter(), 3,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        assertEquals(2 * 3 * 2, g.getTotalNumCandidates());
        Set<List<Object>> seen = new HashSet<>();
        while (g.hasMoreCandidates()) {
            Candidate<?> c = g.getCandidate();
            Map<?, ?> v = (Map<?, ?>) c.getValue();
            assertEquals("adamix", v.get("method"));
            long lr = Math.round(Math.log10((Double) v.get("learning_rate")));
            assertEquals((Double) v.get("learning_rate"), Math.pow(10, lr), 1e-9 * Math.pow(10, lr), "grid points 1e-4, 1e-3, 1e-2");
            seen.add(List.of(v.get("r"), lr, v.get("epochs")));
        }
        Set<List<Object>> expected = new HashSet<>();
        for (int r : new int[]{8, 16}) for (long lr = -4; lr <= -2; lr++) for (int e = 1; e <= 2; e++) expected.add(List.of(r, lr, e));
        assertEquals(expected, seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adamix", "adamix-lora", "lora", "quick"})
    void builtInSpacesParseAndOnlyMakeValidConfigs(String name) {
        SearchSpace s = SearchSpace.resolve(name);
        assertEquals(name, s.source());
        String method = (String) ((SearchSpace.Fixed) s.ranges().get(Knob.METHOD)).value();
        s.check(base(method));
        RandomSearchGenerator g = new RandomSearchGenerator(s.toArbiter(), null);
        g.setRngSeed(1);
        for (int i = 0; i < 50; i++) Knob.apply(base(method), castMap(g.getCandidate().getValue()));
        assertEquals(s.toJson(), SearchSpace.parse(new org.nd4j.shade.jackson.databind.ObjectMapper()
                .valueToTree(s.toJson()), "round trip").toJson(), "toJson is what parse reads");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"lr\": {\"uniform\": [0, 1]}}                              | unknown knob 'lr'; known: method, learning_rate",
            "{\"learning_rate\": {\"log_uniform\": [0, 1e-2]}}            | knob learning_rate: log_uniform range needs 0 < min < max",
            "{\"r\": {\"uniform\": [4, 16]}}                              | knob r: uniform is for real-valued knobs",
            "{\"r\": {\"choice\": [8, 8.5]}}                              | knob r: expected an integer, got 8.5",
            "{\"sharing\": {\"choice\": [\"up\", \"up\"]}}                | knob sharing: choice lists a value twice",
            "{\"sharing\": {\"choice\": [\"up\"]}}                        | knob sharing: choice needs at least 2 values",
            "{\"epochs\": {\"int\": [5, 2]}}                              | knob epochs: int range needs min < max",
            "{\"r\": {\"grid\": [1, 2]}}                                  | knob r: unknown range 'grid'",
            "{\"r\": 8, \"method\": \"lora\"}                             | varies no knob",
            "{\"learning_rate\": {\"log_uniform\": [1e-4, 1e-2]}, \"r\": {\"choice\": [0, 8]}} | r = 0 gives no valid run config: AdaMix bottleneck r must be >= 1",
            "{\"sharing\": {\"choice\": [\"up\", \"sideways\"]}}          | sharing = sideways gives no valid run config: sharing must be up, down or none",
            "nosuch                                                      | neither a file, inline JSON, nor a built-in space",
            "{\"r\": {\"choice\": [8, 16]}                               | is not valid JSON"})
    void badSpacesAreClearErrors(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchSpace.resolve(spec.strip()).check(base("adamix")));
        assertTrue(e.getMessage().contains(expected.strip()), "expected '" + expected.strip() + "' in: " + e.getMessage());
    }

    @Test
    void aSpaceFileIsReadByPath(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("my-space.json"), "{\"experts\": {\"choice\": [2, 4]}}");
        SearchSpace s = SearchSpace.resolve(f.toString());
        assertEquals(f.toString(), s.source());
        assertEquals(new SearchSpace.Choice(List.of(2, 4)), s.ranges().get(Knob.EXPERTS));
    }
}
