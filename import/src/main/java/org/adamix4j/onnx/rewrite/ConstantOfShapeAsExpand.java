package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.Optional;

/**
 * Rewrites {@code ConstantOfShape(shape, value=v)} as {@code Expand(v, shape)} with v a scalar
 * initializer. The imported ConstantOfShape has two defects: it reads its tensor attribute from
 * {@code tensors[0]} instead of {@code t} (IndexOutOfBounds in OnnxIRAttr.tensorValue), and once past
 * that it fills through SameDiff's assign, which yields zeros whatever the fill value. RoBERTa's
 * token-type ids come from a ConstantOfShape. The imported Expand multiplies by float ones, so the fill
 * is a float scalar and a Cast restores an integer type (exact for the small values exports use).
 */
public final class ConstantOfShapeAsExpand implements OnnxRewriteRule {
    @Override
    public String name() {
        return "constant-of-shape-as-expand";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        java.util.List<NodeProto.Builder> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto.Builder n = nodes.get(i);
            if (!n.getOpType().equals("ConstantOfShape")) continue;
            Optional<AttributeProto> value = OnnxGraph.attribute(n, "value");
            // ONNX default: a float 0.
            TensorProto v = value.map(AttributeProto::getT).orElse(Tensors.float32("", new long[]{1}, 0f));
            String base = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
            String fill = graph.freshName(base + "/fill");
            boolean isFloat = v.getDataType() == TensorProto.DataType.FLOAT.getNumber();
            double fillValue = isFloat || v.getDataType() == TensorProto.DataType.DOUBLE.getNumber()
                    ? Tensors.doubles(v)[0] : Tensors.longs(v)[0];
            // A float scalar: Expand broadcasts it to the requested shape.
            graph.putInitializer(Tensors.float32(fill, new long[]{}, (float) fillValue));
            String shape = n.getInput(0);
            String out = n.getOutput(0);
            n.setOpType("Expand").clearInput().addInput(fill).addInput(shape).clearAttribute();
            if (!isFloat) {
                String expanded = graph.freshName(base + "/expanded");
                n.setOutput(0, expanded);
                nodes.add(i + 1, OnnxGraph.cast(graph.freshName(base + "/Cast"), expanded, out, v.getDataType()));
                i++;
            }
            count++;
        }
        return count;
    }
}
