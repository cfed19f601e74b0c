package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defect: the imported Where does not broadcast its condition ("Op validation failed"); GPT-2 masks
 * scores [batch, heads, q, k] with a [1, 1, q, k] causal mask. {@link WhereExpandCondition} expands the
 * condition to the branch's shape (through float).
 */
class WhereExpandConditionTest {
    private static final long[] KEEP = {1, 0, 1};
    private static final float[] X = sample(6, 5);
    private static final float[] Y = sample(6, 6);

    /** out = Where(Equal(keep[1,3], 1), x[2,3], y[2,3]). */
    static ModelProto model() {
        return graph().input("keep", TensorProto.DataType.INT64, 1, 3).input("x", 2, 3).input("y", 2, 3)
                .longs("one", dims(), 1)
                .node("Equal", "eq", "c", List.of("keep", "one"))
                .node("Where", "where", "out", List.of("c", "x", "y"))
                .output("out").model();
    }

    static float[] expected() {
        float[] out = new float[6];
        for (int i = 0; i < 6; i++) out[i] = KEEP[i % 3] == 1 ? X[i] : Y[i];
        return out;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("keep", longArray(KEEP, 1, 3), "x", array(X, 2, 3), "y", array(Y, 2, 3));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "where condition");
        assertEquals(1, fired(r, new WhereExpandCondition()));
        assertClose(expected(), dims(2, 3), runArray(r.sameDiff(), inputs(), "out"));
    }

    @Test
    void withoutTheRuleTheWhereFails() {
        assertFails("where-expand-condition", "Op validation failed", () ->
                run(importWith(withoutRule(WhereExpandCondition.class), model()), inputs(), "out"));
    }

    @Test
    void anExpandedConditionIsLeftAlone() {
        ModelProto m = graph().input("c", TensorProto.DataType.BOOL, 1, 3).input("x", 2, 3).input("y", 2, 3)
                .longs("shape", dims(2), 2, 3)
                .node("Expand", "expand", "ce", List.of("c", "shape"))
                .node("Where", "where", "out", List.of("ce", "x", "y"))
                .output("out").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(0, new WhereExpandCondition().apply(g));
    }
}
