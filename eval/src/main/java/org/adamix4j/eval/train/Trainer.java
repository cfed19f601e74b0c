package org.adamix4j.eval.train;

import org.adamix4j.eval.tasks.Example;
import org.adamix4j.eval.tasks.Task;
import org.adamix4j.eval.tasks.Tasks;
import org.adamix4j.graphs.AdamW;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.modules.checkpoint.Provenance;
import org.adamix4j.modules.checkpoint.SafeTensors;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.tokenize.EncodedText;
import org.adamix4j.tokenize.TokenizedBatch;
import org.adamix4j.tokenize.TransformerTokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Fine-tunes a model on a task: AdamW with linear warmup and decay, global-norm clipping, evaluation
 * on dev after every epoch, the last and the best epoch kept, resumable from the last epoch. The loop
 * in {@link #run} reads top to bottom.
 */
public final class Trainer {
    private Trainer() {
    }

    /**
     * What a run produced.
     *
     * @param last       dev metrics after the last epoch
     * @param best       dev metrics of the best epoch (by the task's primary metric)
     * @param bestEpoch  1-based
     * @param seconds    wall time of this invocation
     * @param peakRssMb  the process's peak resident memory (VmHWM), MB
     */
    public record Result(Map<String, Double> last, Map<String, Double> best, int bestEpoch, double seconds,
                         double peakRssMb) {
    }

    /**
     * Trains per {@code config} on {@code dataDir} (GLUE layout; ignored by the demo task), writing the run
     * into {@code out}.
     *
     * @param freshBase returns a fresh, unadapted import of the base model (called once)
     * @throws TrainingDivergedException as soon as a step's loss is NaN or infinite
     */
    public static Result run(TrainConfig config, Path dataDir, Supplier<ImportedModel> freshBase,
                             TransformerTokenizer tokenizer, Path out, boolean resume, PrintStream log) {
        long t0 = System.nanoTime();
        Task task = Tasks.byName(config.task());
        List<Example> train = limit(task.read(dataDir, Task.Split.TRAIN), config.trainLimit());
        List<Example> dev = limit(task.read(dataDir, Task.Split.DEV), config.devLimit());
        RunFiles files = RunFiles.open(out, config, resume);

        ImportedModel base = freshBase.get();
        tokenizer.checkCompatible(base.structure());
        List<EncodedText> trainText = encode(tokenizer, train);
        List<EncodedText> devText = encode(tokenizer, dev);
        int[] lengths = trainText.stream().mapToInt(EncodedText::length).toArray();
        TaskHead head = task.isRegression() ? TaskHead.regression() : TaskHead.classification(task.labels().size());

        boolean resuming = resume && Files.isRegularFile(files.resolve(RunFiles.LAST).resolve(RunFiles.STATE));
        PeftModel model = resuming ? AdapterCheckpoint.load(base, files.resolve(RunFiles.LAST).resolve("adapter"))
                : PeftModel.builder().setBase(base).setMethod(config.method().toConfig()).setHead(head)
                .optSeed(config.seed()).build();
        AdamW opt = AdamW.standard(config.optim().weightDecay(), model.noDecayParameters());
        int stepsPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
        int total = stepsPerEpoch * config.epochs();
        int warmup = (int) Math.round(config.optim().warmupRatio() * total);
        int firstEpoch = 1;
        int step = 0;
        Map<String, Double> best = null;
        int bestEpoch = 0;
        if (resuming) {
            Path last = files.resolve(RunFiles.LAST);
            opt.load(readTensors(last.resolve(RunFiles.OPTIMIZER)));
            var state = files.readJson(RunFiles.LAST + "/" + RunFiles.STATE);
            firstEpoch = state.path("epoch").asInt() + 1;
            step = state.path("step").asInt();
            bestEpoch = state.path("best_epoch").asInt();
            best = new LinkedHashMap<>();
            for (var it = state.path("best").fields(); it.hasNext(); ) {
                var e = it.next();
                best.put(e.getKey(), e.getValue().asDouble());
            }
            log.printf("resuming %s after epoch %d (step %d)%n", out, firstEpoch - 1, step);
        }
        log.printf("task %s: %d train, %d dev examples; %s%n", task.id(), train.size(), dev.size(), model.report());
        log.printf("%d epochs x %d steps, batch %d, lr %.2e, warmup %d steps%s%n", config.epochs(), stepsPerEpoch,
                config.batchSize(), config.optim().learningRate(), warmup,
                model.usesConsistency() ? ", consistency: 2 passes per step" : "");

        Progress progress = new Progress(log, total);
        Map<String, Double> lastMetrics = null;
        for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
            // Per-epoch streams: a run resumed at an epoch boundary continues exactly as an uninterrupted one.
            Random shuffle = new Random(config.seed() * 31 + epoch);
            SplittableRandom stochastic = new SplittableRandom(config.seed() * 1_000_003L + epoch);
            double epochLoss = 0;
            List<int[]> batches = Batches.epoch(lengths, config.batchSize(), config.bucketing(), shuffle);
            for (int[] idx : batches) {
                List<EncodedText> texts = new ArrayList<>();
                double[] y = new double[idx.length];
                for (int k = 0; k < idx.length; k++) {
                    texts.add(trainText.get(idx[k]));
                    y[k] = train.get(idx[k]).label();
                }
                TokenizedBatch batch = EncodedText.pad(texts);
                PeftModel.StepResult r = model.step(batch, labels(y, task.isRegression()), stochastic);
                if (!Double.isFinite(r.loss())) {
                    throw new TrainingDivergedException(epoch, step + 1, r.loss(), config.optim().learningRate());
                }
                double norm = Schedules.clipGlobalNorm(r.gradients(), config.optim().maxGradNorm());
                if (!Double.isFinite(norm)) {
                    throw TrainingDivergedException.gradientNorm(epoch, step + 1, r.loss(), norm, config.optim().learningRate());
                }
                double lr = Schedules.linearWarmupDecay(config.optim().learningRate(), step, warmup, total);
                opt.step(model.parameters(), r.gradients(), lr);
                step++;
                epochLoss += r.loss();
                progress.step(step, epoch, r.loss(), idx.length, lr);
            }

            double[] predictions = Evaluator.predict(model, devText, task.isRegression(), 64);
            lastMetrics = Evaluator.metrics(task, predictions, gold(dev));
            boolean improved = best == null
                    || lastMetrics.get(task.primaryMetric()) > best.get(task.primaryMetric());
            if (improved) {
                best = lastMetrics;
                bestEpoch = epoch;
                AdapterCheckpoint.save(model, files.resolve(RunFiles.BEST), provenance(config, epoch));
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("epoch", epoch);
            record.put("step", step);
            record.put("train_loss", epochLoss / batches.size());
            record.put("dev", lastMetrics);
            record.put("seconds", (System.nanoTime() - t0) / 1e9);
            files.appendEval(record);
            saveLast(files, model, opt, config, epoch, step, best, bestEpoch);
            log.printf("epoch %d dev %s%s%n", epoch, format(lastMetrics), improved ? "  (best so far)" : "");
        }
        if (lastMetrics == null) lastMetrics = best; // resumed after the final epoch: nothing left to train
        Result result = new Result(lastMetrics, best, bestEpoch, (System.nanoTime() - t0) / 1e9, PeakMemory.rssMb());
        writeResults(files, config, task, result, model);
        return result;
    }

    private static List<Example> limit(List<Example> xs, int n) {
        return n > 0 && n < xs.size() ? xs.subList(0, n) : xs;
    }

    /** Tokenizes every example once, unpadded. */
    public static List<EncodedText> encode(TransformerTokenizer tok, List<Example> xs) {
        List<EncodedText> out = new ArrayList<>(xs.size());
        for (Example e : xs) out.add(tok.encodeOne(e.textA(), e.textB()));
        return out;
    }

    static double[] gold(List<Example> xs) {
        return xs.stream().mapToDouble(Example::label).toArray();
    }

    static INDArray labels(double[] y, boolean regression) {
        if (regression) return Nd4j.createFromArray(y).castTo(DataType.FLOAT);
        long[] l = new long[y.length];
        for (int i = 0; i < y.length; i++) l[i] = (long) y[i];
        return Nd4j.createFromArray(l);
    }

    private static Provenance provenance(TrainConfig c, int epoch) {
        return Provenance.of(c.seed(), c.method().name() + ", " + c.epochs() + " epochs, lr " + c.optim().learningRate()
                + ", batch " + c.batchSize() + "; saved after epoch " + epoch, c.task());
    }

    /** last/ = adapter + optimiser + trainer state, replaced as a whole. */
    private static void saveLast(RunFiles files, PeftModel model, AdamW opt, TrainConfig config, int epoch, int step,
                                 Map<String, Double> best, int bestEpoch) {
        Path target = files.resolve(RunFiles.LAST);
        Path tmp = files.resolve("." + RunFiles.LAST + ".tmp");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            AdapterCheckpoint.save(model, tmp.resolve("adapter"), provenance(config, epoch));
            SafeTensors.write(tmp.resolve(RunFiles.OPTIMIZER), opt.state());
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("epoch", epoch);
            state.put("step", step);
            state.put("best_epoch", bestEpoch);
            state.put("best", best);
            new org.nd4j.shade.jackson.databind.ObjectMapper().writeValue(tmp.resolve(RunFiles.STATE).toFile(), state);
            Path old = files.resolve("." + RunFiles.LAST + ".old");
            deleteTree(old);
            if (Files.exists(target)) Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the last checkpoint in " + target, e);
        }
    }

    private static Map<String, INDArray> readTensors(Path p) {
        try {
            return SafeTensors.read(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read optimiser state " + p, e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    private static void writeResults(RunFiles files, TrainConfig config, Task task, Result r, PeftModel model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task.id());
        m.put("method", config.method().name());
        m.put("primary_metric", task.primaryMetric());
        m.put("last_epoch", r.last());
        m.put("best_epoch", r.best());
        m.put("best_epoch_number", r.bestEpoch());
        m.put("trainable_parameters", model.report().trainable());
        m.put("total_parameters", model.report().total());
        m.put("wall_seconds", r.seconds());
        m.put("peak_rss_mb", r.peakRssMb());
        files.writeJson(RunFiles.METRICS, m);
        StringBuilder md = new StringBuilder();
        md.append("# ").append(task.id()).append(" with ").append(config.method().name()).append("\n\n");
        md.append("| | ").append(String.join(" | ", r.last().keySet())).append(" |\n|---|");
        r.last().keySet().forEach(k -> md.append("---|"));
        md.append("\n| last epoch (").append(config.epochs()).append(") |");
        r.last().values().forEach(v -> md.append(String.format(" %.4f |", v)));
        md.append("\n| best epoch (").append(r.bestEpoch()).append(") |");
        r.best().values().forEach(v -> md.append(String.format(" %.4f |", v)));
        md.append(String.format("%n%n%s; wall time %s, peak RSS %.0f MB.%n", model.report(), Progress.time(r.seconds()),
                r.peakRssMb()));
        md.append("\nFiles: `config.json` (resolved config), `eval.jsonl` (every evaluation), `metrics.json`, `best/` ")
                .append("(adapter checkpoint of the best epoch), `last/` (adapter, optimiser and trainer state of the last epoch; ")
                .append("`adamix train --resume` continues from it).\n");
        files.writeText(RunFiles.SUMMARY, md.toString());
    }

    /** "name value, name value" with 4 decimals. */
    public static String format(Map<String, Double> metrics) {
        StringBuilder b = new StringBuilder();
        metrics.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(String.format(" %.4f", v)));
        return b.toString();
    }
}
