package org.adamix4j.modules;

import org.adamix4j.graphs.Layers;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Bottleneck non-linearities used by adapters. */
public enum Activation {
    /** Exact (erf) GELU: AdaMix's adapters. */
    GELU,
    /** x · sigmoid(x): Houlsby adapters in the reference. */
    SWISH,
    /** max(0, x): Pfeiffer adapters in the reference. */
    RELU;

    public SDVariable apply(SameDiff sd, SDVariable x) {
        return switch (this) {
            case GELU -> Layers.geluExact(sd, x);
            case SWISH -> x.mul(sd.nn.sigmoid(x));
            case RELU -> sd.nn.relu(x, 0);
        };
    }
}
