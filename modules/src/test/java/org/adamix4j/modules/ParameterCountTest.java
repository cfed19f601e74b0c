package org.adamix4j.modules;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.baseline.BitFitConfig;
import org.adamix4j.modules.baseline.FullFineTuningConfig;
import org.adamix4j.modules.baseline.HeadOnlyConfig;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.onnx.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trainable-parameter counts on the real all-MiniLM-L6-v2 (d = 384, L = 6) against closed forms. */
class ParameterCountTest {
    private static final long D = 384;
    private static final long L = 6;
    private static final long BASE = 22_565_376L; // see StructureAndFreezeTest
    private static final long EMBEDDING_TABLES = (30522 + 512 + 2) * D;

    static Stream<Arguments> methods() {
        return Stream.of(
                // Houlsby: two adapters per layer, each d*r + r + r*d + d.
                Arguments.of(AdapterConfig.houlsby(16), L * 2 * (2 * D * 16 + 16 + D), 12),
                // Pfeiffer: one adapter per layer.
                Arguments.of(AdapterConfig.pfeiffer(16), L * (2 * D * 16 + 16 + D), 6),
                // LoRA on q and v: A [d, r] and B [r, d] per site.
                Arguments.of(LoraConfig.queryValue(8, 16), L * 2 * (D * 8 + 8 * D), 12),
                // BitFit: per layer 4 attention biases, FFN in (4d) and out, 2 LayerNorm biases.
                Arguments.of(new BitFitConfig(), L * (4 * D + 4 * D + D + 2 * D), 48),
                Arguments.of(new HeadOnlyConfig(), 0L, 0),
                // Full fine-tuning: everything but the embedding tables (see FullFineTuningConfig).
                Arguments.of(new FullFineTuningConfig(), BASE - EMBEDDING_TABLES, 48));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void countsMatchTheClosedForm(MethodConfig config, long expectedModule, int expectedSites) {
        TaskHead head = TaskHead.classification(2);
        PeftModel m = PeftModel.builder().setBase(TestModels.miniLm()).setMethod(config).setHead(head).build();
        ParameterReport r = m.report();
        System.out.println(r);
        assertEquals(expectedModule, r.module(), config.type());
        assertEquals(D * D + D + D * 2 + 2, r.head());
        assertEquals(expectedSites, r.sites().size());
        boolean unfreezesBase = config instanceof BitFitConfig || config instanceof FullFineTuningConfig;
        assertEquals(BASE + (unfreezesBase ? 0 : expectedModule) + r.head(), r.total() - 39,
                "total = base weights (+ new module weights) + head; 39 scalar constants of the export");
        assertTrue(r.percent() > 0 && r.percent() <= 100);
    }

    @Test
    void adapterFormulaHelperAgrees() {
        assertEquals(L * 2 * (2 * D * 16 + 16 + D), AdapterConfig.houlsby(16).parameterCount(D, (int) L));
    }

    @Test
    void targetSetMatchingNothingListsTheCandidates() {
        LoraConfig layer9 = new LoraConfig(4, 8, 0, EnumSet.of(SiteKind.QUERY), Set.of(9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeftModel.builder()
                .setBase(TestModels.bertTiny()).setMethod(layer9).setHead(TaskHead.classification(2)).build());
        assertTrue(e.getMessage().contains("[QUERY] in layers [9] match nothing")
                && e.getMessage().contains("candidate sites: QUERY@0, KEY@0"), e.getMessage());
    }

    @Test
    void badHyperparametersAreRejectedByTheConfigs() {
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.queryValue(0, 8));
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.queryValue(4, -1));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, 8, 1.0, EnumSet.of(SiteKind.QUERY), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, 8, 0, EnumSet.of(SiteKind.OUTPUT_LAYER_NORM), Set.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdapterConfig.houlsby(0));
        assertTrue(e.getMessage().contains("bottleneck r must be >= 1, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskHead.classification(1));
    }
}
