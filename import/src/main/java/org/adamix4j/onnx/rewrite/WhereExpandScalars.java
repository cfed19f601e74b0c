package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.List;
import java.util.Optional;

/**
 * Gives both value inputs of a Where the same shape: a constant scalar branch is expanded to the
 * shape of the other branch, {@code Where(c, s, x)} → {@code Where(c, Expand(s, Shape(x)), x)}. The
 * imported Where does not broadcast ("Op validation failed"); DistilBERT masks attention scores with
 * {@code Where(mask, finfo.min, scores)}.
 */
public final class WhereExpandScalars implements OnnxRewriteRule {
    @Override
    public String name() {
        return "where-expand-scalars";
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
            if (!where.getOpType().equals("Where")) continue;
            for (int branch = 1; branch <= 2; branch++) {
                String other = where.getInput(3 - branch);
                Optional<TensorProto> scalar = graph.initializer(where.getInput(branch));
                if (scalar.isEmpty() || elements(scalar.get()) != 1 || graph.initializers().containsKey(other)) continue;
                String base = where.getName().isEmpty() ? where.getOutput(0) : where.getName();
                String shape = graph.freshName(base + "/branch_shape");
                String expanded = graph.freshName(base + "/expanded_" + branch);
                nodes.add(i, OnnxGraph.node("Shape", graph.freshName(base + "/Shape"), shape, other));
                nodes.add(i + 1, OnnxGraph.node("Expand", graph.freshName(base + "/Expand"), expanded,
                        where.getInput(branch), shape));
                where.setInput(branch, expanded);
                i += 2;
                count++;
            }
        }
        return count;
    }

    private static long elements(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) n *= d;
        return n;
    }
}
