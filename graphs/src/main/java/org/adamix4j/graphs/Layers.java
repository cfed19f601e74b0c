package org.adamix4j.graphs;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/** Building blocks for module sub-graphs on [batch, sequence, features] activations. */
public final class Layers {
    private Layers() {
    }

    /**
     * {@code x @ w (+ b)} for x of shape [batch, seq, in] and w of shape [in, out]. SameDiff's matmul
     * does not broadcast rank 3 × rank 2, so x is flattened to [batch·seq, in] and the result reshaped
     * back to [batch, seq, out].
     */
    public static SDVariable linear(SameDiff sd, SDVariable x, SDVariable w, SDVariable b) {
        long in = w.getShape()[0];
        long out = w.getShape()[1];
        SDVariable flat = x.reshape(-1, in);
        SDVariable y = flat.mmul(w);
        if (b != null) y = y.add(b);
        return y.reshape(leadingDims(sd, x, out));
    }

    /** The shape [x.shape[0], x.shape[1], last] as a variable, for reshaping back to rank 3. */
    public static SDVariable leadingDims(SameDiff sd, SDVariable x, long last) {
        SDVariable lead = sd.slice(x.shape(), new int[]{0}, new int[]{2});
        return sd.concat(0, lead, sd.constant(Nd4j.createFromArray(last)));
    }

    /** Exact (erf) GELU: 0.5 · x · (1 + erf(x / √2)), as BERT and the AdaMix reference use. */
    public static SDVariable geluExact(SameDiff sd, SDVariable x) {
        return x.mul(0.5).mul(sd.math.erf(x.div(Math.sqrt(2.0))).add(1.0));
    }
}
