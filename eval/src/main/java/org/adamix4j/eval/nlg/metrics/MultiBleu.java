package org.adamix4j.eval.nlg.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU as Moses' {@code multi-bleu.perl} computes it, the variant behind DART's published BLEU (the DART
 * repository's evaluation runs {@code multi-bleu.perl ref0 ref1 ref2 < output} on lower-cased, tokenised text).
 *
 * <ul>
 *   <li>Tokens: the text split on white space, nothing else (the caller tokenises); case-sensitive unless
 *       {@code lowercase} (multi-bleu's {@code -lc}).</li>
 *   <li>Clipped n-gram matches against the maximum count over the references, n = 1..4, uniform weights, corpus
 *       sums.</li>
 *   <li>Closest reference length per sentence, ties to the shorter; an empty reference line is a reference of length
 *       0 (multi-bleu reads one line per reference file, so inputs with fewer references have empty lines).</li>
 *   <li>Brevity penalty {@code exp(1 - r/c)} when c &lt; r; no smoothing: any order with zero matches gives 0.</li>
 * </ul>
 * The score is on multi-bleu's 0..100 scale.
 */
public final class MultiBleu {
    private MultiBleu() {
    }

    /** Case-sensitive multi-bleu BLEU (0..100). */
    public static double score(List<String> hypotheses, List<? extends List<String>> references) {
        return score(hypotheses, references, false);
    }

    /** multi-bleu BLEU (0..100); {@code lowercase} is its {@code -lc}. */
    public static double score(List<String> hypotheses, List<? extends List<String>> references, boolean lowercase) {
        Corpus.check("multi-bleu", hypotheses, references);
        long[] correct = new long[5];
        long[] total = new long[5];
        long lenHyp = 0;
        long lenRef = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            String[] hyp = words(hypotheses.get(i), lowercase);
            Map<String, Integer> refMax = new HashMap<>();
            int closestDiff = -1;
            int closestLen = 0;
            for (String ref : references.get(i)) {
                String[] r = words(ref, lowercase);
                int diff = Math.abs(hyp.length - r.length);
                if (closestDiff < 0 || diff < closestDiff) {
                    closestDiff = diff;
                    closestLen = r.length;
                } else if (diff == closestDiff && r.length < closestLen) {
                    closestLen = r.length;
                }
                for (Map.Entry<String, Integer> e : ngrams(r).entrySet()) {
                    refMax.merge(e.getKey(), e.getValue(), Math::max);
                }
            }
            lenHyp += hyp.length;
            lenRef += closestLen;
            for (Map.Entry<String, Integer> e : ngrams(hyp).entrySet()) {
                int n = e.getKey().split(" ", -1).length;
                total[n] += e.getValue();
                Integer rc = refMax.get(e.getKey());
                if (rc != null) {
                    correct[n] += Math.min(e.getValue(), rc);
                }
            }
        }
        double logSum = 0;
        for (int n = 1; n <= 4; n++) {
            if (total[n] == 0 || correct[n] == 0) {
                return 0.0;
            }
            logSum += Math.log(correct[n] / (double) total[n]);
        }
        double bp = lenHyp < lenRef ? Math.exp(1 - lenRef / (double) lenHyp) : 1;
        return 100 * bp * Math.exp(logSum / 4);
    }

    private static String[] words(String s, boolean lowercase) {
        String t = (lowercase ? s.toLowerCase(java.util.Locale.ROOT) : s).trim();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    private static Map<String, Integer> ngrams(String[] w) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < w.length; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = 1; n <= 4 && i + n <= w.length; n++) {
                if (n > 1) {
                    sb.append(' ');
                }
                sb.append(w[i + n - 1]);
                m.merge(sb.toString(), 1, Integer::sum);
            }
        }
        return m;
    }
}
