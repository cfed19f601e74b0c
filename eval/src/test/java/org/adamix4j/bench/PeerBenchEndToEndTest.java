package org.adamix4j.bench;

import org.adamix4j.onnx.CacheDirs;
import org.adamix4j.onnx.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench peers} end to end on the tiny BERT fixture, 2 timed steps: forked JVMs per method, the
 * PyTorch peer (when python3-torch is there), ONNX Runtime, a short memory run; the JSON and Markdown
 * name every method with positive times.
 */
class PeerBenchEndToEndTest {
    private static final List<String> METHODS = List.of("adamix", "adapter", "houlsby", "lora");

    @TempDir
    Path out;

    @Test
    void writesEveryMethodWithPositiveTimes() throws Exception {
        TestModels.bertTiny(); // copies the fixture into the cache
        Path model = CacheDirs.root().resolve("test-fixtures").resolve("bert-tiny.onnx");
        boolean peer = PythonPeer.torchVersion("/usr/bin/python3") != null;
        if (!peer) System.out.println("PyTorch peer not run: /usr/bin/python3 cannot import torch; AdaMix4j and ONNX Runtime only");
        PeerBenchConfig c = PeerBenchConfig.builder().setModel(model).setOut(out).optBatch(2).optLength(8).optSteps(2)
                .optWarmup(1).optMethods(METHODS).optInferenceReps(2).optPeer(peer).optInstallPeer(false)
                .optFlat(4, 2, "lora")
                .optChildJvmArgs(List.of("-Xmx512m", "-Dorg.bytedeco.javacpp.maxbytes=2G",
                        "-Dorg.bytedeco.javacpp.maxphysicalbytes=3G", "-Dai.djl.offline=true"))
                .build();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PeerBench.run(c, new PrintStream(log, true));

        JsonNode j = new ObjectMapper().readTree(out.resolve("peers.json").toFile());
        List<String> seen = new ArrayList<>();
        for (JsonNode t : j.get("training")) {
            String method = t.get("method").asText();
            seen.add(method);
            assertSteps(t.get("adamix4j"), method, "adamix4j");
            assertTrue(t.at("/adamix4j/peak_rss_mb").asDouble() > 100, method + " peak RSS of a JVM is > 100 MB");
            if (peer) {
                assertSteps(t.get("pytorch"), method, "pytorch");
                assertTrue(t.get("step_ratio").asDouble() > 0, method + " step ratio");
            }
        }
        assertEquals(METHODS, seen);
        // Trainable parameters of the tiny model (d = 32, 2 layers, r = 16, M = 4, head 32x32 + 32x2):
        // adamix 2 x (4 x (32x16 + 16) + 16x32 + 32) + 1,122 = 6,434; lora 2 x 2 x (32x8 + 8x32) + 1,122 = 3,170
        assertEquals(6434, j.at("/training/0/adamix4j/trainable_parameters").asLong());
        assertEquals(3170, j.at("/training/3/adamix4j/trainable_parameters").asLong());
        if (peer) {
            assertEquals(6434, j.at("/training/0/pytorch/trainable_parameters").asLong());
            assertEquals(3170, j.at("/training/3/pytorch/trainable_parameters").asLong());
        }

        List<String> inference = new ArrayList<>();
        for (JsonNode i : j.get("inference")) {
            inference.add(i.get("runtime").asText() + ":" + i.get("what").asText() + ":" + i.get("merged").asBoolean());
            assertTrue(i.get("latency_median_seconds").asDouble() > 0 && i.get("throughput_sequences_per_second").asDouble() > 0);
        }
        assertEquals(List.of("onnxruntime:base:false", "adamix4j:base:false",
                "adamix4j:adamix:true", "onnxruntime-export:adamix:true", "onnxruntime-paired:adamix:true",
                "adamix4j:adapter:false", "onnxruntime-export:adapter:false", "onnxruntime-paired:adapter:false",
                "adamix4j:houlsby:false", "onnxruntime-export:houlsby:false", "onnxruntime-paired:houlsby:false",
                "adamix4j:lora:true", "onnxruntime-export:lora:true", "onnxruntime-paired:lora:true"), inference);
        for (JsonNode i : j.get("inference")) {
            String expected = i.get("runtime").asText().equals("onnxruntime-export") ? "onnxruntime-paired" : "onnxruntime";
            assertEquals(expected, i.get("ratio_reference").asText(), "the ratio of " + i);
        }
        assertTrue(j.at("/adamix_cost/adamix_over_adapter_adamix4j").asDouble() > 0);

        String md = Files.readString(out.resolve("peers.md"));
        for (String m : METHODS) assertTrue(md.contains("| " + m + " |"), "peers.md has a row for " + m + ":\n" + md);
        assertTrue(md.contains("| adamix / adapter |"), md);
        assertTrue(md.contains("| adamix | onnxruntime-export | merged, exported to ONNX (ratio to the pair below) |"), md);
        assertTrue(md.contains("- merged adamix, exported to ONNX and run by ONNX Runtime: batch 2 x 8 <= 1.2x ONNX Runtime:"), md);
        List<String> csv = Files.readAllLines(out.resolve("flat.csv"));
        assertEquals("step,adamix4j_rss_mb,pytorch_rss_mb", csv.get(0));
        assertEquals(List.of("2", "4"), csv.subList(1, csv.size()).stream().map(l -> l.split(",")[0]).toList());
        byte[] png = Files.readAllBytes(out.resolve("flat.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "flat.png is a PNG picture");
        assertTrue(Files.isRegularFile(out.resolve("raw").resolve("adamix4j-train-adamix.json")));
    }

    private static void assertSteps(JsonNode m, String method, String runtime) {
        JsonNode steps = m.get("step_seconds");
        assertEquals(2, steps.size(), method + " " + runtime + " timed steps");
        for (JsonNode s : steps) assertTrue(s.asDouble() > 0, method + " " + runtime + " step time " + s);
        assertTrue(m.get("step_median_seconds").asDouble() > 0);
    }

    @Test
    void badConfigurationNamesTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerBenchConfig.builder()
                .setModel(Path.of("m.onnx")).setOut(out).optMethods(List.of("adamix", "prefix")).build());
        assertTrue(e.getMessage().contains("unknown method 'prefix'") && e.getMessage().contains("houlsby"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PeerBenchConfig.builder()
                .setModel(Path.of("m.onnx")).setOut(out).optWarmup(0).build());
        assertTrue(e.getMessage().contains("--warmup"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PeerBenchConfig.builder()
                .setModel(Path.of("m.onnx")).setOut(out).optFlat(100, 0, "adamix").build());
        assertTrue(e.getMessage().contains("--flat-every"), e.getMessage());
    }
}
