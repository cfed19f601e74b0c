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
 */
public record Site(SiteKind kind, int layer, String node, String input, String output, String weight, String bias) {
}
