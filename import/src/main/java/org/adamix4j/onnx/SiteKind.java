package org.adamix4j.onnx;

/** The places of a transformer layer that adaptation methods attach to. */
public enum SiteKind {
    /** Attention query projection (d → d). */
    QUERY,
    /** Attention key projection (d → d). */
    KEY,
    /** Attention value projection (d → d). */
    VALUE,
    /** Attention output projection (d → d), before the residual add and LayerNorm. */
    ATTENTION_OUTPUT,
    /** FFN up projection (d → 4d), before the activation. */
    INTERMEDIATE,
    /** FFN down projection (4d → d), before the residual add and LayerNorm. */
    OUTPUT,
    /** LayerNorm after the attention block. */
    ATTENTION_LAYER_NORM,
    /** LayerNorm after the FFN block (the layer's output). */
    OUTPUT_LAYER_NORM;

    /** True for the linear projections (sites with a weight matrix). */
    public boolean isProjection() {
        return this != ATTENTION_LAYER_NORM && this != OUTPUT_LAYER_NORM;
    }
}
