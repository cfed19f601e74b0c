package org.adamix4j.modules.mixture;

import org.adamix4j.modules.Pass;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.tokenize.TokenizedBatch;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * The inference modes of a trained mixture the paper compares. {@link Mode#MERGED} is AdaMix proper;
 * the others are its ablations.
 */
public final class AdaMixInference {
    /** How a trained mixture is used at inference. */
    public enum Mode {
        /** Experts averaged into one module (computed through averaged routing; identical numbers to mergeAndUnload). */
        MERGED,
        /** A random expert per example. */
        RANDOM,
        /** Expert 0 for every input. */
        FIXED,
        /** Mean logits of K random-routing passes. */
        ENSEMBLE
    }

    private AdaMixInference() {
    }

    /** Logits [batch, C] of {@code model} in {@code mode}; {@code k} passes for ENSEMBLE. */
    public static INDArray logits(PeftModel model, TokenizedBatch batch, Mode mode, int k, SplittableRandom rng) {
        return switch (mode) {
            case MERGED -> model.logits(batch, Pass.eval(), rng);
            case RANDOM -> model.logits(batch, Pass.randomRouting(), rng);
            case FIXED -> model.logits(batch, Pass.fixedRouting(0), rng);
            case ENSEMBLE -> {
                if (k < 1) throw new IllegalArgumentException("an ensemble needs k >= 1 passes, got " + k);
                INDArray sum = model.logits(batch, Pass.randomRouting(), rng).dup();
                for (int i = 1; i < k; i++) sum.addi(model.logits(batch, Pass.randomRouting(), rng));
                yield sum.divi(k);
            }
        };
    }

    /** The served AdaMix model: the experts averaged into one plain module on a fresh base. */
    public static PeftModel merged(PeftModel model, ImportedModel freshBase) {
        return model.mergeAndUnload(freshBase);
    }
}
