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
 * Defect: the imported Split gives only its first output an op; reading a later part fails with "did not
 * have any ops associated with it" unless {@link SplitAsSlices} turns the Split into one Slice per part
 * (GPT-2 splits its fused q | k | v projection).
 */
class SplitAsSlicesTest {
    private static final float[] X = sample(2 * 6, 3);

    /** a, b, c = Split(x[2,6], axis 1, [2, 3, 1]); y = b * 2. */
    static ModelProto model() {
        return graph().input("x", 2, 6).floats("two", dims(), 2f)
                .node("Split", "split", "a", List.of("x"), intAttr("axis", 1), ints("split", 2, 3, 1))
                .output("y").model();
    }

    static ModelProto withThreeOutputs() {
        ModelProto m = model();
        var b = m.toBuilder();
        var split = b.getGraphBuilder().getNodeBuilder(0);
        split.addOutput("b").addOutput("c");
        b.getGraphBuilder().addNode(onnx.Onnx.NodeProto.newBuilder().setOpType("Mul").setName("mul")
                .addInput("b").addInput("two").addOutput("y"));
        return b.build();
    }

    static float[] expected() {
        float[] y = new float[6];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) y[i * 3 + j] = 2 * X[i * 6 + 2 + j];
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 6));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(withThreeOutputs(), "split");
        assertEquals(1, fired(r, new SplitAsSlices()));
        assertClose(expected(), dims(2, 3), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleALaterPartHasNoOp() {
        assertFails("split-as-slices", "did not have any ops associated with it", () ->
                run(importWith(withoutRule(SplitAsSlices.class), withThreeOutputs()), inputs(), "y"));
    }

    @Test
    void eachPartBecomesASliceKeepingItsOutputName() {
        OnnxGraph g = OnnxGraph.of(withThreeOutputs());
        assertEquals(1, new SplitAsSlices().apply(g));
        assertEquals(List.of("Slice", "Slice", "Slice", "Mul"), opTypes(g));
        assertEquals(List.of("a", "b", "c"), g.nodes().subList(0, 3).stream().map(n -> n.getOutput(0)).toList());
        assertEquals("split", g.nodes().get(0).getName());
    }
}
