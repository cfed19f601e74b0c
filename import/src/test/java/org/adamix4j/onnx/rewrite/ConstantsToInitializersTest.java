package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect: samediff-import-onnx does not evaluate {@code Constant} nodes, so an op reading one (here a
 * Gather index and an Add bias) has no value for it: without {@link ConstantsToInitializers} the
 * import fails ("output op named idx did not have any ops associated with it").
 */
class ConstantsToInitializersTest {
    private static final float[] X = sample(6, 1);
    private static final long[] IDX = {2, 0};
    private static final float[] BIAS = {0.5f, -1.5f};

    /** y = Gather(x[2,3], Constant idx=[2,0], axis=1) + Constant bias[2]. */
    static ModelProto model() {
        return graph().input("x", 2, 3)
                .constant("idx_const", "idx", Tensors.int64("unused", dims(2), IDX))
                .constant("bias_const", "bias", Tensors.float32("unused", dims(2), BIAS))
                .node("Gather", "gather", "g", List.of("x", "idx"), intAttr("axis", 1))
                .node("Add", "add", "y", List.of("g", "bias"))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = new float[4];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) y[i * 2 + j] = X[i * 3 + (int) IDX[j]] + BIAS[j];
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 3));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "constants");
        assertEquals(2, fired(r, new ConstantsToInitializers()));
        assertClose(expected(), dims(2, 2), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheImportFails() {
        assertFails("constants-to-initializers", "idx", () -> {
            GraphImport gi = withoutRule(ConstantsToInitializers.class);
            run(importWith(gi, model()), inputs(), "y");
        });
    }

    @Test
    void constantBecomesInitializerNamedAfterItsOutput() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(2, new ConstantsToInitializers().apply(g));
        assertEquals(List.of("Gather", "Add"), opTypes(g));
        assertArrayEquals(IDX, Tensors.longs(g.initializer("idx").orElseThrow()));
        assertArrayEquals(new long[]{2}, g.initializer("idx").orElseThrow().getDimsList().stream()
                .mapToLong(Long::longValue).toArray());
        double[] bias = Tensors.doubles(g.initializer("bias").orElseThrow());
        assertEquals(BIAS[1], bias[1], 0);
        assertTrue(g.initializer("unused").isEmpty());
    }

    @Test
    void constantWithoutTensorValueIsRejected() {
        ModelProto m = graph().node("Constant", "c", "c_out", List.of(), intAttr("value_int", 3)).output("c_out").model();
        assertThrows(IllegalArgumentException.class, () -> new ConstantsToInitializers().apply(OnnxGraph.of(m)));
    }
}
