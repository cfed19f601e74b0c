package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites {@code Split(x, axis, split=[s0, s1, ...])} as one {@code Slice} per part. The imported
 * Split gives only its first output an op: executing a graph that reads a later part fails with
 * "output op named ...Split_output_1 did not have any ops associated with it". GPT-2 splits its
 * fused q|k|v projection this way. The first Slice keeps the Split's node name (the structure map
 * finds the split by it); each Slice keeps its part's output name, so readers are untouched. Only
 * the attribute form with explicit sizes (opset < 13) is handled.
 */
public final class SplitAsSlices implements OnnxRewriteRule {
    @Override
    public String name() {
        return "split-as-slices";
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
            NodeProto.Builder split = nodes.get(i);
            if (!split.getOpType().equals("Split") || split.getInputCount() != 1) continue;
            Optional<AttributeProto> sizes = OnnxGraph.attribute(split, "split");
            if (sizes.isEmpty() || sizes.get().getIntsCount() != split.getOutputCount()) continue;
            long axis = OnnxGraph.attribute(split, "axis").map(AttributeProto::getI).orElse(0L);
            String base = split.getName().isEmpty() ? split.getOutput(0) : split.getName();
            String axes = graph.freshName(base + "/axes");
            graph.putInitializer(Tensors.int64(axes, new long[]{1}, axis));
            List<NodeProto.Builder> slices = new ArrayList<>();
            long start = 0;
            for (int p = 0; p < split.getOutputCount(); p++) {
                long end = start + sizes.get().getInts(p);
                String starts = graph.freshName(base + "/start_" + p);
                String ends = graph.freshName(base + "/end_" + p);
                graph.putInitializer(Tensors.int64(starts, new long[]{1}, start));
                graph.putInitializer(Tensors.int64(ends, new long[]{1}, end));
                String name = p == 0 ? split.getName() : graph.freshName(base + "/part_" + p);
                slices.add(OnnxGraph.node("Slice", name, split.getOutput(p), split.getInput(0), starts, ends, axes));
                start = end;
            }
            nodes.remove(i);
            nodes.addAll(i, slices);
            i += slices.size() - 1;
            count++;
        }
        return count;
    }
}
