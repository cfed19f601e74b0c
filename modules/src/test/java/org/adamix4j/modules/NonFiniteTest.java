package org.adamix4j.modules;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.onnx.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default import fuses LayerNorm into SameDiff's {@code layer_norm}, which turns NaN into 0, so a
 * NaN parameter need not show in the loss. The trainers also stop on a non-finite gradient norm; this
 * test pins that the gradients do show it.
 */
class NonFiniteTest {

    @Test
    void aNanParameterShowsInTheGradientNormEvenWhenTheFusedLayerNormHidesItFromTheLoss() {
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(MixtureConfig.of(2, 4))
                .setHead(TaskHead.classification(2)).optSeed(1).build();
        var batch = TestModels.randomBatch(4, 9, 1000, 3);
        INDArray labels = Nd4j.createFromArray(0L, 1L, 0L, 1L);
        PeftModel.StepResult healthy = m.step(batch, labels, new SplittableRandom(1));
        assertTrue(Double.isFinite(healthy.loss()) && Double.isFinite(norm(healthy)));

        String param = m.trainableParameters().stream().filter(p -> p.contains("layer.0") && p.endsWith("/up/W"))
                .findFirst().orElseThrow();
        m.sameDiff().getArrForVarName(param).putScalar(0, Float.NaN);
        PeftModel.StepResult broken = m.step(batch, labels, new SplittableRandom(1));
        System.out.printf("NaN in %s: loss %s, gradient norm %s%n", param, broken.loss(), norm(broken));
        assertFalse(Double.isFinite(norm(broken)), "the gradient norm must show the NaN");
    }

    private static double norm(PeftModel.StepResult r) {
        double sq = 0;
        for (INDArray g : r.gradients().values()) sq += Math.pow(g.norm2Number().doubleValue(), 2);
        return Math.sqrt(sq);
    }
}
