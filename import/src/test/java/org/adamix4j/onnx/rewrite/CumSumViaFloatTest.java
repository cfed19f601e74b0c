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
 * Defect: the imported cumsum fails on integer input ("Op [cumsum] execution failed"; libnd4j rejects
 * the INT32 input in validateDataTypes and reports that only on stderr, so the exception's "with
 * message" part is empty, or stale from an earlier failed op in the same JVM). RoBERTa computes its
 * position ids as the cumulative sum of the int32 padding mask. {@link CumSumViaFloat} sums in float:
 * {@code Cast(CumSum(Cast(i, FLOAT), axis), INT32)}.
 */
class CumSumViaFloatTest {
    private static final long[] IDS = {0, 5, 1, 1, 0, 1, 7, 1};
    private static final int INT32 = TensorProto.DataType.INT32.getNumber();

    /** y = Cast(Cast(CumSum(Cast(Equal(input_ids[2,4], 1), INT32), axis 1), INT64), FLOAT). */
    static ModelProto model() {
        return graph().input("input_ids", TensorProto.DataType.INT64, 2, 4)
                .longs("pad", dims(), 1).longs("axis", dims(), 1)
                .node("Equal", "eq", "is_pad", List.of("input_ids", "pad"))
                .node("Cast", "to_int", "flags", List.of("is_pad"), intAttr("to", INT32))
                .node("CumSum", "cumsum", "counts", List.of("flags", "axis"))
                .node("Cast", "to_long", "counts64", List.of("counts"), intAttr("to", TensorProto.DataType.INT64.getNumber()))
                .node("Cast", "to_float", "y", List.of("counts64"), intAttr("to", TensorProto.DataType.FLOAT.getNumber()))
                .output("y").model();
    }

    /** Running count of pad ids along each row. */
    static float[] expected() {
        float[] y = new float[8];
        for (int b = 0; b < 2; b++) {
            int count = 0;
            for (int s = 0; s < 4; s++) {
                if (IDS[b * 4 + s] == 1) count++;
                y[b * 4 + s] = count;
            }
        }
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("input_ids", longArray(IDS, 2, 4));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "cumsum int");
        assertEquals(1, fired(r, new CumSumViaFloat()));
        assertClose(expected(), dims(2, 4), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheCumSumFails() {
        assertFails("cumsum-via-float", "op type [cumsum] execution failed", () ->
                run(importWith(withoutRule(CumSumViaFloat.class), model()), inputs(), "y"));
    }

    @Test
    void integerCumSumRunsOnFloatAndCastsBack() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(1, new CumSumViaFloat().apply(g));
        assertEquals(List.of("Equal", "Cast", "Cast", "CumSum", "Cast", "Cast", "Cast"), opTypes(g));
        NodeProto.Builder cumsum = nodeNamed(g, "cumsum");
        assertEquals("axis", cumsum.getInput(1));
        NodeProto.Builder in = g.producer(cumsum.getInput(0)).orElseThrow();
        assertEquals(List.of("flags"), in.getInputList());
        assertEquals(TensorProto.DataType.FLOAT.getNumber(), OnnxGraph.attribute(in, "to").orElseThrow().getI());
        NodeProto.Builder out = g.producer("counts").orElseThrow();
        assertEquals("Cast", out.getOpType());
        assertEquals(List.of(cumsum.getOutput(0)), out.getInputList());
        assertEquals(INT32, OnnxGraph.attribute(out, "to").orElseThrow().getI(), "cast back to the input's type");
        assertEquals(List.of("counts"), nodeNamed(g, "to_long").getInputList(), "consumers are untouched");
    }

    @Test
    void floatCumSumIsLeftAlone() {
        ModelProto m = graph().input("x", 2, 4).longs("axis", dims(), 1)
                .node("CumSum", "cumsum", "y", List.of("x", "axis"))
                .output("y").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(0, new CumSumViaFloat().apply(g));
        assertEquals(List.of("CumSum"), opTypes(g));
    }
}
