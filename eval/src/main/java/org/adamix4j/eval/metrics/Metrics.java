package org.adamix4j.eval.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Plain-Java evaluation metrics for classification (accuracy, binary F1, Matthews correlation)
 * and regression (Pearson and Spearman correlation).
 *
 * <p>All arithmetic is done in {@code double} (counts in {@code long}); means are computed with
 * a two-pass algorithm (mean first, then centred sums), never with the one-pass
 * {@code sum(x*y) - n*mean(x)*mean(y)} formula.
 *
 * <h2>Common input contract</h2>
 * <ul>
 *   <li>{@code null} arrays throw {@link NullPointerException}.</li>
 *   <li>Arrays of different length throw {@link IllegalArgumentException} whose message names both
 *       lengths.</li>
 *   <li>Empty arrays throw {@link IllegalArgumentException} ("no examples").</li>
 *   <li>For the correlation metrics, {@code NaN} <em>and infinite</em> values throw
 *       {@link IllegalArgumentException} (an infinite score is treated as a bug upstream, not as a
 *       rankable value).</li>
 * </ul>
 *
 * <h2>Undefined cases</h2>
 * These follow scikit-learn / SciPy rather than throwing:
 * <ul>
 *   <li>{@link #matthews} returns {@code 0.0} when its denominator is zero (for example constant
 *       predictions, or constant gold labels), as {@code sklearn.metrics.matthews_corrcoef} does.</li>
 *   <li>{@link #f1} returns {@code 0.0} when there is no true positive, including the case where
 *       precision and recall are both undefined (no positive in gold nor in predictions), as
 *       {@code sklearn.metrics.f1_score} does with its default {@code zero_division}.</li>
 *   <li>{@link #pearson} and {@link #spearman} return {@link Double#NaN} when either input is
 *       constant (which includes every single-element input), as {@code scipy.stats.pearsonr} and
 *       {@code scipy.stats.spearmanr} return {@code nan}.</li>
 * </ul>
 *
 * <p>This class is stateless and thread-safe; it never modifies its arguments.
 */
public final class Metrics {

    private Metrics() {
        throw new AssertionError("no instances");
    }

    // ------------------------------------------------------------------ classification

    /**
     * Fraction of positions where {@code predicted[i] == gold[i]}, in {@code [0, 1]}.
     * Any {@code int} labels are accepted.
     *
     * @param predicted predicted class indices
     * @param gold      gold class indices, same length as {@code predicted}
     * @return the accuracy, as {@code sklearn.metrics.accuracy_score}
     * @throws NullPointerException     if either array is {@code null}
     * @throws IllegalArgumentException if the lengths differ or the arrays are empty
     */
    public static double accuracy(int[] predicted, int[] gold) {
        int n = checkSameNonEmpty(predicted, gold);
        long correct = 0;
        for (int i = 0; i < n; i++) {
            if (predicted[i] == gold[i]) {
                correct++;
            }
        }
        return (double) correct / n;
    }

    /**
     * Binary F1 score of the positive class {@code 1}: {@code 2*tp / (2*tp + fp + fn)}, the harmonic
     * mean of precision and recall.
     *
     * <p>Returns {@code 0.0} when there is no true positive. In particular, when neither
     * {@code gold} nor {@code predicted} contains a {@code 1}, precision and recall are both undefined
     * and the result is {@code 0.0}, matching {@code sklearn.metrics.f1_score} with its default
     * {@code zero_division} (which warns and yields {@code 0.0}).
     *
     * @param predicted predicted labels, each {@code 0} or {@code 1}
     * @param gold      gold labels, each {@code 0} or {@code 1}, same length as {@code predicted}
     * @return the F1 score in {@code [0, 1]}
     * @throws NullPointerException     if either array is {@code null}
     * @throws IllegalArgumentException if the lengths differ, the arrays are empty, or any label is
     *                                  not {@code 0}/{@code 1} (the message names the value and
     *                                  its position)
     */
    public static double f1(int[] predicted, int[] gold) {
        int n = checkSameNonEmpty(predicted, gold);
        checkBinary(predicted, "predicted");
        checkBinary(gold, "gold");
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < n; i++) {
            int p = predicted[i];
            int g = gold[i];
            if (p == 1 && g == 1) {
                tp++;
            } else if (p == 1) {
                fp++;
            } else if (g == 1) {
                fn++;
            }
        }
        if (tp == 0) {
            return 0.0; // also covers 2tp+fp+fn == 0 (sklearn zero_division default -> 0.0)
        }
        return (2.0 * tp) / (2.0 * tp + fp + fn);
    }

    /**
     * Matthews correlation coefficient for binary or multiclass labels, in {@code [-1, 1]}.
     *
     * <p>Uses Gorodkin's R<sub>K</sub> statistic over the confusion matrix of all labels that occur
     * in either array (any {@code int} values): with {@code s} the number of examples, {@code c}
     * the number of correct predictions, {@code t_k} the number of times class {@code k} occurs in
     * {@code gold} and {@code p_k} the number of times it is predicted,
     * <pre>
     *   MCC = (c*s - sum_k p_k*t_k) / sqrt((s^2 - sum_k p_k^2) * (s^2 - sum_k t_k^2))
     * </pre>
     * For two classes this equals {@code (tp*tn - fp*fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn))}.
     * This is the definition of {@code sklearn.metrics.matthews_corrcoef}.
     *
     * <p>Returns {@code 0.0} when the denominator is zero, i.e. when {@code predicted} or
     * {@code gold} is constant (even if the predictions are then all correct), as sklearn does.
     *
     * @param predicted predicted class labels
     * @param gold      gold class labels, same length as {@code predicted}
     * @return the Matthews correlation coefficient
     * @throws NullPointerException     if either array is {@code null}
     * @throws IllegalArgumentException if the lengths differ or the arrays are empty
     */
    public static double matthews(int[] predicted, int[] gold) {
        int n = checkSameNonEmpty(predicted, gold);

        // Map labels (arbitrary ints) to dense class indices 0..k-1.
        int[] classes = distinctSorted(predicted, gold);
        long[] predCount = new long[classes.length];
        long[] goldCount = new long[classes.length];
        long correct = 0;
        for (int i = 0; i < n; i++) {
            predCount[Arrays.binarySearch(classes, predicted[i])]++;
            goldCount[Arrays.binarySearch(classes, gold[i])]++;
            if (predicted[i] == gold[i]) {
                correct++;
            }
        }
        long s = n;
        long sumPT = 0;
        long sumPP = 0;
        long sumTT = 0;
        for (int k = 0; k < classes.length; k++) {
            sumPT += predCount[k] * goldCount[k];
            sumPP += predCount[k] * predCount[k];
            sumTT += goldCount[k] * goldCount[k];
        }
        // All terms are <= s^2 < 2^62, so these long computations cannot overflow.
        long cov = correct * s - sumPT;
        long varPred = s * s - sumPP;
        long varGold = s * s - sumTT;
        if (varPred == 0 || varGold == 0) {
            return 0.0;
        }
        double mcc = cov / Math.sqrt((double) varPred * (double) varGold);
        return clamp(mcc);
    }

    // ------------------------------------------------------------------ correlation

    /**
     * Pearson product-moment correlation coefficient, in {@code [-1, 1]}, as
     * {@code scipy.stats.pearsonr(x, y).statistic}.
     *
     * <p>Computed with a two-pass algorithm: the means first, then the centred sums
     * {@code Sxy}, {@code Sxx}, {@code Syy}; {@code r = Sxy / sqrt(Sxx * Syy)}. Each input is first
     * rescaled by an exact power of two (which does not change {@code r}) so that very large or
     * very small magnitudes neither overflow nor underflow.
     *
     * <p>Returns {@link Double#NaN} when {@code x} or {@code y} is constant (all elements equal,
     * which includes single-element inputs), as SciPy returns {@code nan} for constant input.
     *
     * @param x first sample
     * @param y second sample, same length as {@code x}
     * @return the Pearson correlation, or {@code NaN} if either input is constant
     * @throws NullPointerException     if either array is {@code null}
     * @throws IllegalArgumentException if the lengths differ, the arrays are empty, or a value is
     *                                  {@code NaN} or infinite
     */
    public static double pearson(double[] x, double[] y) {
        checkSameNonEmpty(x, y);
        checkFinite(x, "x");
        checkFinite(y, "y");
        return pearsonChecked(x, y);
    }

    /**
     * Spearman rank correlation coefficient, in {@code [-1, 1]}, as
     * {@code scipy.stats.spearmanr(x, y).statistic}: the Pearson correlation of the ranks of
     * {@code x} and {@code y}, where tied values all receive the average of the ranks they span
     * (e.g. values {@code [1, 2, 2, 3]} get ranks {@code [1, 2.5, 2.5, 4]}). {@code -0.0} and
     * {@code 0.0} are ties.
     *
     * <p>Returns {@link Double#NaN} when {@code x} or {@code y} is constant (all ranks equal,
     * which includes single-element inputs), as SciPy returns {@code nan}.
     *
     * @param x first sample
     * @param y second sample, same length as {@code x}
     * @return the Spearman correlation, or {@code NaN} if either input is constant
     * @throws NullPointerException     if either array is {@code null}
     * @throws IllegalArgumentException if the lengths differ, the arrays are empty, or a value is
     *                                  {@code NaN} or infinite
     */
    public static double spearman(double[] x, double[] y) {
        checkSameNonEmpty(x, y);
        checkFinite(x, "x");
        checkFinite(y, "y");
        return pearsonChecked(averageRanks(x), averageRanks(y));
    }

    // ------------------------------------------------------------------ internals

    /** Pearson on inputs already validated (same non-zero length, all finite). */
    private static double pearsonChecked(double[] x, double[] y) {
        if (isConstant(x) || isConstant(y)) {
            return Double.NaN;
        }
        double[] xs = scaleByPowerOfTwo(x);
        double[] ys = scaleByPowerOfTwo(y);
        int n = xs.length;

        // Pass 1: means.
        double sumX = 0.0;
        double sumY = 0.0;
        for (int i = 0; i < n; i++) {
            sumX += xs[i];
            sumY += ys[i];
        }
        double meanX = sumX / n;
        double meanY = sumY / n;

        // Pass 2: centred sums.
        double sxx = 0.0;
        double syy = 0.0;
        double sxy = 0.0;
        for (int i = 0; i < n; i++) {
            double dx = xs[i] - meanX;
            double dy = ys[i] - meanY;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        if (sxx == 0.0 || syy == 0.0) {
            return Double.NaN; // defensive: non-constant input always has a positive centred sum
        }
        return clamp(sxy / Math.sqrt(sxx * syy));
    }

    /** Average (fractional) ranks, 1-based; ties get the mean of the ranks they occupy. */
    static double[] averageRanks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            int end = start + 1; // exclusive end of the tie group
            while (end < n && v[order[end]] == v[order[start]]) {
                end++;
            }
            // Positions start..end-1 (0-based) hold 1-based ranks start+1..end; their mean:
            double rank = (start + 1 + end) / 2.0;
            for (int k = start; k < end; k++) {
                ranks[order[k]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    private static boolean isConstant(double[] v) {
        double first = v[0];
        for (int i = 1; i < v.length; i++) {
            if (v[i] != first) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copy of {@code v} multiplied by 2^-e, where e is the binary exponent of its largest magnitude,
     * so that every value lies in (-2, 2). Multiplying by a power of two is exact (except for
     * values that underflow, which are negligible next to the maximum), so correlations are
     * unchanged while overflow of squares and sums is impossible.
     */
    private static double[] scaleByPowerOfTwo(double[] v) {
        double maxAbs = 0.0;
        for (double d : v) {
            maxAbs = Math.max(maxAbs, Math.abs(d));
        }
        double[] out = v.clone();
        if (maxAbs == 0.0) {
            return out;
        }
        int shift = -Math.getExponent(maxAbs);
        if (shift != 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.scalb(out[i], shift);
            }
        }
        return out;
    }

    private static double clamp(double r) {
        return Math.max(-1.0, Math.min(1.0, r));
    }

    private static int[] distinctSorted(int[] a, int[] b) {
        int[] all = new int[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        int m = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[m++] = all[i];
            }
        }
        return Arrays.copyOf(all, m);
    }

    private static void checkBinary(int[] labels, String name) {
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i];
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException(
                        "f1 requires binary labels 0/1, but " + name + "[" + i + "] = " + v);
            }
        }
    }

    private static void checkFinite(double[] v, String name) {
        for (int i = 0; i < v.length; i++) {
            double d = v[i];
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException(name + "[" + i + "] is NaN");
            }
            if (Double.isInfinite(d)) {
                throw new IllegalArgumentException(name + "[" + i + "] is infinite: " + d);
            }
        }
    }

    /** Validates non-null, equal, non-zero lengths; returns the common length. */
    private static int checkSameNonEmpty(int[] a, int[] b) {
        Objects.requireNonNull(a, "predicted");
        Objects.requireNonNull(b, "gold");
        return checkLengths("predicted", a.length, "gold", b.length);
    }

    private static int checkSameNonEmpty(double[] a, double[] b) {
        Objects.requireNonNull(a, "x");
        Objects.requireNonNull(b, "y");
        return checkLengths("x", a.length, "y", b.length);
    }

    /**
     * Throws unless both lengths are equal and non-zero; returns the common length. The mismatch
     * message names both arrays and both lengths, e.g. "length mismatch: predicted has 3
     * elements but gold has 4".
     */
    static int checkLengths(String firstName, int first, String secondName, int second) {
        if (first != second) {
            throw new IllegalArgumentException("length mismatch: " + firstName + " has " + first
                    + " elements but " + secondName + " has " + second);
        }
        if (first == 0) {
            throw new IllegalArgumentException("no examples");
        }
        return first;
    }
}
