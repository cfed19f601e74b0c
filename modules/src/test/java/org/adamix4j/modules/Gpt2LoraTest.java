package org.adamix4j.modules;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.modules.mixture.MixtureLoraConfig;
import org.adamix4j.onnx.Gpt2Tiny;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LoRA on GPT-2's fused q | k | v projection (the tiny fixture): the update reaches exactly the q or v
 * column block; B = 0 changes nothing; a hand-set B changes q by scale · x A B (checked by hand at one
 * position) and leaves k alone; merging adds exactly that to c_attn's q columns.
 */
class Gpt2LoraTest {
    private static final long[][] IDS = {{12, 40, 7, 99, 3, 150, 18}, {5, 6, 7, 8, 9, 10, 11}};

    private static TokenizedBatch batch() {
        return new TokenizedBatch(IDS, new long[2][7], new long[2][7]);
    }

    @Test
    void loraOnQueryAndValueReachesOnlyTheirColumnBlocks() {
        ImportedModel plain = Gpt2Tiny.importModel();
        INDArray baseLogits = plain.sameDiff().output(Map.of("input_ids", Nd4j.createFromArray(IDS)), "logits").get("logits");

        PeftModel m = PeftModel.builder().setBase(Gpt2Tiny.importModel())
                .setMethod(new LoraConfig(4, 32, 0.0, EnumSet.of(SiteKind.QUERY, SiteKind.VALUE), Set.of()))
                .setHead(TaskHead.causalLm(Gpt2Tiny.VOCAB)).optSeed(3).build();
        assertEquals(4, m.injection().sites().size(), "q and v of 2 layers");
        assertEquals(List.of(), m.trainableParameters().stream().filter(p -> p.startsWith("head/")).toList(), "no head parameters");
        assertEquals(2L * 2 * (32 * 4 + 4 * 32), m.report().module(), "A [32, 4] and B [4, 32] per site");

        // 1. B = 0: the adapted model computes the base model's logits.
        INDArray zeroB = m.logits(batch());
        assertEquals(List.of(2L, 7L, 241L), List.of(zeroB.shape()[0], zeroB.shape()[1], zeroB.shape()[2]));
        double same = maxAbsDiff(baseLogits, zeroB);
        System.out.printf("GPT-2 LoRA with B = 0: max|logits - base| = %.2g%n", same);
        assertTrue(same <= 1e-5, "B = 0 changes nothing: " + same);

        // 2. Hand-set B of layer 0's query: q changes by scale · x A B, k and v do not.
        Site q = m.base().structure().site(0, SiteKind.QUERY);
        Site k = m.base().structure().site(0, SiteKind.KEY);
        Site v = m.base().structure().site(0, SiteKind.VALUE);
        String prefix = "lora/layer.0/query";
        java.util.Random rnd = new java.util.Random(11);
        float[] bv = new float[4 * 32];
        for (int i = 0; i < bv.length; i++) bv[i] = (float) (rnd.nextDouble() - 0.5) * 0.2f;
        INDArray b = Nd4j.create(bv, new long[]{4, 32}, 'c');
        m.sameDiff().getArrForVarName(prefix + "/B").assign(b);
        Map<String, INDArray> feeds = m.feeds(batch(), Pass.eval(), new SplittableRandom(0));
        Map<String, INDArray> out = m.sameDiff().output(feeds, q.input(), q.output(), prefix + "/out", k.output(), v.output(), "logits");
        INDArray base0 = plain.sameDiff().output(Map.of("input_ids", Nd4j.createFromArray(IDS)), k.output(), v.output())
                .get(k.output());
        // by hand at batch row 1, position 4: delta_j = 8 · Σ_r (Σ_i x_i A_ir) B_rj
        INDArray a = m.sameDiff().getArrForVarName(prefix + "/A");
        INDArray x = out.get(q.input()).get(NDArrayIndex.point(1), NDArrayIndex.point(4), NDArrayIndex.all());
        double worst = 0;
        for (int j = 0; j < 32; j++) {
            double delta = 0;
            for (int r = 0; r < 4; r++) {
                double xa = 0;
                for (int i = 0; i < 32; i++) xa += x.getDouble(i) * a.getDouble(i, r);
                delta += xa * b.getDouble(r, j);
            }
            delta *= 32.0 / 4;
            double got = out.get(prefix + "/out").getDouble(1, 4, j) - out.get(q.output()).getDouble(1, 4, j);
            worst = Math.max(worst, Math.abs(got - delta));
        }
        System.out.printf("GPT-2 LoRA q delta vs hand computation: max|diff| = %.2g%n", worst);
        assertTrue(worst <= 1e-4, "q delta by hand: " + worst);
        assertTrue(maxAbsDiff(base0, out.get(k.output())) <= 1e-5, "k is untouched");
        INDArray logits = out.get("logits");
        assertTrue(maxAbsDiff(baseLogits, logits) > 1e-3, "a non-zero B changes the logits");
        // causal: position 0 attends only to itself, whose score is softmax([s]) = 1 whatever q is
        double first = maxAbsDiff(baseLogits.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()),
                logits.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()));
        assertTrue(first <= 1e-5, "a query change cannot move position 0 (one key): " + first);

        // 3. Merge: c_attn's q columns gain exactly scale · A B; k and v columns are unchanged.
        INDArray w = m.sameDiff().getArrForVarName(q.weight()).dup();
        m.merge();
        INDArray merged = m.sameDiff().getArrForVarName(q.weight());
        INDArray expectedQ = w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 32)).add(a.mmul(b).muli(8.0));
        assertTrue(maxAbsDiff(expectedQ, merged.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 32))) <= 1e-5);
        assertEquals(0.0, maxAbsDiff(w.get(NDArrayIndex.all(), NDArrayIndex.interval(32, 96)),
                merged.get(NDArrayIndex.all(), NDArrayIndex.interval(32, 96))), "k, v columns untouched");
        double mergeDiff = maxAbsDiff(logits, m.logits(batch()));
        System.out.printf("GPT-2 LoRA merged vs unmerged logits: max|diff| = %.2g%n", mergeDiff);
        assertTrue(mergeDiff <= 1e-4, "merged = unmerged: " + mergeDiff);
        m.unmerge();
        assertTrue(maxAbsDiff(w, m.sameDiff().getArrForVarName(q.weight())) <= 1e-6, "unmerge restores W");
    }

    @Test
    void adaMixLoraTrainsWithTheTokenLevelConsistencyLoss() {
        PeftModel m = PeftModel.builder().setBase(Gpt2Tiny.importModel())
                .setMethod(new MixtureLoraConfig(4, 4, 32, 0.1, EnumSet.of(SiteKind.QUERY, SiteKind.VALUE), 100))
                .setHead(TaskHead.causalLm(Gpt2Tiny.VOCAB)).optSeed(3).build();
        assertTrue(m.usesConsistency());
        // labels: -1 on the first 3 positions (context), next tokens after
        long[][] labels = new long[2][7];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 7; j++) labels[i][j] = j < 3 ? -1 : IDS[i][(j + 1) % 7];
        INDArray y = Nd4j.createFromArray(labels);
        // with B = 0 both routings compute the base model: the KL term is 0 and the loss is the masked CE
        double loss = m.trainingLoss(batch(), y, new SplittableRandom(1));
        INDArray logits = m.logits(batch());
        double ce = 0;
        int n = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 3; j < 7; j++) {
                INDArray row = logits.get(NDArrayIndex.point(i), NDArrayIndex.point(j), NDArrayIndex.all());
                double max = row.maxNumber().doubleValue();
                double lse = max + Math.log(org.nd4j.linalg.ops.transforms.Transforms.exp(row.sub(max), true).sumNumber().doubleValue());
                ce += lse - row.getDouble(labels[i][j]);
                n++;
            }
        }
        ce /= n;
        System.out.printf("GPT-2 AdaMix-LoRA training loss at B = 0: %.6f, masked CE by hand %.6f%n", loss, ce);
        assertEquals(ce, loss, 1e-4, "CE over target positions only, KL 0");
        // after a gradient step on B the two routings differ and the loss includes a positive KL
        Map<String, INDArray> g = m.gradients(batch(), y, new SplittableRandom(1));
        double bNorm = 0;
        for (var e : g.entrySet()) if (e.getKey().endsWith("/B")) bNorm += e.getValue().norm2Number().doubleValue();
        assertTrue(bNorm > 0, "B gets a gradient");
        Map<String, INDArray> before = new HashMap<>();
        for (var e : m.parameters().entrySet()) before.put(e.getKey(), e.getValue().dup());
        // a short step along -g (length 1e-3) lowers the loss by about 1e-3 · |g| (same routing and dropout)
        double norm = 0;
        for (INDArray gi : g.values()) norm += gi.norm2Number().doubleValue() * gi.norm2Number().doubleValue();
        norm = Math.sqrt(norm);
        for (var e : m.parameters().entrySet()) e.getValue().subi(g.get(e.getKey()).mul(1e-3 / norm));
        double after = m.trainingLoss(batch(), y, new SplittableRandom(1));
        System.out.printf("GPT-2 AdaMix-LoRA: |g| = %.4f, loss %.6f -> %.6f after a 1e-3 step (first order: -%.6f)%n",
                norm, loss, after, 1e-3 * norm);
        assertTrue(after < loss, "a short step along the negative gradient lowers the loss: " + loss + " -> " + after);
        assertEquals(-1e-3 * norm, after - loss, 0.5e-3 * norm, "the decrease matches the gradient to first order");
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
