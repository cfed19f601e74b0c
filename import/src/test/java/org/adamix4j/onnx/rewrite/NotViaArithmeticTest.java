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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defect: the imported boolean Not is an unknown op number in libnd4j M2.1 ("Unknown opNum=10" in
 * transform_bool) and silently yields false everywhere, so RoBERTa's padding mask
 * {@code Not(Equal(input_ids, pad))} is wrong unless {@link NotViaArithmetic} computes
 * {@code Cast(1 - Cast(b, FLOAT), BOOL)}.
 */
class NotViaArithmeticTest {
    private static final long[] IDS = {0, 5, 1, 1, 0, 1, 7, 1};

    /** y = Cast(Not(Equal(input_ids[2,4], 1)), FLOAT). */
    static ModelProto model() {
        return graph().input("input_ids", TensorProto.DataType.INT64, 2, 4)
                .longs("pad", dims(), 1)
                .node("Equal", "eq", "is_pad", List.of("input_ids", "pad"))
                .node("Not", "not", "keep", List.of("is_pad"))
                .node("Cast", "cast", "y", List.of("keep"), intAttr("to", TensorProto.DataType.FLOAT.getNumber()))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = new float[8];
        for (int i = 0; i < 8; i++) y[i] = IDS[i] != 1 ? 1f : 0f;
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("input_ids", longArray(IDS, 2, 4));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "not");
        assertEquals(1, fired(r, new NotViaArithmetic()));
        assertClose(expected(), dims(2, 4), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleNotYieldsFalseEverywhere() {
        float[] actual = run(importWith(withoutRule(NotViaArithmetic.class), model()), inputs(), "y");
        assertEquals(1.0, assertWrong("not-via-arithmetic", expected(), actual), TOLERANCE);
        assertArrayEquals(new float[8], actual, "false everywhere");
    }

    @Test
    void notBecomesOneMinusTheFloatValue() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(1, new NotViaArithmetic().apply(g));
        assertEquals(List.of("Equal", "Cast", "Sub", "Cast", "Cast"), opTypes(g));
        NodeProto.Builder out = g.producer("keep").orElseThrow();
        assertEquals("not", out.getName(), "the final cast keeps the Not's name");
        assertEquals(TensorProto.DataType.BOOL.getNumber(), OnnxGraph.attribute(out, "to").orElseThrow().getI());
        NodeProto.Builder sub = g.producer(out.getInput(0)).orElseThrow();
        assertEquals("Sub", sub.getOpType());
        assertArrayEquals(new double[]{1}, Tensors.doubles(g.initializer(sub.getInput(0)).orElseThrow()));
        NodeProto.Builder in = g.producer(sub.getInput(1)).orElseThrow();
        assertEquals(List.of("is_pad"), in.getInputList());
        assertEquals(TensorProto.DataType.FLOAT.getNumber(), OnnxGraph.attribute(in, "to").orElseThrow().getI());
    }

    @Test
    void severalNotsShareOneConstant() {
        ModelProto m = graph().input("a", TensorProto.DataType.BOOL, 2).input("b", TensorProto.DataType.BOOL, 2)
                .node("Not", "n1", "x", List.of("a"))
                .node("Not", "n2", "y", List.of("b"))
                .output("x").output("y").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(2, new NotViaArithmetic().apply(g));
        assertEquals(1, g.initializers().size());
    }
}
