package org.adamix4j.onnx.rewrite;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

import java.util.List;
import java.util.Optional;

/**
 * Runs CumSum on integers through float: {@code CumSum(i, axis)} becomes
 * {@code Cast(CumSum(Cast(i, FLOAT), axis), type(i))}. The imported cumsum fails on integer input;
 * RoBERTa computes position ids as a cumulative sum of the int32 padding mask. Exact for counts below
 * 2^24, far beyond any sequence length.
 */
public final class CumSumViaFloat implements OnnxRewriteRule {
    @Override
    public String name() {
        return "cumsum-via-float";
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
            NodeProto.Builder cumsum = nodes.get(i);
            if (!cumsum.getOpType().equals("CumSum")) continue;
            Optional<Long> intType = integerType(graph, cumsum.getInput(0));
            if (intType.isEmpty()) continue;
            String base = cumsum.getName().isEmpty() ? cumsum.getOutput(0) : cumsum.getName();
            String asFloat = graph.freshName(base + "/as_float");
            String summed = graph.freshName(base + "/summed");
            nodes.add(i, OnnxGraph.cast(graph.freshName(base + "/CastIn"), cumsum.getInput(0), asFloat,
                    TensorProto.DataType.FLOAT.getNumber()));
            cumsum.setInput(0, asFloat);
            String out = cumsum.getOutput(0);
            cumsum.setOutput(0, summed);
            nodes.add(i + 2, OnnxGraph.cast(graph.freshName(base + "/CastOut"), summed, out, intType.get()));
            i += 2;
            count++;
        }
        return count;
    }

    /** The integer ONNX type of {@code tensor} if a Cast produced it, else empty. */
    private static Optional<Long> integerType(OnnxGraph graph, String tensor) {
        return graph.producer(tensor).filter(n -> n.getOpType().equals("Cast"))
                .flatMap(n -> OnnxGraph.attribute(n, "to")).map(a -> a.getI())
                .filter(t -> t == TensorProto.DataType.INT32.getNumber() || t == TensorProto.DataType.INT64.getNumber());
    }

}
