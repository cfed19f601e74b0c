package org.adamix4j.graphs;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Splicing, seeded init, the optimiser and the losses, on hand-checkable graphs. */
class GraphsTest {

    @Test
    void spliceRewiresEveryConsumerButNotTheModuleItself() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
        SDVariable h = x.mul("h", 2.0);
        SDVariable a = h.add("a", 1.0);          // consumer 1
        SDVariable b = h.mul("b", h);            // consumer 2 reads h twice
        Splice.after(sd, "h", v -> v.add("h_plus_10", 10.0));
        INDArray in = Nd4j.createFromArray(new float[][]{{1, 2}});
        Map<String, INDArray> out = sd.output(Map.of("x", in), "a", "b", "h_plus_10");
        // h = [2, 4] -> spliced h' = [12, 14]; a = h' + 1; b = h' * h'
        assertEquals(Nd4j.createFromArray(new float[][]{{13, 15}}), out.get("a"));
        assertEquals(Nd4j.createFromArray(new float[][]{{144, 196}}), out.get("b"));
        assertEquals(Nd4j.createFromArray(new float[][]{{12, 14}}), out.get("h_plus_10"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splice.after(sd, "nope", v -> v));
        assertTrue(e.getMessage().contains("no variable 'nope'"));
    }

    @Test
    void seededInitIsReproducibleAndPerName() {
        Seeded s1 = new Seeded(7);
        Seeded s2 = new Seeded(7);
        assertEquals(s1.normal("a", 0.02, 16, 8), s2.normal("a", 0.02, 16, 8));
        assertTrue(!s1.normal("a", 0.02, 16, 8).equals(s1.normal("b", 0.02, 16, 8)));
        assertTrue(!s1.normal("a", 0.02, 16, 8).equals(new Seeded(8).normal("a", 0.02, 16, 8)));
        INDArray big = new Seeded(1).normal("n", 0.02, 200, 200);
        assertEquals(0.0, big.meanNumber().doubleValue(), 0.001);
        assertEquals(0.02, big.stdNumber().doubleValue(), 0.0005);
        INDArray k = new Seeded(1).kaimingUniform("k", 100, 100, 50);
        assertTrue(k.amaxNumber().doubleValue() <= 0.1 && k.amaxNumber().doubleValue() > 0.099, "bound 1/sqrt(100)");
    }

    @Test
    void adamWMatchesHandComputedSteps() {
        // One scalar p = 1.0 with gradient 0.5 twice, lr 0.1, wd 0.01, betas (0.9, 0.999), eps 1e-8.
        // Step 1: p *= 1 - 0.001 -> 0.999; m = 0.05, v = 0.00025; mhat = 0.5, vhat = 0.25 -> p -= 0.1 * 0.5/0.5 -> 0.899
        // Step 2: p *= 0.999 -> 0.898101; m = 0.095, v = 0.00049975; mhat = 0.095/0.19 = 0.5,
        //         vhat = 0.00049975/0.001999 = 0.25 -> p -= 0.1 -> 0.798101
        INDArray p = Nd4j.createFromArray(1.0f);
        INDArray noDecay = Nd4j.createFromArray(1.0f);
        AdamW opt = AdamW.standard(0.01, Set.of("b"));
        for (int i = 0; i < 2; i++) {
            opt.step(Map.of("w", p, "b", noDecay), Map.of("w", Nd4j.createFromArray(0.5f), "b", Nd4j.createFromArray(0.5f)), 0.1);
        }
        assertEquals(0.798101, p.getDouble(0), 1e-5);
        assertEquals(0.8, noDecay.getDouble(0), 1e-5, "no weight decay on 'b'");
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1.0, 0.999, 1e-8, 0, Set.of()));
    }

    @Test
    void crossEntropyAndItsGradientMatchHandComputedValues() {
        // Reference values computed with numpy: W = [[.1,-.2,.3],[.4,.1,-.3]], X = [[1,2],[3,-1],[.5,.5]],
        // y = [0,2,1]: mean CE = 0.70380; dL/dW = X^T (softmax(XW) - onehot(y)) / 3.
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.createFromArray(new float[][]{{0.1f, -0.2f, 0.3f}, {0.4f, 0.1f, -0.3f}}));
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
        SDVariable y = sd.placeHolder("y", DataType.INT64, -1);
        SDVariable loss = sd.mean("loss", Losses.crossEntropy(sd, x.mmul(w), y, 3));
        sd.setLossVariables(loss);
        Map<String, INDArray> in = Map.of("x", Nd4j.createFromArray(new float[][]{{1, 2}, {3, -1}, {0.5f, 0.5f}}),
                "y", Nd4j.createFromArray(0L, 2L, 1L));
        assertEquals(0.70380, sd.output(in, "loss").get("loss").getDouble(0), 1e-4);
        INDArray g = sd.calculateGradients(in, "w").get("w");
        double[][] expected = {{0.11964158, 0.06686822, -0.1865098}, {-0.27402518, 0.00599275, 0.26803243}};
        for (int i = 0; i < 2; i++) assertArrayEquals(expected[i], g.getRow(i).toDoubleVector(), 1e-5);
    }

    @Test
    void linearOnRank3MatchesPerRowProducts() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, -1, 2);
        SDVariable w = sd.constant(Nd4j.createFromArray(new float[][]{{1, 2, 3}, {4, 5, 6}}));
        SDVariable b = sd.constant(Nd4j.createFromArray(0.5f, 0f, -0.5f));
        SDVariable y = Layers.linear(sd, x, w, b);
        INDArray out = y.eval(Map.of("x", Nd4j.createFromArray(new float[][][]{{{1, 0}, {0, 1}}, {{1, 1}, {2, -1}}})));
        assertArrayEquals(new long[]{2, 2, 3}, out.shape());
        assertArrayEquals(new double[]{5.5, 7, 8.5}, out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all()).toDoubleVector(), 1e-6);
        assertArrayEquals(new double[]{-1.5, -1, -0.5}, out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.all()).toDoubleVector(), 1e-6);
    }

    @Test
    void geluIsTheExactErfForm() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1);
        INDArray out = Layers.geluExact(sd, x).eval(Map.of("x", Nd4j.createFromArray(-1f, 0f, 1f, 2f)));
        // 0.5 x (1 + erf(x / sqrt 2)): scipy.special.erf gives these
        assertArrayEquals(new double[]{-0.15865525, 0, 0.84134475, 1.95449974}, out.toDoubleVector(), 1e-6);
    }
}
