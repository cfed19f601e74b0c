package org.adamix4j.eval.metrics;

import java.util.Objects;

/**
 * The evaluation metrics by name, each computable on {@code double} predictions and gold values.
 *
 * <p>{@link #ACCURACY}, {@link #F1} and {@link #MCC} are classification metrics: their
 * {@code double} inputs are class indices and must be integral values in {@code int} range
 * (e.g. {@code 2.0}, not {@code 2.5}). {@link #PEARSON} and {@link #SPEARMAN} are correlation
 * metrics on real-valued scores. Each constant delegates to the method of {@link Metrics} of the
 * same meaning, and so has the same contract and the same undefined-case results
 * (MCC {@code 0.0} for a zero denominator, F1 {@code 0.0} without true positives, Pearson and
 * Spearman {@code NaN} for constant input).
 */
public enum Metric {

    /** Fraction of exact matches; see {@link Metrics#accuracy(int[], int[])}. */
    ACCURACY("accuracy") {
        @Override
        double computeValidated(double[] predictions, double[] gold) {
            return Metrics.accuracy(toLabels(predictions, "predictions"), toLabels(gold, "gold"));
        }
    },

    /** Binary F1 of class 1 (labels must be 0/1); see {@link Metrics#f1(int[], int[])}. */
    F1("f1") {
        @Override
        double computeValidated(double[] predictions, double[] gold) {
            return Metrics.f1(toLabels(predictions, "predictions"), toLabels(gold, "gold"));
        }
    },

    /** Matthews correlation, binary or multiclass; see {@link Metrics#matthews(int[], int[])}. */
    MCC("mcc") {
        @Override
        double computeValidated(double[] predictions, double[] gold) {
            return Metrics.matthews(toLabels(predictions, "predictions"), toLabels(gold, "gold"));
        }
    },

    /** Pearson correlation; see {@link Metrics#pearson(double[], double[])}. */
    PEARSON("pearson") {
        @Override
        double computeValidated(double[] predictions, double[] gold) {
            return Metrics.pearson(predictions, gold);
        }
    },

    /** Spearman rank correlation; see {@link Metrics#spearman(double[], double[])}. */
    SPEARMAN("spearman") {
        @Override
        double computeValidated(double[] predictions, double[] gold) {
            return Metrics.spearman(predictions, gold);
        }
    };

    private final String id;

    Metric(String id) {
        this.id = id;
    }

    /**
     * The stable lower-case identifier of this metric, as used in configuration and reports:
     * {@code "accuracy"}, {@code "f1"}, {@code "mcc"}, {@code "pearson"} or {@code "spearman"}.
     *
     * @return the identifier
     */
    public String id() {
        return id;
    }

    /**
     * Computes this metric.
     *
     * <p>Predictions and gold as doubles: class indices for the classification metrics
     * ({@link #ACCURACY}, {@link #F1}, {@link #MCC}; values must be integral and within
     * {@code int} range), scores for the correlation metrics ({@link #PEARSON}, {@link #SPEARMAN};
     * values must be finite).
     *
     * @param predictions predicted values
     * @param gold        gold values, same length as {@code predictions}
     * @return the metric value; see {@link Metrics} for the undefined cases ({@code 0.0} or
     *         {@code NaN}, following scikit-learn / SciPy)
     * @throws NullPointerException     if either array is {@code null}
     * @throws IllegalArgumentException if the lengths differ (the message names both lengths),
     *                                  the arrays are empty ("no examples"), a value is
     *                                  {@code NaN}, a class prediction or gold label is not an
     *                                  integral {@code int} value, or (for {@link #F1}) a label is
     *                                  not 0/1
     */
    public double compute(double[] predictions, double[] gold) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(gold, "gold");
        Metrics.checkLengths("predictions", predictions.length, "gold", gold.length);
        checkNoNaN(predictions, "predictions");
        checkNoNaN(gold, "gold");
        return computeValidated(predictions, gold);
    }

    /** Computes the metric on arrays already checked for null, length and NaN. */
    abstract double computeValidated(double[] predictions, double[] gold);

    private static void checkNoNaN(double[] v, String name) {
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is NaN");
            }
        }
    }

    /** Converts integral doubles to int class labels, rejecting fractional or out-of-range ones. */
    static int[] toLabels(double[] v, String name) {
        int[] labels = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            double d = v[i];
            // Rejects NaN, infinities, fractions and anything outside int range in one test.
            if (!(d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) || d != Math.rint(d)) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] = " + d + " is not an integral class label");
            }
            labels[i] = (int) d;
        }
        return labels;
    }
}
