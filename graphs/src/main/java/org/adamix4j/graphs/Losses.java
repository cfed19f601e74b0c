package org.adamix4j.graphs;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Losses written out in elementary ops. SameDiff 1.0.0-M2.1's fused losses are not usable here:
 * {@code sparseSoftmaxCrossEntropy}'s backward ignores the incoming gradient (the gradient of a mean
 * over a batch of B comes out B times too large, whatever reduction follows), and {@code logSoftmax}
 * fails when its gradient is built ("Error setting property ... LogSoftMax"). Both measured in
 * GradientCheckTest against finite differences.
 */
public final class Losses {
    private Losses() {
    }

    /** log softmax over the last axis of [batch, C], stabilised by subtracting the row max. */
    public static SDVariable logSoftmax(SameDiff sd, SDVariable logits) {
        SDVariable z = logits.sub(sd.max(logits, true, 1));
        return z.sub(sd.math.log(sd.sum(sd.math.exp(z), true, 1)));
    }

    /** Per-example cross-entropy [batch] of logits [batch, C] against int64 labels [batch]. */
    public static SDVariable crossEntropy(SameDiff sd, SDVariable logits, SDVariable labels, int numClasses) {
        SDVariable oneHot = sd.oneHot(labels, numClasses).castTo(DataType.FLOAT);
        return sd.math.neg(sd.sum(oneHot.mul(logSoftmax(sd, logits)), 1));
    }

    /**
     * ½[KL(sg(p2) ‖ p1) + KL(sg(p1) ‖ p2)] with p = softmax over the last axis of [batch, C], each KL
     * summed over classes and averaged over the batch; sg is a stop-gradient, so each pass is pulled
     * towards the other as a fixed target (the AdaMix reference detaches the target distribution).
     */
    public static SDVariable symmetricKl(SameDiff sd, SDVariable logits1, SDVariable logits2) {
        return sd.mean(symmetricKlPerRow(sd, logits1, logits2));
    }

    /** ½[KL(sg(p2) ‖ p1) + KL(sg(p1) ‖ p2)] per row [N] of logits [N, C] (see {@link #symmetricKl}). */
    public static SDVariable symmetricKlPerRow(SameDiff sd, SDVariable logits1, SDVariable logits2) {
        SDVariable logp1 = logSoftmax(sd, logits1);
        SDVariable logp2 = logSoftmax(sd, logits2);
        SDVariable target2 = stopGradient(sd, logp2);
        SDVariable target1 = stopGradient(sd, logp1);
        SDVariable kl12 = sd.sum(sd.math.exp(target2).mul(target2.sub(logp1)), 1);
        SDVariable kl21 = sd.sum(sd.math.exp(target1).mul(target1.sub(logp2)), 1);
        return kl12.add(kl21).mul(0.5);
    }

    /** x in the forward pass, no gradient in the backward pass. */
    public static SDVariable stopGradient(SameDiff sd, SDVariable x) {
        return new org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient(sd, x).outputVariable();
    }
}
