package org.adamix4j.eval.nlg;

import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.mixture.MixtureLoraConfig;

/**
 * A causal-LM fine-tuning run on data-to-text pairs.
 *
 * @param method        the adaptation method (reference: {@link MixtureLoraConfig#reference(double)} with w 100)
 * @param epochs        passes over the training pairs (≥ 1)
 * @param maxSteps      stop after this many optimizer steps (0 = no limit)
 * @param batchSize     sequences per step (≥ 1; AdaMix runs each twice for the consistency loss)
 * @param lr            peak learning rate (reference 2e-4)
 * @param warmupSteps   linear warmup steps, then linear decay to 0 (reference 2000)
 * @param weightDecay   AdamW weight decay (reference 0.01)
 * @param maxGradNorm   global gradient-norm clip (> 0)
 * @param maxLength     longest training sequence in tokens (reference 512)
 * @param seed          seeds parameter init, shuffling, dropout and routing
 */
public record GenerationTrainConfig(MethodConfig method, int epochs, int maxSteps, int batchSize, double lr,
                                    int warmupSteps, double weightDecay, double maxGradNorm, int maxLength, long seed) {
    public GenerationTrainConfig {
        if (method == null) throw new IllegalArgumentException("method must not be null");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (maxSteps < 0) throw new IllegalArgumentException("max steps must be >= 0, got " + maxSteps);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        if (warmupSteps < 0) throw new IllegalArgumentException("warmup steps must be >= 0, got " + warmupSteps);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (!(maxGradNorm > 0)) throw new IllegalArgumentException("max grad norm must be > 0, got " + maxGradNorm);
        if (maxLength < 4) throw new IllegalArgumentException("max length must be >= 4, got " + maxLength);
    }

    /** The reference's AdaMix-LoRA GPT-2 recipe (E2E), with the given epochs and consistency weight. */
    public static GenerationTrainConfig reference(int epochs, double consistencyWeight) {
        return new GenerationTrainConfig(MixtureLoraConfig.reference(consistencyWeight), epochs, 0, 8, 2e-4, 2000, 0.01,
                1.0, 512, 42);
    }
}
