package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.List;
import java.util.Optional;

/**
 * Rewrites the exporters' exact GELU {@code Mul(Mul(x, Add(Erf(Div(x, c)), 1)), h)} (c = √2, h = ½) as
 * {@code Mul(Mul(d, Add(Erf(d), 1)), h·c)} with {@code d = Div(x, c)}: the same function, but x is then
 * read by the Div alone.
 *
 * <p>Why: for the backward pass SameDiff keeps the inputs of every op whose gradient needs them. In the
 * exporters' form these are x (for the product x · (1 + erf)), d (for erf's gradient) and 1 + erf: three
 * [batch, seq, 4·hidden] arrays per layer, the largest activations of the encoder (50 MB each for AdaMix's
 * 64 × 128 rows on MiniLM). In the rewritten form the product reads d, which erf's gradient keeps anyway, so
 * x is freed after the Div: one array fewer per layer. A division by a constant needs no stored input
 * once {@code graphs.ConstantOperandGradients} has pruned its constant's gradient.
 *
 * <p>Values: (x / c) · (1 + erf) · (h·c) differs from x · (1 + erf) · h by float rounding only
 * (ONNX Runtime parity unchanged, import tests).
 */
public final class GeluFromScaledInput implements OnnxRewriteRule {
    @Override
    public String name() {
        return "gelu-from-scaled-input";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        for (NodeProto.Builder erf : List.copyOf(graph.nodes())) {
            if (!erf.getOpType().equals("Erf")) continue;
            Optional<NodeProto.Builder> div = graph.producer(erf.getInput(0)).filter(n -> n.getOpType().equals("Div"));
            if (div.isEmpty()) continue;
            String x = div.get().getInput(0);
            String d = div.get().getOutput(0);
            Optional<Double> c = scalar(graph, div.get().getInput(1));
            NodeProto.Builder add = only(graph, erf.getOutput(0), "Add");
            if (c.isEmpty() || add == null || !isScalar(graph, other(add, erf.getOutput(0)), 1.0)) continue;
            NodeProto.Builder product = only(graph, add.getOutput(0), "Mul");
            if (product == null || !x.equals(other(product, add.getOutput(0)))) continue;
            NodeProto.Builder half = only(graph, product.getOutput(0), "Mul");
            String h = half == null ? null : other(half, product.getOutput(0));
            Optional<Double> hv = h == null ? Optional.empty() : scalar(graph, h);
            if (hv.isEmpty() || graph.consumers(d).size() != 1) continue;
            // x · (1 + erf) → d · (1 + erf); h → h·c, as a new initializer (h may be shared).
            for (int i = 0; i < product.getInputCount(); i++) if (product.getInput(i).equals(x)) product.setInput(i, d);
            String scaled = graph.freshName(h + "/times_c");
            graph.putInitializer(Tensors.float32(scaled, new long[0], (float) (hv.get() * c.get())));
            for (int i = 0; i < half.getInputCount(); i++) if (half.getInput(i).equals(h)) half.setInput(i, scaled);
            count++;
        }
        graph.pruneUnused();
        return count;
    }

    private static Optional<Double> scalar(OnnxGraph g, String name) {
        Optional<TensorProto> t = g.initializer(name);
        if (t.isEmpty() || t.get().getDataType() != TensorProto.DataType.FLOAT.getNumber()) return Optional.empty();
        double[] v = Tensors.doubles(t.get());
        return v.length == 1 ? Optional.of(v[0]) : Optional.empty();
    }

    private static boolean isScalar(OnnxGraph g, String name, double value) {
        return name != null && scalar(g, name).map(v -> v == value).orElse(false);
    }

    /** The single reader of {@code tensor} if it is an {@code op} node, else null. */
    private static NodeProto.Builder only(OnnxGraph g, String tensor, String op) {
        List<NodeProto.Builder> r = g.consumers(tensor);
        return r.size() == 1 && r.get(0).getOpType().equals(op) && !g.isGraphOutput(tensor) ? r.get(0) : null;
    }

    /** The other input of a binary node, or null unless {@code known} is exactly one of its two inputs. */
    private static String other(NodeProto.Builder n, String known) {
        if (n.getInputCount() != 2 || n.getInput(0).equals(n.getInput(1))) return null;
        return n.getInput(0).equals(known) ? n.getInput(1) : n.getInput(1).equals(known) ? n.getInput(0) : null;
    }
}
