package org.adamix4j.modules.mixture;

import org.adamix4j.graphs.Heads;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.Pass;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AdaMix-LoRA: routed A experts, a shared B, and a merge of scale · mean(A) · B into W. */
class AdaMixLoraTest {
    private static final TokenizedBatch BATCH = TestModels.randomBatch(3, 7, 1000, 12);

    private static PeftModel tiny() {
        MixtureLoraConfig c = new MixtureLoraConfig(4, 2, 8, 0.0, EnumSet.of(SiteKind.QUERY, SiteKind.VALUE), 0.0);
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(c).setHead(TaskHead.classification(2))
                .optSeed(4).build();
        // B starts at zero (identity at init); give it values so A gets gradients and the merge is real.
        for (String p : m.trainableParameters()) {
            if (p.endsWith("/B")) m.sameDiff().getArrForVarName(p).assign(Nd4j.randn(p.hashCode(), m.sameDiff().getArrForVarName(p).shape()).muli(0.3));
        }
        return m;
    }

    @Test
    void parameterCountsOnMiniLm() {
        PeftModel m = PeftModel.builder().setBase(TestModels.miniLm()).setMethod(MixtureLoraConfig.reference(1.0))
                .setHead(TaskHead.classification(2)).build();
        // 12 sites (q, v of 6 layers) x (8 experts of A [384, 4] + B [4, 384])
        assertEquals(12 * (8 * 384 * 4 + 4 * 384), m.report().module());
        PeftModel plain = m.mergeAndUnload(TestModels.miniLm());
        assertEquals(0, plain.report().module(), "merged into W: nothing but the head remains");
    }

    @Test
    void onlyTheRoutedAExpertGetsAGradientAndBAlwaysDoes() {
        PeftModel m = tiny();
        Map<String, INDArray> in = m.feeds(BATCH, Pass.train(1), new SplittableRandom(8));
        in.put(Heads.LABELS, Nd4j.createFromArray(1L, 0L, 1L));
        Map<String, INDArray> g = m.sameDiff().calculateGradients(in, m.trainableParameters().toArray(String[]::new));
        for (Site s : m.injection().sites()) {
            String prefix = "adamix-lora/layer." + s.layer() + "/" + s.kind().name().toLowerCase();
            int chosen = in.get(prefix + "/route").getRow(0).argMax().getInt(0);
            INDArray ga = g.get(prefix + "/A");
            for (int e = 0; e < 4; e++) {
                double mag = ga.slice(e).amaxNumber().doubleValue();
                if (e == chosen) assertTrue(mag > 0, prefix + " routed expert");
                else assertEquals(0.0, mag, prefix + " expert " + e);
            }
            assertTrue(g.get(prefix + "/B").amaxNumber().doubleValue() > 0, "the shared B always trains");
        }
    }

    @Test
    void mergeFoldsScaledMeanAIntoW() {
        PeftModel m = tiny();
        Map<String, INDArray> before = new HashMap<>();
        for (Site s : m.injection().sites()) before.put(s.weight(), m.sameDiff().getArrForVarName(s.weight()).dup());
        INDArray averaged = m.logits(BATCH, Pass.eval(), new SplittableRandom(0));
        m.merge();
        for (Site s : m.injection().sites()) {
            String prefix = "adamix-lora/layer." + s.layer() + "/" + s.kind().name().toLowerCase();
            INDArray a = m.sameDiff().getArrForVarName(prefix + "/A");
            INDArray meanA = a.slice(0).dup();
            for (int e = 1; e < 4; e++) meanA.addi(a.slice(e));
            meanA.divi(4);
            INDArray expected = before.get(s.weight()).add(meanA.mmul(m.sameDiff().getArrForVarName(prefix + "/B")).muli(8.0 / 2));
            double d = expected.sub(m.sameDiff().getArrForVarName(s.weight())).amaxNumber().doubleValue();
            assertTrue(d < 1e-6, s.weight() + ": W + (alpha/r) mean(A) B, off by " + d);
        }
        double diff = averaged.sub(m.logits(BATCH)).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "merged vs averaged routing: " + diff);
        m.unmerge();
        for (Site s : m.injection().sites()) {
            assertTrue(before.get(s.weight()).sub(m.sameDiff().getArrForVarName(s.weight())).amaxNumber().doubleValue() < 1e-6);
        }
        PeftModel plain = m.mergeAndUnload(TestModels.bertTiny());
        assertTrue(averaged.sub(plain.logits(BATCH)).amaxNumber().doubleValue() < 1e-5);
        assertEquals(List.of(), plain.sameDiff().getOps().keySet().stream().filter(o -> o.startsWith("adamix")).toList());
    }
}
