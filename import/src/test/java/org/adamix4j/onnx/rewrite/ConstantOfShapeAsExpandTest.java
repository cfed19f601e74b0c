package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defects: the importer reads a TENSOR attribute from {@code tensors[0]} instead of {@code t}, so
 * ConstantOfShape (whose {@code value} PyTorch writes into {@code t}, as in RoBERTa's token-type ids)
 * fails with "IndexOutOfBoundsException: Index: 0" in OnnxIRAttr.tensorValue; and its fill goes through
 * SameDiff's assign, which yields zeros. {@link ConstantOfShapeAsExpand} replaces the op by an Expand
 * of a scalar initializer.
 */
class ConstantOfShapeAsExpandTest {
    private static final long[] IDS = {0, 5, 1, 1, 7, 2};
    private static final float[] ROW = {0.5f, -1.25f, 2f};
    private static final float[] X = sample(6, 11);

    /** The attribute as PyTorch writes it: a [1] tensor with raw_data in {@code t}, nothing in {@code tensors}. */
    static AttributeProto value(TensorProto t) {
        return AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                .setT(t).build();
    }

    /**
     * Token-type ids as zeros of the ids' shape, used as a float: y = row[3] +
     * Cast(ConstantOfShape(Shape(input_ids[2,3]), value=INT64 [0]), FLOAT), i.e. row repeated over [2,3].
     */
    static ModelProto model() {
        return graph().input("input_ids", TensorProto.DataType.INT64, 2, 3).floats("row", dims(3), ROW)
                .node("Shape", "shape", "shape", List.of("input_ids"))
                .node("ConstantOfShape", "zeros", "token_type_ids", List.of("shape"),
                        value(Tensors.int64("", dims(1), 0)))
                .node("Cast", "cast", "zeros_f", List.of("token_type_ids"),
                        intAttr("to", TensorProto.DataType.FLOAT.getNumber()))
                .node("Add", "add", "y", List.of("row", "zeros_f"))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = new float[6];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) y[i * 3 + j] = ROW[j];
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("input_ids", longArray(IDS, 2, 3));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "constant of shape");
        assertEquals(1, fired(r, new ConstantOfShapeAsExpand()));
        assertClose(expected(), dims(2, 3), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheImportFails() {
        Throwable t = assertFails("constant-of-shape-as-expand", "IndexOutOfBoundsException: Index: 0", () ->
                run(importWith(withoutRule(ConstantOfShapeAsExpand.class), model()), inputs(), "y"));
        assertTrue(Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().endsWith(".OnnxIRAttr")
                && f.getMethodName().equals("tensorValue")), "thrown in OnnxIRAttr.tensorValue");
    }

    /** A non-zero fill: y = x[2,3] + ConstantOfShape(Shape(x), value=FLOAT [0.75]) must add 0.75 everywhere. */
    @Test
    void nonZeroFillValueIsKept() {
        float fill = 0.75f;
        ModelProto m = graph().input("x", 2, 3)
                .node("Shape", "shape", "shape", List.of("x"))
                .node("ConstantOfShape", "fill", "c", List.of("shape"), value(Tensors.float32("", dims(1), fill)))
                .node("Add", "add", "y", List.of("x", "c"))
                .output("y").model();
        float[] expected = new float[6];
        for (int i = 0; i < 6; i++) expected[i] = X[i] + fill;
        float[] actual = run(importWith(GraphImport.standard(), m), Map.of("x", array(X, 2, 3)), "y");
        assertTrue(maxAbsDiff(expected, actual) <= TOLERANCE, "fill kept: " + Arrays.toString(actual));
    }

    @Test
    void constantOfShapeBecomesAnExpandOfAScalar() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(1, new ConstantOfShapeAsExpand().apply(g));
        assertEquals("Expand", nodeNamed(g, "zeros").getOpType());
        assertEquals(0, nodeNamed(g, "zeros").getAttributeCount());
        assertEquals(0, g.initializer(nodeNamed(g, "zeros").getInput(0)).orElseThrow().getDimsCount());
        assertEquals(0, new ConstantOfShapeAsExpand().apply(g), "a second application changes nothing");
    }
}
