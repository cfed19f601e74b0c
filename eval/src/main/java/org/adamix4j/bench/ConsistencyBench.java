package org.adamix4j.bench;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.onnx.EmbeddedModel;
import org.adamix4j.onnx.OnnxImporter;
import org.adamix4j.tokenize.TokenizedBatch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What AdaMix's consistency pass costs, on the embedded MiniLM: one training step (forward + backward)
 * of (a) a single stochastic pass over B rows, (b) both passes in one execution over 2B rows (what
 * AdaMix4j does), (c) two executions over B rows each (a lower bound for running the passes
 * separately, which would also need a third to exchange the targets). Median of {@code reps} steps
 * after one warm-up step.
 */
public final class ConsistencyBench {
    private ConsistencyBench() {
    }

    /** Median seconds of (a), (b), (c). */
    public static double[] run(int batch, int length, int reps) {
        PeftModel single = model(0.0);
        PeftModel twoPass = model(1.0);
        TokenizedBatch b = batch(batch, length);
        INDArray labels = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.INT64, batch);
        SplittableRandom rng = new SplittableRandom(1);
        double a = median(reps, () -> single.gradients(b, labels, rng));
        double c2 = median(reps, () -> twoPass.gradients(b, labels, rng));
        double two = median(reps, () -> {
            single.gradients(b, labels, rng);
            single.gradients(b, labels, rng);
        });
        return new double[]{a, c2, two};
    }

    private static PeftModel model(double w) {
        return PeftModel.builder()
                .setBase(OnnxImporter.builder().setModel(EmbeddedModel.ALL_MINILM_L6_V2.onnx()).build().importModel())
                .setMethod(MixtureConfig.standard().withConsistencyWeight(w)).setHead(TaskHead.classification(2)).build();
    }

    private static TokenizedBatch batch(int n, int len) {
        SplittableRandom r = new SplittableRandom(5);
        long[][] ids = new long[n][len];
        long[][] mask = new long[n][len];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                ids[i][j] = j == 0 ? 101 : 1000 + r.nextInt(28000);
                mask[i][j] = 1;
            }
        }
        return new TokenizedBatch(ids, mask, new long[n][len]);
    }

    private static double median(int reps, Runnable step) {
        step.run(); // warm-up: builds the gradient function
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            step.run();
            t.add((System.nanoTime() - t0) / 1e9);
        }
        Collections.sort(t);
        return t.get(t.size() / 2);
    }
}
