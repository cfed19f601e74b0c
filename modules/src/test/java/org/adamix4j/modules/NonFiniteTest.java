package org.adamix4j.modules;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.onnx.OnnxImporter;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.onnx.fixup.ImportFixupPass;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default import fuses LayerNorm into SameDiff's {@code layer_norm}, which turns NaN and inf into 0, so
 * a diverging run need not show in the loss. {@code PeftModel.step} reports the loss as NaN when a
 * LayerNorm read a non-finite input ({@code NonFiniteWatch}); the trainers stop on that, and on a
 * non-finite gradient norm.
 */
class NonFiniteTest {
    private static final INDArray LABELS = Nd4j.createFromArray(0L, 1L, 0L, 1L);

    private static PeftModel model(ImportFixupPass fixups) {
        var base = OnnxImporter.builder().setModel(TestModels.fixtureFile("bert-tiny")).optFixupPass(fixups).build().importModel();
        return PeftModel.builder().setBase(base).setMethod(MixtureConfig.of(2, 4)).setHead(TaskHead.classification(2))
                .optSeed(1).build();
    }

    /** Every expert's up-projection of layer 0 set to {@code value}. */
    private static void poison(PeftModel m, float value) {
        String p = m.trainableParameters().stream().filter(n -> n.contains("layer.0") && n.endsWith("/up/W")).findFirst().orElseThrow();
        m.sameDiff().getArrForVarName(p).assign(value);
    }

    @Test
    void overflowingActivationsMakeTheLossNanThoughTheFusedLayerNormHidesThem() {
        var batch = TestModels.randomBatch(4, 9, 1000, 3);
        PeftModel fused = model(ImportFixupPass.standard());
        PeftModel.StepResult healthy = fused.step(batch, LABELS, new SplittableRandom(1));
        assertTrue(Double.isFinite(healthy.loss()) && Double.isFinite(norm(healthy)));

        // Finite but huge weights (what a learning rate of 1e30 produces): the activations overflow.
        poison(fused, 1e30f);
        PeftModel.StepResult diverged = fused.step(batch, LABELS, new SplittableRandom(1));
        System.out.printf("up/W = 1e30, fused LayerNorm: step loss %s, gradient norm %s%n", diverged.loss(), norm(diverged));
        assertTrue(Double.isNaN(diverged.loss()), "the step reports the divergence as a NaN loss");
        // libnd4j's layer_norm_bp zeroes non-finite values too, and the gradient norm stayed finite (0.003).
        // With frozen γ and β, ConstantOperandGradients now computes dL/dx itself, which lets the overflow
        // through; where γ or β train (BitFit, full fine-tuning) layer_norm_bp stays, and only the loss shows it.
        assertFalse(Double.isFinite(norm(diverged)), "the rewritten LayerNorm gradient shows it as well");
    }

    @Test
    void aNanParameterShowsInTheGradientNorm() {
        PeftModel m = model(ImportFixupPass.standard());
        var batch = TestModels.randomBatch(4, 9, 1000, 3);
        m.step(batch, LABELS, new SplittableRandom(1));
        String param = m.trainableParameters().stream().filter(p -> p.contains("layer.0") && p.endsWith("/up/W"))
                .findFirst().orElseThrow();
        m.sameDiff().getArrForVarName(param).putScalar(0, Float.NaN);
        PeftModel.StepResult broken = m.step(batch, LABELS, new SplittableRandom(1));
        System.out.printf("NaN in %s: loss %s, gradient norm %s%n", param, broken.loss(), norm(broken));
        assertFalse(Double.isFinite(norm(broken)), "the gradient norm must show the NaN");
    }

    private static double norm(PeftModel.StepResult r) {
        double sq = 0;
        for (INDArray g : r.gradients().values()) sq += Math.pow(g.norm2Number().doubleValue(), 2);
        return Math.sqrt(sq);
    }
}
