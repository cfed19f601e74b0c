package org.adamix4j.eval.nlg.metrics;

import java.util.List;

/**
 * Corpus NIST as the official E2E scorer computes it: NIST {@code mteval-v13a.pl}'s {@code nist_score}, 5-grams.
 *
 * <ul>
 *   <li>Tokenisation: {@link MtevalTokenizer}, lower-cased.</li>
 *   <li>Information weights from the references of the scored corpus:
 *       {@code info(w1..wn) = -log2(count(w1..wn) / count(w1..wn-1))}, unigrams against the total reference word
 *       count.</li>
 *   <li>Score = sum over n = 1..5 of (information of clipped matched n-grams / number of hypothesis n-grams), times the
 *       length penalty {@code exp(-beta * ln(ratio)^2)} for ratio &lt; 1, beta chosen so that ratio 1.5 gives 0.5
 *       (mteval's constants), where ratio = hypothesis words / (reference words / mean number of references per
 *       input), i.e. hypothesis words over (mean reference length x inputs); see {@link Mteval} for how that divisor
 *       was established.</li>
 * </ul>
 */
public final class Nist {
    private Nist() {
    }

    /** Lower-cased NIST-5, the E2E setting. */
    public static double score(List<String> hypotheses, List<? extends List<String>> references) {
        return score(hypotheses, references, false);
    }

    /** NIST-5; {@code preserveCase} is mteval's {@code -c}. */
    public static double score(List<String> hypotheses, List<? extends List<String>> references, boolean preserveCase) {
        Mteval m = Mteval.collect("NIST", hypotheses, references, preserveCase, true);
        double score = 0;
        for (int n = 1; n <= 5; n++) {
            if (m.tstCount[n] > 0) {
                score += m.tstInfo[n] / Math.max(m.tstCount[n], 1);
            }
        }
        double refWords = m.refsPerInput == 0 ? 0 : m.refCount[1] / m.refsPerInput;
        return score * lengthPenalty(m.tstCount[1] / refWords);
    }

    /** mteval's {@code nist_length_penalty}. */
    static double lengthPenalty(double ratio) {
        if (Double.isNaN(ratio) || ratio >= 1) {
            return 1;
        }
        if (ratio <= 0) {
            return 0;
        }
        double ratioX = 1.5;
        double scoreX = 0.5;
        double beta = -Math.log(scoreX) / Math.log(ratioX) / Math.log(ratioX);
        return Math.exp(-beta * Math.log(ratio) * Math.log(ratio));
    }
}
