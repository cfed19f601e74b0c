package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites negative ReduceMean axes to positive ones. SameDiff's mean over axis -1 with keepDims
 * computes wrong values in M2.1 (the import then succeeds but the model outputs garbage); the same
 * reduction over axis {@code rank-1} is right. Needs the input's rank, from {@link Ranks}.
 */
public final class PositiveReduceAxes implements OnnxRewriteRule {
    @Override
    public String name() {
        return "positive-reduce-axes";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        Map<String, Integer> ranks = Ranks.infer(graph);
        int count = 0;
        for (NodeProto.Builder n : graph.nodes()) {
            if (!n.getOpType().startsWith("Reduce")) continue;
            Optional<AttributeProto> axes = OnnxGraph.attribute(n, "axes");
            if (axes.isEmpty() || axes.get().getIntsList().stream().allMatch(a -> a >= 0)) continue;
            Integer rank = ranks.get(n.getInput(0));
            if (rank == null) {
                throw new IllegalArgumentException("cannot infer the rank of '" + n.getInput(0)
                        + "', input of " + n.getOpType() + " node '" + n.getName() + "' with negative axes");
            }
            List<Long> positive = new ArrayList<>();
            for (long a : axes.get().getIntsList()) positive.add(a < 0 ? a + rank : a);
            OnnxGraph.setAttribute(n, OnnxGraph.intsAttribute("axes", positive));
            count++;
        }
        return count;
    }
}
