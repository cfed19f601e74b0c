package org.adamix4j.modules;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.baseline.BitFitConfig;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.ExecutedOps;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Skipping the gradients of frozen operands (FrozenWeightGradients, ConstantOperandGradients) must not
 * change training: a model built with the pruning and one built without it, same seed, same batches, same
 * optimiser, must report the same losses and gradients step after step. Step 0 records shapes and runs the
 * full gradient graph; the rewritten graph runs from step 1 on.
 */
class PrunedGradientsTest {

    private static MethodConfig method(String name) {
        return switch (name) {
            case "adamix" -> MixtureConfig.standard();       // consistency on: two passes in one execution
            case "lora" -> LoraConfig.queryValue(4, 8);
            case "houlsby" -> AdapterConfig.houlsby(8);
            case "bitfit" -> new BitFitConfig();             // biases trainable: their add_bp must stay
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Element-wise bp ops executed by the model's gradient function during one step. */
    private static long elementwiseBpOps(PeftModel m, TokenizedBatch b, INDArray labels, SplittableRandom r) {
        return ExecutedOps.during(m.sameDiff().getFunction("grad"), () -> m.step(b, labels, r)).stream()
                .filter(k -> k.equals("add_bp") || k.equals("multiply_bp") || k.equals("subtract_bp") || k.equals("divide_bp"))
                .count();
    }

    private static void compare(Supplier<ImportedModel> base, String name, int batch, int vocab, int steps, double tol) {
        PeftModel pruned = PeftModel.builder().setBase(base.get()).setMethod(method(name))
                .setHead(TaskHead.classification(2)).optSeed(9).build();
        PeftModel full = PeftModel.builder().setBase(base.get()).setMethod(method(name))
                .setHead(TaskHead.classification(2)).optSeed(9).optPruneFrozenGradients(false).build();
        INDArray labels = Nd4j.createFromArray(0L, 1L, 1L, 0L).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, batch));
        sameTraining(pruned, full, name, steps, tol, step -> TestModels.randomBatch(batch, 6 + step, vocab, 21 + step), labels);
        // Behaviour, not only values: the rewritten graph runs fewer element-wise gradient ops.
        TokenizedBatch b = TestModels.randomBatch(batch, 6, vocab, 99);
        long withPruning = elementwiseBpOps(pruned, b, labels, new SplittableRandom(1));
        long without = elementwiseBpOps(full, b, labels, new SplittableRandom(1));
        assertTrue(withPruning < without, name + ": element-wise bp ops " + withPruning + " (pruned) vs " + without);
        System.out.printf("%s: element-wise bp ops per step %d -> %d%n", name, without, withPruning);
    }

    /** Steps both models on the same batches and checks that losses and gradients agree at every step. */
    private static void sameTraining(PeftModel pruned, PeftModel full, String name, int steps, double tol,
                                     java.util.function.IntFunction<TokenizedBatch> batches, INDArray labels) {
        for (int step = 0; step < steps; step++) {
            TokenizedBatch b = batches.apply(step);
            PeftModel.StepResult p = pruned.step(b, labels, new SplittableRandom(step));
            PeftModel.StepResult f = full.step(b, labels, new SplittableRandom(step));
            assertEquals(f.loss(), p.loss(), tol * Math.abs(f.loss()), name + " loss, step " + step);
            assertEquals(f.gradients().keySet(), p.gradients().keySet());
            double stepScale = 0;
            for (INDArray g : f.gradients().values()) stepScale = Math.max(stepScale, g.amaxNumber().doubleValue());
            for (String k : f.gradients().keySet()) {
                INDArray g = f.gradients().get(k);
                // A gradient that is zero in exact arithmetic (the attention key bias: softmax ignores a
                // shift shared by a row) is rounding noise of ~1e-10 whose value depends on the formula;
                // gradients below 1e-2 of the step's largest are compared at that scale, not their own.
                double scale = Math.max(g.amaxNumber().doubleValue(), 1e-2 * stepScale);
                assertEquals(0.0, g.sub(p.gradients().get(k)).amaxNumber().doubleValue() / scale, tol,
                        name + " " + k + ", step " + step + " (|g| max " + g.amaxNumber() + ", step max " + stepScale + ")");
            }
            // Plain SGD: Adam would turn the rounding noise of an exactly-zero gradient (the key bias) into
            // full-size updates of opposite sign in the two models.
            sgd(pruned, p, 0.5);
            sgd(full, f, 0.5);
        }
    }

    private static void sgd(PeftModel m, PeftModel.StepResult r, double lr) {
        r.gradients().forEach((name, g) -> m.parameters().get(name).subi(g.mul(lr)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"adamix", "lora", "houlsby", "bitfit"})
    void tinyBertTrainsTheSameWithAndWithoutPruning(String name) {
        compare(TestModels::bertTiny, name, 4, 1000, 3, 1e-5);
    }

    /** The real graph: decomposed LayerNorm, erf-GELU, attention scale and mask, 6 layers. */
    @Test
    void miniLmAdaMixTrainsTheSameWithAndWithoutPruning() {
        compare(TestModels::miniLm, "adamix", 2, 30000, 2, 1e-4);
    }

    /**
     * GPT-2's graph: tanh-GELU, causal mask, fused c_attn; AdaMix-LoRA with the token-level consistency loss.
     * B starts at 0, so the first step's SGD update makes the second step's LoRA paths non-trivial.
     */
    @Test
    void gpt2AdaMixLoraTrainsTheSameWithAndWithoutPruning() {
        var method = new org.adamix4j.modules.mixture.MixtureLoraConfig(4, 4, 32, 0.1,
                java.util.EnumSet.of(org.adamix4j.onnx.SiteKind.QUERY, org.adamix4j.onnx.SiteKind.VALUE), 100);
        PeftModel pruned = PeftModel.builder().setBase(org.adamix4j.onnx.Gpt2Tiny.importModel()).setMethod(method)
                .setHead(TaskHead.causalLm(org.adamix4j.onnx.Gpt2Tiny.VOCAB)).optSeed(3).build();
        PeftModel full = PeftModel.builder().setBase(org.adamix4j.onnx.Gpt2Tiny.importModel()).setMethod(method)
                .setHead(TaskHead.causalLm(org.adamix4j.onnx.Gpt2Tiny.VOCAB)).optSeed(3).optPruneFrozenGradients(false).build();
        SplittableRandom r = new SplittableRandom(17);
        long[][] ids = new long[3][8];
        long[][] labels = new long[3][8];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 8; j++) ids[i][j] = r.nextInt(org.adamix4j.onnx.Gpt2Tiny.VOCAB);
            for (int j = 0; j < 8; j++) labels[i][j] = j < 3 ? -1 : ids[i][(j + 1) % 8]; // context, then next tokens
        }
        TokenizedBatch b = new TokenizedBatch(ids, new long[3][8], new long[3][8]);
        sameTraining(pruned, full, "gpt2 adamix-lora", 2, 1e-4, step -> b, Nd4j.createFromArray(labels));
    }

    /** The opt-in recomputation of GELU's 1 + erf(u) in the backward pass: the same training again. */
    @Test
    void recomputedActivationsTrainTheSame() {
        PeftModel recomputing = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(method("adamix"))
                .setHead(TaskHead.classification(2)).optSeed(9).optRecomputeActivations(true).build();
        PeftModel full = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(method("adamix"))
                .setHead(TaskHead.classification(2)).optSeed(9).optPruneFrozenGradients(false).build();
        INDArray labels = Nd4j.createFromArray(0L, 1L, 1L, 0L);
        sameTraining(recomputing, full, "adamix, recomputing", 3, 1e-5, step -> TestModels.randomBatch(4, 6 + step, 1000, 21 + step), labels);
        // It did recompute: erf runs more often per step than in the model that keeps 1 + erf(u).
        PeftModel keeping = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(method("adamix"))
                .setHead(TaskHead.classification(2)).optSeed(9).build();
        TokenizedBatch b = TestModels.randomBatch(4, 6, 1000, 5);
        keeping.step(b, labels, new SplittableRandom(1));
        long erfKeeping = ExecutedOps.during(keeping.sameDiff().getFunction("grad"), () -> keeping.step(b, labels, new SplittableRandom(2)))
                .stream().filter("erf"::equals).count();
        long erfRecomputing = ExecutedOps.during(recomputing.sameDiff().getFunction("grad"), () -> recomputing.step(b, labels, new SplittableRandom(2)))
                .stream().filter("erf"::equals).count();
        // Once more per GELU the backward pass goes through (not layer 0's FFN: nothing trainable lies before it).
        assertTrue(erfRecomputing > erfKeeping && erfRecomputing < 2 * erfKeeping, erfKeeping + " -> " + erfRecomputing);

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () ->
                PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(method("adamix")).setHead(TaskHead.classification(2))
                        .optPruneFrozenGradients(false).optRecomputeActivations(true).build());
        assertTrue(e.getMessage().contains("optPruneFrozenGradients"), e.getMessage());
    }
}
