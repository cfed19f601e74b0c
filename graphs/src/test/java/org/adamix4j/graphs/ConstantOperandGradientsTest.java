package org.adamix4j.graphs;

import org.adamix4j.onnx.ExecutedOps;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConstantOperandGradientsTest {

    /**
     * x·v (v trainable), then every element-wise form with a constant operand the pass knows, one it must
     * leave alone because x is broadcast ([N,1] + [1,3]), and one it does not cover (c ÷ x).
     */
    private static SameDiff graph(INDArray v) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable h = x.mmul(sd.var("v", v.dup()));                                     // [N,5]
        h = h.add(sd.constant("bias", Nd4j.linspace(DataType.FLOAT, 0.1, 0.5, 5)));    // add_bp, x left
        h = sd.constant("shift", Nd4j.linspace(DataType.FLOAT, -1, 1, 5)).add(h);      // add_bp, x right
        h = h.mul(sd.constant("scale", Nd4j.linspace(DataType.FLOAT, 0.5, 1.5, 5)));   // multiply_bp
        h = h.div(sd.constant("two", Nd4j.scalar(DataType.FLOAT, 2.0).reshape(1, 1))); // divide_bp, x ÷ c
        h = sd.constant("three", Nd4j.scalar(DataType.FLOAT, 3.0)).sub(h);             // subtract_bp, c − x
        h = h.sub(sd.constant("mean", Nd4j.linspace(DataType.FLOAT, 0.0, 0.4, 5)));    // subtract_bp, x − c
        SDVariable t = sd.math.tanh(h);
        SDVariable k = t.sum(true, 1);                                                   // [N,1]
        SDVariable broadcast = k.add(sd.constant("wide", Nd4j.createFromArray(new float[][]{{1f, 2f, 3f}}))); // [N,3]
        SDVariable inverse = sd.constant("one", Nd4j.scalar(DataType.FLOAT, 1.0).reshape(1, 1))
                .div(sd.math.square(t).add(1.0));                                       // c ÷ x: not covered
        SDVariable loss = sd.sum(sd.math.square(t)).add(sd.sum(sd.math.square(broadcast))).add(sd.sum(inverse));
        sd.setLossVariables(loss.rename("loss"));
        return sd;
    }

    private static List<String> executedBpOps(SameDiff gradFn, Map<String, INDArray> feeds, String grad, Listener... extra) {
        return ExecutedOps.during(gradFn, () -> gradFn.output(feeds, grad), extra).stream()
                .filter(n -> n.endsWith("_bp")).toList();
    }

    @Test
    void sameGradientsAndConstantOperandGradientsNeverComputed() {
        Nd4j.getRandom().setSeed(11);
        INDArray v = Nd4j.rand(DataType.FLOAT, 4, 5).subi(0.5);
        Map<String, INDArray> feeds = Map.of("x", Nd4j.rand(DataType.FLOAT, 6, 4));

        Rewritten r = rewritten(() -> graph(v), feeds);
        // bias, shift, scale, two, three, mean; and both sides of the loss's two scalar additions (a sum of
        // unbroadcast operands: both gradients are dL/dz). Not the broadcast add, not c ÷ x.
        assertEquals(6 + 4, r.dropped());
        r.assertSameGradients();
        assertEquals(r.before().size() - 8, r.after().size(), "the eight rewritten bp ops no longer run: " + r.before() + " -> " + r.after());
        assertEquals(5, count(r.before(), "add_bp"));
        assertEquals(1, count(r.after(), "add_bp"), "only the broadcast add keeps its add_bp: " + r.after());
        assertTrue(r.after().contains("divide_bp"), "c ÷ x keeps its divide_bp");
        assertFalse(r.after().contains("multiply_bp"), "the scale's multiply_bp is gone");
        assertFalse(r.after().contains("subtract_bp"), "both subtractions are rewritten");
    }

    @Test
    void operandsComputedFromPlaceholdersOnlyCountAsFrozen() {
        // h = x·v + (1 − m)·(−1e4): an additive mask like BERT's, built from a placeholder; then h·s, with s
        // = sigmoid(h) depending on v, whose multiply_bp must stay.
        Nd4j.getRandom().setSeed(12);
        INDArray v = Nd4j.rand(DataType.FLOAT, 4, 5).subi(0.5);
        java.util.function.Supplier<SameDiff> build = () -> {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
            SDVariable m = sd.placeHolder("m", DataType.FLOAT, -1, 5);
            SDVariable additive = m.rsub(1.0).mul(-1e4);
            SDVariable h = x.mmul(sd.var("v", v.dup())).add(additive);
            SDVariable y = h.mul(sd.nn.sigmoid(h));
            sd.setLossVariables(sd.sum(sd.math.tanh(y.mul(1e-4))).rename("loss"));
            return sd;
        };
        INDArray mask = Nd4j.createFromArray(new float[][]{{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}, {1, 0, 0, 0, 0}});
        Map<String, INDArray> feeds = Map.of("x", Nd4j.rand(DataType.FLOAT, 3, 4), "m", mask);
        Rewritten r = rewritten(build, feeds);
        assertEquals(1, r.dropped(), "the mask add (the 1e-4 is a scalar op with its own gradient); not h · sigmoid(h)");
        assertEquals(0, count(r.after(), "add_bp"), "the mask's add_bp no longer runs: " + r.before() + " -> " + r.after());
        assertEquals(1, count(r.after(), "multiply_bp"), "h · sigmoid(h) keeps its multiply_bp");
        r.assertSameGradients();
    }

    /** What the pass did to a graph of trainable "v": bp ops run before and after, gradients of "v" without and with it. */
    private record Rewritten(int dropped, List<String> before, List<String> after, INDArray expected, INDArray actual) {
        void assertSameGradients() {
            assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * expected.amaxNumber().doubleValue());
        }
    }

    private static Rewritten rewritten(java.util.function.Supplier<SameDiff> build, Map<String, INDArray> feeds) {
        INDArray expected = build.get().calculateGradients(feeds, "v").get("v");
        SameDiff sd = build.get();
        sd.createGradFunction("v");
        SameDiff gradFn = sd.getFunction("grad");
        String gradName = sd.getVariable("v").getGradient().name();
        ConstantOperandGradients.Recorder recorder = ConstantOperandGradients.recorder();
        List<String> before = executedBpOps(gradFn, feeds, gradName, recorder);
        int dropped = ConstantOperandGradients.rewrite(gradFn, recorder, List.of(gradName));
        List<String> after = executedBpOps(gradFn, feeds, gradName);
        return new Rewritten(dropped, before, after, expected, gradFn.output(feeds, gradName).get(gradName));
    }

    private static long count(List<String> ops, String name) {
        return ops.stream().filter(name::equals).count();
    }

    @Test
    void broadcastHiddenByASizeOneBatchIsNotRecorded() {
        assertFalse(ConstantOperandGradients.informative(1, 128), "one row");
        assertFalse(ConstantOperandGradients.informative(8, 2), "S - 1 = 1 could hide a broadcast");
        assertTrue(ConstantOperandGradients.informative(2, 3));
    }

    /** x·v through a LayerNorm over the last axis, β frozen, γ frozen (a constant) or trainable. */
    private static SameDiff layerNorm(INDArray v, INDArray gamma, boolean trainableGamma) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable h = x.mmul(sd.var("v", v.dup()));                                    // [N,5]
        SDVariable g = trainableGamma ? sd.var("gamma", gamma.dup()) : sd.constant("gamma", gamma.dup());
        SDVariable y = sd.nn.layerNorm(h, g, sd.constant("beta", Nd4j.createFromArray(-0.2f, -0.1f, 0f, 0.1f, 0.2f)), false, 1);
        sd.setLossVariables(sd.sum(sd.math.square(sd.math.tanh(y.mul(sd.constant("w", Nd4j.createFromArray(0.3f, 0.5f, 0.7f, 0.9f, 1.1f))))))
                .rename("loss"));
        return sd;
    }

    @Test
    void layerNormWithFrozenScaleAndShiftComputesOnlyTheInputGradient() {
        Nd4j.getRandom().setSeed(13);
        INDArray v = Nd4j.rand(DataType.FLOAT, 4, 5).subi(0.5).muli(3);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 5).addi(0.5);
        Map<String, INDArray> feeds = Map.of("x", Nd4j.rand(DataType.FLOAT, 6, 4));

        Rewritten frozen = rewritten(() -> layerNorm(v, gamma, false), feeds);
        assertEquals(1, count(frozen.before(), "layer_norm_bp"));
        assertEquals(0, count(frozen.after(), "layer_norm_bp"), "dL/dx from its formula: " + frozen.after());
        frozen.assertSameGradients();
        assertTrue(frozen.expected().amaxNumber().doubleValue() > 1e-3, "a gradient worth comparing");

        // A trainable γ needs the reductions libnd4j's op computes: it stays.
        INDArray expected = layerNorm(v, gamma, true).calculateGradients(feeds, "v", "gamma").get("v");
        SameDiff sd = layerNorm(v, gamma, true);
        sd.createGradFunction("v", "gamma");
        SameDiff gradFn = sd.getFunction("grad");
        List<String> wanted = List.of(sd.getVariable("v").getGradient().name(), sd.getVariable("gamma").getGradient().name());
        ConstantOperandGradients.Recorder recorder = ConstantOperandGradients.recorder();
        gradFn.addListeners(recorder);
        gradFn.output(feeds, wanted);
        gradFn.getListeners().remove(recorder);
        ConstantOperandGradients.rewrite(gradFn, recorder, wanted);
        List<String> after = ExecutedOps.during(gradFn, () -> gradFn.output(feeds, wanted));
        assertEquals(1, count(after, "layer_norm_bp"), "trainable γ keeps layer_norm_bp");
        INDArray actual = gradFn.output(feeds, wanted).get(wanted.get(0));
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * expected.amaxNumber().doubleValue());
    }
}
