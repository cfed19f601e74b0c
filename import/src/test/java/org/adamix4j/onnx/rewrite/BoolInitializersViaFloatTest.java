package org.adamix4j.onnx.rewrite;

import org.nd4j.shade.protobuf.ByteString;
import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect: the importer reads a boolean initializer as all false; GPT-2's causal mask (a bool
 * lower-triangular buffer) would then hide every attention score. {@link BoolInitializersViaFloat}
 * stores it as float and casts it back to bool in the graph.
 */
class BoolInitializersViaFloatTest {
    private static final byte[] MASK = {1, 0, 0, 1, 1, 0};
    private static final float[] X = sample(6, 4);

    /** y = Cast(mask[2,3] (bool initializer), FLOAT) * x[2,3]. */
    static ModelProto model() {
        TensorProto mask = TensorProto.newBuilder().setName("mask").setDataType(TensorProto.DataType.BOOL.getNumber())
                .addDims(2).addDims(3).setRawData(ByteString.copyFrom(MASK)).build();
        return graph().input("x", 2, 3).initializer(mask)
                .node("Cast", "cast", "m", List.of("mask"), intAttr("to", TensorProto.DataType.FLOAT.getNumber()))
                .node("Mul", "mul", "y", List.of("m", "x"))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = new float[6];
        for (int i = 0; i < 6; i++) y[i] = MASK[i] * X[i];
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 3));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "bool initializer");
        assertEquals(1, fired(r, new BoolInitializersViaFloat()));
        assertClose(expected(), dims(2, 3), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheMaskIsWrong() {
        assertWrong("bool-initializers-via-float", expected(),
                run(importWith(withoutRule(BoolInitializersViaFloat.class), model()), inputs(), "y"));
    }

    @Test
    void theInitializerBecomesFloatAndACastRestoresTheName() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(1, new BoolInitializersViaFloat().apply(g));
        assertTrue(g.initializer("mask").isEmpty());
        assertEquals(List.of("Cast", "Cast", "Mul"), opTypes(g));
        assertEquals("mask", g.nodes().get(0).getOutput(0));
        String f = g.nodes().get(0).getInput(0);
        assertEquals(TensorProto.DataType.FLOAT.getNumber(), g.initializer(f).orElseThrow().getDataType());
    }
}
