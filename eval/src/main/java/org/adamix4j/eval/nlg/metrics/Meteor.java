package org.adamix4j.eval.nlg.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A METEOR variant: METEOR 1.5's scoring formula and English parameters, with exact and stem matching only.
 * <b>It is not METEOR 1.5</b> and does not reproduce the official E2E METEOR; {@code docs/nlg-metrics.md} gives the
 * measured difference on the E2E oracle.
 *
 * <p>What is implemented (Denkowski and Lavie 2014, "Meteor Universal"; English parameters of the {@code rank} task,
 * METEOR 1.5's default: alpha 0.85, beta 0.20, gamma 0.60, delta 0.75; module weights exact 1.0, stem 0.6):
 * <ul>
 *   <li>Text: {@link CocoTokenizer} tokens (the COCO pipeline tokenises and drops punctuation before METEOR), with
 *       METEOR's {@code -norm} rule of removing a dash inside a word ({@link #tokens}).</li>
 *   <li>Matches: exact word, else equal Snowball English stems ({@link EnglishStemmer}); one-to-one.</li>
 *   <li>Alignment: the largest number of matched words, then fewest chunks, then smallest summed distance, searched
 *       with a beam over hypothesis positions (METEOR's aligner also searches approximately).</li>
 *   <li>Weighted precision and recall: matched words weigh {@code w_module * (delta or 1-delta)} for content or
 *       function words, over the same weighting of all words; {@code Fmean = P R / (alpha P + (1-alpha) R)};
 *       fragmentation {@code frag = chunks / mean(matched hyp words, matched ref words)} (0 when everything matches
 *       in one chunk); penalty {@code gamma * frag^beta}; score {@code Fmean (1 - penalty)}.</li>
 *   <li>Several references: the statistics of the best-scoring reference. Corpus score: METEOR's aggregate, i.e.
 *       the formula applied to statistics summed over inputs (what METEOR's {@code EVAL} prints, which COCO
 *       reports).</li>
 * </ul>
 * Missing: WordNet synonym matching (weight 0.8) and the paraphrase table (0.6), which are not available here;
 * METEOR 1.5's own function-word list (a short list of English closed-class words written for this class stands in);
 * the rest of METEOR's {@code -norm} normalisation (it matters little after COCO's tokenisation). All of these make this variant score
 * lower (fewer matches) than METEOR 1.5.
 */
public final class Meteor {
    public static final double ALPHA = 0.85;
    public static final double BETA = 0.20;
    public static final double GAMMA = 0.60;
    public static final double DELTA = 0.75;
    public static final double W_EXACT = 1.0;
    public static final double W_STEM = 0.6;
    private static final int BEAM = 64;

    /** English closed-class words (articles, pronouns, prepositions, conjunctions, auxiliaries, determiners). */
    static final Set<String> FUNCTION_WORDS = Set.of(
            "a", "an", "the", "this", "that", "these", "those", "some", "any", "each", "every", "all", "both", "no",
            "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his", "she",
            "her", "hers", "it", "its", "they", "them", "their", "theirs", "who", "whom", "whose", "which", "what",
            "there", "here", "where", "when", "how", "why",
            "of", "in", "on", "at", "by", "for", "with", "from", "to", "into", "onto", "near", "about", "above",
            "below", "over", "under", "between", "among", "through", "during", "before", "after", "against",
            "without", "within", "along", "across", "behind", "beside", "besides", "around", "off", "out", "up",
            "down", "than", "as", "like", "per", "via",
            "and", "or", "but", "nor", "so", "yet", "if", "because", "while", "although", "though", "whereas",
            "is", "are", "was", "were", "be", "been", "being", "am", "'s", "'re", "'m", "do", "does", "did", "have",
            "has", "had", "'ve", "will", "would", "'ll", "'d", "shall", "should", "can", "could", "may", "might",
            "must", "not", "n't", "also", "too", "very", "just", "only", "then", "such");

    private Meteor() {
    }

    /** Sufficient statistics of one (hypothesis, reference) alignment; sums of them give the corpus score. */
    public record Stats(double hypWeightedMatches, double hypWeightedLength, double refWeightedMatches,
                        double refWeightedLength, int hypMatches, int refMatches, int hypLength, int refLength,
                        int chunks) {
        Stats plus(Stats o) {
            return new Stats(hypWeightedMatches + o.hypWeightedMatches, hypWeightedLength + o.hypWeightedLength,
                    refWeightedMatches + o.refWeightedMatches, refWeightedLength + o.refWeightedLength,
                    hypMatches + o.hypMatches, refMatches + o.refMatches, hypLength + o.hypLength,
                    refLength + o.refLength, chunks + o.chunks);
        }

        /** METEOR's score from these statistics. */
        public double score() {
            double p = hypWeightedLength == 0 ? 0 : hypWeightedMatches / hypWeightedLength;
            double r = refWeightedLength == 0 ? 0 : refWeightedMatches / refWeightedLength;
            if (p == 0 || r == 0) {
                return 0;
            }
            double fmean = p * r / (ALPHA * p + (1 - ALPHA) * r);
            double frag;
            if (hypMatches == hypLength && refMatches == refLength && chunks == 1) {
                frag = 0;
            } else {
                frag = chunks / ((hypMatches + refMatches) / 2.0);
            }
            return fmean * (1 - GAMMA * Math.pow(frag, BETA));
        }
    }

    private static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static final java.util.regex.Pattern INNER_DASH =
            java.util.regex.Pattern.compile("([\\p{L}\\p{Nd}.])-(?=[\\p{L}\\p{Nd}])");

    /**
     * The tokens METEOR aligns: {@link CocoTokenizer}'s, then the one rule of METEOR 1.5's {@code -norm} normaliser
     * that changes COCO-tokenised English: a dash between letters/digits (or after a dot) is removed, splitting the
     * word ({@code family-friendly} becomes {@code family friendly}), so that partial matches get credit.
     */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String t : CocoTokenizer.tokenize(text)) {
            if (t.indexOf('-') > 0) {
                for (String p : INNER_DASH.matcher(t).replaceAll("$1 ").split(" ")) {
                    if (!p.isEmpty()) {
                        out.add(p);
                    }
                }
            } else {
                out.add(t);
            }
        }
        return out;
    }

    /** Corpus score (METEOR's aggregate over inputs), raw text in. */
    public static double score(List<String> hypotheses, List<? extends List<String>> references) {
        Corpus.check("METEOR", hypotheses, references);
        Stats total = ZERO;
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> h = tokens(hypotheses.get(i));
            Stats best = null;
            for (String ref : references.get(i)) {
                Stats s = align(h, tokens(ref));
                if (best == null || s.score() > best.score()) {
                    best = s;
                }
            }
            total = total.plus(best);
        }
        return total.score();
    }

    private record State(long usedLo, long usedHi, int lastHyp, int lastRef, int matches, int chunks, int dist,
                         double wHyp, double wRef) {
        boolean used(int j) {
            return j < 64 ? (usedLo >>> j & 1) != 0 : (usedHi >>> (j - 64) & 1) != 0;
        }
    }

    /** Aligns tokenised hypothesis and reference and returns the statistics. */
    public static Stats align(List<String> hyp, List<String> ref) {
        if (ref.size() > 128) {
            ref = ref.subList(0, 128); // the bitset below holds 128 positions; references are sentences
        }
        double[] hypW = weights(hyp);
        double[] refW = weights(ref);
        List<String> hs = hyp.stream().map(EnglishStemmer::stem).toList();
        List<String> rs = ref.stream().map(EnglishStemmer::stem).toList();
        // candidate matches per hypothesis position: (ref position, module weight)
        List<List<double[]>> cand = new ArrayList<>();
        Map<String, List<Integer>> refPos = new HashMap<>();
        Map<String, List<Integer>> refStemPos = new HashMap<>();
        for (int j = 0; j < ref.size(); j++) {
            refPos.computeIfAbsent(ref.get(j), k -> new ArrayList<>()).add(j);
            refStemPos.computeIfAbsent(rs.get(j), k -> new ArrayList<>()).add(j);
        }
        for (int i = 0; i < hyp.size(); i++) {
            List<double[]> c = new ArrayList<>();
            for (int j : refPos.getOrDefault(hyp.get(i), List.of())) {
                c.add(new double[]{j, W_EXACT});
            }
            for (int j : refStemPos.getOrDefault(hs.get(i), List.of())) {
                if (!ref.get(j).equals(hyp.get(i))) {
                    c.add(new double[]{j, W_STEM});
                }
            }
            cand.add(c);
        }
        List<State> beam = new ArrayList<>();
        beam.add(new State(0, 0, -2, -2, 0, 0, 0, 0, 0));
        for (int i = 0; i < hyp.size(); i++) {
            List<State> next = new ArrayList<>();
            for (State s : beam) {
                next.add(s); // leave hypothesis word i unmatched
                for (double[] c : cand.get(i)) {
                    int j = (int) c[0];
                    if (s.used(j)) {
                        continue;
                    }
                    boolean continues = s.lastHyp == i - 1 && s.lastRef == j - 1;
                    long lo = j < 64 ? s.usedLo | (1L << j) : s.usedLo;
                    long hi = j >= 64 ? s.usedHi | (1L << (j - 64)) : s.usedHi;
                    next.add(new State(lo, hi, i, j, s.matches + 1, s.chunks + (continues ? 0 : 1),
                            s.dist + Math.abs(i - j), s.wHyp + c[1] * hypW[i], s.wRef + c[1] * refW[j]));
                }
            }
            next.sort(ORDER);
            beam = new ArrayList<>(next.subList(0, Math.min(BEAM, next.size())));
        }
        State best = beam.get(0);
        return new Stats(best.wHyp, sum(hypW), best.wRef, sum(refW), best.matches, best.matches, hyp.size(),
                ref.size(), best.chunks);
    }

    /** METEOR's preference: more matches, then fewer chunks, then smaller distance, then more weight. */
    private static final Comparator<State> ORDER = Comparator.comparingInt((State s) -> -s.matches)
            .thenComparingInt(State::chunks).thenComparingInt(State::dist)
            .thenComparingDouble(s -> -(s.wHyp + s.wRef));

    private static double[] weights(List<String> words) {
        double[] w = new double[words.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = FUNCTION_WORDS.contains(words.get(i)) ? 1 - DELTA : DELTA;
        }
        return w;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s;
    }
}
