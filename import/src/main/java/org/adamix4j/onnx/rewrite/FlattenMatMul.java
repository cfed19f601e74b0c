package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites {@code MatMul(x[b, s, k], W[k, n])} as reshape-to-2-D, MatMul, reshape back. SameDiff's
 * matmul does not broadcast a rank-3 input against a rank-2 weight ("ranks of arrays must be the
 * same"). The MatMul keeps its node name, so the structure map still finds the projection by name;
 * the original output name moves to the final Reshape, so consumers are untouched. The leading
 * dimensions are read with a vector-index Gather of the shape: M2.1 imports a Slice as 35 ops of index
 * clamping, a Gather as one (version 1 used a Slice).
 */
public final class FlattenMatMul implements OnnxRewriteRule {
    @Override
    public String name() {
        return "flatten-matmul";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public int apply(OnnxGraph graph) {
        Map<String, Integer> ranks = Ranks.infer(graph);
        List<NodeProto.Builder> nodes = graph.nodes();
        int count = 0;
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto.Builder mm = nodes.get(i);
            if (!mm.getOpType().equals("MatMul")) continue;
            Optional<TensorProto> w = graph.initializer(mm.getInput(1));
            Integer xRank = ranks.get(mm.getInput(0));
            if (w.isEmpty() || w.get().getDimsCount() != 2 || xRank == null || xRank != 3) continue;
            long k = w.get().getDims(0);
            long n = w.get().getDims(1);
            String x = mm.getInput(0);
            String out = mm.getOutput(0);
            String base = mm.getName().isEmpty() ? out : mm.getName();

            String flatShape = graph.freshName(base + "/flat_shape");
            graph.putInitializer(Tensors.int64(flatShape, new long[]{2}, -1, k));
            String leadIndices = graph.freshName(base + "/lead_indices");
            long[] lead01 = new long[xRank - 1];
            for (int d = 0; d < lead01.length; d++) lead01[d] = d;
            graph.putInitializer(Tensors.int64(leadIndices, new long[]{lead01.length}, lead01));
            String width = graph.freshName(base + "/out_width");
            graph.putInitializer(Tensors.int64(width, new long[]{1}, n));

            String flat = graph.freshName(base + "/flat");
            String shape = graph.freshName(base + "/x_shape");
            String lead = graph.freshName(base + "/lead_dims");
            String outShape = graph.freshName(base + "/out_shape");
            String product = graph.freshName(base + "/out_2d");

            NodeProto.Builder reshapeIn = OnnxGraph.node("Reshape", graph.freshName(base + "/Flatten"), flat, x, flatShape);
            NodeProto.Builder shapeOf = OnnxGraph.node("Shape", graph.freshName(base + "/Shape"), shape, x);
            NodeProto.Builder slice = OnnxGraph.node("Gather", graph.freshName(base + "/LeadDims"), lead, shape, leadIndices);
            OnnxGraph.setAttribute(slice, OnnxGraph.intAttribute("axis", 0));
            NodeProto.Builder concat = OnnxGraph.node("Concat", graph.freshName(base + "/OutShape"), outShape, lead, width);
            OnnxGraph.setAttribute(concat, OnnxGraph.intAttribute("axis", 0));
            mm.setInput(0, flat).setOutput(0, product);
            NodeProto.Builder reshapeOut = OnnxGraph.node("Reshape", graph.freshName(base + "/Unflatten"), out, product, outShape);

            nodes.addAll(i, List.of(reshapeIn, shapeOf, slice, concat));
            i += 4;
            nodes.add(i + 1, reshapeOut);
            i++;
            count++;
        }
        return count;
    }

}
