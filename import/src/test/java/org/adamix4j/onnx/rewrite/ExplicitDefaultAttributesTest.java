package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.ModelProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect: the importer does not apply ONNX default attributes; a ReduceMean without {@code keepdims}
 * drops the reduced dimension instead of keeping it (ONNX default keepdims=1). In the LayerNorm
 * pattern {@code x - ReduceMean(x)} that either fails (x[2,3] - m[2]: "subtract ... failed") or, for a
 * square x[3,3], silently broadcasts along the wrong axis and computes x[i][j] - mean(row j).
 */
class ExplicitDefaultAttributesTest {
    private static final float[] X = sample(9, 4);

    /** y = x[rows, 3] - ReduceMean(x, axes=[1]) with keepdims left to its ONNX default. */
    static ModelProto model(int rows) {
        return graph().input("x", rows, 3)
                .node("ReduceMean", "mean", "m", List.of("x"), ints("axes", 1))
                .node("Sub", "sub", "y", List.of("x", "m"))
                .output("y").model();
    }

    static float[] expected(float[] x, int rows) {
        float[] y = new float[rows * 3];
        for (int i = 0; i < rows; i++) {
            double mean = 0;
            for (int j = 0; j < 3; j++) mean += x[i * 3 + j];
            mean /= 3;
            for (int j = 0; j < 3; j++) y[i * 3 + j] = (float) (x[i * 3 + j] - mean);
        }
        return y;
    }

    private static Map<String, INDArray> inputs(int rows) {
        float[] x = new float[rows * 3];
        System.arraycopy(X, 0, x, 0, x.length);
        return Map.of("x", array(x, rows, 3));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(3), "defaults");
        assertEquals(1, fired(r, new ExplicitDefaultAttributes()));
        assertClose(expected(X, 3), dims(3, 3), runArray(r.sameDiff(), inputs(3), "y"));
    }

    @Test
    void withoutTheRuleASquareInputGivesWrongNumbers() {
        float[] out = run(importWith(withoutRule(ExplicitDefaultAttributes.class), model(3)), inputs(3), "y");
        assertWrong("explicit-default-attributes (x[3,3])", expected(X, 3), out);
    }

    @Test
    void withoutTheRuleANonSquareInputFails() {
        assertFails("explicit-default-attributes (x[2,3])", "subtract", () ->
                run(importWith(withoutRule(ExplicitDefaultAttributes.class), model(2)), inputs(2), "y"));
    }

    @Test
    void writesMissingDefaultsAndLeavesExplicitAttributesAlone() {
        ModelProto m = graph().input("x", 2, 3).longs("i", dims(1), 0)
                .node("ReduceMean", "implicit", "a", List.of("x"), ints("axes", 1))
                .node("ReduceSum", "explicit", "b", List.of("x"), ints("axes", 1), intAttr("keepdims", 0))
                .node("Gather", "gatherImplicit", "c", List.of("x", "i"))
                .node("Gather", "gatherExplicit", "d", List.of("x", "i"), intAttr("axis", 1))
                .node("Relu", "other", "e", List.of("x"))
                .output("a").output("b").output("c").output("d").output("e").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(2, new ExplicitDefaultAttributes().apply(g));
        assertEquals(1, attr(g, "implicit", "keepdims").getI());
        assertEquals(0, attr(g, "explicit", "keepdims").getI());
        assertEquals(0, attr(g, "gatherImplicit", "axis").getI());
        assertEquals(1, attr(g, "gatherExplicit", "axis").getI());
        assertEquals(2, nodeNamed(g, "explicit").getAttributeCount(), "no attribute added to 'explicit'");
        assertEquals(1, nodeNamed(g, "gatherExplicit").getAttributeCount(), "no attribute added to 'gatherExplicit'");
        assertEquals(0, nodeNamed(g, "other").getAttributeCount());
        assertEquals(0, new ExplicitDefaultAttributes().apply(g), "idempotent");
    }

    private static AttributeProto attr(OnnxGraph g, String node, String name) {
        var a = OnnxGraph.attribute(nodeNamed(g, node), name);
        assertTrue(a.isPresent(), node + " has no " + name);
        return a.get();
    }
}
