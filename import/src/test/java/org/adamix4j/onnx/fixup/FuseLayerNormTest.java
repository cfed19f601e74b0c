package org.adamix4j.onnx.fixup;

import onnx.Onnx.ModelProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FuseLayerNorm}: an opset-11 LayerNorm (the nine-op chain torch.onnx writes) becomes one
 * {@code layer_norm} op with the same output name and the same values; chains it must not touch
 * (large epsilon, an intermediate read elsewhere) stay decomposed and still compute correctly.
 */
class FuseLayerNormTest {
    private static final GraphImport FUSED = new GraphImport(org.adamix4j.onnx.rewrite.OnnxRewritePass.standard(),
            ImportFixupPass.standard());
    private static final int ROWS = 2, SEQ = 3, H = 5;
    private static final float[] X = sample(ROWS * SEQ * H, 21);
    private static final float[] GAMMA = sample(H, 22);
    private static final float[] BETA = sample(H, 23);

    /** y = LayerNorm(x) over the last axis, spelled as torch.onnx spells it at opset 11. */
    static ModelProto model(float eps, boolean leakIntermediate) {
        var g = graph().input("x", ROWS, SEQ, H)
                .floats("gamma", dims(H), GAMMA).floats("beta", dims(H), BETA)
                .floats("eps", dims(), eps).floats("two", dims(), 2f)
                .node("ReduceMean", "ln/mean", "m", List.of("x"), ints("axes", -1))
                .node("Sub", "ln/sub", "d", List.of("x", "m"))
                .node("Pow", "ln/pow", "d2", List.of("d", "two"))
                .node("ReduceMean", "ln/var", "v", List.of("d2"), ints("axes", -1))
                .node("Add", "ln/addeps", "ve", List.of("v", "eps"))
                .node("Sqrt", "ln/sqrt", "s", List.of("ve"))
                .node("Div", "ln/div", "n", List.of("d", "s"))
                .node("Mul", "ln/scale", "sc", List.of("n", "gamma"))
                .node("Add", "ln/shift", "y", List.of("sc", "beta"))
                .output("y");
        if (leakIntermediate) g.node("Mul", "leak", "z", List.of("d", "d")).output("z");
        return g.model();
    }

    /** LayerNorm computed directly, in double precision. */
    static float[] expected(double eps) {
        float[] out = new float[X.length];
        for (int r = 0; r < ROWS * SEQ; r++) {
            double mean = 0, var = 0;
            for (int i = 0; i < H; i++) mean += X[r * H + i];
            mean /= H;
            for (int i = 0; i < H; i++) var += (X[r * H + i] - mean) * (X[r * H + i] - mean);
            var /= H;
            for (int i = 0; i < H; i++) {
                out[r * H + i] = (float) ((X[r * H + i] - mean) / Math.sqrt(var + eps) * GAMMA[i] + BETA[i]);
            }
        }
        return out;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, ROWS, SEQ, H));
    }

    private static long count(SameDiff sd, String op) {
        return sd.getOps().values().stream().map(SameDiffOp::getOp).filter(o -> o.opName().equals(op)).count();
    }

    @Test
    void fusesTheChainIntoOneOpWithTheSameOutput() {
        GraphImport.Result r = FUSED.run(model(1e-12f, false), "ln");
        assertEquals(1, r.fixupCounts().get("fuse-layer-norm"));
        SameDiff sd = r.sameDiff();
        assertEquals(1, count(sd, "layer_norm"));
        assertEquals(0, count(sd, "reduce_mean"));
        assertEquals(0, count(sd, "sqrt"));
        assertClose(expected(1e-12), dims(ROWS, SEQ, H), runArray(sd, inputs(), "y"));
        // The graph still builds a gradient function (no references to the removed ops survive).
        assertTrue(sd.getVariables().get("x").getInputsForOp().stream().allMatch(sd.getOps()::containsKey));
    }

    @Test
    void theStandardImportFusesAndTheUnfusedPassKeepsTheNineOpsWithTheSameValues() {
        assertEquals(1, count(importWith(GraphImport.standard(), model(1e-12f, false)), "layer_norm"), "fused by default");
        SameDiff sd = importWith(new GraphImport(org.adamix4j.onnx.rewrite.OnnxRewritePass.standard(),
                ImportFixupPass.unfusedLayerNorm()), model(1e-12f, false));
        assertEquals(0, count(sd, "layer_norm"));
        assertEquals(2, count(sd, "reduce_mean"));
        assertClose(expected(1e-12), dims(ROWS, SEQ, H), runArray(sd, inputs(), "y"));
    }

    @Test
    void leavesChainsItCannotFuseExactly() {
        GraphImport.Result bigEps = FUSED.run(model(1e-2f, false), "ln");
        assertEquals(0, bigEps.fixupCounts().get("fuse-layer-norm"), "layer_norm has no epsilon");
        assertClose(expected(1e-2), dims(ROWS, SEQ, H), runArray(bigEps.sameDiff(), inputs(), "y"));

        GraphImport.Result leak = FUSED.run(model(1e-12f, true), "ln");
        assertEquals(0, leak.fixupCounts().get("fuse-layer-norm"), "x - mean is read outside the chain");
        assertClose(expected(1e-12), dims(ROWS, SEQ, H), runArray(leak.sameDiff(), inputs(), "y"));
    }
}
