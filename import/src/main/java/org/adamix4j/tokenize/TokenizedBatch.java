package org.adamix4j.tokenize;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A batch of token ids padded to its longest sequence, with attention mask and token type ids
 * (all [batch, length], int64, padding id 0 and mask 0 on padding).
 */
public record TokenizedBatch(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds) {

    public int size() {
        return inputIds.length;
    }

    /** Padded sequence length. */
    public int length() {
        return inputIds.length == 0 ? 0 : inputIds[0].length;
    }

    /** The batch stacked {@code times} times along the batch axis (rows [0, B), [B, 2B), ...). */
    public TokenizedBatch repeated(int times) {
        if (times < 1) throw new IllegalArgumentException("times must be >= 1, got " + times);
        return new TokenizedBatch(stack(inputIds, times), stack(attentionMask, times), stack(tokenTypeIds, times));
    }

    private static long[][] stack(long[][] rows, int times) {
        long[][] out = new long[rows.length * times][];
        for (int t = 0; t < times; t++)
            for (int i = 0; i < rows.length; i++) out[t * rows.length + i] = rows[i].clone();
        return out;
    }

    /** The first {@code rows} rows, cut to their first {@code length} tokens. */
    public TokenizedBatch head(int rows, int length) {
        if (rows < 1 || rows > size() || length < 1 || length > length()) {
            throw new IllegalArgumentException("head(" + rows + ", " + length + ") of a " + size() + " x " + length() + " batch");
        }
        return new TokenizedBatch(cut(inputIds, rows, length), cut(attentionMask, rows, length), cut(tokenTypeIds, rows, length));
    }

    private static long[][] cut(long[][] a, int rows, int length) {
        long[][] out = new long[rows][];
        for (int i = 0; i < rows; i++) out[i] = java.util.Arrays.copyOf(a[i], length);
        return out;
    }

    /** The arrays keyed by the standard BERT input names, ready to feed as placeholders. */
    public Map<String, INDArray> toInputs() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("input_ids", Nd4j.createFromArray(inputIds));
        m.put("attention_mask", Nd4j.createFromArray(attentionMask));
        m.put("token_type_ids", Nd4j.createFromArray(tokenTypeIds));
        return m;
    }
}
