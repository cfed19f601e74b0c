package org.adamix4j.search;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-C or kill (a real SIGINT or SIGTERM to a separate {@code adamix search} process) leaves complete, readable results. */
class InterruptTest {
    private static Path tokenizer;

    @BeforeAll
    static void tokenizer(@TempDir Path dir) throws Exception {
        tokenizer = TinyModel.tokenizer(dir);
    }

    /** Ctrl-C in a terminal is SIGINT (exit 128 + 2); a service manager or {@code kill} sends SIGTERM (128 + 15). */
    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalMarksTheRunningCandidateAndKeepsTheFinishedOnes(String signal, int exitStatus, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("search");
        // A background job of a non-interactive shell (how CI is often started) inherits SIGINT as ignored, and the
        // JVM then keeps ignoring it, as a background job should: the search would run to its end and exit 0.
        // `env --default-signal=INT` (coreutils >= 8.31) gives the child the default disposition a terminal has.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=3G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=5G", "-Dai.djl.offline=true",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "org.adamix4j.cli.Main",
                "search", "--task", "demo", "--model", TinyModel.onnx().toString(), "--tokenizer", tokenizer.toString(),
                "--space", "{\"learning_rate\": {\"log_uniform\": [1e-3, 1e-2]}}", "--candidates", "20", "--epochs", "2",
                "--train-limit", "64", "--dev-limit", "32", "--batch-size", "16", "--max-length", "24", "--consistency-weight", "0",
                "--output", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        try {
            Path csv = out.resolve(SearchResults.CSV);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
            while (!(Files.isRegularFile(csv) && Files.readString(csv).contains("\n2,running,"))) {
                assertTrue(p.isAlive(), "the search ended early: " + Files.readString(dir.resolve("log.txt")));
                assertTrue(System.nanoTime() < deadline, "candidate 2 never started: " + Files.readString(dir.resolve("log.txt")));
                Thread.sleep(100);
            }
            assertFalse(sigintIgnored(p.pid()), "the search process ignores SIGINT (SigIgn in /proc/" + p.pid() + "/status)");
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                        String.valueOf(p.pid())).redirectErrorStream(true).start();
                String threads = new String(dump.getInputStream().readAllBytes());
                throw new AssertionError("the search did not stop within 2 min of SIG" + signal + "; threads:\n" + threads
                        + "\nlog:\n" + Files.readString(dir.resolve("log.txt")));
            }
            assertEquals(exitStatus, p.exitValue(), "128 + SIG" + signal);
        } finally {
            p.destroyForcibly();
        }
        List<String> rows = Files.readAllLines(out.resolve(SearchResults.CSV));
        assertTrue(rows.get(0).startsWith("candidate,status,accuracy,"), rows.get(0));
        assertTrue(rows.get(1).startsWith("1,complete,"), rows.get(1));
        assertTrue(rows.get(2).startsWith("2,interrupted,") && rows.get(2).contains("interrupted (Ctrl-C or shutdown)"), rows.get(2));
        assertEquals(3, rows.size(), "nothing after the interrupted candidate");
        String md = Files.readString(out.resolve(SearchResults.MARKDOWN));
        assertTrue(md.contains("| 2 | interrupted |") && md.contains("Stopped: interrupted (Ctrl-C or shutdown)."), md);
        assertTrue(Files.isRegularFile(out.resolve(SearchResults.BEST)), "the best finished candidate's config is kept");
    }

    /** Whether SIGINT (signal 2, bit 1 of the SigIgn mask) is ignored by process {@code pid}. */
    static boolean sigintIgnored(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0b10) != 0;
            }
        }
        throw new IllegalStateException("no SigIgn line in /proc/" + pid + "/status");
    }
}
