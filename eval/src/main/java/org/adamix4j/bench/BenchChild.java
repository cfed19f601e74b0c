package org.adamix4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.adamix4j.eval.OnnxServedModel;
import org.adamix4j.modules.export.OnnxExport;
import org.adamix4j.onnx.OnnxModelFile;
import org.adamix4j.eval.train.PeakMemory;
import org.adamix4j.eval.train.Schedules;
import org.adamix4j.graphs.AdamW;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.onnx.AtomicFiles;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.OnnxImporter;
import org.adamix4j.tokenize.TokenizedBatch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * One measurement in its own JVM, so that the process's peak resident set (VmHWM) belongs to that
 * measurement alone. {@link PeerBench} forks it with its own JVM options; it writes one JSON file.
 *
 * <pre>
 * train --model M --method NAME --batch B --length L --steps N --warmup W --seed S --inference-reps R --rss-every K --out F
 * base  --model M --batch B --length L --inference-reps R --out F      (the imported encoder alone)
 * ort   --model M --batch B --length L --inference-reps R --out F      (ONNX Runtime on the original file)
 * </pre>
 */
public final class BenchChild {
    /** The learning rate of the timed steps (its value does not change the work done). */
    static final double LR = 1e-4;
    static final double WEIGHT_DECAY = 0.01;
    static final double CLIP = 1.0;
    /**
     * Inference batches draw token ids below this bound, which every BERT-family vocabulary has (ONNX
     * Runtime does not expose the vocabulary size); timings do not depend on the ids.
     */
    static final int TOKEN_RANGE = 1000;

    private BenchChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) throw new IllegalArgumentException("BenchChild: expected a mode: train, base or ort");
        Map<String, String> o = options(args);
        Path model = Path.of(need(o, "model"));
        int batch = Integer.parseInt(need(o, "batch"));
        int length = Integer.parseInt(need(o, "length"));
        int reps = Integer.parseInt(o.getOrDefault("inference-reps", "0"));
        Map<String, Object> out = switch (args[0]) {
            case "train" -> train(model, need(o, "method"), batch, length, Integer.parseInt(need(o, "steps")),
                    Integer.parseInt(o.getOrDefault("warmup", "1")), Long.parseLong(o.getOrDefault("seed", "42")), reps,
                    Integer.parseInt(o.getOrDefault("rss-every", "0")), Path.of(need(o, "out") + ".rss.csv")).toJson();
            case "base" -> withRss(base(model, batch, length, reps).toJson());
            case "ort" -> withRss(ort(model, batch, length, reps).toJson());
            default -> throw new IllegalArgumentException("BenchChild: unknown mode '" + args[0] + "'");
        };
        Path file = Path.of(need(o, "out"));
        AtomicFiles.write(file, tmp -> new ObjectMapper().writeValue(tmp.toFile(), out));
        System.exit(0); // ND4J and ONNX Runtime leave non-daemon threads behind
    }

    /** Times {@code steps} training steps of {@code method} after {@code warmup}; then its served model's inference. */
    static TrainingMeasurement train(Path model, String method, int batch, int length, int steps, int warmup, long seed,
                                     int inferenceReps, int rssEvery, Path rssLog) {
        ImportedModel base = importModel(model);
        PeftModel m = PeftModel.builder().setBase(base).setMethod(BenchMethods.config(method))
                .setHead(TaskHead.classification(2)).optSeed(seed).build();
        AdamW opt = AdamW.standard(WEIGHT_DECAY, m.noDecayParameters());
        double rssAfterLoad = PeakMemory.currentRssMb();
        int vocab = (int) base.structure().vocabSize();
        SplittableRandom data = new SplittableRandom(seed + 1);
        SplittableRandom stochastic = new SplittableRandom(seed + 2);
        List<Double> times = new ArrayList<>();
        List<double[]> series = new ArrayList<>();
        for (int i = 0; i < warmup + steps; i++) {
            TokenizedBatch b = randomBatch(data, batch, length, vocab);
            INDArray labels = labels(data, batch);
            long t0 = System.nanoTime();
            PeftModel.StepResult r = m.step(b, labels, stochastic);
            Schedules.clipGlobalNorm(r.gradients(), CLIP);
            opt.step(m.parameters(), r.gradients(), LR);
            double t = (System.nanoTime() - t0) / 1e9;
            if (i < warmup) continue;
            times.add(t);
            int timed = i - warmup + 1;
            if (rssEvery > 0 && timed % rssEvery == 0) {
                double rss = PeakMemory.currentRssMb();
                series.add(new double[]{timed, rss});
                appendLine(rssLog, timed + "," + rss); // survives the process being killed (OOM) mid-run
                appendLine(Path.of(rssLog.toString().replaceFirst("\\.rss\\.csv$", "") + ".jvm.csv"), jvmMemoryLine(timed, rss));
            }
            if (timed % Math.max(1, steps / 10) == 0) {
                System.out.printf("adamix4j %s: step %d/%d %.3f s, RSS %.0f MB%n", method, timed, steps, t,
                        PeakMemory.currentRssMb());
            }
        }
        double peak = PeakMemory.rssMb();
        List<InferenceTimes> inference = new ArrayList<>();
        if (inferenceReps > 0) {
            boolean merge = BenchMethods.merges(method);
            PeftModel served = merge ? m.mergeAndUnload(importModel(model)) : m;
            inference.add(time("adamix4j", method, merge, batch, length, inferenceReps, TOKEN_RANGE, seed,
                    b -> served.logits(b)));
            inference.addAll(exported(served, model, method, merge, batch, length, inferenceReps, seed));
        }
        return new TrainingMeasurement("adamix4j", method, batch, length, warmup, times, peak, rssAfterLoad,
                m.report().trainable(), series, inference);
    }

    /**
     * The served model exported to ONNX ({@link OnnxExport}) and timed in ONNX Runtime, as a user would
     * deploy it, alternately with the original ONNX file in the same process ({@link InferenceTimes#PAIRED}).
     * ONNX Runtime's times moved by up to 2x between processes and minutes on this machine (an exported LoRA,
     * which is the original graph with other weights, measured 0.58x of the separate base process once), so
     * the ratio of the export is taken against this pair.
     */
    static List<InferenceTimes> exported(PeftModel served, Path model, String method, boolean merged, int batch, int length,
                                         int reps, long seed) {
        try {
            Path file = Files.createTempFile("adamix4j-bench-" + method, ".onnx");
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession original = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
                OnnxExport.builder().setModel(served).setSource(OnnxModelFile.read(model)).build().write(file);
                try (OnnxServedModel ort = OnnxServedModel.open(file)) {
                    return timeAlternately(new String[]{InferenceTimes.EXPORTED, InferenceTimes.PAIRED}, method, merged,
                            batch, length, reps, seed, ort::logits, forward(env, original, model));
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (java.io.IOException | ai.onnxruntime.OrtException e) {
            throw new IllegalStateException("ONNX export timing failed: " + e.getMessage(), e);
        }
    }

    /** Like {@link #time}, for two forwards whose warm-ups and repetitions alternate (a, b, a, b, ...). */
    static List<InferenceTimes> timeAlternately(String[] runtimes, String what, boolean merged, int batch, int length,
                                                int reps, long seed, Forward a, Forward b) {
        SplittableRandom r = new SplittableRandom(seed + 7);
        TokenizedBatch one = randomBatch(r, 1, length, TOKEN_RANGE);
        TokenizedBatch many = randomBatch(r, batch, length, TOKEN_RANGE);
        List<List<Double>> latency = alternate(LATENCY_WARMUPS, reps, () -> a.run(one), () -> b.run(one));
        List<List<Double>> batches = alternate(1, reps, () -> a.run(many), () -> b.run(many));
        return List.of(new InferenceTimes(runtimes[0], what, merged, length, batch, latency.get(0), batches.get(0)),
                new InferenceTimes(runtimes[1], what, merged, length, batch, latency.get(1), batches.get(1)));
    }

    private static List<List<Double>> alternate(int warmup, int reps, Callable<Object> a, Callable<Object> b) {
        List<Double> ta = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        for (int i = 0; i < warmup + reps; i++) {
            double x = repeat(0, 1, a).get(0);
            double y = repeat(0, 1, b).get(0);
            if (i >= warmup) {
                ta.add(x);
                tb.add(y);
            }
        }
        return List.of(ta, tb);
    }

    /**
     * Where the resident set is: the Java heap the JVM has committed (and how much of it is in use), and
     * the rest of the resident set, outside the heap: ND4J's array buffers, the native libraries (libnd4j,
     * oneDNN, OpenMP) and the JVM's own code and metadata. ND4J M2.1 allocates its buffers natively, not
     * through JavaCPP's counted Pointer allocator, so no counter of them exists (Pointer.totalBytes() stays
     * near 0); growth outside the heap is growth of those.
     */
    static String jvmMemoryLine(int step, double rssMb) { // columns: PeerBench.JVM_COLUMNS
        Runtime rt = Runtime.getRuntime();
        double mb = 1024.0 * 1024.0;
        double committed = rt.totalMemory() / mb;
        return String.format(java.util.Locale.ROOT, "%d,%.1f,%.1f,%.1f,%.1f", step, rssMb, committed,
                (rt.totalMemory() - rt.freeMemory()) / mb, rssMb - committed);
    }

    /** The imported encoder's last hidden state, no method, no head: what ONNX Runtime computes. */
    static InferenceTimes base(Path model, int batch, int length, int reps) {
        ImportedModel base = importModel(model);
        String output = base.structure().output();
        return time("adamix4j", "base", false, batch, length, reps, TOKEN_RANGE, 42,
                b -> base.sameDiff().output(inputs(base, b), output).get(output));
    }

    static InferenceTimes ort(Path model, int batch, int length, int reps) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        // Default session options: ONNX Runtime's own graph optimisations are part of what we compare with.
        try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
            return time("onnxruntime", "base", false, batch, length, reps, TOKEN_RANGE, 42, forward(env, session, model));
        }
    }

    /** A forward of an ONNX Runtime session on the original file: its first output. */
    private static Forward forward(OrtEnvironment env, OrtSession session, Path model) {
        return b -> {
            Map<String, OnnxTensor> in = OnnxServedModel.inputs(env, session, b, model);
            try (OrtSession.Result r = session.run(in)) {
                return r.get(0).getValue();
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        };
    }

    /** A forward of one batch. */
    @FunctionalInterface
    interface Forward {
        Object run(TokenizedBatch b) throws Exception;
    }

    /**
     * Warm-ups before the single-sequence latency is timed. A 1 × L forward is mostly SameDiff's Java
     * interpreter (dependency tracking, map lookups), which the JIT compiles only after some executions:
     * measured on MiniLM at 1 × 128, the first dozen forwards took 280–450 ms, from about the 15th on
     * 140–170 ms. Twenty warm-ups time the steady state a server sees; ONNX Runtime gets the same.
     */
    static final int LATENCY_WARMUPS = 20;

    /** Single-sequence latency ({@link #LATENCY_WARMUPS} warm-ups, then reps) and B-sequence batch time (1 warm-up, then reps). */
    static InferenceTimes time(String runtime, String what, boolean merged, int batch, int length, int reps, int vocab,
                               long seed, Forward f) {
        SplittableRandom r = new SplittableRandom(seed + 7);
        TokenizedBatch one = randomBatch(r, 1, length, vocab);
        TokenizedBatch many = randomBatch(r, batch, length, vocab);
        return new InferenceTimes(runtime, what, merged, length, batch, repeat(LATENCY_WARMUPS, reps, () -> f.run(one)),
                repeat(1, reps, () -> f.run(many)));
    }

    private static List<Double> repeat(int warmup, int reps, Callable<Object> c) {
        List<Double> t = new ArrayList<>();
        try {
            for (int i = 0; i < warmup + reps; i++) {
                long t0 = System.nanoTime();
                c.call();
                if (i >= warmup) t.add((System.nanoTime() - t0) / 1e9);
            }
        } catch (Exception e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
        return t;
    }

    /** B × L random tokens, position 0 the [CLS] id 101 (or the last id of a smaller vocabulary), no padding. */
    static TokenizedBatch randomBatch(SplittableRandom r, int batch, int length, int vocab) {
        long[][] ids = new long[batch][length];
        long[][] mask = new long[batch][length];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < length; j++) {
                ids[i][j] = j == 0 ? Math.min(101, vocab - 1) : 2 + r.nextInt(vocab - 2);
                mask[i][j] = 1;
            }
        }
        return new TokenizedBatch(ids, mask, new long[batch][length]);
    }

    private static INDArray labels(SplittableRandom r, int batch) {
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) y[i] = r.nextInt(2);
        return Nd4j.createFromArray(y);
    }

    private static Map<String, INDArray> inputs(ImportedModel m, TokenizedBatch b) {
        Map<String, INDArray> all = b.toInputs();
        Map<String, INDArray> in = new HashMap<>();
        for (String name : m.structure().inputs()) in.put(name, all.get(name));
        return in;
    }

    static ImportedModel importModel(Path model) {
        if (!Files.isRegularFile(model)) throw new IllegalArgumentException("no ONNX model at " + model);
        return OnnxImporter.builder().setModel(model).build().importModel();
    }

    private static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot append to " + file, e);
        }
    }

    private static Map<String, Object> withRss(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put("peak_rss_mb", PeakMemory.rssMb());
        return out;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("BenchChild: expected --name value pairs, got '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    private static String need(Map<String, String> o, String k) {
        String v = o.get(k);
        if (v == null) throw new IllegalArgumentException("BenchChild: --" + k + " is required");
        return v;
    }
}
