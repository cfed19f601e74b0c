package org.adamix4j.modules;

import org.adamix4j.graphs.AdamW;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.baseline.BitFitConfig;
import org.adamix4j.modules.baseline.FullFineTuningConfig;
import org.adamix4j.modules.baseline.HeadOnlyConfig;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every method keeps, checked for all of them on the tiny BERT fixture (2 layers,
 * hidden 32), as PEFT's test matrix does: identity at init where the method allows it; after a few
 * optimiser steps every method parameter changed and every base weight is bit-identical; the
 * trainable variables are exactly the method's parameters plus the head's; the loss went down.
 */
class ContractTest {

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of(AdapterConfig.houlsby(8), false),
                Arguments.of(AdapterConfig.pfeiffer(8), false),
                Arguments.of(LoraConfig.queryValue(4, 8), true),
                Arguments.of(new LoraConfig(4, 8, 0.1, LoraConfig.queryValue(4, 8).targets(), Set.of()), true),
                Arguments.of(new BitFitConfig(), true),
                Arguments.of(new HeadOnlyConfig(), true),
                Arguments.of(new FullFineTuningConfig(), true),
                Arguments.of(org.adamix4j.modules.mixture.MixtureConfig.of(3, 8), false),
                Arguments.of(org.adamix4j.modules.mixture.MixtureConfig.of(3, 8)
                        .withSharing(org.adamix4j.modules.mixture.Sharing.NONE), false),
                Arguments.of(new org.adamix4j.modules.mixture.MixtureLoraConfig(3, 4, 8, 0.1,
                        LoraConfig.queryValue(4, 8).targets(), 1.0), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void methodContract(MethodConfig config, boolean identityAtInit) {
        ImportedModel base = TestModels.bertTiny();
        SameDiff sd = base.sameDiff();
        String hidden = base.structure().output();
        TokenizedBatch batch = TestModels.randomBatch(4, 9, 1000, 7);
        INDArray before = sd.output(batch.toInputs(), hidden).get(hidden);

        PeftModel model = PeftModel.builder().setBase(base).setMethod(config).setHead(TaskHead.classification(3))
                .optSeed(11).build();
        INDArray after = sd.output(model.feeds(batch, org.adamix4j.modules.Pass.eval(), new SplittableRandom(0)), hidden).get(hidden);
        if (identityAtInit) {
            assertEquals(before, after, config + " must start as the base model exactly");
        } else {
            double diff = before.sub(after).amaxNumber().doubleValue();
            assertTrue(diff > 0 && diff < 0.5, config + ": adapters start near, not at, the base: max diff " + diff);
        }

        // The trainable set is structural: exactly the VARIABLEs of the graph.
        Set<String> variables = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name).collect(Collectors.toSet());
        assertEquals(new HashSet<>(model.trainableParameters()), variables);

        Map<String, INDArray> frozen = new HashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.CONSTANT) frozen.put(v.name(), v.getArr().dup());
        }
        Map<String, INDArray> initial = new HashMap<>();
        model.parameters().forEach((k, v) -> initial.put(k, v.dup()));

        INDArray labels = Nd4j.createFromArray(0L, 1L, 2L, 1L);
        double lossBefore = model.loss(batch, labels);
        AdamW opt = AdamW.standard(0.01, Set.of());
        SplittableRandom rng = new SplittableRandom(3);
        for (int step = 0; step < 3; step++) opt.step(model.parameters(), model.gradients(batch, labels, rng), 1e-2);
        double lossAfter = model.loss(batch, labels);

        for (Map.Entry<String, INDArray> p : model.parameters().entrySet()) {
            // With 3 experts and 3 steps of 2 passes, an expert may never be drawn; it then stays put.
            if (p.getKey().startsWith("adamix")) continue;
            assertNotEquals(initial.get(p.getKey()), p.getValue(), config + ": parameter " + p.getKey() + " did not change");
        }
        for (Map.Entry<String, INDArray> c : frozen.entrySet()) {
            assertEquals(c.getValue(), sd.getArrForVarName(c.getKey()), config + ": base weight " + c.getKey() + " changed");
        }
        assertTrue(lossAfter < lossBefore, config + ": loss " + lossBefore + " -> " + lossAfter);
    }
}
