package org.adamix4j.eval.nlg;

import org.adamix4j.graphs.AdamW;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.modules.checkpoint.Provenance;
import org.adamix4j.eval.train.Schedules;
import org.adamix4j.eval.train.TrainingDivergedException;
import org.adamix4j.onnx.AtomicFiles;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.tokenize.CausalLmTokenizer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fine-tunes a causal LM (GPT-2) on data-to-text pairs: each pair one sequence
 * {@code source || target EOS} with the loss on target tokens only ({@link LmFormat}); with AdaMix the
 * batch runs twice per step and a token-level symmetric KL ties the two routings. Writes
 * {@code train.jsonl} (one line per step), {@code adapter/} (checkpoint) and {@code summary.json}.
 */
public final class GenerationTrainer {
    private GenerationTrainer() {
    }

    /** What a run produced: the trained (unmerged) model and the loss of every step. */
    public record Result(PeftModel model, List<Double> losses, double seconds) {
    }

    public static Result run(GenerationTrainConfig config, ImportedModel base, CausalLmTokenizer tok, List<DataToText> train,
                             Path out, PrintStream log) {
        tok.checkCompatible(base.structure());
        long t0 = System.nanoTime();
        PeftModel model = PeftModel.builder().setBase(base).setMethod(config.method())
                .setHead(TaskHead.causalLm(base.structure().vocabSize())).optSeed(config.seed()).build();
        List<LmFormat.Sequence> seqs = LmFormat.standard(config.maxLength()).sequences(tok, train);
        int perEpoch = (seqs.size() + config.batchSize() - 1) / config.batchSize();
        int total = perEpoch * config.epochs();
        if (config.maxSteps() > 0) total = Math.min(total, config.maxSteps());
        log.printf("training %s on %d pairs (%d inputs): %d steps of %d, %d trainable parameters%n", config.method().type(),
                seqs.size(), train.size(), total, config.batchSize(), model.report().module());

        AdamW optimizer = AdamW.standard(config.weightDecay(), model.noDecayParameters());
        SplittableRandom rng = new SplittableRandom(config.seed());
        List<Double> losses = new ArrayList<>();
        StringBuilder jsonl = new StringBuilder();
        int step = 0;
        for (int epoch = 1; epoch <= config.epochs() && step < total; epoch++) {
            int[] order = shuffled(seqs.size(), rng);
            for (int from = 0; from < order.length && step < total; from += config.batchSize()) {
                List<LmFormat.Sequence> chunk = new ArrayList<>();
                for (int i = from; i < Math.min(order.length, from + config.batchSize()); i++) chunk.add(seqs.get(order[i]));
                LmFormat.Batch batch = LmFormat.batch(chunk);

                PeftModel.StepResult r = model.step(batch.inputs(), Nd4j.createFromArray(batch.labels()), rng);
                double norm = Schedules.clipGlobalNorm(r.gradients(), config.maxGradNorm());
                if (!Double.isFinite(r.loss())) {
                    throw new TrainingDivergedException(epoch, step + 1, r.loss(), config.lr());
                }
                if (!Double.isFinite(norm)) {
                    throw TrainingDivergedException.gradientNorm(epoch, step + 1, r.loss(), norm, config.lr());
                }
                double lr = Schedules.linearWarmupDecay(config.lr(), step, config.warmupSteps(), total);
                optimizer.step(model.parameters(), r.gradients(), lr);

                step++;
                losses.add(r.loss());
                jsonl.append(String.format(java.util.Locale.ROOT,
                        "{\"step\":%d,\"epoch\":%d,\"loss\":%.6f,\"grad_norm\":%.4f,\"lr\":%.6g}%n", step, epoch, r.loss(), norm, lr));
                log.printf("step %d/%d epoch %d: loss %.4f (grad norm %.3f, lr %.2e)%n", step, total, epoch, r.loss(), norm, lr);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        writeRun(config, model, losses, seconds, jsonl.toString(), out);
        return new Result(model, losses, seconds);
    }

    /**
     * Mean cross-entropy per target token (EOS included) of {@code model} at inference (no dropout,
     * AdaMix experts averaged) over the sequences of {@code data}: the number training lowers, without
     * the consistency term and the noise of stochastic routing.
     */
    public static double targetTokenLoss(PeftModel model, CausalLmTokenizer tok, List<DataToText> data, int maxLength,
                                         int batchSize) {
        List<LmFormat.Sequence> seqs = LmFormat.standard(maxLength).sequences(tok, data);
        double sum = 0;
        long tokens = 0;
        for (int from = 0; from < seqs.size(); from += batchSize) {
            LmFormat.Batch b = LmFormat.batch(seqs.subList(from, Math.min(seqs.size(), from + batchSize)));
            long n = 0;
            for (long[] row : b.labels()) for (long l : row) if (l >= 0) n++;
            sum += model.loss(b.inputs(), Nd4j.createFromArray(b.labels())) * n;
            tokens += n;
        }
        return sum / tokens;
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    private static void writeRun(GenerationTrainConfig c, PeftModel model, List<Double> losses, double seconds,
                                 String jsonl, Path out) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + out, e);
        }
        AtomicFiles.write(out.resolve("train.jsonl"), tmp -> Files.writeString(tmp, jsonl));
        AdapterCheckpoint.save(model, out.resolve("adapter"), Provenance.of(c.seed(), "causal-lm " + c, "generation"));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("method", c.method().type());
        summary.put("method_config", c.method().toJson());
        summary.put("steps", losses.size());
        summary.put("first_loss", losses.isEmpty() ? null : losses.get(0));
        summary.put("last_loss", losses.isEmpty() ? null : losses.get(losses.size() - 1));
        summary.put("seconds", seconds);
        AtomicFiles.write(out.resolve("summary.json"), tmp ->
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), summary));
    }
}
