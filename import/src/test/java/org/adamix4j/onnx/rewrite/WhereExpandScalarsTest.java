package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defect: the imported Where does not broadcast its value inputs, so DistilBERT's
 * {@code Where(mask, finfo.min, scores)} with a scalar branch fails ("Op validation failed") unless
 * {@link WhereExpandScalars} expands the scalar to the other branch's shape.
 */
class WhereExpandScalarsTest {
    private static final long[] MASK = {1, 1, 0, 1, 0, 0};
    private static final float[] X = sample(6, 9);
    private static final float NEG = -1e9f;

    /** y = Where(Equal(mask[2,3], 0), -1e9, x[2,3]). */
    static ModelProto model() {
        return graph().input("attention_mask", TensorProto.DataType.INT64, 2, 3).input("x", 2, 3)
                .longs("zero", dims(), 0).floats("neg", dims(), NEG)
                .node("Equal", "eq", "is_pad", List.of("attention_mask", "zero"))
                .node("Where", "where", "y", List.of("is_pad", "neg", "x"))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = new float[6];
        for (int i = 0; i < 6; i++) y[i] = MASK[i] == 0 ? NEG : X[i];
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("attention_mask", longArray(MASK, 2, 3), "x", array(X, 2, 3));
    }

    @Test
    void standardImportComputesTheGraph() {
        // WhereAsArithmetic (earlier in the pass) turns masking Wheres into arithmetic; this rule covers
        // the Wheres it leaves, so it is tested without it.
        GraphImport.Result r = new GraphImport(rulesWithout(WhereAsArithmetic.class),
                org.adamix4j.onnx.fixup.ImportFixupPass.standard()).run(model(), "where scalar");
        assertEquals(1, fired(r, new WhereExpandScalars()));
        assertClose(expected(), dims(2, 3), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheWhereFails() {
        assertFails("where-expand-scalars", "[Where] execution failed with message Op validation failed", () ->
                run(importWith(new GraphImport(rulesWithout(WhereExpandScalars.class, WhereAsArithmetic.class),
                        org.adamix4j.onnx.fixup.ImportFixupPass.standard()), model()), inputs(), "y"));
    }

    @Test
    void scalarBranchIsExpandedToTheShapeOfTheOther() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(1, new WhereExpandScalars().apply(g));
        assertEquals(List.of("Equal", "Shape", "Expand", "Where"), opTypes(g));
        NodeProto.Builder where = nodeNamed(g, "where");
        assertEquals("is_pad", where.getInput(0));
        assertEquals("x", where.getInput(2));
        NodeProto.Builder expand = g.producer(where.getInput(1)).orElseThrow();
        assertEquals("Expand", expand.getOpType());
        assertEquals("neg", expand.getInput(0));
        NodeProto.Builder shape = g.producer(expand.getInput(1)).orElseThrow();
        assertEquals("Shape", shape.getOpType());
        assertEquals(List.of("x"), shape.getInputList());
        assertEquals(List.of("y"), where.getOutputList());
    }

    @Test
    void whereWithoutAConstantScalarIsLeftAlone() {
        ModelProto m = graph().input("c", TensorProto.DataType.BOOL, 2, 3).input("x", 2, 3).input("z", 2, 3)
                .floats("vec", dims(3), 1f, 2f, 3f).floats("neg", dims(), NEG).floats("also", dims(), 0f)
                .node("Where", "tensors", "a", List.of("c", "x", "z"))
                .node("Where", "vector", "b", List.of("c", "vec", "x"))
                .node("Where", "constants", "d", List.of("c", "neg", "also"))
                .output("a").output("b").output("d").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(0, new WhereExpandScalars().apply(g));
        assertEquals(List.of("Where", "Where", "Where"), opTypes(g));
    }
}
