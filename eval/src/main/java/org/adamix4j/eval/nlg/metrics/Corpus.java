package org.adamix4j.eval.nlg.metrics;

import java.util.List;

/**
 * Checks shared by all corpus metrics: one hypothesis per input, at least one input, at least one reference each.
 */
final class Corpus {
    private Corpus() {
    }

    static void check(String metric, List<String> hypotheses, List<? extends List<String>> references) {
        if (hypotheses == null || references == null) {
            throw new IllegalArgumentException(metric + ": hypotheses and references must not be null");
        }
        if (hypotheses.isEmpty()) {
            throw new IllegalArgumentException(metric + ": empty corpus (no hypotheses); the score is undefined");
        }
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(metric + ": " + hypotheses.size() + " hypotheses but "
                    + references.size() + " reference sets; expected one reference set per hypothesis");
        }
        for (int i = 0; i < references.size(); i++) {
            if (hypotheses.get(i) == null) {
                throw new IllegalArgumentException(metric + ": hypothesis " + (i + 1) + " is null");
            }
            List<String> refs = references.get(i);
            if (refs == null || refs.isEmpty()) {
                throw new IllegalArgumentException(metric + ": input " + (i + 1) + " has no reference");
            }
        }
    }
}
