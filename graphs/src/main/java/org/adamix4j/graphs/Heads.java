package org.adamix4j.graphs;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

/**
 * Attaches a task head and its loss. The head follows RoBERTa's classification head, since the
 * exported encoders carry no pooler: [CLS] state → dense d×d → tanh → dense d×C. Weights N(0, 0.02),
 * biases zero, as BERT initialises them.
 */
public final class Heads {
    /** Variable names the head creates. */
    public static final String DENSE_W = "head/dense/W";
    public static final String DENSE_B = "head/dense/b";
    public static final String OUT_W = "head/out/W";
    public static final String OUT_B = "head/out/b";
    public static final String LOGITS = "logits";
    public static final String LABELS = "labels";
    public static final String LOSS = "loss";
    public static final List<String> PARAMETERS = List.of(DENSE_W, DENSE_B, OUT_W, OUT_B);

    private Heads() {
    }

    /** Adds the head reading {@code hidden} ([batch, seq, d]); returns the logits [batch, C]. */
    public static SDVariable attach(SameDiff sd, SDVariable hidden, long d, TaskHead head, Seeded init) {
        SDVariable cls = hidden.get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
        SDVariable wd = sd.var(DENSE_W, init.normal(DENSE_W, 0.02, d, d));
        SDVariable bd = sd.var(DENSE_B, Seeded.zeros(d));
        SDVariable wo = sd.var(OUT_W, init.normal(OUT_W, 0.02, d, head.numLabels()));
        SDVariable bo = sd.var(OUT_B, Seeded.zeros(head.numLabels()));
        SDVariable pooled = sd.math.tanh(cls.mmul(wd).add(bd));
        return pooled.mmul(wo).add(LOGITS, bo);
    }

    /**
     * Adds the label placeholder and the mean loss: cross-entropy over classes (int64 labels [batch])
     * or squared error (float labels [batch]).
     */
    public static SDVariable attachLoss(SameDiff sd, SDVariable logits, TaskHead head) {
        SDVariable loss;
        if (head.kind() == TaskHead.Kind.CLASSIFICATION) {
            SDVariable labels = sd.placeHolder(LABELS, DataType.INT64, -1);
            loss = sd.mean(LOSS, Losses.crossEntropy(sd, logits, labels, head.numLabels()));
        } else {
            SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1);
            SDVariable err = logits.reshape(-1).sub(labels);
            loss = sd.mean(LOSS, err.mul(err));
        }
        sd.setLossVariables(loss);
        return loss;
    }
}
