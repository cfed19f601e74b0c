package org.adamix4j.eval.nlg.metrics;

import java.util.List;

/**
 * ROUGE-L as the MS-COCO caption evaluation ({@code pycocoevalcap/rouge/rouge.py}) computes it, which the E2E scorer
 * reports.
 *
 * <p>Per input: for every reference, LCS length over tokens; precision {@code lcs/|hyp|} and recall {@code lcs/|ref|};
 * take the maximum precision and the maximum recall over the references separately (they may come from different
 * references), then {@code F = (1 + b^2) P R / (R + b^2 P)} with {@code b = 1.2}, 0 when P or R is 0. The corpus score
 * is the mean over inputs. Tokens are {@link CocoTokenizer}'s (the COCO pipeline tokenises with PTBTokenizer first).
 * An empty hypothesis scores 0 for its input.
 */
public final class RougeL {
    /** COCO's beta. */
    public static final double BETA = 1.2;

    private RougeL() {
    }

    /** Corpus ROUGE-L (mean of per-input F), raw text in, tokenised by {@link CocoTokenizer}. */
    public static double score(List<String> hypotheses, List<? extends List<String>> references) {
        Corpus.check("ROUGE-L", hypotheses, references);
        double sum = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> hyp = CocoTokenizer.tokenize(hypotheses.get(i));
            sum += sentence(hyp, references.get(i).stream().map(CocoTokenizer::tokenize).toList());
        }
        return sum / hypotheses.size();
    }

    /** COCO's per-input ROUGE-L on already tokenised text. */
    public static double sentence(List<String> hyp, List<List<String>> refs) {
        if (hyp.isEmpty()) {
            return 0;
        }
        double pMax = 0;
        double rMax = 0;
        for (List<String> ref : refs) {
            if (ref.isEmpty()) {
                continue;
            }
            int lcs = lcs(ref, hyp);
            pMax = Math.max(pMax, lcs / (double) hyp.size());
            rMax = Math.max(rMax, lcs / (double) ref.size());
        }
        if (pMax == 0 || rMax == 0) {
            return 0;
        }
        return (1 + BETA * BETA) * pMax * rMax / (rMax + BETA * BETA * pMax);
    }

    /** Length of the longest common subsequence of two token lists. */
    static int lcs(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        int[] cur = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = a.get(i - 1).equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.size()];
    }
}
