package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defect: the imported Where has no gradient, so nothing before a causal mask trains (GPT-2's
 * {@code Where(causal, scores, finfo.min)}; the imported Where does not broadcast the [1, 1, q, k] mask over
 * [batch, heads, q, k] either, which Gpt2FixtureTest covers). {@link WhereAsArithmetic} computes
 * {@code x·f + y·(1−f)} instead. The condition here has the full shape, so the import without the rule
 * runs forward (through WhereExpandScalars) and fails only when the gradient is built.
 */
class WhereAsArithmeticTest {
    private static final long[] KEEP = {1, 0, 1, 1, 1, 0};
    private static final float[] W = sample(6, 5);
    private static final float NEG = -3.4028235e38f;

    /**
     * out = Where(Equal(keep[2,3], 1), W[2,3] · ones[2,3], finfo.min): W is a weight; the product makes the
     * branch a computed tensor, as attention scores are, so that without the rule WhereExpandScalars
     * still lets the forward pass run and only the gradient fails.
     */
    static ModelProto model() {
        return graph().input("keep", TensorProto.DataType.INT64, 2, 3).input("ones", 2, 3)
                .floats("W", dims(2, 3), W).floats("neg", dims(), NEG).longs("one", dims(), 1)
                .node("Equal", "eq", "c", List.of("keep", "one"))
                .node("Mul", "scores", "x", List.of("W", "ones"))
                .node("Where", "where", "out", List.of("c", "x", "neg"))
                .output("out").model();
    }

    static float[] expected() {
        float[] out = new float[6];
        for (int i = 0; i < 6; i++) out[i] = KEEP[i] == 1 ? W[i] : NEG;
        return out;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("keep", longArray(KEEP, 2, 3), "ones", array(new float[]{1, 1, 1, 1, 1, 1}, 2, 3));
    }

    /** d sum(out · keep) / dW: 1 where kept, 0 where masked. */
    private static INDArray gradient(SameDiff sd) {
        sd.convertToVariables(List.of(sd.getVariable("W")));
        SDVariable out = sd.getVariable("out");
        SDVariable f = sd.getVariable("keep").castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        SDVariable loss = sd.sum(out.mul(f));
        sd.setLossVariables(loss);
        return sd.calculateGradients(inputs(), "W").get("W");
    }

    @Test
    void standardImportComputesTheGraphAndItsGradient() {
        GraphImport.Result r = GraphImport.standard().run(model(), "where");
        assertEquals(1, fired(r, new WhereAsArithmetic()));
        assertClose(expected(), dims(2, 3), runArray(r.sameDiff(), inputs(), "out"));
        float[] g = values(gradient(r.sameDiff()));
        for (int i = 0; i < 6; i++) assertEquals(KEEP[i], g[i], 1e-6, "gradient at " + i);
    }

    @Test
    void withoutTheRuleThereIsNoGradient() {
        SameDiff sd = importWith(withoutRule(WhereAsArithmetic.class), model());
        assertFails("where-as-arithmetic", "doDiff", () -> gradient(sd));
    }

    @Test
    void wheresWithoutAConstantFloatBranchAreLeftAlone() {
        ModelProto m = graph().input("c", TensorProto.DataType.BOOL, 2, 3).input("x", 2, 3).input("y", 2, 3)
                .node("Where", "where", "out", List.of("c", "x", "y"))
                .output("out").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(0, new WhereAsArithmetic().apply(g));
    }
}
