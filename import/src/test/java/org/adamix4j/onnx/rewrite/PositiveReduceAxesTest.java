package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Defect: SameDiff's mean over axis -1 with keepDims computes wrong values for a rank-3 input (axis 2
 * is right). Without {@link PositiveReduceAxes} the LayerNorm centring {@code x - ReduceMean(x,
 * axes=[-1])} imports and runs but only the first row is right: silent garbage.
 */
class PositiveReduceAxesTest {
    private static final float[] X = sample(24, 3);

    /** y = x[2,3,4] - ReduceMean(x, axes=[-1], keepdims=1). */
    static ModelProto model() {
        return graph().input("x", 2, 3, 4)
                .node("ReduceMean", "mean", "m", List.of("x"), ints("axes", -1), intAttr("keepdims", 1))
                .node("Sub", "sub", "y", List.of("x", "m"))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = new float[24];
        for (int row = 0; row < 6; row++) {
            double mean = 0;
            for (int k = 0; k < 4; k++) mean += X[row * 4 + k];
            mean /= 4;
            for (int k = 0; k < 4; k++) y[row * 4 + k] = (float) (X[row * 4 + k] - mean);
        }
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 3, 4));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "positive axes");
        assertEquals(1, fired(r, new PositiveReduceAxes()));
        assertClose(expected(), dims(2, 3, 4), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheOutputIsWrong() {
        float[] out = run(importWith(withoutRule(PositiveReduceAxes.class), model()), inputs(), "y");
        assertWrong("positive-reduce-axes", expected(), out);
    }

    @Test
    void rewritesNegativeAxesUsingTheInferredRank() {
        ModelProto m = graph().input("x", 2, 3, 4)
                .node("ReduceMean", "neg", "a", List.of("x"), ints("axes", -1, 0))
                .node("ReduceSum", "pos", "b", List.of("x"), ints("axes", 1))
                .node("ReduceMean", "all", "c", List.of("x"))
                .output("a").output("b").output("c").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(1, new PositiveReduceAxes().apply(g));
        assertEquals(List.of(2L, 0L), OnnxGraph.attribute(nodeNamed(g, "neg"), "axes").orElseThrow().getIntsList());
        assertEquals(List.of(1L), OnnxGraph.attribute(nodeNamed(g, "pos"), "axes").orElseThrow().getIntsList());
        assertEquals(0, nodeNamed(g, "all").getAttributeCount());
    }

    @Test
    void unknownRankIsReportedNotGuessed() {
        ModelProto m = graph().input("x", 2, 3, 4)
                .node("NonZero", "nz", "unknown", List.of("x"))
                .node("ReduceMean", "neg", "a", List.of("unknown"), ints("axes", -1))
                .output("a").model();
        assertThrows(IllegalArgumentException.class, () -> new PositiveReduceAxes().apply(OnnxGraph.of(m)));
    }
}
