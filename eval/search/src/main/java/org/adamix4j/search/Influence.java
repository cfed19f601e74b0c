package org.adamix4j.search;

import org.adamix4j.eval.metrics.Metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which knob mattered most for the score, over the complete candidates of a search.
 *
 * <p>Definition: for a numeric knob, the strength is |Spearman ρ| between the knob's value and the
 * score (rank correlation: monotone effects count, the scale of the knob does not, so a log-uniform
 * learning rate needs no transform). For a knob whose values are words (sharing, method), the strength
 * is the correlation ratio η = sqrt(between-level sum of squares / total sum of squares) of the score
 * grouped by the knob's value; η is in [0, 1] like |ρ|, and for a knob with two levels coded 0/1 it
 * equals |Pearson r|. The most influential knob has the largest strength; ties go to the knob listed
 * first in the space. Knobs with a single value among the complete candidates are not ranked, and no
 * knob is named with fewer than {@link #MIN_CANDIDATES} complete candidates (with two points every
 * numeric knob has |ρ| = 1). Both measures see one knob at a time, so with few candidates a knob that
 * happens to co-vary with the influential one can share its strength.
 */
public final class Influence {
    /** Complete candidates needed before a knob is named. */
    public static final int MIN_CANDIDATES = 3;

    private Influence() {
    }

    /**
     * A knob's measured influence.
     *
     * @param knob     the knob
     * @param measure  "spearman" or "eta"
     * @param value    ρ (signed) or η
     * @param strength |ρ| or η; 0 when the scores are all equal
     */
    public record Measured(Knob knob, String measure, double value, double strength) {
        /** e.g. "Spearman ρ = -0.80" or "η = 0.61". */
        public String describe() {
            return measure.equals("spearman") ? String.format("Spearman ρ = %.2f", value) : String.format("η = %.2f", value);
        }
    }

    /** Every knob that varies among the complete rows, strongest first. */
    public static List<Measured> rank(List<CandidateRow> rows, List<Knob> knobs) {
        List<CandidateRow> done = rows.stream().filter(r -> r.status() == CandidateRow.Status.COMPLETE).toList();
        double[] score = done.stream().mapToDouble(CandidateRow::score).toArray();
        List<Measured> out = new ArrayList<>();
        for (Knob k : knobs) {
            List<Object> xs = done.stream().map(r -> r.knobs().get(k.id())).toList();
            if (xs.contains(null) || new LinkedHashSet<>(xs).size() < 2) continue;
            if (xs.stream().allMatch(x -> x instanceof Number)) {
                double[] x = xs.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                double rho = Metrics.spearman(x, score);
                out.add(new Measured(k, "spearman", Double.isNaN(rho) ? 0 : rho, Double.isNaN(rho) ? 0 : Math.abs(rho)));
            } else {
                double eta = correlationRatio(xs, score);
                out.add(new Measured(k, "eta", eta, eta));
            }
        }
        out.sort(Comparator.comparingDouble(Measured::strength).reversed()); // stable: ties keep space order
        return out;
    }

    /** The most influential knob, if at least {@link #MIN_CANDIDATES} candidates are complete and a knob varies. */
    public static Optional<Measured> mostInfluential(List<CandidateRow> rows, List<Knob> knobs) {
        long done = rows.stream().filter(r -> r.status() == CandidateRow.Status.COMPLETE).count();
        if (done < MIN_CANDIDATES) return Optional.empty();
        return rank(rows, knobs).stream().findFirst();
    }

    /** η = sqrt(SS_between / SS_total) of {@code y} grouped by {@code groups}; 0 if y is constant. */
    static double correlationRatio(List<Object> groups, double[] y) {
        double mean = 0;
        for (double v : y) mean += v;
        mean /= y.length;
        double total = 0;
        for (double v : y) total += (v - mean) * (v - mean);
        if (total == 0) return 0;
        Map<Object, double[]> sums = new LinkedHashMap<>(); // level -> {sum, count}
        for (int i = 0; i < y.length; i++) {
            double[] s = sums.computeIfAbsent(groups.get(i), g -> new double[2]);
            s[0] += y[i];
            s[1]++;
        }
        double between = 0;
        for (double[] s : sums.values()) {
            double m = s[0] / s[1];
            between += s[1] * (m - mean) * (m - mean);
        }
        return Math.sqrt(Math.min(1, between / total));
    }
}
