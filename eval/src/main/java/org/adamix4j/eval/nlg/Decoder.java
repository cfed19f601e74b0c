package org.adamix4j.eval.nlg;

import org.adamix4j.modules.PeftModel;
import org.adamix4j.tokenize.TokenizedBatch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Greedy and beam search over a causal LM, batched: every step runs the live sequences of all inputs
 * (all beams of all inputs, in chunks of {@code maxRows}) through the model once.
 *
 * <p>There is no key/value cache: each step re-runs the whole prefix, so generating n tokens costs
 * n full forward passes (quadratic in the length). Rows are right-padded and each row's next-token
 * distribution is read at its own last position, which the causal mask keeps independent of the
 * padding, so inputs of different lengths batch together without an attention mask.
 *
 * <p>Beam search follows Hugging Face's {@code BeamSearchScorer} with {@code early_stopping=True}: at each
 * step the 2K best continuations of an input's K beams are ranked; an EOS among the first K ends a
 * hypothesis (score sum(log p) / generated^lengthPenalty, EOS counted), the others refill the K beams;
 * an input is done once K hypotheses have ended, or at {@code maxNewTokens} (live beams then end too).
 * With K = 1 this is exactly greedy search.
 */
public final class Decoder {
    private final Function<List<long[]>, List<double[]>> nextLogits;
    private final long eosId;

    /**
     * @param nextLogits for sequences, the logits of the token after each one's last token
     * @param eosId      the end-of-text token
     */
    public Decoder(Function<List<long[]>, List<double[]>> nextLogits, long eosId) {
        this.nextLogits = nextLogits;
        this.eosId = eosId;
    }

    /** A decoder over {@code model} (at inference: no dropout, AdaMix experts averaged or merged). */
    public static Decoder of(PeftModel model, long eosId, int maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        return new Decoder(seqs -> {
            List<double[]> out = new ArrayList<>(seqs.size());
            for (int from = 0; from < seqs.size(); from += maxRows) {
                List<long[]> chunk = seqs.subList(from, Math.min(seqs.size(), from + maxRows));
                INDArray logits = model.logits(rightPadded(chunk));
                for (int i = 0; i < chunk.size(); i++) {
                    INDArray row = logits.get(NDArrayIndex.point(i), NDArrayIndex.point(chunk.get(i).length - 1), NDArrayIndex.all());
                    out.add(row.toDoubleVector());
                }
            }
            return out;
        }, eosId);
    }

    /** Sequences right-padded with id 0 into one batch (mask 1 on tokens). */
    public static TokenizedBatch rightPadded(List<long[]> seqs) {
        int len = seqs.stream().mapToInt(s -> s.length).max().orElse(0);
        long[][] ids = new long[seqs.size()][len];
        long[][] mask = new long[seqs.size()][len];
        for (int i = 0; i < seqs.size(); i++) {
            System.arraycopy(seqs.get(i), 0, ids[i], 0, seqs.get(i).length);
            Arrays.fill(mask[i], 0, seqs.get(i).length, 1);
        }
        return new TokenizedBatch(ids, mask, new long[seqs.size()][len]);
    }

    /** The generated tokens (without the EOS) for each prompt. */
    public List<long[]> generate(List<long[]> prompts, DecodingConfig config) {
        for (long[] p : prompts) if (p.length == 0) throw new IllegalArgumentException("a prompt must hold at least one token");
        return config.beamSize() == 1 ? greedy(prompts, config) : beam(prompts, config);
    }

    private List<long[]> greedy(List<long[]> prompts, DecodingConfig c) {
        List<long[]> seqs = new ArrayList<>(prompts);
        boolean[] done = new boolean[prompts.size()];
        for (int step = 0; step < c.maxNewTokens(); step++) {
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < seqs.size(); i++) if (!done[i]) live.add(i);
            if (live.isEmpty()) break;
            List<double[]> logits = nextLogits.apply(live.stream().map(seqs::get).toList());
            for (int k = 0; k < live.size(); k++) {
                int i = live.get(k);
                double[] l = logits.get(k);
                ban(l, seqs.get(i), c.noRepeatNgramSize());
                int best = 0;
                for (int v = 1; v < l.length; v++) if (l[v] > l[best]) best = v;
                if (best == eosId) done[i] = true;
                else seqs.set(i, append(seqs.get(i), best));
            }
        }
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) out.add(Arrays.copyOfRange(seqs.get(i), prompts.get(i).length, seqs.get(i).length));
        return out;
    }

    private record Beam(long[] seq, double score) {
    }

    private record Hypothesis(long[] generated, double score) {
    }

    private record Candidate(int beam, int token, double score) {
    }

    private List<long[]> beam(List<long[]> prompts, DecodingConfig c) {
        int k = c.beamSize();
        List<List<Beam>> beams = new ArrayList<>();
        List<List<Hypothesis>> ended = new ArrayList<>();
        for (long[] p : prompts) {
            beams.add(new ArrayList<>(List.of(new Beam(p, 0))));
            ended.add(new ArrayList<>());
        }
        for (int step = 0; step < c.maxNewTokens(); step++) {
            List<long[]> rows = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) if (ended.get(i).size() < k) for (Beam b : beams.get(i)) rows.add(b.seq());
            if (rows.isEmpty()) break;
            List<double[]> logits = nextLogits.apply(rows);
            int row = 0;
            for (int i = 0; i < prompts.size(); i++) {
                if (ended.get(i).size() >= k) continue;
                List<Beam> current = beams.get(i);
                List<Candidate> cands = new ArrayList<>();
                for (int b = 0; b < current.size(); b++) {
                    double[] lp = logSoftmax(logits.get(row++));
                    ban(lp, current.get(b).seq(), c.noRepeatNgramSize());
                    for (int v : topK(lp, 2 * k)) cands.add(new Candidate(b, v, current.get(b).score() + lp[v]));
                }
                cands.sort(Comparator.comparingDouble(Candidate::score).reversed()
                        .thenComparingInt(Candidate::beam).thenComparingInt(Candidate::token));
                List<Beam> next = new ArrayList<>();
                int generated = step + 1;
                for (int rank = 0; rank < cands.size() && next.size() < k; rank++) {
                    Candidate cand = cands.get(rank);
                    if (cand.score() == Double.NEGATIVE_INFINITY) break;
                    long[] seq = current.get(cand.beam()).seq();
                    if (cand.token() == eosId) {
                        if (rank < k) {
                            ended.get(i).add(new Hypothesis(Arrays.copyOfRange(seq, prompts.get(i).length, seq.length),
                                    cand.score() / Math.pow(generated, c.lengthPenalty())));
                        }
                    } else {
                        next.add(new Beam(append(seq, cand.token()), cand.score()));
                    }
                }
                beams.set(i, next);
                if (next.isEmpty() && ended.get(i).isEmpty()) {
                    throw new IllegalStateException("beam search ran out of candidates for input " + i);
                }
            }
        }
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            List<Hypothesis> hyps = new ArrayList<>(ended.get(i));
            if (hyps.size() < k) {
                // Out of steps: live beams end here (no EOS was generated).
                for (Beam b : beams.get(i)) {
                    long[] gen = Arrays.copyOfRange(b.seq(), prompts.get(i).length, b.seq().length);
                    hyps.add(new Hypothesis(gen, b.score() / Math.pow(Math.max(1, gen.length), c.lengthPenalty())));
                }
            }
            Hypothesis best = hyps.get(0);
            for (Hypothesis h : hyps) if (h.score() > best.score()) best = h;
            out.add(best.generated());
        }
        return out;
    }

    /**
     * Sets to −∞ every token that would complete an n-gram already present in {@code seq} (Hugging
     * Face's {@code no_repeat_ngram_size}, over prompt and output).
     */
    static void ban(double[] scores, long[] seq, int n) {
        if (n <= 0 || seq.length + 1 < n) return;
        int len = seq.length;
        Set<Long> banned = new HashSet<>();
        for (int start = 0; start + n <= len; start++) {
            boolean match = true;
            for (int j = 0; j < n - 1 && match; j++) match = seq[start + j] == seq[len - n + 1 + j];
            if (match) banned.add(seq[start + n - 1]);
        }
        for (long t : banned) scores[(int) t] = Double.NEGATIVE_INFINITY;
    }

    static double[] logSoftmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) max = Math.max(max, v);
        double sum = 0;
        for (double v : logits) sum += Math.exp(v - max);
        double lse = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < out.length; i++) out[i] = logits[i] - lse;
        return out;
    }

    /** Indices of the {@code k} largest values, largest first (ties: smaller index first). */
    static int[] topK(double[] v, int k) {
        k = Math.min(k, v.length);
        int[] best = new int[k];
        double[] vals = new double[k];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (n == k && !(v[i] > vals[k - 1])) continue;
            int at = n < k ? n++ : k - 1;
            while (at > 0 && v[i] > vals[at - 1]) {
                vals[at] = vals[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            vals[at] = v[i];
            best[at] = i;
        }
        return Arrays.copyOf(best, n);
    }

    private static long[] append(long[] seq, long token) {
        long[] out = Arrays.copyOf(seq, seq.length + 1);
        out[seq.length] = token;
        return out;
    }
}
