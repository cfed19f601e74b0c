package org.adamix4j.cli;

import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: help, exit codes, clear errors that write nothing, and train → eval → predict → merge. */
class CliTest {

    /** Exit code, stdout and stderr of one CLI invocation. */
    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "predict", "merge", "info", "demo", "generate"})
    void everyCommandHasHelp(String command) {
        Run r = cli(command, "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: adamix " + command), r.out());
    }

    @Test
    void trainHelpShowsThePaperDefaults() {
        Run r = cli("train", "--help");
        assertTrue(r.out().contains("--method") && r.out().contains("default adamix") && r.out().contains("--consistency-weight"), r.out());
    }

    static List<Object[]> badInputs(Path out) {
        return List.of(
                new Object[]{new String[]{"train", "--task", "nosuch", "--output", out.toString()}, "unknown task 'nosuch'"},
                new Object[]{new String[]{"train", "--task", "rte", "--output", out.toString()}, "needs --data"},
                new Object[]{new String[]{"train", "--task", "rte", "--data", out.resolve("nope").toString(), "--output", out.toString()},
                        "data directory not found"},
                new Object[]{new String[]{"train", "--lr", "-0.1", "--output", out.toString()}, "learning rate must be a positive number"},
                new Object[]{new String[]{"train", "--r", "0", "--output", out.toString()}, "bottleneck r must be >= 1"},
                new Object[]{new String[]{"train", "--experts", "0", "--output", out.toString()}, "experts >= 1"},
                new Object[]{new String[]{"train", "--method", "prefix", "--output", out.toString()}, "unknown method 'prefix'"},
                new Object[]{new String[]{"train", "--epochs", "zero", "--output", out.toString()}, "Invalid value for option '--epochs'"});
    }

    @Test
    void badInputIsAClearErrorWithNonZeroExitAndNothingWritten(@TempDir Path dir) {
        Path out = dir.resolve("run");
        for (Object[] c : badInputs(out)) {
            Run r = cli((String[]) c[0]);
            assertTrue(r.code() != 0, String.join(" ", (String[]) c[0]));
            assertTrue(r.err().contains((String) c[1]), "expected '" + c[1] + "' in: " + r.err());
            assertFalse(r.err().contains("\tat org."), "no stack trace for bad input: " + r.err());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", (String[]) c[0]));
        }
    }

    @Test
    void trainEvalPredictMerge(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Run t = cli("train", "--task", "demo", "--epochs", "1", "--train-limit", "32", "--dev-limit", "24", "--batch-size", "16",
                "--max-length", "32", "--output", run.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("dev demo: last epoch accuracy"), t.out());

        Run e = cli("eval", "--task", "demo", "--checkpoint", run.resolve("best").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("demo dev (100 examples): accuracy"), e.out());

        Path preds = dir.resolve("preds.tsv");
        Run p = cli("predict", "--task", "demo", "--split", "test", "--checkpoint", run.resolve("best").toString(),
                "--out", preds.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(preds);
        assertEquals(101, lines.size());
        assertEquals("index\tprediction", lines.get(0));
        assertTrue(lines.stream().skip(1).allMatch(l -> l.endsWith("\tpositive") || l.endsWith("\tnegative")));

        Path merged = dir.resolve("merged");
        Run m = cli("merge", "--checkpoint", run.resolve("best").toString(), "--out", merged.toString(), "--onnx");
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("ONNX Runtime vs SameDiff on 3 sentences: max |logit difference|"), m.out());

        // The exported model in ONNX Runtime predicts what the checkpoint predicts in SameDiff.
        Path onnxPreds = dir.resolve("onnx-preds.tsv");
        Run po = cli("predict", "--task", "demo", "--split", "test", "--onnx", merged.resolve("merged.onnx").toString(),
                "--out", onnxPreds.toString());
        assertEquals(0, po.code(), po.err());
        assertEquals(lines, Files.readAllLines(onnxPreds));
        Run eo = cli("eval", "--task", "demo", "--onnx", merged.resolve("merged.onnx").toString());
        assertEquals(0, eo.code(), eo.err());
        assertEquals(e.out().lines().filter(l -> l.startsWith("demo dev")).toList(),
                eo.out().lines().filter(l -> l.startsWith("demo dev")).toList());
        Run both = cli("eval", "--task", "demo", "--onnx", merged.resolve("merged.onnx").toString(),
                "--checkpoint", run.resolve("best").toString());
        assertTrue(both.code() != 0 && both.err().contains("exactly one of --checkpoint DIR and --onnx FILE"), both.err());
        long mixture = Files.size(run.resolve("best").resolve(AdapterCheckpoint.WEIGHTS));
        long single = Files.size(merged.resolve("adapter").resolve(AdapterCheckpoint.WEIGHTS));
        assertTrue(single < mixture, "merged AdaMix is one adapter: " + single + " < " + mixture);
        assertTrue(Files.size(merged.resolve("merged.sdfb")) > 80_000_000, "the plain graph with the base weights");
        Run again = cli("merge", "--checkpoint", run.resolve("best").toString(), "--out", merged.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("exists"), again.err());
    }
}
