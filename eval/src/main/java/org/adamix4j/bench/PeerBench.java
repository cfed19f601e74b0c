package org.adamix4j.bench;

import org.adamix4j.onnx.AtomicFiles;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code adamix bench peers}: in one invocation, on the same model, batch and length, (a) AdaMix4j's
 * training step per method against a PyTorch peer doing the same work (time and peak RSS), (b) the
 * served (merged) model's inference against ONNX Runtime Java on the original ONNX file, and
 * optionally (c) resident memory over a long training run. Each measurement runs in its own process
 * (a forked JVM with this JVM's options, or the Python peer), so every peak RSS (VmHWM) is that
 * measurement's own. Writes {@code peers.json}, {@code peers.md}, {@code raw/} (each process's JSON)
 * and {@code logs/} into the output folder; {@code flat.csv} and {@code flat.png} for (c).
 */
public final class PeerBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeerBench() {
    }

    /** One method's training in both runtimes (pytorch null when the peer was not run). */
    public record TrainingRow(String method, TrainingMeasurement adamix4j, TrainingMeasurement pytorch) {
        public double stepRatio() {
            return pytorch == null ? Double.NaN : adamix4j.steps().median() / pytorch.steps().median();
        }

        public double rssRatio() {
            return pytorch == null ? Double.NaN : adamix4j.peakRssMb() / pytorch.peakRssMb();
        }
    }

    /** What a run measured. */
    public record Result(PeerBenchConfig config, String torchVersion, List<TrainingRow> training,
                         List<InferenceTimes> inference, double onnxRuntimePeakRssMb, Flatness flat) {
    }

    /** Columns of AdaMix4j's memory breakdown ({@code flat-jvm.csv}), as its measuring process writes them. */
    static final List<String> JVM_COLUMNS = List.of("step", "rss_mb", "heap_committed_mb", "heap_used_mb", "outside_heap_mb");

    /**
     * The memory-flatness run: RSS every k steps in both runtimes and the fitted slope; {@code jvm} breaks
     * AdaMix4j's samples down (rows in {@link #JVM_COLUMNS} order) so that growth can be placed on the heap
     * or off it.
     */
    public record Flatness(String method, List<double[]> adamix4j, List<double[]> pytorch, List<double[]> jvm, String note) {
        /** Least-squares slope of RSS over steps, in MB per 100 steps, over the second half of the run. */
        public static double slopePer100(List<double[]> series) {
            List<double[]> s = series.subList(series.size() / 2, series.size());
            if (s.size() < 2) return Double.NaN;
            double mx = 0;
            double my = 0;
            for (double[] p : s) {
                mx += p[0];
                my += p[1];
            }
            mx /= s.size();
            my /= s.size();
            double sxy = 0;
            double sxx = 0;
            for (double[] p : s) {
                sxy += (p[0] - mx) * (p[1] - my);
                sxx += (p[0] - mx) * (p[0] - mx);
            }
            return sxx == 0 ? Double.NaN : 100 * sxy / sxx;
        }
    }

    public static Result run(PeerBenchConfig c, PrintStream log) {
        Path out = c.out();
        Path raw = out.resolve("raw");
        Path logs = out.resolve("logs");
        try {
            Files.createDirectories(raw);
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out, e);
        }
        String torch = null;
        Path script = null;
        if (c.peer()) {
            torch = PythonPeer.ensure(c.python(), c.installPeer(), log);
            script = PythonPeer.extract(out.resolve("peer").resolve("adamix_peer.py"));
            log.printf("bench peers: PyTorch peer torch %s via %s%n", torch, c.python());
        }
        List<TrainingRow> rows = new ArrayList<>();
        for (String method : c.methods()) {
            log.printf("bench peers: %s, AdaMix4j, %d x %d, %d + %d steps...%n", method, c.batch(), c.length(), c.warmup(), c.steps());
            TrainingMeasurement ours = readTraining(java(c, "train-" + method, List.of("train", "--method", method,
                    "--steps", "" + c.steps(), "--warmup", "" + c.warmup(), "--inference-reps", "" + c.inferenceReps())));
            log.printf("  AdaMix4j %s: step %s s, peak RSS %.0f MB%n", method, ours.steps().format(3), ours.peakRssMb());
            TrainingMeasurement theirs = null;
            if (c.peer()) {
                theirs = readTraining(python(c, script, "train-" + method, method, c.steps(), 0));
                log.printf("  PyTorch  %s: step %s s, peak RSS %.0f MB%n", method, theirs.steps().format(3), theirs.peakRssMb());
            }
            rows.add(new TrainingRow(method, ours, theirs));
        }
        List<InferenceTimes> inference = new ArrayList<>();
        double ortRss = Double.NaN;
        if (c.inferenceReps() > 0) {
            log.printf("bench peers: inference, imported encoder and ONNX Runtime, %d reps...%n", c.inferenceReps());
            JsonNode base = readJson(java(c, "base", List.of("base", "--inference-reps", "" + c.inferenceReps())));
            JsonNode ort = readJson(java(c, "onnxruntime", List.of("ort", "--inference-reps", "" + c.inferenceReps())));
            inference.add(InferenceTimes.fromJson(ort, "onnxruntime"));
            inference.add(InferenceTimes.fromJson(base, "adamix4j base"));
            ortRss = ort.path("peak_rss_mb").asDouble(Double.NaN);
            for (TrainingRow r : rows) inference.addAll(r.adamix4j().inference());
        }
        Flatness flat = null;
        if (c.flatSteps() > 0) {
            log.printf("bench peers: memory over %d steps of %s, RSS every %d...%n", c.flatSteps(), c.flatMethod(), c.flatEvery());
            // The training and inference results are written first: a long memory run may not survive.
            write(new Result(c, torch, rows, inference, ortRss, null));
            List<double[]> ours;
            String note = null;
            try {
                ours = readTraining(java(c, "flat", List.of("train", "--method", c.flatMethod(), "--steps", "" + c.flatSteps(),
                        "--warmup", "" + c.warmup(), "--rss-every", "" + c.flatEvery()))).rssSeries();
            } catch (IllegalStateException e) {
                // Killed (e.g. by the OOM killer): keep the samples it streamed to its .rss.csv before dying.
                ours = partialSeries(c.out().resolve("raw").resolve("adamix4j-flat.json.rss.csv"));
                note = "the AdaMix4j process died after " + ours.size() + " samples: " + e.getMessage().lines().findFirst().orElse("");
                log.println("bench peers: " + note);
            }
            List<double[]> jvm = partialRows(c.out().resolve("raw").resolve("adamix4j-flat.json.jvm.csv"), JVM_COLUMNS.size());
            TrainingMeasurement p = c.peer() ? readTraining(python(c, script, "flat", c.flatMethod(), c.flatSteps(), c.flatEvery())) : null;
            flat = new Flatness(c.flatMethod(), ours, p == null ? List.of() : p.rssSeries(), jvm, note);
        }
        Result result = new Result(c, torch, rows, inference, ortRss, flat);
        write(result);
        log.print(markdown(result));
        log.printf("%nbench peers: wrote %s, %s%n", out.resolve("peers.json"), out.resolve("peers.md"));
        return result;
    }

    // ------------------------------------------------------------------------------------ processes
    private static Path java(PeerBenchConfig c, String name, List<String> args) {
        Path file = c.out().resolve("raw").resolve("adamix4j-" + name + ".json");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(c.childJvmArgs() != null ? c.childJvmArgs() : currentJvmArgs());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchChild.class.getName());
        cmd.add(args.get(0));
        cmd.addAll(List.of("--model", c.model().toString(), "--batch", "" + c.batch(), "--length", "" + c.length(),
                "--seed", "" + c.seed(), "--out", file.toString()));
        cmd.addAll(args.subList(1, args.size()));
        for (String suffix : List.of(".rss.csv", ".jvm.csv")) {
            try {
                Files.deleteIfExists(Path.of(file + suffix)); // the child appends to it
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove an old " + file + suffix, e);
            }
        }
        exec(cmd, c.out().resolve("logs").resolve("adamix4j-" + name + ".log"), file);
        return file;
    }

    private static Path python(PeerBenchConfig c, Path script, String name, String method, int steps, int rssEvery) {
        Path file = c.out().resolve("raw").resolve("pytorch-" + name + ".json");
        List<String> cmd = new ArrayList<>(List.of(c.python(), script.toString(), "train", "--model", c.model().toString(),
                "--method", method, "--batch", "" + c.batch(), "--length", "" + c.length(), "--steps", "" + steps,
                "--warmup", "" + c.warmup(), "--seed", "" + c.seed(), "--threads", "" + c.torchThreads(),
                "--rss-every", "" + rssEvery, "--progress", "--out", file.toString()));
        exec(cmd, c.out().resolve("logs").resolve("pytorch-" + name + ".log"), file, PEER_UNSET);
        return file;
    }

    /**
     * AdaMix4j's allocator setting, removed from the PyTorch peer's environment so that the peer runs with
     * glibc's defaults, as PyTorch users do. Inherited, it cut the peer's peak RSS at 32 × 128 from about
     * 2.2 to 1.3 GB and slowed its AdaMix step from about 9.7 to 12.4 s (session 5).
     */
    static final List<String> PEER_UNSET = List.of("MALLOC_MMAP_THRESHOLD_");

    /** This JVM's options (heap and off-heap limits), without a debugger agent. */
    static List<String> currentJvmArgs() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib:jdwp") && !a.startsWith("-javaagent")).toList();
    }

    private static void exec(List<String> cmd, Path logFile, Path result) {
        exec(cmd, logFile, result, List.of());
    }

    private static void exec(List<String> cmd, Path logFile, Path result, List<String> unset) {
        try {
            Files.deleteIfExists(result);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
            unset.forEach(pb.environment()::remove);
            Process p = pb.start();
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + cmd.get(0), e);
            }
            if (code != 0 || !Files.isRegularFile(result)) {
                List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
                throw new IllegalStateException("measurement process failed (exit " + code + "), log " + logFile + ":\n" + tail);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        }
    }

    /** The (step, MB) lines a measurement process streamed before it died; a torn last line is dropped. */
    static List<double[]> partialSeries(Path csv) {
        return partialRows(csv, 2);
    }

    /** Whole lines of {@code columns} numbers a measurement process streamed; a torn last line is dropped. */
    static List<double[]> partialRows(Path csv, int columns) {
        List<double[]> out = new ArrayList<>();
        try {
            if (!Files.isRegularFile(csv)) return out;
            String[] lines = Files.readString(csv).split("\n", -1);
            // Only newline-terminated lines are whole: the last element is "" or a torn fragment.
            for (int i = 0; i < lines.length - 1; i++) {
                String[] f = lines[i].split(",");
                if (f.length != columns) continue;
                double[] row = new double[columns];
                for (int k = 0; k < columns; k++) row[k] = Double.parseDouble(f[k]);
                out.add(row);
            }
        } catch (IOException | NumberFormatException e) {
            // unreadable: keep what parsed
        }
        return out;
    }

    private static TrainingMeasurement readTraining(Path file) {
        try {
            return TrainingMeasurement.parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    // -------------------------------------------------------------------------------------- reports
    private static void write(Result r) {
        Path out = r.config().out();
        AtomicFiles.write(out.resolve("peers.json"), tmp -> JSON.writeValue(tmp.toFile(), toJson(r)));
        AtomicFiles.write(out.resolve("peers.md"), tmp -> Files.writeString(tmp, markdown(r)));
        if (r.flat() != null) {
            AtomicFiles.write(out.resolve("flat.csv"), tmp -> Files.writeString(tmp, flatCsv(r.flat())));
            if (!r.flat().jvm().isEmpty()) {
                AtomicFiles.write(out.resolve("flat-jvm.csv"), tmp -> Files.writeString(tmp, jvmCsv(r.flat().jvm())));
            }
            String why = FlatPlot.write(r.flat(), String.format("Resident set over %d training steps of %s, batch %d x %d",
                    r.config().flatSteps(), r.flat().method(), r.config().batch(), r.config().length()), out.resolve("flat.png"));
            if (why != null) System.err.println("bench peers: no flat.png (" + why + "); flat.csv has the curve");
        }
    }

    static Map<String, Object> toJson(Result r) {
        PeerBenchConfig c = r.config();
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("model", c.model().toString());
        setup.put("batch", c.batch());
        setup.put("length", c.length());
        setup.put("steps", c.steps());
        setup.put("warmup", c.warmup());
        setup.put("inference_reps", c.inferenceReps());
        setup.put("seed", c.seed());
        setup.put("torch_version", r.torchVersion());
        setup.put("torch_threads", c.torchThreads());
        setup.put("cores", Runtime.getRuntime().availableProcessors());
        setup.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
        setup.put("child_jvm_args", c.childJvmArgs() != null ? c.childJvmArgs() : currentJvmArgs());
        m.put("setup", setup);
        List<Map<String, Object>> training = new ArrayList<>();
        for (TrainingRow row : r.training()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("method", row.method());
            t.put("adamix4j", row.adamix4j().toJson());
            if (row.pytorch() != null) t.put("pytorch", row.pytorch().toJson());
            t.put("step_ratio", row.stepRatio());
            t.put("peak_rss_ratio", row.rssRatio());
            training.add(t);
        }
        m.put("training", training);
        m.put("adamix_cost", adamixCost(r));
        List<Map<String, Object>> inf = new ArrayList<>();
        for (InferenceTimes t : r.inference()) {
            Map<String, Object> e = t.toJson();
            InferenceTimes ort = reference(r, t);
            if (ort != null) {
                e.put("latency_ratio_to_onnxruntime", Stats.of(t.latency()).median() / Stats.of(ort.latency()).median());
                e.put("batch_ratio_to_onnxruntime", Stats.of(t.batchSeconds()).median() / Stats.of(ort.batchSeconds()).median());
                e.put("ratio_reference", ort.runtime());
            }
            inf.add(e);
        }
        m.put("inference", inf);
        m.put("onnxruntime_peak_rss_mb", r.onnxRuntimePeakRssMb());
        if (r.flat() != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("method", r.flat().method());
            f.put("adamix4j_rss_series", r.flat().adamix4j());
            f.put("pytorch_rss_series", r.flat().pytorch());
            f.put("adamix4j_slope_mb_per_100_steps", Flatness.slopePer100(r.flat().adamix4j()));
            f.put("pytorch_slope_mb_per_100_steps", Flatness.slopePer100(r.flat().pytorch()));
            f.put("adamix4j_jvm_columns", JVM_COLUMNS);
            f.put("adamix4j_jvm_series", r.flat().jvm());
            if (r.flat().note() != null) f.put("note", r.flat().note());
            m.put("flat", f);
        }
        return m;
    }

    /** Median step time of AdaMix (and AdaMix without its second pass) over the single adapter, per runtime. */
    static Map<String, Object> adamixCost(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        TrainingRow single = row(r, "adapter");
        if (single == null) return m;
        for (String variant : List.of("adamix", "adamix-1pass")) {
            TrainingRow a = row(r, variant);
            if (a == null) continue;
            m.put(variant + "_over_adapter_adamix4j", a.adamix4j().steps().median() / single.adamix4j().steps().median());
            if (a.pytorch() != null && single.pytorch() != null) {
                m.put(variant + "_over_adapter_pytorch", a.pytorch().steps().median() / single.pytorch().steps().median());
            }
        }
        return m;
    }

    private static TrainingRow row(Result r, String method) {
        return r.training().stream().filter(t -> t.method().equals(method)).findFirst().orElse(null);
    }

    private static InferenceTimes onnxRuntime(Result r) {
        return r.inference().stream().filter(t -> t.runtime().equals("onnxruntime")).findFirst().orElse(null);
    }

    /**
     * What a row's ratio is taken against: for an export, the original file timed alternately with it in
     * the same process; otherwise (and for the pair itself) ONNX Runtime's own process.
     */
    static InferenceTimes reference(Result r, InferenceTimes t) {
        if (t.runtime().equals(InferenceTimes.EXPORTED)) {
            for (InferenceTimes p : r.inference()) {
                if (p.runtime().equals(InferenceTimes.PAIRED) && p.what().equals(t.what())) return p;
            }
        }
        return onnxRuntime(r);
    }

    static String markdown(Result r) {
        PeerBenchConfig c = r.config();
        StringBuilder md = new StringBuilder();
        md.append("# AdaMix4j against PyTorch and ONNX Runtime\n\n");
        md.append(String.format("Model `%s`, batch %d x %d (no padding), %d timed training steps after %d warm-up, "
                        + "%d inference repetitions; medians, ± half the interquartile range as %% of the median. "
                        + "%d cores, OMP_NUM_THREADS=%s; PyTorch %s with %s intra-op threads.%n%n",
                modelName(c.model()), c.batch(), c.length(), c.steps(), c.warmup(), c.inferenceReps(),
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                r.torchVersion() == null ? "(not run)" : r.torchVersion(),
                c.torchThreads() == 0 ? "its default" : String.valueOf(c.torchThreads())));
        md.append("## Training step (forward, backward, clipping, AdamW)\n\n");
        md.append("| method | trainable | AdaMix4j s | PyTorch s | time ratio | AdaMix4j peak RSS MB | PyTorch peak RSS MB | RSS ratio |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (TrainingRow row : r.training()) {
            TrainingMeasurement a = row.adamix4j();
            TrainingMeasurement p = row.pytorch();
            md.append(String.format("| %s | %,d | %s | %s | %s | %.0f | %s | %s |%n", row.method(), a.trainableParameters(),
                    a.steps().format(3), p == null ? "–" : p.steps().format(3), ratio(row.stepRatio()), a.peakRssMb(),
                    p == null ? "–" : String.format("%.0f", p.peakRssMb()), ratio(row.rssRatio())));
        }
        Map<String, Object> cost = adamixCost(r);
        if (!cost.isEmpty()) {
            md.append("\n## Cost of AdaMix over a single adapter (step time ratios)\n\n");
            md.append("One adapter r = 16 at each FFN output is AdaMix's merged shape (equal FLOPs per pass); "
                    + "AdaMix runs two stochastic passes per step for its consistency loss.\n\n");
            md.append("| ratio | AdaMix4j | PyTorch |\n|---|---:|---:|\n");
            for (String v : List.of("adamix", "adamix-1pass")) {
                if (!cost.containsKey(v + "_over_adapter_adamix4j")) continue;
                md.append(String.format("| %s / adapter | %s | %s |%n", v, ratio((Double) cost.get(v + "_over_adapter_adamix4j")),
                        ratio((Double) cost.getOrDefault(v + "_over_adapter_pytorch", Double.NaN))));
            }
        }
        if (!r.inference().isEmpty()) {
            InferenceTimes ort = onnxRuntime(r);
            md.append(String.format("%n## Inference (single-sequence latency 1 x %d; batch %d x %d)%n%n", c.length(), c.batch(), c.length()));
            md.append("| model | runtime | served as | latency ms | vs ONNX Runtime | batch s | sequences/s | vs ONNX Runtime |\n");
            md.append("|---|---|---|---:|---:|---:|---:|---:|\n");
            for (InferenceTimes t : r.inference()) {
                Stats lat = Stats.of(t.latency());
                Stats bat = Stats.of(t.batchSeconds());
                String served = t.what().equals("base") ? "encoder only" : t.merged() ? "merged" : "unmerged (cannot merge)";
                if (t.runtime().equals(InferenceTimes.EXPORTED)) served += ", exported to ONNX (ratio to the pair below)";
                if (t.runtime().equals(InferenceTimes.PAIRED)) served = "original ONNX file, alternating with the export above";
                InferenceTimes ref = reference(r, t);
                md.append(String.format("| %s | %s | %s | %.1f | %s | %s | %.1f | %s |%n", t.what(), t.runtime(), served,
                        1000 * lat.median(), ref == null ? "–" : ratio(lat.median() / Stats.of(ref.latency()).median()),
                        bat.format(3), t.throughput(), ref == null ? "–" : ratio(bat.median() / Stats.of(ref.batchSeconds()).median())));
            }
            md.append(String.format("%nONNX Runtime process peak RSS: %.0f MB.%n", r.onnxRuntimePeakRssMb()));
        }
        if (r.flat() != null) {
            md.append(String.format("%n## Memory over %d training steps of %s%n%n", c.flatSteps(), r.flat().method()));
            md.append("| runtime | RSS first point MB | RSS last point MB | slope, 2nd half (MB / 100 steps) |\n|---|---:|---:|---:|\n");
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            series.put("AdaMix4j", r.flat().adamix4j());
            series.put("PyTorch", r.flat().pytorch());
            for (var e : series.entrySet()) {
                List<double[]> s = e.getValue();
                if (s.isEmpty()) continue;
                md.append(String.format("| %s | %.0f | %.0f | %.1f |%n", e.getKey(), s.get(0)[1], s.get(s.size() - 1)[1],
                        Flatness.slopePer100(s)));
            }
            if (r.flat().note() != null) md.append("\nIncomplete: ").append(r.flat().note()).append('\n');
            md.append("\nThe curve: `flat.png`, numbers in `flat.csv` (step, RSS MB per runtime).\n");
            md.append(jvmBreakdown(r.flat().jvm()));
        }
        md.append("\n## Targets\n\n");
        for (TrainingRow row : r.training()) {
            if (row.pytorch() != null) {
                md.append(String.format("- %s training step <= 1.0x PyTorch: %s (%s)%n", row.method(),
                        row.stepRatio() <= 1.0 ? "met" : "not met", ratio(row.stepRatio())));
            }
            if (c.batch() == 32 && c.length() == 128) {
                md.append(String.format("- %s peak RSS <= 4 GB at 32 x 128: %s (%.0f MB)%n", row.method(),
                        row.adamix4j().peakRssMb() <= 4096 ? "met" : "not met", row.adamix4j().peakRssMb()));
            }
        }
        InferenceTimes ort = onnxRuntime(r);
        for (InferenceTimes t : r.inference()) {
            if (ort == null || t == ort || t.what().equals("base") || t.runtime().equals(InferenceTimes.PAIRED)) continue;
            InferenceTimes ref = reference(r, t);
            double lr = Stats.of(t.latency()).median() / Stats.of(ref.latency()).median();
            double br = Stats.of(t.batchSeconds()).median() / Stats.of(ref.batchSeconds()).median();
            String how = (t.merged() ? "merged " : "") + t.what() + (t.runtime().equals(InferenceTimes.EXPORTED)
                    ? ", exported to ONNX and run by ONNX Runtime" : ", in SameDiff");
            md.append(String.format("- %s: batch %d x %d <= 1.2x ONNX Runtime: %s (%s); 1 x %d latency: %s (%s)%n", how,
                    c.batch(), c.length(), br <= 1.2 ? "met" : "not met", ratio(br), c.length(),
                    lr <= 1.2 ? "met" : "not met", ratio(lr)));
        }
        md.append("\nRaw per-process measurements: `raw/`; their logs: `logs/`.\n");
        return md.toString();
    }

    /** "all-minilm-l6-v2/model.onnx": the file with its folder, which names an extracted embedded model. */
    private static String modelName(Path model) {
        Path parent = model.toAbsolutePath().getParent();
        return parent == null || parent.getFileName() == null ? model.getFileName().toString()
                : parent.getFileName() + "/" + model.getFileName();
    }

    private static String ratio(double x) {
        return Double.isNaN(x) ? "–" : String.format("%.2fx", x);
    }

    /** AdaMix4j's resident set by part: first and last sample and the second-half slope of each column. */
    static String jvmBreakdown(List<double[]> jvm) {
        if (jvm == null || jvm.isEmpty()) return "";
        StringBuilder md = new StringBuilder("\nAdaMix4j's process by part (`flat-jvm.csv`): the Java heap the JVM has committed "
                + "and uses, and the resident set outside the heap (ND4J's arrays, native libraries, the JVM's own memory).\n\n"
                + "| part | first point MB | last point MB | slope, 2nd half (MB / 100 steps) |\n|---|---:|---:|---:|\n");
        String[] label = {null, "resident set (VmRSS)", "heap committed", "heap used", "outside the heap"};
        for (int k = 1; k < JVM_COLUMNS.size(); k++) {
            List<double[]> s = new ArrayList<>();
            for (double[] row : jvm) s.add(new double[]{row[0], row[k]});
            md.append(String.format("| %s | %.0f | %.0f | %.1f |%n", label[k], s.get(0)[1], s.get(s.size() - 1)[1],
                    Flatness.slopePer100(s)));
        }
        return md.toString();
    }

    static String jvmCsv(List<double[]> jvm) {
        StringBuilder b = new StringBuilder(String.join(",", JVM_COLUMNS)).append('\n');
        for (double[] row : jvm) {
            b.append((long) row[0]);
            for (int k = 1; k < row.length; k++) b.append(',').append(num(row[k]));
            b.append('\n');
        }
        return b.toString();
    }

    static String flatCsv(Flatness f) {
        Map<Double, double[]> byStep = new java.util.TreeMap<>();
        for (double[] p : f.adamix4j()) byStep.computeIfAbsent(p[0], k -> new double[]{Double.NaN, Double.NaN})[0] = p[1];
        for (double[] p : f.pytorch()) byStep.computeIfAbsent(p[0], k -> new double[]{Double.NaN, Double.NaN})[1] = p[1];
        StringBuilder b = new StringBuilder("step,adamix4j_rss_mb,pytorch_rss_mb\n");
        byStep.forEach((s, v) -> b.append(String.format("%d,%s,%s%n", s.longValue(), num(v[0]), num(v[1]))));
        return b.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format("%.1f", v);
    }
}
