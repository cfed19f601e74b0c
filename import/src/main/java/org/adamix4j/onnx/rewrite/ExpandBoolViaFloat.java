package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Expands boolean tensors through float: {@code Expand(b, s)} becomes
 * {@code Cast(Expand(Cast(b, FLOAT), s), BOOL)}. The importer implements Expand as a multiplication
 * by ones, which fails on booleans ("applyTrueBroadcast: the shape or type of target array is wrong");
 * DistilBERT's attention mask expands an Equal's output.
 */
public final class ExpandBoolViaFloat implements OnnxRewriteRule {
    private static final Set<String> BOOL_OPS = Set.of("Equal", "Not", "Less", "Greater", "And", "Or", "Xor",
            "LessOrEqual", "GreaterOrEqual");

    @Override
    public String name() {
        return "expand-bool-via-float";
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
            NodeProto.Builder expand = nodes.get(i);
            if (!expand.getOpType().equals("Expand") || !isBool(graph, expand.getInput(0))) continue;
            String base = expand.getName().isEmpty() ? expand.getOutput(0) : expand.getName();
            String asFloat = graph.freshName(base + "/as_float");
            String expanded = graph.freshName(base + "/expanded");
            NodeProto.Builder toFloat = OnnxGraph.cast(graph.freshName(base + "/CastIn"), expand.getInput(0), asFloat,
                    TensorProto.DataType.FLOAT.getNumber());
            NodeProto.Builder toBool = OnnxGraph.cast(graph.freshName(base + "/CastOut"), expanded, expand.getOutput(0),
                    TensorProto.DataType.BOOL.getNumber());
            expand.setInput(0, asFloat).setOutput(0, expanded);
            nodes.add(i, toFloat);
            nodes.add(i + 2, toBool);
            i += 2;
            count++;
        }
        return count;
    }

    private static boolean isBool(OnnxGraph graph, String tensor) {
        Optional<NodeProto.Builder> p = graph.producer(tensor);
        if (p.isEmpty()) return false;
        NodeProto.Builder n = p.get();
        if (BOOL_OPS.contains(n.getOpType())) return true;
        if (n.getOpType().equals("Cast")) {
            return OnnxGraph.attribute(n, "to").map(a -> a.getI() == TensorProto.DataType.BOOL.getNumber()).orElse(false);
        }
        // Shape-preserving ops pass the type through.
        if (List.of("Reshape", "Unsqueeze", "Squeeze", "Transpose", "Identity").contains(n.getOpType())) {
            return isBool(graph, n.getInput(0));
        }
        return false;
    }

}
