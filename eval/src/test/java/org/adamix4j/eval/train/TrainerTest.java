package org.adamix4j.eval.train;

import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.modules.checkpoint.SafeTensors;
import org.adamix4j.onnx.EmbeddedModel;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TransformerTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer on the bundled demo task with the real MiniLM: run files, progress, and exact resume. */
class TrainerTest {
    private static TrainConfig config() {
        return new TrainConfig("demo", MethodSpec.defaults("adamix"), new TrainConfig.Optim(2e-3, 0.1, 0.1, 1.0),
                2, 16, 48, 5, true, 48, 32);
    }

    private static Trainer.Result train(Path out, boolean resume, PrintStream log) {
        try (TransformerTokenizer tok = TransformerTokenizer.load(EmbeddedModel.ALL_MINILM_L6_V2.tokenizer(), 48)) {
            return Trainer.run(config(), null, TestModels::miniLm, tok, out, resume, log);
        }
    }

    @Test
    void writesTheRunFilesAndResumesExactly(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Trainer.Result full = train(dir.resolve("full"), false, new PrintStream(text, true, StandardCharsets.UTF_8));
        String log = text.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("step 6/6") && log.contains("ex/s") && log.contains("ETA"), log);
        for (String f : List.of(RunFiles.CONFIG, RunFiles.EVAL_LOG, RunFiles.METRICS, RunFiles.SUMMARY)) {
            assertTrue(Files.isRegularFile(dir.resolve("full").resolve(f)), f);
        }
        assertEquals(2, Files.readAllLines(dir.resolve("full").resolve(RunFiles.EVAL_LOG)).size(), "one line per epoch");
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("full").resolve(RunFiles.METRICS).toFile());
        assertEquals(full.last().get("accuracy"), metrics.path("last_epoch").path("accuracy").asDouble(), 1e-12);
        assertTrue(metrics.path("peak_rss_mb").asDouble() > 100);
        assertTrue(Files.readString(dir.resolve("full").resolve(RunFiles.SUMMARY)).contains("| last epoch (2) |"));
        AdapterCheckpoint.load(TestModels.miniLm(), dir.resolve("full").resolve(RunFiles.BEST)); // a loadable checkpoint

        // Interrupt a second run right after epoch 1 was saved, then resume it.
        Path cut = dir.resolve("cut");
        PrintStream dies = new PrintStream(new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                line.append((char) b);
                if (line.toString().contains("epoch 1 dev")) throw new IllegalStateException("simulated Ctrl-C");
            }
        }, true);
        assertThrows(IllegalStateException.class, () -> train(cut, false, dies));
        assertEquals(1, Files.readAllLines(cut.resolve(RunFiles.EVAL_LOG)).size());
        Trainer.Result resumed = train(cut, true, new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(full.last(), resumed.last(), "a resumed run ends where the uninterrupted one does");
        Map<String, INDArray> a = SafeTensors.read(dir.resolve("full").resolve("last/adapter").resolve(AdapterCheckpoint.WEIGHTS));
        Map<String, INDArray> b = SafeTensors.read(cut.resolve("last/adapter").resolve(AdapterCheckpoint.WEIGHTS));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertEquals(a.get(k), b.get(k), "bit-identical " + k);
    }

    @Test
    void aNonEmptyOutputDirectoryIsRefusedAndLeftAlone(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("run"));
        Files.writeString(out.resolve("precious.txt"), "keep me");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train(out, false, new PrintStream(OutputStream.nullOutputStream())));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("keep me", Files.readString(out.resolve("precious.txt")));
        try (var s = Files.list(out)) {
            assertEquals(1, s.count());
        }
    }
}
