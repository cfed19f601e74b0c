package org.adamix4j.graphs;

/**
 * The task head on top of the encoder: classification over {@code numLabels} classes or regression
 * to one value, both read from the first ([CLS]) position.
 *
 * @param kind      classification or regression
 * @param numLabels classes (≥ 2) for classification; 1 for regression
 */
public record TaskHead(Kind kind, int numLabels) {
    /** What the head predicts. */
    public enum Kind { CLASSIFICATION, REGRESSION }

    public TaskHead {
        if (kind == null) throw new IllegalArgumentException("head kind must not be null");
        if (kind == Kind.CLASSIFICATION && numLabels < 2) {
            throw new IllegalArgumentException("a classification head needs numLabels >= 2, got " + numLabels);
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

    /** Parameters of the head on hidden size d: dense d×d + d, output d×C + C. */
    public long parameterCount(long hidden) {
        return hidden * hidden + hidden + hidden * numLabels + numLabels;
    }
}
