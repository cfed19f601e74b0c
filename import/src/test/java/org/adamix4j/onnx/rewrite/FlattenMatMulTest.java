package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defect: SameDiff's matmul does not broadcast a rank-3 input against a rank-2 weight; without
 * {@link FlattenMatMul} {@code MatMul(x[2,3,4], W[4,2])} fails at execution ("Op matmul with name mm
 * failed to execute").
 */
class FlattenMatMulTest {
    private static final float[] X = sample(24, 7);
    private static final float[] W = sample(8, 8);

    /** y = MatMul(x[2,3,4], W[4,2]). */
    static ModelProto model() {
        return graph().input("x", 2, 3, 4).floats("W", dims(4, 2), W)
                .node("MatMul", "mm", "y", List.of("x", "W"))
                .output("y").model();
    }

    /** Each of the 6 rows x[b][s] times W. */
    static float[] expected() {
        return matmul(X, W, 6, 4, 2);
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 3, 4));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "flatten matmul");
        assertEquals(1, fired(r, new FlattenMatMul()));
        assertClose(expected(), dims(2, 3, 2), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheMatMulFails() {
        assertFails("flatten-matmul", "matmul", () ->
                run(importWith(withoutRule(FlattenMatMul.class), model()), inputs(), "y"));
    }

    @Test
    void rank3MatMulIsWrappedInReshapesAndKeepsItsName() {
        ModelProto m = graph().input("x", 2, 3, 4).floats("W", dims(4, 2), W)
                .node("MatMul", "mm", "y", List.of("x", "W"))
                .node("Relu", "relu", "z", List.of("y"))
                .output("z").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(1, new FlattenMatMul().apply(g));
        assertEquals(List.of("Reshape", "Shape", "Gather", "Concat", "MatMul", "Reshape", "Relu"), opTypes(g));
        NodeProto.Builder mm = nodeNamed(g, "mm");
        NodeProto.Builder flatten = g.producer(mm.getInput(0)).orElseThrow();
        assertEquals("Reshape", flatten.getOpType());
        assertEquals("x", flatten.getInput(0));
        assertArrayEquals(new long[]{-1, 4}, Tensors.longs(g.initializer(flatten.getInput(1)).orElseThrow()));
        assertEquals("W", mm.getInput(1));
        NodeProto.Builder unflatten = g.producer("y").orElseThrow();
        assertEquals("Reshape", unflatten.getOpType());
        assertEquals(mm.getOutput(0), unflatten.getInput(0));
        NodeProto.Builder outShape = g.producer(unflatten.getInput(1)).orElseThrow();
        assertEquals("Concat", outShape.getOpType());
        assertArrayEquals(new long[]{2}, Tensors.longs(g.initializer(outShape.getInput(1)).orElseThrow()));
        assertEquals(List.of("y"), nodeNamed(g, "relu").getInputList(), "consumers are untouched");
    }

    @Test
    void otherMatMulsAreLeftAlone() {
        ModelProto m = graph().input("x2", 6, 4).input("x3", 2, 3, 4).input("v", 2, 4, 3)
                .floats("W", dims(4, 2), W)
                .node("MatMul", "rank2", "a", List.of("x2", "W"))
                .node("MatMul", "activations", "b", List.of("x3", "v"))
                .output("a").output("b").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(0, new FlattenMatMul().apply(g));
        assertEquals(List.of("MatMul", "MatMul"), opTypes(g));
    }
}
