package org.adamix4j.eval.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/** Pure helpers of the training loop: the learning-rate schedule and gradient clipping. */
public final class Schedules {
    private Schedules() {
    }

    /**
     * Linear warmup from 0 to {@code peak} over {@code warmup} steps, then linear decay to 0 at
     * {@code total} (Hugging Face's {@code get_linear_schedule_with_warmup}); {@code step} counts from 0.
     */
    public static double linearWarmupDecay(double peak, int step, int warmup, int total) {
        if (step < warmup) return peak * step / Math.max(1, warmup);
        return peak * Math.max(0.0, (double) (total - step) / Math.max(1, total - warmup));
    }

    /**
     * Scales all gradients in place so their global L2 norm is at most {@code maxNorm}, as PyTorch's
     * {@code clip_grad_norm_} (factor maxNorm / (norm + 1e-6) when norm exceeds it); returns the norm
     * before clipping.
     */
    public static double clipGlobalNorm(Map<String, INDArray> grads, double maxNorm) {
        double sq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            double f = maxNorm / (norm + 1e-6);
            for (INDArray g : grads.values()) g.muli(f);
        }
        return norm;
    }
}
