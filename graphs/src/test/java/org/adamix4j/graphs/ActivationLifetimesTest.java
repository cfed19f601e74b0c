package org.adamix4j.graphs;

import org.adamix4j.onnx.ExecutedOps;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationLifetimesTest {

    /** Attention-like: masked, scaled scores of a trainable projection, softmax over the last axis. */
    private static SameDiff attention(INDArray v, INDArray values) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable mask = sd.placeHolder("m", DataType.FLOAT, -1, 6);
        SDVariable scores = x.mmul(sd.var("v", v.dup())).div(2.0).add(mask.rsub(1.0).mul(-1e4)).rename("scores");
        SDVariable p = sd.nn.softmax(scores, -1);
        sd.setLossVariables(sd.sum(sd.math.square(p.mmul(sd.constant("values", values.dup())))).rename("loss"));
        return sd;
    }

    @Test
    void softmaxGradientReadsTheOutputNotTheScores() {
        Nd4j.getRandom().setSeed(3);
        INDArray v = Nd4j.rand(DataType.FLOAT, 4, 6).subi(0.5).muli(4);
        INDArray values = Nd4j.rand(DataType.FLOAT, 6, 3).subi(0.5);
        INDArray mask = Nd4j.createFromArray(new float[][]{{1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1}, {1, 1, 0, 0, 0, 0}});
        Map<String, INDArray> feeds = Map.of("x", Nd4j.rand(DataType.FLOAT, 3, 4), "m", mask);
        INDArray expected = attention(v, values).calculateGradients(feeds, "v").get("v");

        SameDiff sd = attention(v, values);
        sd.createGradFunction("v");
        SameDiff gradFn = sd.getFunction("grad");
        String grad = sd.getVariable("v").getGradient().name();
        List<String> before = ExecutedOps.during(gradFn, () -> gradFn.output(feeds, grad));
        assertTrue(before.contains("softmax_bp"), "SameDiff's own gradient uses softmax_bp: " + before);
        assertTrue(readByBackward(gradFn, sd, "scores"), "and softmax_bp reads the scores");

        assertEquals(1, ActivationLifetimes.softmaxFromOutput(gradFn));
        List<String> after = ExecutedOps.during(gradFn, () -> gradFn.output(feeds, grad));
        assertFalse(after.contains("softmax_bp"), "softmax_bp no longer runs: " + after);
        assertFalse(readByBackward(gradFn, sd, "scores"), "nothing in the backward pass reads the scores");
        INDArray actual = gradFn.output(feeds, grad).get(grad);
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * expected.amaxNumber().doubleValue());
        assertTrue(expected.amaxNumber().doubleValue() > 1e-3, "a gradient worth comparing");
    }

    /** True if an op that is not part of the forward graph reads {@code name} and will run for the gradient. */
    private static boolean readByBackward(SameDiff gradFn, SameDiff forward, String name) {
        var needed = GradientGraphs.needed(gradFn, List.of(forward.getVariable("v").getGradient().name()));
        for (SameDiffOp op : gradFn.getOps().values()) {
            if (forward.getOps().containsKey(op.getName()) || !op.getInputsToOp().contains(name)) continue;
            for (String out : op.getOutputsOfOp()) if (needed.contains(out)) return true;
        }
        return false;
    }

    /** BERT's erf GELU on a trainable projection: erf's derivative, exp(−u²), reads forward values only. */
    private static SameDiff gelu(INDArray v, INDArray w) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable h = x.mmul(sd.var("v", v.dup()));
        SDVariable u = h.div(Math.sqrt(2.0));
        SDVariable y = u.mul(sd.math.erf(u).add(1.0).rename("onePlusErf")).mul(Math.sqrt(0.5));
        SDVariable z = sd.math.tanh(y.mmul(sd.constant("w", w.dup())));
        sd.setLossVariables(sd.sum(sd.math.square(z)).rename("loss"));
        return sd;
    }

    @Test
    void derivativeChainsWaitForTheGradientTheyMultiply() {
        Nd4j.getRandom().setSeed(4);
        INDArray v = Nd4j.rand(DataType.FLOAT, 4, 5).subi(0.5).muli(2);
        INDArray w = Nd4j.rand(DataType.FLOAT, 5, 3).subi(0.5);
        Map<String, INDArray> feeds = Map.of("x", Nd4j.rand(DataType.FLOAT, 6, 4));
        Supplier<SameDiff> build = () -> gelu(v, w);
        INDArray expected = build.get().calculateGradients(feeds, "v").get("v");

        SameDiff sd = build.get();
        sd.createGradFunction("v");
        SameDiff gradFn = sd.getFunction("grad");
        String grad = sd.getVariable("v").getGradient().name();
        List<String> before = ExecutedOps.during(gradFn, () -> gradFn.output(feeds, grad));
        // The forward pass has no exp, so an exp is erf's derivative. SameDiff runs it as soon as u exists:
        // before the backward pass has started (the first _bp op).
        assertTrue(before.indexOf("exp") >= 0 && before.indexOf("exp") < firstBp(before), "exp ran early: " + before);

        int added = ActivationLifetimes.deferForwardOnlyChains(gradFn, sd, List.of(grad));
        assertTrue(added >= 1, "at least the chain's first op waits for a gradient");
        List<String> after = ExecutedOps.during(gradFn, () -> gradFn.output(feeds, grad));
        assertTrue(after.indexOf("exp") > firstBp(after), "exp runs in the backward pass now: " + after);
        assertEquals(before.size(), after.size(), "the same ops run, in another order");
        INDArray actual = gradFn.output(feeds, grad).get(grad);
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * expected.amaxNumber().doubleValue());

        assertEquals(0, ActivationLifetimes.deferForwardOnlyChains(gradFn, sd, List.of(grad)), "applying it twice adds nothing");
    }

    @Test
    void onePlusErfIsRecomputedInTheBackwardPassInsteadOfKept() {
        Nd4j.getRandom().setSeed(5);
        INDArray v = Nd4j.rand(DataType.FLOAT, 4, 5).subi(0.5).muli(2);
        INDArray w = Nd4j.rand(DataType.FLOAT, 5, 3).subi(0.5);
        Map<String, INDArray> feeds = Map.of("x", Nd4j.rand(DataType.FLOAT, 6, 4));
        INDArray expected = gelu(v, w).calculateGradients(feeds, "v").get("v");

        SameDiff sd = gelu(v, w);
        sd.createGradFunction("v");
        SameDiff gradFn = sd.getFunction("grad");
        String grad = sd.getVariable("v").getGradient().name();
        assertTrue(readByBackward(gradFn, sd, "onePlusErf"), "SameDiff's gradient of u · (1 + erf(u)) reads 1 + erf(u)");
        List<String> before = ExecutedOps.during(gradFn, () -> gradFn.output(feeds, grad));

        assertEquals(1, ActivationLifetimes.recomputeCheapActivations(gradFn, sd, List.of(grad)));
        assertFalse(readByBackward(gradFn, sd, "onePlusErf"), "the backward pass reads a copy made from u");
        List<String> after = ExecutedOps.during(gradFn, () -> gradFn.output(feeds, grad));
        assertEquals(count(before, "erf") + 1, count(after, "erf"), "erf runs once more: " + after);
        assertTrue(after.lastIndexOf("erf") > firstBp(after), "the copy is made in the backward pass: " + after);
        INDArray actual = gradFn.output(feeds, grad).get(grad);
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * expected.amaxNumber().doubleValue());
    }

    private static long count(List<String> ops, String kind) {
        return ops.stream().filter(kind::equals).count();
    }

    private static int firstBp(List<String> ops) {
        for (int i = 0; i < ops.size(); i++) if (ops.get(i).endsWith("_bp")) return i;
        return ops.size();
    }
}
