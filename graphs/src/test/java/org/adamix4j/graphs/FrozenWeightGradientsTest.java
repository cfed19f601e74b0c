package org.adamix4j.graphs;

import org.adamix4j.onnx.ExecutedOps;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrozenWeightGradientsTest {

    /** v (trainable) → x·v → ·W1 (frozen) → ·W2ᵀ (frozen, transposed) → ·U (trainable) → loss. */
    private static SameDiff graph(INDArray v, INDArray w1, INDArray w2, INDArray u) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable h = x.mmul(sd.var("v", v.dup()));
        h = sd.math.tanh(h.mmul(sd.constant("w1", w1.dup())));
        h = sd.mmul(h, sd.constant("w2", w2.dup()), false, true, false);
        h = h.mmul(sd.var("u", u.dup()));
        sd.setLossVariables(sd.sum("loss", sd.math.square(h)));
        return sd;
    }

    private static List<String> executedOps(SameDiff sd, Map<String, INDArray> feeds) {
        return ExecutedOps.during(sd, () -> sd.calculateGradients(feeds, "v", "u"));
    }

    @Test
    void gradientsUnchangedAndFrozenWeightGradientsNeverComputed() {
        Nd4j.getRandom().setSeed(3);
        INDArray v = Nd4j.rand(DataType.FLOAT, 4, 5), w1 = Nd4j.rand(DataType.FLOAT, 5, 6);
        INDArray w2 = Nd4j.rand(DataType.FLOAT, 3, 6), u = Nd4j.rand(DataType.FLOAT, 3, 2);
        Map<String, INDArray> feeds = Map.of("x", Nd4j.rand(DataType.FLOAT, 7, 4));

        SameDiff reference = graph(v, w1, w2, u);
        Map<String, INDArray> expected = reference.calculateGradients(feeds, "v", "u");
        long bpBefore = executedOps(reference, feeds).stream().filter("matmul_bp"::equals).count();

        SameDiff sd = graph(v, w1, w2, u);
        sd.createGradFunction("v", "u");
        int skipped = FrozenWeightGradients.skipConstantWeightGradients(sd.getFunction("grad"));
        Map<String, INDArray> actual = sd.calculateGradients(feeds, "v", "u");

        assertEquals(2, skipped, "the two frozen products (plain and transposed) are rewritten");
        // Same arithmetic (dy·Wᵀ) in a different op: equal to float rounding.
        for (String p : List.of("v", "u")) {
            assertEquals(0.0, expected.get(p).sub(actual.get(p)).amaxNumber().doubleValue(),
                    1e-5 * expected.get(p).amaxNumber().doubleValue(), p);
        }
        List<String> ran = executedOps(sd, feeds);
        assertEquals(4, bpBefore, "without the pass every product runs matmul_bp");
        assertEquals(2, ran.stream().filter("matmul_bp"::equals).count(), "only the trainable products run matmul_bp");
    }

    @Test
    void trainableWeightsKeepTheirGradient() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        sd.setLossVariables(sd.sum("loss", x.mmul(sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 2)))));
        sd.createGradFunction("w");
        assertEquals(0, FrozenWeightGradients.skipConstantWeightGradients(sd.getFunction("grad")));
    }
}
