package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;

/**
 * Copies each TENSOR attribute's tensor into the attribute's {@code tensors} list as well. The importer
 * reads tensor attributes from {@code tensors[0]} instead of {@code t} and fails with
 * "IndexOutOfBounds: Index: 0" in OnnxIRAttr.tensorValue; RoBERTa's position and token-type id
 * computation uses ConstantOfShape, whose {@code value} is such an attribute. (Constant nodes are
 * turned into initializers before this rule and never reach it.)
 */
public final class TensorAttributeAsList implements OnnxRewriteRule {
    @Override
    public String name() {
        return "tensor-attribute-as-list";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        for (NodeProto.Builder n : graph.nodes()) {
            for (int i = 0; i < n.getAttributeCount(); i++) {
                AttributeProto a = n.getAttribute(i);
                if (a.getType() != AttributeProto.AttributeType.TENSOR || !a.hasT() || a.getTensorsCount() > 0) continue;
                n.setAttribute(i, a.toBuilder().addTensors(a.getT()).build());
                count++;
            }
        }
        return count;
    }
}
