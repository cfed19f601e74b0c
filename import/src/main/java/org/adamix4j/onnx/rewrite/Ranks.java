package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.ValueInfoProto;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Static rank inference over an ONNX graph, for the ops of BERT-family and GPT-2-family exports.
 * Rules need ranks that the importer cannot give them (a negative reduce axis, a rank-3 × rank-2
 * MatMul). Tensors whose rank cannot be inferred are simply absent from the result. For 1-D integer
 * tensors (shape arithmetic) the static length is tracked too, since a Reshape's output rank is the
 * length of its shape input.
 */
public final class Ranks {
    private final Map<String, Integer> rank = new HashMap<>();
    private final Map<String, Long> length = new HashMap<>();
    private final OnnxGraph graph;

    private Ranks(OnnxGraph graph) {
        this.graph = graph;
    }

    /** Rank of every tensor whose rank follows statically from the graph inputs and initializers. */
    public static Map<String, Integer> infer(OnnxGraph graph) {
        Ranks r = new Ranks(graph);
        r.run();
        return r.rank;
    }

    private void run() {
        for (ValueInfoProto v : graph.inputs()) {
            if (v.getType().hasTensorType() && v.getType().getTensorType().hasShape()) {
                rank.put(v.getName(), v.getType().getTensorType().getShape().getDimCount());
            }
        }
        for (TensorProto t : graph.initializers().values()) putTensor(t.getName(), t);
        for (NodeProto.Builder n : graph.nodes()) visit(n);
    }

    private void putTensor(String name, TensorProto t) {
        rank.put(name, t.getDimsCount());
        if (t.getDimsCount() == 1) length.put(name, t.getDims(0));
    }

    private Integer r(String name) {
        return rank.get(name);
    }

    private void visit(NodeProto.Builder n) {
        String out = n.getOutputCount() > 0 ? n.getOutput(0) : null;
        Integer in0 = n.getInputCount() > 0 ? r(n.getInput(0)) : null;
        switch (n.getOpType()) {
            case "Constant" -> OnnxGraph.attribute(n, "value").ifPresent(a -> putTensor(out, a.getT()));
            case "Shape" -> {
                rank.put(out, 1);
                if (in0 != null) length.put(out, (long) in0);
            }
            case "Gather" -> {
                Integer idx = r(n.getInput(1));
                if (in0 != null && idx != null) rank.put(out, in0 - 1 + idx);
                if (in0 != null && in0 == 1 && idx != null && idx == 1) length.put(out, length.get(n.getInput(1)));
            }
            case "Unsqueeze" -> axesCount(n).ifPresent(k -> {
                if (in0 != null) {
                    rank.put(out, in0 + k);
                    if (in0 == 0 && k == 1) length.put(out, 1L);
                }
            });
            case "Squeeze" -> axesCount(n).ifPresent(k -> {
                if (in0 != null) rank.put(out, in0 - k);
            });
            case "Concat" -> {
                if (in0 != null) rank.put(out, in0);
                if (in0 != null && in0 == 1) {
                    long sum = 0;
                    for (String i : n.getInputList()) {
                        Long l = length.get(i);
                        if (l == null) return;
                        sum += l;
                    }
                    length.put(out, sum);
                }
            }
            case "Reshape" -> {
                Long l = length.get(n.getInput(1));
                if (l != null) rank.put(out, (int) (long) l);
                // A 1-D tensor reshaped to 1-D keeps its length (e.g. Reshape(Concat(..), [-1])).
                if (l != null && l == 1 && in0 != null && in0 == 1 && length.containsKey(n.getInput(0))) {
                    length.put(out, length.get(n.getInput(0)));
                }
            }
            case "Expand" -> {
                // Expand broadcasts: the output rank is the larger of the input's and the shape's length.
                Long l = length.get(n.getInput(1));
                if (l != null && in0 != null) rank.put(out, Math.max(in0, (int) (long) l));
            }
            case "ConstantOfShape" -> {
                Long l = length.get(n.getInput(0));
                if (l != null) rank.put(out, (int) (long) l);
            }
            case "Slice" -> {
                if (in0 != null) rank.put(out, in0);
                if (in0 != null && in0 == 1) sliceLength(n).ifPresent(l -> length.put(out, l));
            }
            case "Range" -> rank.put(out, 1);
            case "Split" -> {
                // Every part keeps the input's rank (GPT-2 splits the fused q|k|v projection).
                if (in0 != null) for (String o : n.getOutputList()) rank.put(o, in0);
            }
            case "MatMul" -> {
                Integer in1 = r(n.getInput(1));
                if (in0 != null && in1 != null) rank.put(out, Math.max(in0, in1));
            }
            case "Gemm" -> rank.put(out, 2);
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin" -> {
                if (in0 == null) return;
                boolean keep = OnnxGraph.attribute(n, "keepdims").map(AttributeProto::getI).orElse(1L) == 1;
                Optional<AttributeProto> axes = OnnxGraph.attribute(n, "axes");
                int k = axes.map(AttributeProto::getIntsCount).orElse(in0);
                rank.put(out, keep ? in0 : in0 - k);
            }
            case "Add", "Sub", "Mul", "Div", "Pow", "Where", "Equal", "Less", "Greater", "And", "Or",
                 "Max", "Min" -> {
                int max = -1;
                for (String i : n.getInputList()) {
                    Integer ri = r(i);
                    if (ri == null) return;
                    max = Math.max(max, ri);
                }
                rank.put(out, max);
                if (max == 1) {
                    // Broadcasting 1-D shape tensors: the known length (the others broadcast to it).
                    n.getInputList().stream().map(length::get).filter(java.util.Objects::nonNull)
                            .max(Long::compare).ifPresent(l -> length.put(out, l));
                }
            }
            default -> {
                // Element-wise unary ops and ops that keep their first input's shape.
                if (in0 != null && List.of("Cast", "Erf", "Sqrt", "Softmax", "Transpose", "Relu", "Tanh",
                        "Sigmoid", "Neg", "Exp", "Log", "Identity", "Dropout", "Not", "CumSum",
                        "LayerNormalization", "Abs", "Reciprocal").contains(n.getOpType())) {
                    rank.put(out, in0);
                    if (in0 == 1 && length.containsKey(n.getInput(0))) length.put(out, length.get(n.getInput(0)));
                }
            }
        }
    }

    /** Number of axes of an Unsqueeze/Squeeze: attribute (opset < 13) or constant input (opset 13+). */
    private Optional<Integer> axesCount(NodeProto.Builder n) {
        Optional<AttributeProto> attr = OnnxGraph.attribute(n, "axes");
        if (attr.isPresent()) return Optional.of(attr.get().getIntsCount());
        if (n.getInputCount() > 1) return graph.initializer(n.getInput(1)).map(t -> Tensors.longs(t).length);
        return Optional.empty();
    }

    private Optional<Long> sliceLength(NodeProto.Builder n) {
        Long len = length.get(n.getInput(0));
        if (len == null || n.getInputCount() < 3) return Optional.empty();
        Optional<TensorProto> s = graph.initializer(n.getInput(1));
        Optional<TensorProto> e = graph.initializer(n.getInput(2));
        if (s.isEmpty() || e.isEmpty() || n.getInputCount() > 4) return Optional.empty();
        long start = clamp(Tensors.longs(s.get())[0], len);
        long end = clamp(Tensors.longs(e.get())[0], len);
        return Optional.of(Math.max(0, end - start));
    }

    private static long clamp(long index, long len) {
        long i = index < 0 ? index + len : index;
        return Math.max(0, Math.min(len, i));
    }
}
