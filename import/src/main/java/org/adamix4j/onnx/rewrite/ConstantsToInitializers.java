package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;

import java.util.Iterator;
import java.util.Optional;

/**
 * Turns {@code Constant} nodes into initializers. samediff-import-onnx does not evaluate Constant
 * nodes during import, so ops reading them (e.g. a Gather index) see an empty array and fail with
 * "If indices are empty, output must also be empty".
 */
public final class ConstantsToInitializers implements OnnxRewriteRule {
    @Override
    public String name() {
        return "constants-to-initializers";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        for (Iterator<NodeProto.Builder> it = graph.nodes().iterator(); it.hasNext(); ) {
            NodeProto.Builder n = it.next();
            if (!n.getOpType().equals("Constant")) continue;
            Optional<AttributeProto> value = OnnxGraph.attribute(n, "value");
            if (value.isEmpty()) {
                throw new IllegalArgumentException("Constant node '" + n.getName()
                        + "' has no 'value' tensor attribute (value_float/value_ints forms are not supported)");
            }
            graph.putInitializer(value.get().getT().toBuilder().setName(n.getOutput(0)).build());
            it.remove();
            count++;
        }
        return count;
    }
}
