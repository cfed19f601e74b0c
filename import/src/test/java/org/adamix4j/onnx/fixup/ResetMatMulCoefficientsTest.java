package org.adamix4j.onnx.fixup;

import onnx.Onnx.ModelProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defect: every imported MatMul gets alpha=0, beta=1, i.e. C = 0·AB + 1·C, which returns the
 * uninitialised output buffer; without {@link ResetMatMulCoefficients} a plain {@code x·W} imports
 * and runs but the output is wrong (zeros here).
 */
class ResetMatMulCoefficientsTest {
    private static final float[] X = sample(6, 9);
    private static final float[] W = sample(6, 10);

    /** y = MatMul(x[2,3], W[3,2]). */
    static ModelProto model() {
        return graph().input("x", 2, 3).floats("W", dims(3, 2), W)
                .node("MatMul", "mm", "y", List.of("x", "W"))
                .output("y").model();
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 3));
    }

    @Test
    void standardImportComputesTheMatMul() {
        GraphImport.Result r = GraphImport.standard().run(model(), "matmul");
        assertEquals(1, r.fixupCounts().get(new ResetMatMulCoefficients().name()));
        assertArrayEquals(new double[]{1, 0}, mmulCoefficients(r.sameDiff()));
        assertClose(matmul(X, W, 2, 3, 2), dims(2, 2), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheFixupTheOutputIsWrong() {
        SameDiff sd = importWith(withoutFixup(ResetMatMulCoefficients.class), model());
        assertArrayEquals(new double[]{0, 1}, mmulCoefficients(sd), "importer's alpha, beta");
        assertWrong("reset-matmul-coefficients", matmul(X, W, 2, 3, 2), run(sd, inputs(), "y"));
    }

    @Test
    void fixupIsIdempotent() {
        SameDiff sd = importWith(GraphImport.standard(), model());
        assertEquals(0, new ResetMatMulCoefficients().apply(sd));
    }

    /** The tArgs (alpha, beta) of the graph's single matmul op. */
    private static double[] mmulCoefficients(SameDiff sd) {
        List<Mmul> mmuls = sd.getOps().values().stream().map(SameDiffOp::getOp)
                .filter(Mmul.class::isInstance).map(Mmul.class::cast).toList();
        assertEquals(1, mmuls.size(), "matmul ops");
        return mmuls.get(0).tArgs();
    }
}
