package org.adamix4j.onnx.rewrite;

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
 * Defect: the importer maps Pow to an op that reports two outputs; importing {@code Pow(x, 2)} fails
 * with an IndexOutOfBoundsException ("Index 1 out of bounds for length 1") unless {@link SquareAsMul}
 * rewrites it as {@code Mul(x, x)}.
 */
class SquareAsMulTest {
    private static final float[] X = sample(6, 5);

    /** y = Pow(x[2,3], 2) + 1 (the exponent a scalar initializer). */
    static ModelProto model() {
        return graph().input("x", 2, 3).floats("two", dims(), 2f).floats("one", dims(), 1f)
                .node("Pow", "pow", "sq", List.of("x", "two"))
                .node("Add", "add", "y", List.of("sq", "one"))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = new float[6];
        for (int i = 0; i < 6; i++) y[i] = X[i] * X[i] + 1f;
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 3));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "square");
        assertEquals(1, fired(r, new SquareAsMul()));
        assertClose(expected(), dims(2, 3), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheImportFails() {
        assertFails("square-as-mul", "IndexOutOfBounds", () ->
                run(importWith(withoutRule(SquareAsMul.class), model()), inputs(), "y"));
    }

    @Test
    void squareBecomesMulAndTheExponentIsDropped() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(1, new SquareAsMul().apply(g));
        assertEquals("Mul", nodeNamed(g, "pow").getOpType());
        assertEquals(List.of("x", "x"), nodeNamed(g, "pow").getInputList());
        assertEquals(List.of("sq"), nodeNamed(g, "pow").getOutputList());
        assertTrue(g.initializer("two").isEmpty(), "the unused exponent is pruned");
    }

    /** GPT-2: gelu_new's x³ and the attention scale's √(head size). */
    @Test
    void cubeAndSquareRootImportToo() {
        float[] x = new float[6];
        for (int i = 0; i < 6; i++) x[i] = Math.abs(X[i]) + 0.1f;
        ModelProto m = graph().input("x", 2, 3).floats("three", dims(), 3f).floats("half", dims(), 0.5f)
                .node("Pow", "cube", "a", List.of("x", "three"))
                .node("Pow", "root", "b", List.of("x", "half"))
                .node("Add", "add", "y", List.of("a", "b"))
                .output("y").model();
        float[] expected = new float[6];
        for (int i = 0; i < 6; i++) expected[i] = x[i] * x[i] * x[i] + (float) Math.sqrt(x[i]);
        GraphImport.Result r = GraphImport.standard().run(m, "cube");
        assertEquals(2, fired(r, new SquareAsMul()));
        assertClose(expected, dims(2, 3), runArray(r.sameDiff(), Map.of("x", array(x, 2, 3)), "y"));
        assertFails("square-as-mul (cube)", "IndexOutOfBounds", () ->
                run(importWith(withoutRule(SquareAsMul.class), m), Map.of("x", array(x, 2, 3)), "y"));
    }

    @Test
    void otherExponentsAreLeftAlone() {
        ModelProto m = graph().input("x", 2, 3).input("e", 1).floats("four", dims(), 4f).floats("twos", dims(2), 2f, 2f)
                .node("Pow", "fourth", "a", List.of("x", "four"))
                .node("Pow", "dynamic", "b", List.of("x", "e"))
                .node("Pow", "vector", "c", List.of("x", "twos"))
                .output("a").output("b").output("c").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(0, new SquareAsMul().apply(g));
        assertEquals(List.of("Pow", "Pow", "Pow"), opTypes(g));
        assertEquals(List.of("x", "four"), nodeNamed(g, "fourth").getInputList());
        assertTrue(g.initializer("four").isPresent());
    }
}
