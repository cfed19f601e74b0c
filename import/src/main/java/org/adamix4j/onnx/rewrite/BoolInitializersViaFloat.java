package org.adamix4j.onnx.rewrite;

import onnx.Onnx.TensorProto;

import java.util.ArrayList;
import java.util.List;

/**
 * Stores boolean initializers as float and casts them back at the start of the graph:
 * initializer {@code b} (BOOL) becomes initializer {@code b/as_float} (FLOAT, 0/1) and a node
 * {@code Cast(b/as_float, BOOL) -> b}. The importer reads a boolean initializer as all false, so
 * GPT-2's causal-mask buffer (a lower-triangular bool matrix) would mask every attention score.
 */
public final class BoolInitializersViaFloat implements OnnxRewriteRule {
    @Override
    public String name() {
        return "bool-initializers-via-float";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        List<TensorProto> bools = new ArrayList<>();
        for (TensorProto t : graph.initializers().values()) {
            if (t.getDataType() == TensorProto.DataType.BOOL.getNumber()) bools.add(t);
        }
        int at = 0;
        for (TensorProto t : bools) {
            float[] values = toFloats(t);
            String asFloat = graph.freshName(t.getName() + "/as_float");
            graph.initializers().remove(t.getName());
            graph.putInitializer(Tensors.float32(asFloat, t.getDimsList().stream().mapToLong(Long::longValue).toArray(), values));
            graph.nodes().add(at++, OnnxGraph.cast(graph.freshName(t.getName() + "/CastToBool"), asFloat, t.getName(),
                    TensorProto.DataType.BOOL.getNumber()));
        }
        return bools.size();
    }

    private static float[] toFloats(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) n *= d;
        float[] out = new float[(int) n];
        if (!t.getRawData().isEmpty()) {
            byte[] raw = t.getRawData().toByteArray();
            for (int i = 0; i < out.length; i++) out[i] = raw[i] != 0 ? 1f : 0f;
        } else {
            for (int i = 0; i < out.length; i++) out[i] = t.getInt32Data(i) != 0 ? 1f : 0f;
        }
        return out;
    }
}
