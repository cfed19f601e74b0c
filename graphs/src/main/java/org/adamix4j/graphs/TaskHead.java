package org.adamix4j.graphs;

/**
 * The task head on top of the encoder: classification over {@code numLabels} classes or regression
 * to one value, both read from the first ([CLS]) position; or a causal language model's own
 * next-token logits (GPT-2's tied LM head, already part of the imported graph: no new parameters).
 *
 * @param kind      classification, regression or causal LM
 * @param numLabels classes (≥ 2) for classification; 1 for regression; the vocabulary size for a causal LM
 */
public record TaskHead(Kind kind, int numLabels) {
    /** What the head predicts. */
    public enum Kind { CLASSIFICATION, REGRESSION, CAUSAL_LM }

    public TaskHead {
        if (kind == null) throw new IllegalArgumentException("head kind must not be null");
        if (kind == Kind.CLASSIFICATION && numLabels < 2) {
            throw new IllegalArgumentException("a classification head needs numLabels >= 2, got " + numLabels);
        }
        if (kind == Kind.CAUSAL_LM && numLabels < 2) {
            throw new IllegalArgumentException("a causal LM head needs the vocabulary size (>= 2), got " + numLabels);
        }
        if (kind == Kind.REGRESSION && numLabels != 1) {
            throw new IllegalArgumentException("a regression head has exactly 1 output, got numLabels=" + numLabels);
        }
    }

    public static TaskHead classification(int numLabels) {
        return new TaskHead(Kind.CLASSIFICATION, numLabels);
    }

    public static TaskHead regression() {
        return new TaskHead(Kind.REGRESSION, 1);
    }

    /** Next-token prediction with the model's own LM head over a vocabulary of {@code vocabSize}. */
    public static TaskHead causalLm(long vocabSize) {
        return new TaskHead(Kind.CAUSAL_LM, Math.toIntExact(vocabSize));
    }

    /** Parameters of the head on hidden size d: dense d×d + d, output d×C + C; none for a causal LM. */
    public long parameterCount(long hidden) {
        if (kind == Kind.CAUSAL_LM) return 0;
        return hidden * hidden + hidden + hidden * numLabels + numLabels;
    }
}
