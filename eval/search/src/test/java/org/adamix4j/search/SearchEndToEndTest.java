package org.adamix4j.search;

import org.adamix4j.cli.Main;
import org.adamix4j.eval.train.MethodSpec;
import org.adamix4j.eval.train.TrainConfig;
import org.adamix4j.eval.train.RunFiles;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.OnnxImporter;
import org.adamix4j.tokenize.TransformerTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole searches on the tiny BERT fixture and the demo task (2 steps and 32 dev sentences per
 * candidate): through {@code adamix search}, the table, the best config and its reproduction with
 * {@code adamix train --config}; a diverging candidate; an injected failure and the time limit.
 */
class SearchEndToEndTest {
    /** Base options: tiny runs (1 epoch of 32 examples, no consistency pass). */
    private static final List<String> TINY = List.of("--task", "demo", "--epochs", "1", "--train-limit", "32", "--dev-limit", "32",
            "--batch-size", "16", "--max-length", "24", "--consistency-weight", "0");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path tokenizer;

    @BeforeAll
    static void tokenizer(@TempDir Path dir) throws Exception {
        tokenizer = TinyModel.tokenizer(dir);
    }

    record Run(int code, String out, String err) {
    }

    static Run cli(List<String> args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args.toArray(String[]::new));
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static List<String> args(String... more) {
        List<String> a = new ArrayList<>(List.of(more));
        a.addAll(List.of("--model", TinyModel.onnx().toString(), "--tokenizer", tokenizer.toString()));
        a.addAll(TINY);
        return a;
    }

    @Test
    void aThreeCandidateRandomSearchWritesTableBestConfigAndPlotAndTheBestReproduces(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("search");
        Run r = cli(args("search", "--space", "{\"learning_rate\": {\"log_uniform\": [1e-3, 3e-2]}, \"r\": {\"choice\": [4, 8]}, "
                + "\"sharing\": {\"choice\": [\"up\", \"none\"]}}", "--candidates", "3", "--search-seed", "5", "--output", out.toString()));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("search: candidate 1/3") && r.out().contains("search: candidate 3/3 complete"), r.out());
        assertTrue(r.out().contains("stopped: reached 3 candidates"), r.out());

        List<String> csv = Files.readAllLines(out.resolve(SearchResults.CSV));
        assertEquals("candidate,status,accuracy,best_epoch,seconds,peak_rss_mb,learning_rate,r,sharing,reason,run_dir", csv.get(0));
        assertEquals(4, csv.size(), "a row per candidate");
        double bestScore = -1;
        int best = 0;
        for (int i = 1; i <= 3; i++) {
            String[] f = csv.get(i).split(",", -1);
            assertEquals(String.valueOf(i), f[0]);
            assertEquals("complete", f[1]);
            // The table's score is the run's own best-epoch dev accuracy, and its knobs are the run's config.
            Path run = out.resolve(f[10]);
            JsonNode metrics = JSON.readTree(run.resolve(RunFiles.METRICS).toFile());
            assertEquals(metrics.path("best_epoch").path("accuracy").asDouble(), Double.parseDouble(f[2]), 0);
            TrainConfig cfg = TrainConfig.fromJson(JSON.readTree(run.resolve(RunFiles.CONFIG).toFile()));
            assertEquals(Double.parseDouble(f[6]), cfg.optim().learningRate(), 0);
            assertTrue(cfg.optim().learningRate() >= 1e-3 && cfg.optim().learningRate() <= 3e-2);
            assertEquals(Integer.parseInt(f[7]), cfg.method().r());
            assertEquals(f[8], cfg.method().sharing());
            assertEquals(32, cfg.trainLimit(), "base options reach every candidate");
            if (Double.parseDouble(f[2]) > bestScore) {
                bestScore = Double.parseDouble(f[2]);
                best = i;
            }
        }
        Path bestRun = out.resolve("candidates").resolve(String.format("candidate-%03d", best));
        assertEquals(JSON.readTree(bestRun.resolve(RunFiles.CONFIG).toFile()), JSON.readTree(out.resolve(SearchResults.BEST).toFile()),
                "best.json is the config of the best-scoring candidate (first of equals)");
        assertTrue(Files.readString(out.resolve(SearchResults.MARKDOWN)).contains("| " + best + " | **complete (best)** |"));
        assertEquals(800, ImageIO.read(out.resolve(SearchResults.PLOT).toFile()).getWidth());
        assertEquals(5, JSON.readTree(out.resolve(SearchResults.SETTINGS).toFile()).path("seed").asInt());

        // adamix train --config best.json reproduces the best candidate exactly (seeded runs are deterministic).
        Path again = dir.resolve("again");
        Run t = cli(List.of("train", "--config", out.resolve(SearchResults.BEST).toString(), "--model", TinyModel.onnx().toString(),
                "--tokenizer", tokenizer.toString(), "--output", again.toString()));
        assertEquals(0, t.code(), t.err());
        assertEquals(bestScore, JSON.readTree(again.resolve(RunFiles.METRICS).toFile()).path("best_epoch").path("accuracy").asDouble(), 0);
        assertEquals(Files.readAllLines(bestRun.resolve(RunFiles.EVAL_LOG)).get(0).replaceAll(",\"seconds\":[^}]*", ""),
                Files.readAllLines(again.resolve(RunFiles.EVAL_LOG)).get(0).replaceAll(",\"seconds\":[^}]*", ""),
                "identical training loss and dev metrics");
    }

    @Test
    void aDivergingCandidateIsRecordedAsFailedAndTheSearchGoesOn(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("search");
        Run r = cli(args("search", "--strategy", "grid", "--space", "{\"learning_rate\": {\"choice\": [1e-3, 1e30, 3e-3]}}",
                "--output", out.toString()));
        assertEquals(0, r.code(), r.err() + r.out());
        List<String> csv = Files.readAllLines(out.resolve(SearchResults.CSV));
        assertEquals(4, csv.size());
        assertTrue(csv.get(1).startsWith("1,complete,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("2,failed,,,") && csv.get(2).contains("training diverged: loss NaN"), csv.get(2));
        assertTrue(csv.get(3).startsWith("3,complete,"), "the search went on after the failure: " + csv.get(3));
        assertTrue(r.out().contains("stopped: grid exhausted (3 candidates)"), r.out());
        double best = JSON.readTree(out.resolve(SearchResults.BEST).toFile()).path("optim").path("learning_rate").asDouble();
        assertTrue(best == 1e-3 || best == 3e-3, "the best is a complete candidate: " + best);
    }

    @Test
    void anInjectedFailureIsRecordedAndNoCandidateStartsAfterTheTimeLimit(@TempDir Path dir) {
        // Candidate 1 fails when it loads the model; then the time limit stops the search.
        AtomicInteger calls = new AtomicInteger();
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        Supplier<ImportedModel> model = () -> {
            starts.add(System.nanoTime());
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("injected failure");
            return OnnxImporter.builder().setModel(TinyModel.onnx()).build().importModel();
        };
        TrainConfig base = new TrainConfig("demo", new MethodSpec("adamix", 4, 2, "up", 0, 16, 0), new TrainConfig.Optim(1e-3, 0.1, 0.06, 1.0),
                1, 16, 24, 42, true, 32, 32);
        Duration limit = Duration.ofSeconds(4);
        long t0 = System.nanoTime();
        HyperparameterSearch.Outcome o;
        try (TransformerTokenizer tok = TransformerTokenizer.load(tokenizer, 24)) {
            o = HyperparameterSearch.builder().setBaseConfig(base)
                    .setSpace(SearchSpace.resolve("{\"learning_rate\": {\"log_uniform\": [1e-4, 1e-2]}, \"r\": {\"int\": [2, 8]}}"))
                    .setModel(model).setTokenizer(tok).setOutput(dir.resolve("s")).optMaxCandidates(50).optMaxTime(limit)
                    .optLog(new PrintStream(OutputStream.nullOutputStream())).build().run();
        }
        CandidateRow first = o.rows().get(0);
        assertEquals(CandidateRow.Status.FAILED, first.status());
        assertTrue(first.reason().contains("injected failure"), first.reason());
        assertTrue(o.rows().size() >= 2 && o.rows().size() < 50, "stopped by time after " + o.rows().size());
        assertTrue(o.stopReason().startsWith("max time"), o.stopReason());
        assertEquals(starts.size(), o.rows().size(), "every candidate recorded");
        for (long s : starts) {
            // Arbiter checks the limit before it starts a candidate; the model is loaded right after.
            assertTrue((s - t0) / 1e9 < limit.toSeconds() + 1.0, "a candidate started " + (s - t0) / 1e9 + " s in");
        }
        assertNotNull(o.best().orElse(null), "a candidate after the failure completed");
    }

    @Test
    void trainStopsWithAClearErrorWhenTheLossDiverges(@TempDir Path dir) {
        List<String> a = new ArrayList<>(args("train", "--output", dir.resolve("run").toString()));
        a.addAll(List.of("--lr", "1e30"));
        Run r = cli(a);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("adamix: training diverged: loss NaN at epoch 1, step "), r.err());
        assertTrue(!r.err().contains("\tat org."), "no stack trace: " + r.err());
    }

    @Test
    void searchIsListedByTheCliThroughServiceLoader() {
        Run r = cli(List.of("--help"));
        assertTrue(r.out().contains("  search "), r.out());
        Run bad = cli(List.of("search", "--strategy", "bayes"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--strategy must be random or grid, got 'bayes'"), bad.err());
    }
}
