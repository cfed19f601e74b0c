package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites {@code Unsqueeze(Gather(Shape(x), i), axes=[0])} as {@code Gather(Shape(x), [i])}, a
 * gather with a one-element index vector. In M2.1 the Gather of a scalar index from a shape yields a
 * [1] vector instead of a scalar, the Unsqueeze then makes it [1, 1] and the Concat that builds a
 * Reshape target fails with "all input arrays must have the same rank". A vector index gives the [1]
 * vector the Concat expects directly, in one SameDiff op. (Version 1 of this fix used
 * {@code Slice(Shape(x), [i], [i+1])}; M2.1 imports every Slice as 35 ops of index clamping, which
 * made 2,900 of the embedded MiniLM's 3,300 ops and much of a training step's time.)
 */
public final class ShapeGatherAsVector implements OnnxRewriteRule {
    @Override
    public String name() {
        return "shape-gather-as-vector";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public int apply(OnnxGraph graph) {
        Map<String, Integer> ranks = Ranks.infer(graph);
        int count = 0;
        for (NodeProto.Builder gather : List.copyOf(graph.nodes())) {
            if (!gather.getOpType().equals("Gather")) continue;
            Optional<NodeProto.Builder> shape = graph.producer(gather.getInput(0));
            Optional<TensorProto> index = graph.initializer(gather.getInput(1));
            if (shape.isEmpty() || !shape.get().getOpType().equals("Shape") || index.isEmpty()
                    || index.get().getDimsCount() != 0) continue;
            List<NodeProto.Builder> users = graph.consumers(gather.getOutput(0));
            List<NodeProto.Builder> unsqueezes = users.stream().filter(ShapeGatherAsVector::isUnsqueezeAxis0).toList();
            if (unsqueezes.isEmpty()) continue;
            long i = Tensors.longs(index.get())[0];
            if (i < 0) {
                Integer r = ranks.get(shape.get().getInput(0));
                if (r == null) continue;
                i += r;
            }
            String base = gather.getName().isEmpty() ? gather.getOutput(0) : gather.getName();
            String indices = graph.freshName(base + "/index");
            graph.putInitializer(Tensors.int64(indices, new long[]{1}, i));
            for (NodeProto.Builder u : unsqueezes) {
                u.setOpType("Gather").clearInput().clearAttribute()
                        .addInput(gather.getInput(0)).addInput(indices).addAttribute(OnnxGraph.intAttribute("axis", 0));
                count++;
            }
            // Other readers (e.g. a Cast feeding GPT-2's position Range) keep the Gather.
            if (unsqueezes.size() == users.size() && !graph.isGraphOutput(gather.getOutput(0))) {
                graph.nodes().removeIf(n -> n == gather);
            }
        }
        graph.pruneUnused();
        return count;
    }

    private static boolean isUnsqueezeAxis0(NodeProto.Builder n) {
        if (!n.getOpType().equals("Unsqueeze")) return false;
        Optional<AttributeProto> axes = OnnxGraph.attribute(n, "axes");
        // Opset 13 moved axes to an input; the rewrite only handles the attribute form of opset < 13.
        return axes.isPresent() && axes.get().getIntsList().equals(List.of(0L));
    }
}
