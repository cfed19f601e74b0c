package org.adamix4j.cli;

import org.adamix4j.eval.nlg.DataToText;
import org.adamix4j.eval.nlg.GenerationTrainConfig;
import org.adamix4j.eval.nlg.GenerationTrainer;
import org.adamix4j.eval.train.MethodSpec;
import org.adamix4j.tokenize.CausalLmTokenizer;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * {@code adamix train --task e2e|webnlg|dart}: causal-LM fine-tuning of a GPT-2 export on
 * data-to-text pairs ({@link GenerationTrainer}). Options of {@code train} that only generation uses.
 */
public final class GenerationTrainOptions {
    /** Tasks trained as generation (a GPT-2 decoder) rather than classification. */
    static final Set<String> TASKS = Set.of("e2e", "webnlg", "dart");

    @Option(names = "--max-steps", defaultValue = "0", description = "generation tasks: stop after N steps (0 = all epochs)")
    int maxSteps;
    @Option(names = "--warmup-steps", defaultValue = "0",
            description = "generation tasks: linear warmup steps (reference 2000; default ${DEFAULT-VALUE})")
    int warmupSteps;
    @Option(names = "--format", paramLabel = "FMT",
            description = "generation tasks: data format e2e|webnlg|dart|pairs (default from --data's extension: "
                    + ".csv e2e, .xml webnlg (dart for --task dart), .json dart, .txt source||reference lines)")
    NlgInputs.Format format;

    static boolean handles(String task) {
        return TASKS.contains(task);
    }

    /**
     * Trains a generation task on an official E2E CSV, WebNLG/DART XML, DART JSON or a file of
     * {@code source||reference} lines (LoRA's format); every (source, reference) pair is one training sequence.
     */
    void run(ModelOptions model, TrainOptions t, Path data, Path output) {
        if (model.onnx == null || model.tokenizer == null) {
            throw new IllegalArgumentException("task " + t.task + " trains a GPT-2 decoder: give --model <gpt2.onnx> "
                    + "and --tokenizer <tokenizer.json>");
        }
        if (data == null) throw new IllegalArgumentException("task " + t.task + " needs --data <E2E .csv, WebNLG/DART .xml, DART .json or "
                + "source||reference .txt>");
        MethodSpec d = MethodSpec.defaults(t.method);
        // The reference's NLG consistency weight is 100 (classification: 1).
        double w = t.consistencyWeight != null ? t.consistencyWeight : 100.0;
        MethodSpec m = new MethodSpec(t.method, t.r != null ? t.r : d.r(), t.experts != null ? t.experts : d.experts(),
                t.sharing != null ? t.sharing : d.sharing(), w, t.loraAlpha != null ? t.loraAlpha : d.loraAlpha(),
                t.loraDropout != null ? t.loraDropout : d.loraDropout());
        GenerationTrainConfig config = new GenerationTrainConfig(m.toConfig(), t.epochs, maxSteps, t.batchSize, t.lr,
                warmupSteps, t.weightDecay, t.maxGradNorm, t.maxLength, t.seed);
        List<DataToText> train = NlgInputs.read("--data", data, format, t.task);
        for (int i = 0; i < train.size(); i++) {
            if (train.get(i).references().isEmpty()) {
                throw new IllegalArgumentException("--data " + data + ": input " + (i + 1) + " ('"
                        + train.get(i).source() + "') has no reference; training needs (source, reference) pairs");
            }
        }
        if (t.trainLimit > 0 && train.size() > t.trainLimit) train = train.subList(0, t.trainLimit);
        Path out = output != null ? output : Path.of("runs", t.task + "-" + t.method + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (CausalLmTokenizer tok = CausalLmTokenizer.load(model.tokenizer)) {
            GenerationTrainer.Result r = GenerationTrainer.run(config, model.importModel(), tok, train, out, System.out);
            System.out.printf("%d steps, loss %.4f -> %.4f in %.0f s; adapter written to %s%n", r.losses().size(),
                    r.losses().get(0), r.losses().get(r.losses().size() - 1), r.seconds(), out.resolve("adapter"));
        }
    }
}
