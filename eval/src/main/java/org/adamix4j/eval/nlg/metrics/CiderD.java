package org.adamix4j.eval.nlg.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D as the MS-COCO caption evaluation ({@code pycocoevalcap/cider}, class {@code CiderScorer}) computes it, the
 * "CIDEr" the E2E scorer prints.
 *
 * <ul>
 *   <li>Tokens: {@link CocoTokenizer}. N-grams of orders 1..4.</li>
 *   <li>Document frequency of an n-gram: the number of inputs of the <em>scored corpus</em> whose references (any of
 *       them) contain it; {@code log N} with N the number of inputs.</li>
 *   <li>Vectors per order: {@code tf(g) * (log N - log max(1, df(g)))} with raw counts as tf; norms per order.</li>
 *   <li>Similarity per order with one reference: {@code sum_g min(h_g, r_g) * r_g / (|h| |r|)} (the clipping of
 *       CIDEr-D; the division only when both norms are non-zero), times the Gaussian length penalty
 *       {@code exp(-(l_h - l_r)^2 / (2 * 6^2))}. The "length" is as coded in pycocoevalcap: the number of
 *       <em>bigrams</em> (its {@code if n == 1} tests the 0-based order index), not of words.</li>
 *   <li>Input score: mean over the 4 orders, summed over references, divided by the number of references, times
 *       10; corpus score: mean over inputs.</li>
 * </ul>
 */
public final class CiderD {
    private static final int N = 4;
    private static final double SIGMA = 6.0;

    private CiderD() {
    }

    /** Corpus CIDEr-D, raw text in, tokenised by {@link CocoTokenizer}. */
    public static double score(List<String> hypotheses, List<? extends List<String>> references) {
        Corpus.check("CIDEr", hypotheses, references);
        List<List<String>> hyps = hypotheses.stream().map(CocoTokenizer::tokenize).toList();
        List<List<List<String>>> refs = references.stream()
                .map(rs -> rs.stream().map(CocoTokenizer::tokenize).toList()).toList();
        return scoreTokens(hyps, refs);
    }

    /** Corpus CIDEr-D on tokenised text. */
    public static double scoreTokens(List<List<String>> hyps, List<List<List<String>>> refs) {
        List<Map<String, Integer>> hypCounts = new ArrayList<>();
        List<List<Map<String, Integer>>> refCounts = new ArrayList<>();
        Map<String, Integer> df = new HashMap<>();
        for (int i = 0; i < hyps.size(); i++) {
            hypCounts.add(ngrams(hyps.get(i)));
            List<Map<String, Integer>> rc = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (List<String> r : refs.get(i)) {
                Map<String, Integer> c = ngrams(r);
                rc.add(c);
                seen.addAll(c.keySet());
            }
            refCounts.add(rc);
            for (String g : seen) {
                df.merge(g, 1, Integer::sum);
            }
        }
        double logN = Math.log(hyps.size());
        double total = 0;
        for (int i = 0; i < hyps.size(); i++) {
            Vec h = vec(hypCounts.get(i), df, logN);
            double[] score = new double[N];
            for (Map<String, Integer> rc : refCounts.get(i)) {
                Vec r = vec(rc, df, logN);
                double delta = h.length - r.length;
                for (int n = 0; n < N; n++) {
                    double val = 0;
                    for (Map.Entry<String, Double> e : h.w.get(n).entrySet()) {
                        Double rw = r.w.get(n).get(e.getKey());
                        if (rw != null) {
                            val += Math.min(e.getValue(), rw) * rw;
                        }
                    }
                    if (h.norm[n] != 0 && r.norm[n] != 0) {
                        val /= h.norm[n] * r.norm[n];
                    }
                    score[n] += val * Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
                }
            }
            double mean = 0;
            for (double s : score) {
                mean += s;
            }
            mean /= N;
            total += mean / refCounts.get(i).size() * 10.0;
        }
        return total / hyps.size();
    }

    private record Vec(List<Map<String, Double>> w, double[] norm, double length) {
    }

    private static Vec vec(Map<String, Integer> counts, Map<String, Integer> df, double logN) {
        List<Map<String, Double>> w = new ArrayList<>();
        for (int n = 0; n < N; n++) {
            w.add(new HashMap<>());
        }
        double[] norm = new double[N];
        double length = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            int n = order(e.getKey()) - 1;
            double v = e.getValue() * (logN - Math.log(Math.max(1.0, df.getOrDefault(e.getKey(), 0))));
            w.get(n).put(e.getKey(), v);
            norm[n] += v * v;
            if (n == 1) {
                length += e.getValue();
            }
        }
        for (int n = 0; n < N; n++) {
            norm[n] = Math.sqrt(norm[n]);
        }
        return new Vec(w, norm, length);
    }

    /** N-grams of orders 1..4, joined by a space (tokens never contain one). */
    static Map<String, Integer> ngrams(List<String> words) {
        Map<String, Integer> m = new HashMap<>();
        for (int k = 1; k <= N; k++) {
            for (int i = 0; i + k <= words.size(); i++) {
                m.merge(String.join(" ", words.subList(i, i + k)), 1, Integer::sum);
            }
        }
        return m;
    }

    private static int order(String g) {
        int n = 1;
        for (int i = 0; i < g.length(); i++) {
            if (g.charAt(i) == ' ') {
                n++;
            }
        }
        return n;
    }
}
