package org.adamix4j.bench;

import java.util.Arrays;

/**
 * Summary of repeated timings: median and spread. Quantiles interpolate linearly between order
 * statistics (numpy's default "linear" method), so the numbers can be checked by hand.
 *
 * @param n      number of samples
 * @param median the 50% quantile
 * @param p25    the 25% quantile
 * @param p75    the 75% quantile
 * @param min    smallest sample
 * @param max    largest sample
 * @param mean   arithmetic mean
 */
public record Stats(int n, double median, double p25, double p75, double min, double max, double mean) {

    /** Summarises {@code samples} (at least one, all finite). */
    public static Stats of(double[] samples) {
        if (samples == null || samples.length == 0) throw new IllegalArgumentException("no samples to summarise");
        double[] s = samples.clone();
        for (double v : s) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("samples must be finite, got " + v);
        }
        Arrays.sort(s);
        double sum = 0;
        for (double v : s) sum += v;
        return new Stats(s.length, quantile(s, 0.5), quantile(s, 0.25), quantile(s, 0.75), s[0], s[s.length - 1],
                sum / s.length);
    }

    public static Stats of(java.util.List<Double> samples) {
        return of(samples.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The q-quantile of sorted {@code s}: position q·(n-1), linear between neighbours. */
    static double quantile(double[] s, double q) {
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /** Interquartile range relative to the median (0 for a single sample). */
    public double relativeSpread() {
        return median == 0 ? 0 : (p75 - p25) / median;
    }

    /** "1.234 ±5%" : the median and the interquartile range as a percentage of it. */
    public String format(int decimals) {
        return String.format("%." + decimals + "f ±%.0f%%", median, 100 * relativeSpread() / 2);
    }
}
