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
 * Defect: the importer implements Expand as a multiplication by ones, which fails on booleans
 * ("applyTrueBroadcast: the shape or type of target array is wrong"); DistilBERT expands the Equal of
 * its attention mask. {@link ExpandBoolViaFloat} expands through float:
 * {@code Cast(Expand(Cast(b, FLOAT), s), BOOL)}.
 */
class ExpandBoolViaFloatTest {
    private static final long[] MASK = {1, 1, 0, 1, 0, 0};

    /**
     * DistilBERT's mask idiom: y = Cast(Expand(Reshape(Equal(mask[2,3], 0), [2,1,3]), [2,2,3]), FLOAT),
     * i.e. 1 where the mask is 0, repeated over a head axis.
     */
    static ModelProto model() {
        return graph().input("attention_mask", TensorProto.DataType.INT64, 2, 3)
                .longs("zero", dims(), 0).longs("mask_shape", dims(3), 2, 1, 3).longs("target", dims(3), 2, 2, 3)
                .node("Equal", "eq", "is_pad", List.of("attention_mask", "zero"))
                .node("Reshape", "reshape", "is_pad3", List.of("is_pad", "mask_shape"))
                .node("Expand", "expand", "expanded", List.of("is_pad3", "target"))
                .node("Cast", "cast", "y", List.of("expanded"), intAttr("to", TensorProto.DataType.FLOAT.getNumber()))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = new float[12];
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 2; h++)
                for (int s = 0; s < 3; s++) y[(b * 2 + h) * 3 + s] = MASK[b * 3 + s] == 0 ? 1f : 0f;
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("attention_mask", longArray(MASK, 2, 3));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "expand bool");
        assertEquals(1, fired(r, new ExpandBoolViaFloat()));
        assertClose(expected(), dims(2, 2, 3), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheExpandFails() {
        assertFails("expand-bool-via-float", "applyTrueBroadcast", () ->
                run(importWith(withoutRule(ExpandBoolViaFloat.class), model()), inputs(), "y"));
    }

    @Test
    void boolExpandIsWrappedInCastsAndKeepsItsOutput() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(1, new ExpandBoolViaFloat().apply(g));
        assertEquals(List.of("Equal", "Reshape", "Cast", "Expand", "Cast", "Cast"), opTypes(g));
        NodeProto.Builder expand = nodeNamed(g, "expand");
        NodeProto.Builder in = g.producer(expand.getInput(0)).orElseThrow();
        assertEquals("Cast", in.getOpType());
        assertEquals(List.of("is_pad3"), in.getInputList());
        assertEquals(TensorProto.DataType.FLOAT.getNumber(), OnnxGraph.attribute(in, "to").orElseThrow().getI());
        assertEquals("target", expand.getInput(1));
        NodeProto.Builder out = g.producer("expanded").orElseThrow();
        assertEquals("Cast", out.getOpType());
        assertEquals(List.of(expand.getOutput(0)), out.getInputList());
        assertEquals(TensorProto.DataType.BOOL.getNumber(), OnnxGraph.attribute(out, "to").orElseThrow().getI());
        assertEquals(List.of("expanded"), nodeNamed(g, "cast").getInputList(), "consumers are untouched");
    }

    @Test
    void nonBooleanExpandsAreLeftAlone() {
        ModelProto m = graph().input("x", 2, 1, 3).input("ids", TensorProto.DataType.INT64, 2, 1, 3)
                .longs("target", dims(3), 2, 2, 3)
                .node("Expand", "floats", "a", List.of("x", "target"))
                .node("Expand", "longs", "b", List.of("ids", "target"))
                .output("a").output("b").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(0, new ExpandBoolViaFloat().apply(g));
        assertEquals(List.of("Expand", "Expand"), opTypes(g));
    }
}
