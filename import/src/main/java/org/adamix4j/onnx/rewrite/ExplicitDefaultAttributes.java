package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;

/**
 * Writes ONNX default attributes out explicitly: {@code keepdims=1} on ReduceMean and {@code axis=0}
 * on Gather. The importer does not apply ONNX defaults ("Unable to resolve attribute ... keepdims")
 * and then drops the reduced dimension, which breaks the LayerNorm subtraction.
 */
public final class ExplicitDefaultAttributes implements OnnxRewriteRule {
    @Override
    public String name() {
        return "explicit-default-attributes";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        for (NodeProto.Builder n : graph.nodes()) {
            String attr = switch (n.getOpType()) {
                case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin" -> "keepdims";
                case "Gather" -> "axis";
                default -> null;
            };
            if (attr == null || OnnxGraph.attribute(n, attr).isPresent()) continue;
            long value = attr.equals("keepdims") ? 1 : 0;
            OnnxGraph.setAttribute(n, OnnxGraph.intAttribute(attr, value));
            count++;
        }
        return count;
    }
}
