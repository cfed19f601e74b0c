package org.adamix4j.modules;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link PeftModel#step} runs SameDiff's gradient function with its array cache on (arrays recycled
 * during the run); {@link PeftModel#referenceStep} is SameDiff's own calculateGradientsAndOutputs. Over
 * several steps, with the parameters changing in between and the cache holding arrays of earlier runs,
 * both must give the same loss and gradients: a recycled array overwritten too early would show here.
 */
class ModelGradientsTest {

    private static MethodConfig method(String name) {
        return switch (name) {
            case "adamix" -> MixtureConfig.standard();          // two passes in one execution, consistency on
            case "lora" -> LoraConfig.queryValue(4, 8);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"adamix", "lora"})
    void cachedGradientFunctionEqualsSameDiffsOwn(String name) {
        PeftModel model = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(method(name))
                .setHead(TaskHead.classification(3)).optSeed(5).build();
        INDArray labels = Nd4j.createFromArray(0L, 1L, 2L, 1L);
        org.adamix4j.graphs.AdamW opt = org.adamix4j.graphs.AdamW.standard(0.0, model.noDecayParameters());
        for (int step = 0; step < 4; step++) {
            TokenizedBatch batch = TestModels.randomBatch(4, 7 + 2 * step, 1000, 11 + step);
            PeftModel.StepResult cached = model.step(batch, labels, new SplittableRandom(step));
            PeftModel.StepResult reference = model.referenceStep(batch, labels, new SplittableRandom(step));
            assertEquals(reference.loss(), cached.loss(), 1e-6 * Math.abs(reference.loss()), "loss, step " + step);
            assertEquals(reference.gradients().keySet(), cached.gradients().keySet());
            for (String p : reference.gradients().keySet()) {
                INDArray r = reference.gradients().get(p);
                double scale = Math.max(r.amaxNumber().doubleValue(), 1e-12);
                assertEquals(0.0, r.sub(cached.gradients().get(p)).amaxNumber().doubleValue() / scale, 1e-5,
                        p + ", step " + step);
            }
            opt.step(model.parameters(), cached.gradients(), 1e-2);
        }
    }
}
