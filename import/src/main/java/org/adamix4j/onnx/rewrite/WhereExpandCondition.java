package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.List;
import java.util.Optional;

/**
 * Gives a Where's condition the shape of its value branches:
 * {@code Where(c, x, y)} → {@code Where(Cast(Expand(Cast(c, FLOAT), Shape(x)), BOOL), x, y)}. The
 * imported Where does not broadcast its condition ("Op validation failed"); GPT-2 masks attention
 * scores [batch, heads, q, k] with a causal mask sliced from a [1, 1, n, n] buffer. The expansion goes
 * through float because the imported Expand fails on booleans (see {@link ExpandBoolViaFloat}).
 * A condition that is already the output of an Expand (DistilBERT's {@code expand_as}) is left alone.
 * Runs after {@link WhereExpandScalars}, so {@code x} is never a scalar initializer.
 */
public final class WhereExpandCondition implements OnnxRewriteRule {
    @Override
    public String name() {
        return "where-expand-condition";
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
            if (!where.getOpType().equals("Where") || alreadyExpanded(graph, where.getInput(0))) continue;
            String branch = graph.initializers().containsKey(where.getInput(1)) ? where.getInput(2) : where.getInput(1);
            if (graph.initializers().containsKey(branch)) continue;
            String base = where.getName().isEmpty() ? where.getOutput(0) : where.getName();
            String asFloat = graph.freshName(base + "/condition_float");
            String shape = graph.freshName(base + "/condition_shape");
            String expanded = graph.freshName(base + "/condition_expanded");
            String asBool = graph.freshName(base + "/condition");
            List<NodeProto.Builder> added = List.of(
                    OnnxGraph.cast(graph.freshName(base + "/ConditionCastIn"), where.getInput(0), asFloat,
                            TensorProto.DataType.FLOAT.getNumber()),
                    OnnxGraph.node("Shape", graph.freshName(base + "/ConditionShape"), shape, branch),
                    OnnxGraph.node("Expand", graph.freshName(base + "/ConditionExpand"), expanded, asFloat, shape),
                    OnnxGraph.cast(graph.freshName(base + "/ConditionCastOut"), expanded, asBool,
                            TensorProto.DataType.BOOL.getNumber()));
            nodes.addAll(i, added);
            where.setInput(0, asBool);
            i += added.size();
            count++;
        }
        return count;
    }

    private static boolean alreadyExpanded(OnnxGraph graph, String tensor) {
        Optional<NodeProto.Builder> p = graph.producer(tensor);
        if (p.isEmpty()) return false;
        if (p.get().getOpType().equals("Expand")) return true;
        return p.get().getOpType().equals("Cast") && alreadyExpanded(graph, p.get().getInput(0));
    }
}
