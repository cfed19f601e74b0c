package org.adamix4j.cli;

import org.adamix4j.eval.train.MethodSpec;
import org.adamix4j.eval.train.TrainConfig;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Training options; defaults are the AdaMix paper's settings scaled to the embedded MiniLM. */
public final class TrainOptions {
    @Option(names = "--task", defaultValue = "demo", description = "demo, cola, sst2, mrpc, qqp, stsb, mnli, mnli-mm, qnli, rte, wnli; e2e, webnlg, dart (GPT-2 generation) (default ${DEFAULT-VALUE})")
    String task;
    @Option(names = "--method", defaultValue = "adamix", description = "adamix, adamix-lora, houlsby, pfeiffer, lora, bitfit, head-only, full (default ${DEFAULT-VALUE})")
    String method;
    @Option(names = "--r", description = "adapter bottleneck / LoRA rank (default: 16 for adapters and AdaMix, 8 for LoRA, 4 for AdaMix-LoRA)")
    Integer r;
    @Option(names = "--experts", description = "AdaMix experts M (default 4; AdaMix-LoRA 8)")
    Integer experts;
    @Option(names = "--sharing", description = "AdaMix shared projection: up, down, none (default up)")
    String sharing;
    @Option(names = "--consistency-weight", description = "AdaMix consistency weight w (default 1; 0 = one pass per step)")
    Double consistencyWeight;
    @Option(names = "--lora-alpha", description = "LoRA alpha (default 16; AdaMix-LoRA 32)")
    Double loraAlpha;
    @Option(names = "--lora-dropout", description = "LoRA dropout (default 0; AdaMix-LoRA 0.1)")
    Double loraDropout;
    @Option(names = "--epochs", defaultValue = "10") int epochs;
    @Option(names = "--batch-size", defaultValue = "32") int batchSize;
    @Option(names = "--lr", defaultValue = "5e-4", description = "peak learning rate (default ${DEFAULT-VALUE})") double lr;
    @Option(names = "--weight-decay", defaultValue = "0.1") double weightDecay;
    @Option(names = "--warmup-ratio", defaultValue = "0.06") double warmupRatio;
    @Option(names = "--max-grad-norm", defaultValue = "1.0") double maxGradNorm;
    @Option(names = "--max-length", defaultValue = "128") int maxLength;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--no-bucketing", description = "shuffle without grouping examples of similar length") boolean noBucketing;
    @Option(names = "--train-limit", defaultValue = "0", description = "use only the first N training examples (0 = all)") int trainLimit;
    @Option(names = "--dev-limit", defaultValue = "0", description = "evaluate on only the first N dev examples (0 = all)") int devLimit;
    @Option(names = "--config", paramLabel = "JSON", description = "a run's config.json (or a search's best.json) to start "
            + "from; options given on the command line override its values")
    Path config;
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The validated run config (nothing is written before this succeeds). */
    public TrainConfig resolve() {
        TrainConfig base = config != null ? read(config) : null;
        String m = pick("--method", method, base == null ? null : base.method().name());
        // A different --method than the file's starts from that method's defaults, not the file's knobs.
        MethodSpec d = base != null && m.equals(base.method().name()) ? base.method() : MethodSpec.defaults(m);
        MethodSpec spec = new MethodSpec(m, r != null ? r : d.r(), experts != null ? experts : d.experts(),
                sharing != null ? sharing : d.sharing(), consistencyWeight != null ? consistencyWeight : d.consistencyWeight(),
                loraAlpha != null ? loraAlpha : d.loraAlpha(), loraDropout != null ? loraDropout : d.loraDropout());
        TrainConfig.Optim o = base == null ? null : base.optim();
        return new TrainConfig(pick("--task", task, base == null ? null : base.task()), spec,
                new TrainConfig.Optim(pick("--lr", lr, o == null ? 0 : o.learningRate()),
                        pick("--weight-decay", weightDecay, o == null ? 0 : o.weightDecay()),
                        pick("--warmup-ratio", warmupRatio, o == null ? 0 : o.warmupRatio()),
                        pick("--max-grad-norm", maxGradNorm, o == null ? 0 : o.maxGradNorm())),
                pick("--epochs", epochs, base == null ? 0 : base.epochs()),
                pick("--batch-size", batchSize, base == null ? 0 : base.batchSize()),
                pick("--max-length", maxLength, base == null ? 0 : base.maxLength()),
                pick("--seed", seed, base == null ? 0 : base.seed()),
                pick("--no-bucketing", !noBucketing, base != null && base.bucketing()),
                pick("--train-limit", trainLimit, base == null ? 0 : base.trainLimit()),
                pick("--dev-limit", devLimit, base == null ? 0 : base.devLimit()));
    }

    /** The command-line value when there is no config file or the option was given, else the file's. */
    private <T> T pick(String option, T flag, T fromFile) {
        boolean given = command != null && command.commandLine() != null && command.commandLine().getParseResult() != null
                && command.commandLine().getParseResult().hasMatchedOption(option);
        return config == null || given ? flag : fromFile;
    }

    private static TrainConfig read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("config file not found: " + file);
        try {
            return TrainConfig.fromJson(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + file + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Checks that {@code task} has its data: GLUE tasks need an existing {@code data} folder, the demo task none. */
    public static void checkDataDir(String task, Path data) {
        boolean bundled = org.adamix4j.eval.tasks.Tasks.byName(task) instanceof org.adamix4j.eval.tasks.DemoTask;
        if (!bundled && data == null) {
            throw new IllegalArgumentException("task " + task + " needs --data <GLUE folder> (the folder holding "
                    + "RTE/, MRPC/, ... with train.tsv and dev.tsv)");
        }
        if (data != null && !Files.isDirectory(data)) throw new IllegalArgumentException("data directory not found: " + data);
    }

    static UncheckedIOException io(String what, IOException e) {
        return new UncheckedIOException(what, e);
    }
}
