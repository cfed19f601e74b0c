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

    /** The arrays keyed by the standard BERT input names, ready to feed as placeholders. */
    public Map<String, INDArray> toInputs() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("input_ids", Nd4j.createFromArray(inputIds));
        m.put("attention_mask", Nd4j.createFromArray(attentionMask));
        m.put("token_type_ids", Nd4j.createFromArray(tokenTypeIds));
        return m;
    }
}
