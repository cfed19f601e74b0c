package org.adamix4j.cli;

import org.adamix4j.eval.train.TrainConfig;
import org.adamix4j.eval.train.Trainer;
import org.adamix4j.tokenize.TransformerTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** {@code adamix train}: fine-tune on a task, write a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tune the model on a task with an adaptation method; writes checkpoints and dev metrics.")
final class TrainCommand implements Runnable {
    @Mixin
    ModelOptions model;
    @Mixin
    TrainOptions train;
    @Option(names = "--data", paramLabel = "DIR", description = "GLUE data folder (not needed for --task demo); for e2e, webnlg, dart an E2E .csv, WebNLG/DART .xml, DART .json or source||reference .txt file")
    Path data;
    @Option(names = "--output", paramLabel = "DIR", description = "run directory (default runs/<task>-<method>-<time>)")
    Path output;
    @Option(names = "--resume", description = "continue the run in --output from its last epoch")
    boolean resume;
    @Mixin
    GenerationTrainOptions generation;

    @Override
    public void run() {
        if (GenerationTrainOptions.handles(train.task)) {
            generation.run(model, train, data, output);
            return;
        }
        TrainConfig config = train.resolve();
        TrainOptions.checkDataDir(config.task(), data);
        if (resume && output == null) throw new IllegalArgumentException("--resume needs --output <run directory>");
        Path out = output != null ? output : Path.of("runs", config.task() + "-" + config.method().name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (TransformerTokenizer tok = model.tokenizer(config.maxLength())) {
            Trainer.Result r = Trainer.run(config, data, model::importModel, tok, out, resume, System.out);
            System.out.printf("%ndev %s: last epoch %s; best epoch %d %s%n", config.task(), Trainer.format(r.last()),
                    r.bestEpoch(), Trainer.format(r.best()));
            System.out.printf("wall time %.0f s, peak RSS %.0f MB; run written to %s%n", r.seconds(), r.peakRssMb(), out);
        }
    }

}
