package org.adamix4j.onnx.fixup;

import onnx.Onnx.ModelProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect: the importer leaves variables referring to ops that are not in the graph (here from the
 * Shape/Slice/Concat/Reshape chain that FlattenMatMul builds around a rank-3 MatMul). Inference
 * ignores them, but building the gradient function walks them: without {@link PruneDanglingOps}
 * calculateGradients throws a NullPointerException from createGradFunction.
 */
class PruneDanglingOpsTest {
    private static final float[] X = sample(24, 11);
    private static final float[] W = sample(8, 12);

    /** y = MatMul(x[2,3,4], W[4,2]); the standard rewrites turn it into a reshape chain. */
    static ModelProto model() {
        return graph().input("x", 2, 3, 4).floats("W", dims(4, 2), W)
                .node("MatMul", "mm", "y", List.of("x", "W"))
                .output("y").model();
    }

    /** d sum(x·W) / dW[k][n] = sum over the 6 rows of x[row][k], the same for every n. */
    static float[] expectedGradient() {
        float[] g = new float[8];
        for (int k = 0; k < 4; k++) {
            double s = 0;
            for (int row = 0; row < 6; row++) s += X[row * 4 + k];
            for (int n = 0; n < 2; n++) g[k * 2 + n] = (float) s;
        }
        return g;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 3, 4));
    }

    /** Unfreezes W, sets loss = sum(y) and returns dLoss/dW. */
    private static INDArray gradientOfW(SameDiff sd) {
        sd.convertToVariables(List.of(sd.getVariable("W")));
        sd.sum("loss", sd.getVariable("y"));
        sd.setLossVariables("loss");
        return sd.calculateGradients(inputs(), "W").get("W");
    }

    @Test
    void standardImportHasGradients() {
        GraphImport.Result r = GraphImport.standard().run(model(), "gradient");
        assertTrue(r.fixupCounts().get(new PruneDanglingOps().name()) > 0, "the importer left dangling refs");
        assertEquals(List.of(), danglingReferences(r.sameDiff()));
        INDArray g = gradientOfW(r.sameDiff());
        assertClose(expectedGradient(), dims(4, 2), g);
        assertClose(matmul(X, W, 6, 4, 2), dims(2, 3, 2), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheFixupGradientsFail() {
        SameDiff sd = importWith(withoutFixup(PruneDanglingOps.class), model());
        assertTrue(!danglingReferences(sd).isEmpty(), "the importer left dangling refs");
        // Inference is unaffected...
        assertClose(matmul(X, W, 6, 4, 2), dims(2, 3, 2), runArray(sd, inputs(), "y"));
        // ...but building the gradient function is not.
        Throwable t = assertFails("prune-dangling-ops", "NullPointerException", () -> gradientOfW(sd));
        assertTrue(stackMentions(t, "createGradFunction"), "failure comes from createGradFunction");
    }

    @Test
    void pruningRemovesExactlyTheDanglingReferences() {
        SameDiff sd = importWith(withoutFixup(PruneDanglingOps.class), model());
        int dangling = danglingReferences(sd).size();
        int ops = sd.getOps().size();
        assertEquals(dangling, new PruneDanglingOps().apply(sd));
        assertEquals(List.of(), danglingReferences(sd));
        assertEquals(ops, sd.getOps().size(), "no op removed");
        assertEquals(0, new PruneDanglingOps().apply(sd), "idempotent");
    }

    /** "variable -> op" for every reference from a variable to an op that is not in the graph. */
    static List<String> danglingReferences(SameDiff sd) {
        Set<String> ops = sd.getOps().keySet();
        List<String> out = new ArrayList<>();
        for (Variable v : sd.getVariables().values()) {
            List<List<String>> refs = new ArrayList<>();
            refs.add(v.getInputsForOp());
            refs.add(v.getControlDepsForOp());
            refs.add(v.getControlDepsForVar());
            if (v.getOutputOfOp() != null) refs.add(List.of(v.getOutputOfOp()));
            for (List<String> names : refs) {
                if (names == null) continue;
                for (String op : names) if (!ops.contains(op)) out.add(v.getName() + " -> " + op);
            }
        }
        return out;
    }

    private static boolean stackMentions(Throwable t, String method) {
        for (Throwable c = t; c != null; c = c.getCause())
            for (StackTraceElement e : c.getStackTrace()) if (e.getMethodName().contains(method)) return true;
        return false;
    }
}
