package org.adamix4j.onnx;

/**
 * One site of the imported graph: where it is (layer, kind), the SameDiff variables that carry its
 * input and output, and its frozen parameters.
 *
 * @param kind   what the site is
 * @param layer  0-based transformer layer
 * @param node   name of the ONNX node that identifies the site (the MatMul for projections, the last
 *               node of the LayerNorm for norms)
 * @param input  variable read by the site (for a projection: the activations it multiplies)
 * @param output variable the site produces (for a projection: after the bias is added); adapters
 *               splice in by rewiring the consumers of this variable
 * @param weight the projection matrix [in, out] or the LayerNorm scale
 * @param bias   the projection or LayerNorm bias, or null if it has none
 * @param columnOffset first column of {@code weight} (and element of {@code bias}) that belongs to this
 *               site: 0 unless the projection is one block of a fused matrix (GPT-2's c_attn holds
 *               q | k | v side by side in [d, 3d])
 * @param columnCount number of columns of {@code weight} that belong to this site, or 0 for all of them
 */
public record Site(SiteKind kind, int layer, String node, String input, String output, String weight, String bias,
                   long columnOffset, long columnCount) {
    public Site {
        if (columnOffset < 0 || columnCount < 0) {
            throw new IllegalArgumentException("site columns must be >= 0, got offset " + columnOffset + ", count " + columnCount);
        }
    }

    /** A site that owns its whole weight matrix. */
    public Site(SiteKind kind, int layer, String node, String input, String output, String weight, String bias) {
        this(kind, layer, node, input, output, weight, bias, 0, 0);
    }

    /** True if the site is a column block of a fused weight matrix. */
    public boolean isFused() {
        return columnCount > 0;
    }

    /** Output width of the projection given its weight's shape [in, out]. */
    public long outputWidth(long[] weightShape) {
        return isFused() ? columnCount : weightShape[1];
    }
}
