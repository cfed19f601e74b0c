package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.Optional;

/**
 * Rewrites {@code Pow(x, 2)} as {@code Mul(x, x)}. The importer maps Pow to an op that reports two
 * outputs and then fails with an IndexOutOfBounds; LayerNorm's variance is the only Pow in BERT-style
 * exports. Pow with another exponent is left alone (and still fails at import, naming the node).
 */
public final class SquareAsMul implements OnnxRewriteRule {
    @Override
    public String name() {
        return "square-as-mul";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        for (NodeProto.Builder n : graph.nodes()) {
            if (!n.getOpType().equals("Pow")) continue;
            Optional<TensorProto> exponent = graph.initializer(n.getInput(1));
            if (exponent.isEmpty()) continue;
            double[] e = Tensors.doubles(exponent.get());
            if (e.length != 1 || e[0] != 2.0) continue;
            String x = n.getInput(0);
            n.setOpType("Mul").clearInput().addInput(x).addInput(x).clearAttribute();
            count++;
        }
        graph.pruneUnused();
        return count;
    }
}
