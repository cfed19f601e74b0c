package org.adamix4j.modules;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.MiniLm;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LoRA merge, unmerge and merge-and-unload on the real all-MiniLM-L6-v2, with a non-zero B. */
class LoraMergeTest {

    @Test
    void mergedEqualsUnmergedAndUnmergeRestoresTheBase() {
        PeftModel m = PeftModel.builder().setBase(TestModels.miniLm()).setMethod(LoraConfig.queryValue(8, 16))
                .setHead(TaskHead.classification(2)).optSeed(5).build();
        // B starts at zero; give it values so the update is real.
        for (String p : m.trainableParameters()) {
            if (p.endsWith("/B")) m.sameDiff().getArrForVarName(p).assign(Nd4j.rand(m.sameDiff().getArrForVarName(p).shape()).subi(0.5).muli(0.1));
        }
        TokenizedBatch batch = MiniLm.tokenizer().encodePairs(List.of("A man plays a guitar.", "Hi"),
                List.of("Someone plays an instrument.", "Hello, how are you?"));
        Map<String, INDArray> weights = new HashMap<>();
        for (Site s : m.injection().sites()) weights.put(s.weight(), m.sameDiff().getArrForVarName(s.weight()).dup());

        INDArray unmerged = m.logits(batch);
        m.merge();
        assertTrue(m.isMerged());
        INDArray merged = m.logits(batch);
        double mergeDiff = Transforms.maxAbsDiff(unmerged, merged);
        double wChange = 0;
        for (var e : weights.entrySet()) wChange = Math.max(wChange, Transforms.maxAbsDiff(e.getValue(), m.sameDiff().getArrForVarName(e.getKey())));
        m.unmerge();
        double restore = 0;
        for (var e : weights.entrySet()) restore = Math.max(restore, Transforms.maxAbsDiff(e.getValue(), m.sameDiff().getArrForVarName(e.getKey())));
        INDArray again = m.logits(batch);
        System.out.printf("LoRA merge: |merged - unmerged| = %.2g, |dW| = %.2g, unmerge residue %.2g%n", mergeDiff, wChange, restore);
        assertTrue(wChange > 1e-3, "the merge changed the frozen weights: " + wChange);
        assertTrue(mergeDiff <= 1e-5, "merged vs unmerged logits: " + mergeDiff);
        assertTrue(restore <= 1e-6, "unmerge restores W: " + restore);
        assertTrue(Transforms.maxAbsDiff(unmerged, again) <= 1e-5);
        assertThrows(IllegalStateException.class, m::unmerge, "nothing merged");

        // merge-and-unload: a plain graph with no LoRA ops that computes the same.
        ImportedModel fresh = TestModels.miniLm();
        int opsBefore = fresh.sameDiff().getOps().size();
        PeftModel plain = m.mergeAndUnload(fresh);
        assertFalse(m.isMerged(), "mergeAndUnload leaves the source model unmerged");
        assertEquals(List.of(), plain.injection().parameters());
        assertTrue(plain.sameDiff().getOps().keySet().stream().noneMatch(o -> o.startsWith("lora/")));
        assertTrue(plain.sameDiff().getOps().size() - opsBefore < 40, "only the head was added");
        double plainDiff = Transforms.maxAbsDiff(unmerged, plain.logits(batch));
        assertTrue(plainDiff <= 1e-5, "merge-and-unload vs unmerged: " + plainDiff);
    }

    @Test
    void adaptersCannotMergeAndSayWhy() {
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(AdapterConfig.pfeiffer(4))
                .setHead(TaskHead.classification(2)).build();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, m::merge);
        assertTrue(e.getMessage().contains("non-linear"), e.getMessage());
        assertFalse(m.isMerged());
    }

    @Test
    void loraCanTargetAnyProjection() {
        LoraConfig ffn = new LoraConfig(2, 4, 0, java.util.EnumSet.of(SiteKind.INTERMEDIATE, SiteKind.OUTPUT), java.util.Set.of(1));
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(ffn).setHead(TaskHead.regression()).build();
        // layer 1 only: INTERMEDIATE A [32, 2] B [2, 64]; OUTPUT A [64, 2] B [2, 32]
        assertEquals(32 * 2 + 2 * 64 + 64 * 2 + 2 * 32, m.report().module());
        assertEquals(List.of("INTERMEDIATE@1", "OUTPUT@1"), m.report().sites());
    }

    /** Small array helpers. */
    static final class Transforms {
        static double maxAbsDiff(INDArray a, INDArray b) {
            return a.sub(b).amaxNumber().doubleValue();
        }
    }
}
