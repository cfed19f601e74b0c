package org.adamix4j.modules.mixture;

import org.adamix4j.graphs.AdamW;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every inference mode on a trained mixture: the tiny BERT fixture with AdaMix learns a toy task
 * (sequences over 20 token ids; label = whether the first token is one of the lower 10); each mode must
 * beat chance (50%) on held-out data, and the modes must not all give the same logits.
 */
class InferenceModesTest {

    /** Random sequences of 8 ids in [10, 30); label 1 iff the first token is below 20. */
    static TokenizedBatch toy(int n, long seed, long[] labels) {
        SplittableRandom r = new SplittableRandom(seed);
        long[][] ids = new long[n][8];
        long[][] mask = new long[n][8];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 8; j++) {
                ids[i][j] = 10 + r.nextInt(20);
                mask[i][j] = 1;
            }
            labels[i] = ids[i][0] < 20 ? 1 : 0;
        }
        return new TokenizedBatch(ids, mask, new long[n][8]);
    }

    @Test
    void everyModeBeatsChanceAndTheyDiffer() {
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(MixtureConfig.of(4, 8))
                .setHead(TaskHead.classification(2)).optSeed(1).build();
        AdamW opt = AdamW.standard(0.0, Set.of());
        SplittableRandom rng = new SplittableRandom(2);
        long t0 = System.nanoTime();
        int steps = 80;
        for (int step = 0; step < steps; step++) {
            long[] y = new long[16];
            TokenizedBatch b = toy(16, 1000 + step, y);
            opt.step(m.parameters(), m.gradients(b, Nd4j.createFromArray(y), rng), 3e-3);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] y = new long[256];
        TokenizedBatch dev = toy(256, 7, y);
        Map<AdaMixInference.Mode, Double> acc = new EnumMap<>(AdaMixInference.Mode.class);
        Map<AdaMixInference.Mode, INDArray> logits = new EnumMap<>(AdaMixInference.Mode.class);
        for (AdaMixInference.Mode mode : AdaMixInference.Mode.values()) {
            INDArray l = AdaMixInference.logits(m, dev, mode, 4, new SplittableRandom(3));
            logits.put(mode, l);
            acc.put(mode, accuracy(l, y));
        }
        INDArray served = AdaMixInference.merged(m, TestModels.bertTiny()).logits(dev);
        double servedAcc = accuracy(served, y);
        System.out.printf("toy task after %d steps (%.1f s): %s, served merged model %.3f%n", steps, seconds, acc, servedAcc);
        for (var e : acc.entrySet()) assertTrue(e.getValue() >= 0.65, e.getKey() + " accuracy " + e.getValue());
        assertEquals(acc.get(AdaMixInference.Mode.MERGED), servedAcc, 1e-9, "the served merged model = averaged routing");
        assertTrue(logits.get(AdaMixInference.Mode.RANDOM).sub(logits.get(AdaMixInference.Mode.MERGED)).amaxNumber().doubleValue() > 1e-4);
        assertTrue(logits.get(AdaMixInference.Mode.FIXED).sub(logits.get(AdaMixInference.Mode.MERGED)).amaxNumber().doubleValue() > 1e-4);
        assertTrue(logits.get(AdaMixInference.Mode.ENSEMBLE).sub(logits.get(AdaMixInference.Mode.RANDOM)).amaxNumber().doubleValue() > 1e-4);
    }

    private static double accuracy(INDArray logits, long[] y) {
        int ok = 0;
        for (int i = 0; i < y.length; i++) if (logits.getRow(i).argMax().getLong(0) == y[i]) ok++;
        return ok / (double) y.length;
    }
}
