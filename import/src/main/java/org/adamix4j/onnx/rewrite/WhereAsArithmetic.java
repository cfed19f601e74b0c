package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.List;
import java.util.Optional;

/**
 * Rewrites a masking {@code Where(c, x, y)} (one branch a float constant such as {@code finfo.min}) as
 * {@code x · f + y · (1 − f)} with {@code f = Cast(c, FLOAT)}. The imported Where has no gradient
 * ("Please extend DynamicCustomOp.doDiff to support SameDiff backprop operations. Op: ...Where"), so
 * nothing before GPT-2's causal mask (the LoRA on q and k) could train; it also does not broadcast its
 * condition, which the multiplications do. Multiplying by exactly 0 or 1 keeps the values exact as
 * long as both branches are finite.
 */
public final class WhereAsArithmetic implements OnnxRewriteRule {
    @Override
    public String name() {
        return "where-as-arithmetic";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        List<NodeProto.Builder> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto.Builder where = nodes.get(i);
            if (!where.getOpType().equals("Where") || !(isFloatConstant(graph, where.getInput(1))
                    || isFloatConstant(graph, where.getInput(2)))) continue;
            String base = where.getName().isEmpty() ? where.getOutput(0) : where.getName();
            String one = graph.freshName(base + "/one");
            graph.putInitializer(Tensors.float32(one, new long[0], 1f));
            String f = graph.freshName(base + "/condition_float");
            String inverse = graph.freshName(base + "/condition_inverse");
            String kept = graph.freshName(base + "/kept");
            String other = graph.freshName(base + "/other");
            List<NodeProto.Builder> added = List.of(
                    OnnxGraph.cast(graph.freshName(base + "/CastCondition"), where.getInput(0), f,
                            TensorProto.DataType.FLOAT.getNumber()),
                    OnnxGraph.node("Sub", graph.freshName(base + "/Inverse"), inverse, one, f),
                    OnnxGraph.node("Mul", graph.freshName(base + "/Keep"), kept, where.getInput(1), f),
                    OnnxGraph.node("Mul", graph.freshName(base + "/Other"), other, where.getInput(2), inverse));
            String out = where.getOutput(0);
            where.setOpType("Add").clearInput().clearAttribute().addInput(kept).addInput(other).setOutput(0, out);
            nodes.addAll(i, added);
            i += added.size();
            count++;
        }
        return count;
    }

    private static boolean isFloatConstant(OnnxGraph graph, String name) {
        Optional<TensorProto> t = graph.initializer(name);
        return t.isPresent() && t.get().getDataType() == TensorProto.DataType.FLOAT.getNumber();
    }
}
