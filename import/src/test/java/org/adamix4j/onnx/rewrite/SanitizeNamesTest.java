package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.ValueInfoProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect: SameDiff reads "name:1" as output 1 of op "name", so PyTorch's anonymous tensors such as
 * {@code onnx::MatMul_1} cannot be found: without {@link SanitizeNames} the import fails with
 * "No variable name found for onnx::MatMul_1".
 */
class SanitizeNamesTest {
    private static final float[] X = sample(6, 2);
    private static final float[] W = sample(6, 3);
    private static final float[] B = {0.25f, -0.75f};

    /** y = MatMul(x[2,3], onnx::MatMul_1[3,2]) + onnx::Add_2[2], via the intermediate onnx::Add_3. */
    static ModelProto model() {
        return graph().input("x", 2, 3)
                .floats("onnx::MatMul_1", dims(3, 2), W)
                .floats("onnx::Add_2", dims(2), B)
                .node("MatMul", "/dense/MatMul", "onnx::Add_3", List.of("x", "onnx::MatMul_1"))
                .node("Add", "/dense/Add", "y", List.of("onnx::Add_3", "onnx::Add_2"))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = matmul(X, W, 2, 3, 2);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) y[i * 2 + j] += B[j];
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 3));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "sanitize");
        assertTrue(fired(r, new SanitizeNames()) > 0);
        assertTrue(r.sameDiff().hasVariable("onnx__MatMul_1"));
        assertClose(expected(), dims(2, 2), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheImportFails() {
        assertFails("sanitize-names", "No variable name found for onnx::", () ->
                run(importWith(withoutRule(SanitizeNames.class), model()), inputs(), "y"));
    }

    @Test
    void renamesEverywhere() {
        ModelProto m = graph().input("in:put", 2, 3)
                .floats("onnx::MatMul_1", dims(3, 2), W)
                .node("MatMul", "onnx::MatMul_node", "out:0", List.of("in:put", "onnx::MatMul_1"))
                .output("out:0").model();
        OnnxGraph g = OnnxGraph.of(m);
        // Every renamed occurrence counts: 2 node inputs, 1 node output, 1 initializer, 1 graph input,
        // 1 graph output (node names are renamed but not counted).
        assertEquals(6, new SanitizeNames().apply(g));
        NodeProto.Builder n = g.nodes().get(0);
        assertEquals(List.of("in_put", "onnx__MatMul_1"), n.getInputList());
        assertEquals(List.of("out_0"), n.getOutputList());
        assertEquals("onnx__MatMul_node", n.getName());
        assertTrue(g.initializer("onnx__MatMul_1").isPresent());
        assertEquals("onnx__MatMul_1", g.initializer("onnx__MatMul_1").get().getName());
        assertTrue(g.initializer("onnx::MatMul_1").isEmpty());
        assertEquals(List.of("in_put"), g.inputs().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("out_0"), g.outputs().stream().map(ValueInfoProto::getName).toList());
        ModelProto out = g.toModel();
        assertFalse(out.toString().contains("onnx::"), "no ':' name survives");
        assertEquals(List.of("onnx__MatMul_1"), out.getGraph().getInitializerList().stream().map(TensorProto::getName).toList());
    }

    @Test
    void leavesCleanNamesAlone() {
        OnnxGraph g = OnnxGraph.of(model());
        new SanitizeNames().apply(g);
        OnnxGraph again = OnnxGraph.of(g.toModel());
        assertEquals(0, new SanitizeNames().apply(again));
        assertEquals(g.toModel(), again.toModel());
    }
}
