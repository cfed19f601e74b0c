package org.adamix4j.eval.nlg.metrics;

import java.util.List;

/**
 * Corpus BLEU as the official E2E scorer (tuetschek/e2e-metrics, {@code measure_scores.py}) computes it: NIST
 * {@code mteval-v13a.pl}'s {@code bleu_score} on the whole corpus.
 *
 * <ul>
 *   <li>Tokenisation: {@link MtevalTokenizer}, lower-cased (mteval is case-insensitive unless {@code -c}).</li>
 *   <li>Clipped n-gram matches against the per-n-gram maximum count over all references of an input, n = 1..4, uniform
 *       weights, summed over the corpus (not an average of sentence scores).</li>
 *   <li>Brevity penalty {@code exp(min(0, 1 - r/c))} with r the sum of closest reference lengths (ties to the
 *       shorter), c the number of hypothesis words.</li>
 *   <li>mteval's smoothing for a zero match count at order n: the precision becomes {@code 1/(2^k * count_n)} where
 *       k counts the zero orders so far; an order with no hypothesis n-grams contributes log 1 = 0. Real corpora never
 *       reach either case.</li>
 *   <li>References are padded with empty segments to the largest reference count (see {@link Mteval}).</li>
 * </ul>
 * The score is in [0, 1] (the E2E scorer prints it so; multiply by 100 for the usual percentage).
 */
public final class MtevalBleu {
    private MtevalBleu() {
    }

    /** Lower-cased BLEU, the E2E setting. */
    public static double score(List<String> hypotheses, List<? extends List<String>> references) {
        return score(hypotheses, references, false);
    }

    /** BLEU; {@code preserveCase} is mteval's {@code -c}. */
    public static double score(List<String> hypotheses, List<? extends List<String>> references, boolean preserveCase) {
        Mteval m = Mteval.collect("BLEU", hypotheses, references, preserveCase, false);
        return fromStats(m.refLength, m.match, m.tstCount);
    }

    /** mteval-v13a {@code bleu_score} for orders 1..4 from summed statistics (arrays indexed by order). */
    static double fromStats(long refLength, long[] match, long[] tst) {
        if (tst[1] == 0) {
            return 0.0; // mteval divides by zero here; an all-empty output scores 0
        }
        double lenScore = Math.min(0.0, 1.0 - refLength / (double) tst[1]);
        double score = 0;
        double smooth = 1;
        for (int j = 1; j <= 4; j++) {
            double iscore;
            if (tst[j] == 0) {
                iscore = 0;
            } else if (match[j] == 0) {
                smooth *= 2;
                iscore = Math.log(1.0 / (smooth * tst[j]));
            } else {
                iscore = Math.log(match[j] / (double) tst[j]);
            }
            score += iscore;
        }
        return Math.exp(score / 4 + lenScore);
    }
}
