package org.adamix4j.tokenize;

import java.util.List;

/**
 * One tokenized text (or pair), unpadded: token ids and token type ids. Tokenize a data set once,
 * then pad each batch to its own longest sequence with {@link #pad}.
 */
public record EncodedText(long[] ids, long[] typeIds) {
    public EncodedText {
        if (ids.length != typeIds.length) {
            throw new IllegalArgumentException("ids and type ids differ in length: " + ids.length + " vs " + typeIds.length);
        }
    }

    public int length() {
        return ids.length;
    }

    /** A batch padded (id 0, mask 0) to its longest member. */
    public static TokenizedBatch pad(List<EncodedText> texts) {
        int len = 0;
        for (EncodedText t : texts) len = Math.max(len, t.length());
        long[][] ids = new long[texts.size()][len];
        long[][] mask = new long[texts.size()][len];
        long[][] types = new long[texts.size()][len];
        for (int i = 0; i < texts.size(); i++) {
            EncodedText t = texts.get(i);
            System.arraycopy(t.ids, 0, ids[i], 0, t.length());
            System.arraycopy(t.typeIds, 0, types[i], 0, t.length());
            for (int j = 0; j < t.length(); j++) mask[i][j] = 1;
        }
        return new TokenizedBatch(ids, mask, types);
    }
}
