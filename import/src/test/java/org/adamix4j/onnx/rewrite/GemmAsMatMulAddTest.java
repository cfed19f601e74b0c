package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defect: an imported Gemm gets the matmul coefficients every imported MatMul gets, and resetting
 * them (alpha 1, beta 0) drops its bias C, so Hugging Face's Conv1D ({@code addmm(b, x, W)}, GPT-2)
 * computes {@code x W} without {@code + b} unless {@link GemmAsMatMulAdd} splits it into MatMul + Add.
 */
class GemmAsMatMulAddTest {
    private static final float[] X = sample(6, 1);
    private static final float[] W = sample(8, 2);
    private static final float[] B = {0.5f, -1f, 2f, 0.25f};

    /** y = Gemm(x[3,2], W[2,4], b[4]), alpha = beta = 1. */
    static ModelProto model() {
        return graph().input("x", 3, 2).floats("W", dims(2, 4), W).floats("b", dims(4), B)
                .node("Gemm", "/h.0/attn/c_attn/Gemm", "y", List.of("x", "W", "b"))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = matmul(X, W, 3, 2, 4);
        for (int i = 0; i < 12; i++) y[i] += B[i % 4];
        return y;
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "gemm");
        assertEquals(1, fired(r, new GemmAsMatMulAdd()));
        assertClose(expected(), dims(3, 4), runArray(r.sameDiff(), Map.of("x", array(X, 3, 2)), "y"));
    }

    @Test
    void withoutTheRuleTheBiasIsLost() {
        float[] got = run(importWith(withoutRule(GemmAsMatMulAdd.class), model()), Map.<String, INDArray>of("x", array(X, 3, 2)), "y");
        assertWrong("gemm-as-matmul-add", expected(), got);
    }

    @Test
    void theMatMulKeepsTheNodeNameAndTheAddTakesTheOutput() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(1, new GemmAsMatMulAdd().apply(g));
        assertEquals(List.of("MatMul", "Add"), opTypes(g));
        assertEquals(List.of("x", "W"), nodeNamed(g, "/h.0/attn/c_attn/Gemm").getInputList());
        assertEquals("y", g.nodes().get(1).getOutput(0));
    }

    @Test
    void transposedOrScaledGemmsAreLeftAlone() {
        ModelProto m = graph().input("x", 3, 2).floats("W", dims(4, 2), W).floats("b", dims(4), B)
                .node("Gemm", "t", "y", List.of("x", "W", "b"), intAttr("transB", 1))
                .output("y").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(0, new GemmAsMatMulAdd().apply(g));
        assertEquals(List.of("Gemm"), opTypes(g));
    }
}
