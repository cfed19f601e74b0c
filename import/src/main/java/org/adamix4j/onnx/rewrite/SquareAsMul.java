package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites {@code Pow(x, 2)} as {@code Mul(x, x)}, {@code Pow(x, 3)} as {@code Mul(Mul(x, x), x)} and
 * {@code Pow(x, 0.5)} as {@code Sqrt(x)}. The importer maps Pow to an op that reports two outputs and
 * then fails with an IndexOutOfBounds. LayerNorm's variance is the only Pow in BERT-style exports;
 * GPT-2 adds the cube of gelu_new and the square root of the head size that scales attention scores
 * (version 2). Pow with another exponent is left alone (and still fails at import, naming the node).
 */
public final class SquareAsMul implements OnnxRewriteRule {
    @Override
    public String name() {
        return "square-as-mul";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        List<NodeProto.Builder> cubes = new ArrayList<>();
        List<NodeProto.Builder> before = new ArrayList<>();
        for (NodeProto.Builder n : graph.nodes()) {
            if (!n.getOpType().equals("Pow")) continue;
            Optional<TensorProto> exponent = graph.initializer(n.getInput(1));
            if (exponent.isEmpty()) continue;
            double[] e = Tensors.doubles(exponent.get());
            if (e.length != 1 || (e[0] != 2.0 && e[0] != 3.0 && e[0] != 0.5)) continue;
            String x = n.getInput(0);
            if (e[0] == 0.5) {
                n.setOpType("Sqrt").clearInput().addInput(x).clearAttribute();
            } else if (e[0] == 2.0) {
                n.setOpType("Mul").clearInput().addInput(x).addInput(x).clearAttribute();
            } else {
                String base = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
                String square = graph.freshName(base + "/square");
                cubes.add(OnnxGraph.node("Mul", square, square, x, x));
                n.setOpType("Mul").clearInput().addInput(square).addInput(x).clearAttribute();
                before.add(n);
            }
            count++;
        }
        // Each square goes right before its cube so the node list stays topologically sorted.
        for (int i = 0; i < cubes.size(); i++) {
            int at = graph.nodes().indexOf(before.get(i));
            graph.nodes().add(at, cubes.get(i));
        }
        graph.pruneUnused();
        return count;
    }
}
