package org.adamix4j.graphs;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

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
    public static final String TRAINING_LOSS = "consistency_training_loss";
    public static final String CONSISTENCY = "consistency";
    public static final List<String> PARAMETERS = List.of(DENSE_W, DENSE_B, OUT_W, OUT_B);

    private Heads() {
    }

    /** The parameters {@code head} creates: none for a causal LM, else {@link #PARAMETERS}. */
    public static List<String> parameters(TaskHead head) {
        return head.kind() == TaskHead.Kind.CAUSAL_LM ? List.of() : PARAMETERS;
    }

    /**
     * Adds the head reading {@code hidden} ([batch, seq, d]); returns the logits [batch, C]. For a causal
     * LM, {@code hidden} is already the model's logits [batch, seq, V] and becomes {@link #LOGITS} as is.
     */
    public static SDVariable attach(SameDiff sd, SDVariable hidden, long d, TaskHead head, Seeded init) {
        if (head.kind() == TaskHead.Kind.CAUSAL_LM) {
            // GPT-2 exports already name their output "logits".
            return hidden.name().equals(LOGITS) ? hidden : sd.identity(LOGITS, hidden);
        }
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
        if (head.kind() == TaskHead.Kind.CAUSAL_LM) {
            SDVariable labels = sd.placeHolder(LABELS, DataType.INT64, -1, -1);
            SDVariable[] perToken = tokenLosses(sd, logits, labels, head.numLabels());
            loss = maskedMean(sd, perToken[0], perToken[1]).rename(LOSS);
        } else if (head.kind() == TaskHead.Kind.CLASSIFICATION) {
            SDVariable labels = sd.placeHolder(LABELS, DataType.INT64, -1);
            loss = sd.mean(LOSS, Losses.crossEntropy(sd, logits, labels, head.numLabels()));
        } else {
            SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1);
            SDVariable err = logits.reshape(-1).sub(labels);
            loss = sd.mean(LOSS, err.mul(err));
        }
        return loss;
    }

    /**
     * Per-token cross-entropy [batch·seq] of LM logits [batch, seq, V] against next-token labels
     * [batch, seq] (int64; a negative label marks a position without loss: source tokens, padding),
     * and the float mask [batch·seq] of positions with a loss.
     */
    static SDVariable[] tokenLosses(SameDiff sd, SDVariable logits, SDVariable labels, int vocab) {
        SDVariable flatLabels = labels.reshape(-1);
        SDVariable valid = sd.gte(flatLabels, 0L).castTo(DataType.FLOAT);
        // Ignored positions read label 0 and are then weighted by 0.
        SDVariable safe = flatLabels.mul(valid.castTo(DataType.INT64));
        SDVariable ce = Losses.crossEntropy(sd, logits.reshape(-1, vocab), safe, vocab);
        return new SDVariable[]{ce, valid};
    }

    /** sum(values · mask) / max(sum(mask), 1). */
    static SDVariable maskedMean(SameDiff sd, SDVariable values, SDVariable mask) {
        return sd.sum(values.mul(mask)).div(sd.math.max(sd.sum(mask), sd.constant(Nd4j.scalar(1f))));
    }

    /**
     * AdaMix's token-level training loss for a causal LM over a batch of 2B rows holding two stochastic
     * passes of the same B sequences: masked token CE(pass 1, labels) + w · mean over target tokens of
     * ½[KL(sg(p2) ‖ p1) + KL(sg(p1) ‖ p2)], p = softmax over the vocabulary at each position. Labels are
     * [B, seq]; positions with a negative label (source, padding) contribute to neither term.
     */
    public static SDVariable attachLmConsistencyLoss(SameDiff sd, SDVariable logits, TaskHead head, double weight) {
        SDVariable labels = sd.getVariable(LABELS);
        int v = head.numLabels();
        SDVariable halves = logits.reshape(2, -1, v);
        SDVariable l1 = halves.get(SDIndex.point(0), SDIndex.all(), SDIndex.all());
        SDVariable l2 = halves.get(SDIndex.point(1), SDIndex.all(), SDIndex.all());
        SDVariable[] ce = tokenLosses(sd, l1, labels, v);
        SDVariable task = maskedMean(sd, ce[0], ce[1]);
        SDVariable consistency = maskedMean(sd, Losses.symmetricKlPerRow(sd, l1, l2), ce[1]).rename(CONSISTENCY);
        return task.add(TRAINING_LOSS, consistency.mul(weight));
    }

    /**
     * AdaMix's training loss over a batch of 2B rows holding two stochastic passes of the same B
     * examples: CE(pass 1, labels) + w · ½[KL(sg(p2) ‖ p1) + KL(sg(p1) ‖ p2)], p = softmax(logits), KL
     * summed over classes and averaged over the batch ("batchmean"), sg = stop-gradient. Labels are
     * [B]. For a one-output regression head the softmax KL is identically zero (as in the reference);
     * with {@code mseOnRegression} the term is w · mean((y1 - y2)²) instead.
     */
    public static SDVariable attachConsistencyLoss(SameDiff sd, SDVariable logits, TaskHead head, double weight,
                                                   boolean mseOnRegression) {
        SDVariable labels = sd.getVariable(LABELS);
        SDVariable halves = logits.reshape(2, -1, head.numLabels());
        SDVariable l1 = halves.get(SDIndex.point(0), SDIndex.all(), SDIndex.all());
        SDVariable l2 = halves.get(SDIndex.point(1), SDIndex.all(), SDIndex.all());
        SDVariable task;
        SDVariable consistency;
        if (head.kind() == TaskHead.Kind.CLASSIFICATION) {
            task = sd.mean(Losses.crossEntropy(sd, l1, labels, head.numLabels()));
            consistency = Losses.symmetricKl(sd, l1, l2);
        } else {
            SDVariable y1 = l1.reshape(-1);
            SDVariable err = y1.sub(labels);
            task = sd.mean(err.mul(err));
            SDVariable d = y1.sub(l2.reshape(-1));
            consistency = mseOnRegression ? sd.mean(d.mul(d)) : sd.constant(Nd4j.scalar(0f));
        }
        consistency = consistency.rename(CONSISTENCY);
        return task.add(TRAINING_LOSS, consistency.mul(weight));
    }
}
