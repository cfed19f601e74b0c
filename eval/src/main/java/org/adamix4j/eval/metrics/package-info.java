/**
 * Evaluation metrics for AdaMix4j, in plain Java with no dependencies.
 *
 * <p>{@link org.adamix4j.eval.metrics.Metrics} holds the implementations: accuracy, binary F1,
 * Matthews correlation (binary and multiclass), Pearson and Spearman correlation.
 * {@link org.adamix4j.eval.metrics.Metric} names them by id ({@code "accuracy"}, {@code "f1"},
 * {@code "mcc"}, {@code "pearson"}, {@code "spearman"}) and computes them on {@code double}
 * arrays.
 *
 * <p>Results match {@code sklearn.metrics.accuracy_score}, {@code f1_score} (binary,
 * {@code pos_label=1}), {@code matthews_corrcoef}, and {@code scipy.stats.pearsonr} /
 * {@code spearmanr}, including their undefined cases: MCC and F1 return {@code 0.0}, Pearson and
 * Spearman return {@code NaN} for constant input. Invalid input (length mismatch, empty arrays,
 * {@code NaN}, non-binary F1 labels, non-integral class values) throws
 * {@link java.lang.IllegalArgumentException}.
 */
package org.adamix4j.eval.metrics;
