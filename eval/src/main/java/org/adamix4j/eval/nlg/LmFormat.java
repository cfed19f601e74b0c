package org.adamix4j.eval.nlg;

import org.adamix4j.tokenize.CausalLmTokenizer;
import org.adamix4j.tokenize.TokenizedBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a data-to-text pair becomes one causal-LM sequence, as in the LoRA/AdaMix GPT-2 code:
 * {@code tokens(source + separator) ++ tokens(" " + target) ++ [EOS]}. The model reads the sequence
 * without its last token and is trained to predict the next token at every position; only
 * predictions of target tokens and of the EOS carry a loss (the source and the separator are context).
 *
 * @param separator text appended to the source, marking where the target starts (default {@code " ||"})
 * @param maxLength longest sequence (prompt + target + EOS) in tokens; longer ones lose target tokens
 *                  from the end, and a prompt alone longer than this loses tokens from its start
 */
public record LmFormat(String separator, int maxLength) {
    /** The separator of the LoRA/AdaMix E2E, WebNLG and DART data ({@code "mr || ref"}). */
    public static final String SEPARATOR = " ||";

    public LmFormat {
        if (separator == null || separator.isBlank()) throw new IllegalArgumentException("separator must be non-blank");
        if (maxLength < 4) throw new IllegalArgumentException("maxLength must be >= 4, got " + maxLength);
    }

    public static LmFormat standard(int maxLength) {
        return new LmFormat(SEPARATOR, maxLength);
    }

    /** One tokenized training sequence; {@code targetStart} is the index of the first target token. */
    public record Sequence(long[] ids, int targetStart) {
    }

    /** The prompt of {@code source} (what decoding continues), truncated from the start to leave room. */
    public long[] prompt(CausalLmTokenizer tok, String source) {
        long[] p = tok.encode(source + separator);
        int keep = maxLength - 1;
        return p.length <= keep ? p : Arrays.copyOfRange(p, p.length - keep, p.length);
    }

    /** The training sequence of {@code source} and one reference. */
    public Sequence sequence(CausalLmTokenizer tok, String source, String target) {
        long[] p = prompt(tok, source);
        long[] t = tok.encode(" " + target.strip());
        int room = maxLength - p.length - 1;
        int n = Math.min(t.length, room);
        long[] ids = new long[p.length + n + 1];
        System.arraycopy(p, 0, ids, 0, p.length);
        System.arraycopy(t, 0, ids, p.length, n);
        ids[ids.length - 1] = tok.eosId();
        return new Sequence(ids, p.length);
    }

    /** One sequence per (source, reference) pair of {@code data}. */
    public List<Sequence> sequences(CausalLmTokenizer tok, List<DataToText> data) {
        List<Sequence> out = new ArrayList<>();
        for (DataToText d : data) {
            if (d.references().isEmpty()) {
                throw new IllegalArgumentException("training input '" + d.source() + "' has no reference text");
            }
            for (String r : d.references()) out.add(sequence(tok, d.source(), r));
        }
        return out;
    }

    /**
     * A right-padded batch and its next-token labels [B, T] (−1 where there is no loss). Row i reads
     * ids[0 .. n−2] and predicts ids[1 .. n−1]; labels before the first target token are −1. Padding
     * (id 0) sits after each row's last token: under the causal mask no real token sees it.
     */
    public static Batch batch(List<Sequence> seqs) {
        int len = 0;
        for (Sequence s : seqs) len = Math.max(len, s.ids().length - 1);
        long[][] in = new long[seqs.size()][len];
        long[][] mask = new long[seqs.size()][len];
        long[][] labels = new long[seqs.size()][len];
        for (int i = 0; i < seqs.size(); i++) {
            Sequence s = seqs.get(i);
            Arrays.fill(labels[i], -1);
            for (int j = 0; j < s.ids().length - 1; j++) {
                in[i][j] = s.ids()[j];
                mask[i][j] = 1;
                if (j + 1 >= s.targetStart()) labels[i][j] = s.ids()[j + 1];
            }
        }
        return new Batch(new TokenizedBatch(in, mask, new long[seqs.size()][len]), labels);
    }

    /** Model inputs and next-token labels of one batch. */
    public record Batch(TokenizedBatch inputs, long[][] labels) {
    }
}
