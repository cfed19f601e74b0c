package org.adamix4j.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PyTorch peer's JSON (as adamix_peer.py writes it) and the Java child's JSON read into one record. */
class TrainingMeasurementTest {
    private static final String PEER = """
            {"peer": "pytorch", "torch_version": "1.13.0a0", "threads": 1, "method": "lora", "batch": 8,
             "length": 64, "warmup": 2, "steps": 3, "step_seconds": [0.30, 0.10, 0.20], "load_seconds": 1.2,
             "trainable_parameters": 221186, "rss_after_load_mb": 480.5, "peak_rss_mb": 491.7,
             "maxrss_mb": 491.6, "rss_series": [[1, 481.0], [2, 482.5]], "loss_first": 0.69, "loss_last": 0.70}
            """;

    @Test
    void readsThePeersJson() {
        TrainingMeasurement m = TrainingMeasurement.parse(PEER, "peer.json");
        assertEquals("pytorch", m.runtime());
        assertEquals("lora", m.method());
        assertEquals(8, m.batch());
        assertEquals(64, m.length());
        assertEquals(2, m.warmup());
        assertEquals(List.of(0.30, 0.10, 0.20), m.stepSeconds());
        assertEquals(0.20, m.steps().median(), 1e-12);
        assertEquals(0.15, m.steps().p25(), 1e-12);
        assertEquals(491.7, m.peakRssMb(), 1e-9);
        assertEquals(480.5, m.rssAfterLoadMb(), 1e-9);
        assertEquals(221186, m.trainableParameters());
        assertEquals(2, m.rssSeries().size());
        assertEquals(482.5, m.rssSeries().get(1)[1], 1e-9);
        assertEquals(List.of(), m.inference());
    }

    @Test
    void javaJsonRoundTripsWithInference() {
        InferenceTimes inf = new InferenceTimes("adamix4j", "adamix", true, 64, 8, List.of(0.02, 0.01, 0.03), List.of(0.4, 0.5));
        InferenceTimes exported = new InferenceTimes(InferenceTimes.EXPORTED, "adamix", true, 64, 8, List.of(0.004), List.of(0.1));
        TrainingMeasurement m = new TrainingMeasurement("adamix4j", "adamix", 8, 64, 1, List.of(2.0, 1.0), 3000, 2000,
                187008 + 148994, List.of(), List.of(inf, exported));
        String json = new org.nd4j.shade.jackson.databind.ObjectMapper().valueToTree(m.toJson()).toString();
        TrainingMeasurement back = TrainingMeasurement.parse(json, "child.json");
        assertEquals("adamix4j", back.runtime());
        assertEquals(1.5, back.steps().median(), 1e-12);
        assertEquals(3000, back.peakRssMb());
        assertEquals(2, back.inference().size());
        assertEquals(0.02, Stats.of(back.inference().get(0).latency()).median(), 1e-12);
        // 8 sequences in a median of 0.45 s
        assertEquals(8 / 0.45, back.inference().get(0).throughput(), 1e-9);
        assertTrue(back.inference().get(0).merged());
        assertEquals(InferenceTimes.EXPORTED, back.inference().get(1).runtime());
        assertEquals(80, back.inference().get(1).throughput(), 1e-9);
    }

    @Test
    void aSingleInferenceObjectFromBeforeTheExportStillReads() {
        String old = new org.nd4j.shade.jackson.databind.ObjectMapper().valueToTree(Map.of("runtime", "adamix4j", "method", "lora",
                "batch", 8, "length", 64, "step_seconds", List.of(1.0), "peak_rss_mb", 100,
                "inference", new InferenceTimes("adamix4j", "lora", true, 64, 8, List.of(0.02), List.of(0.4)).toJson())).toString();
        TrainingMeasurement back = TrainingMeasurement.parse(old, "old.json");
        assertEquals(1, back.inference().size());
        assertEquals("lora", back.inference().get(0).what());
    }

    @Test
    void badInputNamesTheSourceAndTheField() {
        assertMessage("not JSON", "peer.json", () -> TrainingMeasurement.parse("step 1: 0.3 s", "peer.json"));
        assertMessage("missing field 'peak_rss_mb'", "peer.json",
                () -> TrainingMeasurement.parse(PEER.replace("\"peak_rss_mb\"", "\"peak\""), "peer.json"));
        assertMessage("non-empty array", "x.json",
                () -> TrainingMeasurement.parse(PEER.replace("[0.30, 0.10, 0.20]", "[]"), "x.json"));
        assertMessage("positive numbers", "x.json",
                () -> TrainingMeasurement.parse(PEER.replace("[0.30, 0.10, 0.20]", "[0.3, -1]"), "x.json"));
        assertMessage("JSON object", "x.json", () -> TrainingMeasurement.parse("[1, 2]", "x.json"));
    }

    private static void assertMessage(String part, String source, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part) && x.getMessage().contains(source), x.getMessage());
    }
}
