package org.adamix4j.eval.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the training loop. */
class SchedulesAndBatchesTest {

    @Test
    void linearWarmupThenDecay() {
        // peak 1.0, warmup 10 of 110 steps: 0, 0.1, ..., 0.9, then 1.0 at step 10 falling to 0 at 110
        assertEquals(0.0, Schedules.linearWarmupDecay(1.0, 0, 10, 110), 1e-12);
        assertEquals(0.5, Schedules.linearWarmupDecay(1.0, 5, 10, 110), 1e-12);
        assertEquals(1.0, Schedules.linearWarmupDecay(1.0, 10, 10, 110), 1e-12);
        assertEquals(0.5, Schedules.linearWarmupDecay(1.0, 60, 10, 110), 1e-12);
        assertEquals(0.0, Schedules.linearWarmupDecay(1.0, 110, 10, 110), 1e-12);
        assertEquals(0.02, Schedules.linearWarmupDecay(2.0, 109, 10, 110) * 1.0, 1e-12, "(110-109)/100 * 2");
        assertEquals(1.0, Schedules.linearWarmupDecay(1.0, 0, 0, 10), 1e-12, "no warmup starts at the peak");
    }

    @Test
    void clipsTheGlobalNormLikePyTorch() {
        // grads (3, 4) and (12): global norm sqrt(9 + 16 + 144) = 13; clip to 1.3 -> factor 1.3 / (13 + 1e-6)
        Map<String, INDArray> g = new HashMap<>();
        g.put("a", Nd4j.createFromArray(3f, 4f));
        g.put("b", Nd4j.createFromArray(12f));
        assertEquals(13.0, Schedules.clipGlobalNorm(g, 1.3), 1e-6);
        assertEquals(0.3, g.get("a").getDouble(0), 1e-6);
        assertEquals(1.2, g.get("b").getDouble(0), 1e-6);
        assertEquals(1.3, Schedules.clipGlobalNorm(g, 5.0), 1e-5, "below the bound: unchanged");
        assertEquals(0.3, g.get("a").getDouble(0), 1e-6);
    }

    @Test
    void bucketingGroupsSimilarLengthsAndCutsPadding() {
        Random r = new Random(3);
        int[] lengths = new int[400];
        for (int i = 0; i < lengths.length; i++) lengths[i] = 5 + r.nextInt(120);
        List<int[]> bucketed = Batches.epoch(lengths, 32, true, new Random(1));
        List<int[]> shuffled = Batches.epoch(lengths, 32, false, new Random(1));
        // every example exactly once, in both
        for (List<int[]> bs : List.of(bucketed, shuffled)) {
            int[] seen = new int[lengths.length];
            bs.forEach(b -> Arrays.stream(b).forEach(i -> seen[i]++));
            assertTrue(Arrays.stream(seen).allMatch(c -> c == 1));
            assertEquals(13, bs.size());
        }
        long padB = Batches.paddedTokens(bucketed, lengths);
        long padS = Batches.paddedTokens(shuffled, lengths);
        long real = Arrays.stream(lengths).asLongStream().sum();
        assertTrue(padB < 1.1 * real, "bucketed batches pad little: " + padB + " for " + real);
        assertTrue(padS > 1.5 * real, "shuffled batches pad to their longest: " + padS);
        // seeded: same seed, same batches
        assertEquals(Arrays.deepToString(bucketed.toArray()), Arrays.deepToString(Batches.epoch(lengths, 32, true, new Random(1)).toArray()));
    }

    @Test
    void configValidatesEveryHyperparameter() {
        MethodSpec m = MethodSpec.defaults("adamix");
        TrainConfig.Optim o = new TrainConfig.Optim(1e-3, 0.1, 0.06, 1.0);
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig.Optim(-1e-3, 0.1, 0.06, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig.Optim(1e-3, -0.1, 0.06, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig.Optim(1e-3, 0.1, 1.0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig("rte", m, o, 0, 32, 128, 1, true, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig("rte", m, o, 1, 0, 128, 1, true, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MethodSpec("adamix", 0, 4, "up", 1, 16, 0));
        assertTrue(e.getMessage().contains("bottleneck r must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MethodSpec("adamix", 16, 0, "up", 1, 16, 0));
        assertTrue(e.getMessage().contains("experts >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MethodSpec.defaults("prefix-tuning"));
        assertTrue(e.getMessage().contains("unknown method 'prefix-tuning'"), e.getMessage());
        TrainConfig c = new TrainConfig("rte", m, o, 3, 16, 128, 7, true, 0, 0);
        assertEquals(c, TrainConfig.fromJson(new org.nd4j.shade.jackson.databind.ObjectMapper().valueToTree(c.toJson())));
    }
}
