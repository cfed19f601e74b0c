package org.adamix4j.eval.nlg.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sufficient statistics of NIST {@code mteval-v13a.pl} ({@code score_segment} summed over a corpus), shared by
 * {@link MtevalBleu} and {@link Nist}, with the E2E scorer's handling of a varying number of references.
 *
 * <p>The E2E scorer pads reference sets to the largest reference count with empty segments. Two rules for those were
 * established on the oracles (docs/nlg-metrics.md): empty segments are no candidate for BLEU's closest reference
 * length (with them, BLEU of the shortest dev oracle output is 0.6666 instead of the printed 0.6637), and NIST's
 * average reference length is the total reference words divided by the <em>mean number of non-empty references per
 * input</em> (that gives TGen's published test NIST 8.6094 through a length ratio of 0.9981; dividing by the largest
 * count, 45, would give 8.6095).
 */
final class Mteval {
    /**
     * Largest n-gram order kept. mteval-v13a collects up to 9-grams, but BLEU reads orders 1..4 and NIST 1..5, and the
     * information weight of an n-gram needs only the counts of orders n and n-1, so 5 gives identical scores.
     */
    static final int MAX_N = 5;

    /** Mean number of non-empty references per input (NIST's divisor of the total reference words). */
    final double refsPerInput;
    final long[] match = new long[MAX_N + 1];
    final long[] tstCount = new long[MAX_N + 1];
    final long[] refCount = new long[MAX_N + 1];
    final double[] tstInfo = new double[MAX_N + 1];
    long refLength;

    private Mteval(double refsPerInput) {
        this.refsPerInput = refsPerInput;
    }

    /**
     * Tokenises with {@link MtevalTokenizer} and accumulates mteval's statistics.
     *
     * @param withInfo whether to compute NIST information weights (costly; BLEU does not need them)
     */
    static Mteval collect(String metric, List<String> hypotheses, List<? extends List<String>> references,
                          boolean preserveCase, boolean withInfo) {
        Corpus.check(metric, hypotheses, references);
        List<List<String>> tst = new ArrayList<>();
        List<List<List<String>>> ref = new ArrayList<>();
        long nonEmpty = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            tst.add(MtevalTokenizer.tokenize(hypotheses.get(i), preserveCase));
            List<List<String>> rs = new ArrayList<>();
            for (String r : references.get(i)) {
                List<String> t = MtevalTokenizer.tokenize(r, preserveCase);
                rs.add(t);
                nonEmpty += t.isEmpty() ? 0 : 1;
            }
            ref.add(rs);
        }
        Map<String, Double> info = withInfo ? ngramInfo(ref) : Map.of();
        Mteval m = new Mteval(nonEmpty / (double) hypotheses.size());
        for (int i = 0; i < tst.size(); i++) {
            m.segment(tst.get(i), ref.get(i), info);
        }
        return m;
    }

    private void segment(List<String> tst, List<List<String>> refs, Map<String, Double> info) {
        Map<String, Integer> tstNgrams = ngrams(tst);
        for (int j = 1; j <= MAX_N; j++) {
            tstCount[j] += j <= tst.size() ? tst.size() - j + 1 : 0;
        }
        Map<String, Integer> refMax = new HashMap<>();
        int best = -1;
        for (List<String> r : refs) {
            for (Map.Entry<String, Integer> e : ngrams(r).entrySet()) {
                refMax.merge(e.getKey(), e.getValue(), Math::max);
            }
            for (int j = 1; j <= MAX_N; j++) {
                refCount[j] += j <= r.size() ? r.size() - j + 1 : 0;
            }
            if (r.isEmpty()) {
                continue; // no candidate length (see the class comment)
            }
            // Closest length; ties go to the shorter reference (mteval's two conditions).
            int d = Math.abs(tst.size() - r.size());
            if (best < 0 || Math.abs(tst.size() - best) > d
                    || (Math.abs(tst.size() - best) == d && best > r.size())) {
                best = r.size();
            }
        }
        refLength += Math.max(best, 0);
        for (Map.Entry<String, Integer> e : tstNgrams.entrySet()) {
            Integer rc = refMax.get(e.getKey());
            if (rc == null) {
                continue;
            }
            int n = order(e.getKey());
            int count = Math.min(e.getValue(), rc);
            match[n] += count;
            if (!info.isEmpty()) {
                tstInfo[n] += info.get(e.getKey()) * count;
            }
        }
    }

    /** mteval's {@code compute_ngram_info}: {@code -log2(count(w1..wn) / count(w1..wn-1))}, unigrams over all words. */
    private static Map<String, Double> ngramInfo(List<List<List<String>>> refs) {
        Map<String, Integer> counts = new HashMap<>();
        long totalWords = 0;
        for (List<List<String>> rs : refs) {
            for (List<String> r : rs) {
                totalWords += r.size();
                for (Map.Entry<String, Integer> e : ngrams(r).entrySet()) {
                    counts.merge(e.getKey(), e.getValue(), Integer::sum);
                }
            }
        }
        Map<String, Double> info = new HashMap<>(counts.size() * 2);
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            String ngram = e.getKey();
            int cut = ngram.lastIndexOf(' ');
            String prefix = cut < 0 ? "" : ngram.substring(0, cut);
            // Perl's truth test: a prefix that is the string "0" counts as absent, so the n-gram is scored like a
            // unigram against the total word count. Kept for bit-compatibility with mteval.
            boolean hasPrefix = !prefix.isEmpty() && !prefix.equals("0");
            double ratio = hasPrefix ? e.getValue() / (double) counts.get(prefix) : e.getValue() / (double) totalWords;
            info.put(ngram, -Math.log(ratio) / Math.log(2));
        }
        return info;
    }

    /** All n-grams of orders 1..{@link #MAX_N} as space-joined strings with their counts (mteval's Words2Ngrams). */
    static Map<String, Integer> ngrams(List<String> words) {
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < MAX_N && i + j < words.size(); j++) {
                if (j > 0) {
                    sb.append(' ');
                }
                sb.append(words.get(i + j));
                count.merge(sb.toString(), 1, Integer::sum);
            }
        }
        return count;
    }

    private static int order(String ngram) {
        int n = 1;
        for (int i = 0; i < ngram.length(); i++) {
            if (ngram.charAt(i) == ' ') {
                n++;
            }
        }
        return n;
    }
}
