package org.adamix4j.modules.mixture;

import org.adamix4j.modules.FeedProvider;
import org.adamix4j.modules.Pass;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * AdaMix's stochastic routing, as data: every routed projection reads a [rows, M] routing matrix
 * placeholder, one row per example, drawn in Java from the run's seeded stream. A one-hot row picks an
 * expert; the graph never changes. Training draws one expert per group (a whole batch, or each half of
 * a consistency batch), per layer and per projection, independently; inference can pick per example,
 * a fixed expert, or average (1/M everywhere, the merged weights).
 */
public final class Router implements FeedProvider {
    private final int experts;
    private final List<String> placeholders = new ArrayList<>();
    private final Map<String, long[]> counts = new LinkedHashMap<>();

    public Router(int experts) {
        this.experts = experts;
    }

    /** Adds a routing placeholder named {@code name}: a FLOAT [rows, M] matrix. */
    public SDVariable placeholder(SameDiff sd, String name) {
        placeholders.add(name);
        counts.put(name, new long[experts]);
        return sd.placeHolder(name, DataType.FLOAT, -1, experts);
    }

    public List<String> placeholders() {
        return List.copyOf(placeholders);
    }

    /** How often each expert was drawn in training so far, per routing placeholder (a copy). */
    public Map<String, long[]> trainingCounts() {
        Map<String, long[]> m = new LinkedHashMap<>();
        counts.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    @Override
    public Map<String, INDArray> feeds(int batch, int length, Pass pass, SplittableRandom rng) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : placeholders) {
            float[] r = new float[batch * experts];
            switch (pass.routing()) {
                case PER_GROUP -> {
                    int rows = batch / pass.groups();
                    for (int g = 0; g < pass.groups(); g++) {
                        int e = rng.nextInt(experts);
                        if (pass.training()) counts.get(name)[e]++;
                        for (int i = g * rows; i < (g + 1) * rows; i++) r[i * experts + e] = 1f;
                    }
                }
                case PER_EXAMPLE -> {
                    for (int i = 0; i < batch; i++) r[i * experts + rng.nextInt(experts)] = 1f;
                }
                case FIXED -> {
                    if (pass.expert() >= experts) {
                        throw new IllegalArgumentException("fixed routing to expert " + pass.expert() + ", but the mixture has "
                                + experts + " experts (0.." + (experts - 1) + ")");
                    }
                    for (int i = 0; i < batch; i++) r[i * experts + pass.expert()] = 1f;
                }
                case AVERAGE -> java.util.Arrays.fill(r, 1f / experts);
            }
            out.put(name, Nd4j.create(r, new long[]{batch, experts}, 'c'));
        }
        return out;
    }

    /**
     * Per-example weights from a stack of experts: route [rows, M] × stacked [M, a, b] → [rows, a, b].
     * A one-hot route gives exactly one expert's weights, and exactly zero gradient to the others
     * (SameDiff's gather on a stacked variable has a broken gradient in M2.1, this matmul does not).
     */
    static SDVariable select(SDVariable route, SDVariable stacked) {
        long[] s = stacked.getShape();
        long inner = 1;
        for (int i = 1; i < s.length; i++) inner *= s[i];
        SDVariable flat = route.mmul(stacked.reshape(s[0], inner));
        if (s.length == 2) return flat.reshape(-1, 1, s[1]);
        return flat.reshape(-1, s[1], s[2]);
    }
}
