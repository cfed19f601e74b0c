package org.adamix4j.eval;

import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.tokenize.TokenizedBatch;
import org.adamix4j.tokenize.TransformerTokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Sentence embeddings the way sentence-transformers computes them for all-MiniLM-L6-v2: mean of the
 * last hidden states over real tokens (attention mask 1), then L2 normalisation.
 */
public final class SentenceEmbedder {
    private final ImportedModel model;
    private final TransformerTokenizer tokenizer;

    public SentenceEmbedder(ImportedModel model, TransformerTokenizer tokenizer) {
        tokenizer.checkCompatible(model.structure());
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Unit-length embeddings, one row per sentence: [n, hidden]. */
    public INDArray embed(List<String> sentences) {
        TokenizedBatch batch = tokenizer.encode(sentences);
        String out = model.structure().output();
        INDArray hidden = model.sameDiff().output(batch.toInputs(), out).get(out);      // [n, len, d]
        org.adamix4j.graphs.SessionHygiene.afterExecution(model.sameDiff(), List.of(hidden)); // see SessionHygiene
        INDArray mask = Nd4j.createFromArray(batch.attentionMask()).castTo(DataType.FLOAT); // [n, len]
        INDArray summed = hidden.mul(mask.reshape(mask.size(0), mask.size(1), 1)).sum(1); // [n, d]
        INDArray mean = summed.diviColumnVector(mask.sum(1).reshape(-1, 1));
        return mean.diviColumnVector(mean.norm2(1).reshape(-1, 1));
    }

    /** Cosine similarity of two sentences. */
    public double similarity(String a, String b) {
        INDArray e = embed(List.of(a, b));
        return e.getRow(0).mul(e.getRow(1)).sumNumber().doubleValue();
    }
}
