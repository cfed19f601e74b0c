package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.List;

/**
 * Computes logical Not arithmetically: {@code Not(b)} becomes {@code Cast(1 - Cast(b, FLOAT), BOOL)}.
 * The imported boolean Not is an unknown op number in libnd4j M2.1 ("Unknown opNum=10" in
 * transform_bool) and silently yields false everywhere; RoBERTa builds its padding mask with
 * {@code Not(Equal(input_ids, pad))}, so every position id came out wrong.
 */
public final class NotViaArithmetic implements OnnxRewriteRule {
    @Override
    public String name() {
        return "not-via-arithmetic";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        List<NodeProto.Builder> nodes = graph.nodes();
        String one = null;
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto.Builder not = nodes.get(i);
            if (!not.getOpType().equals("Not")) continue;
            if (one == null) {
                one = graph.freshName("not/one");
                graph.putInitializer(Tensors.float32(one, new long[]{}, 1f));
            }
            String base = not.getName().isEmpty() ? not.getOutput(0) : not.getName();
            String asFloat = graph.freshName(base + "/as_float");
            String flipped = graph.freshName(base + "/flipped");
            String out = not.getOutput(0);
            nodes.set(i, OnnxGraph.cast(graph.freshName(base + "/CastIn"), not.getInput(0), asFloat,
                    TensorProto.DataType.FLOAT.getNumber()));
            nodes.add(i + 1, OnnxGraph.node("Sub", graph.freshName(base + "/Sub"), flipped, one, asFloat));
            nodes.add(i + 2, OnnxGraph.cast(base, flipped, out, TensorProto.DataType.BOOL.getNumber()));
            i += 2;
            count++;
        }
        return count;
    }

}
