package org.adamix4j.cli;

import org.adamix4j.eval.tasks.Example;
import org.adamix4j.eval.tasks.Task;
import org.adamix4j.eval.train.Evaluator;
import org.adamix4j.eval.train.Trainer;
import org.adamix4j.onnx.AtomicFiles;
import org.adamix4j.tokenize.TransformerTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code adamix predict}: predictions for a split, in GLUE's submission format. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict a split with an adapter checkpoint (or an exported ONNX model); writes index<TAB>prediction (GLUE submission format).")
final class PredictCommand implements Runnable {
    @Mixin
    ModelOptions model;
    @Mixin
    CheckpointOptions ckpt;
    @Option(names = "--split", defaultValue = "test", description = "train, dev or test (default ${DEFAULT-VALUE})")
    String split;
    @Option(names = "--out", required = true, paramLabel = "TSV") Path out;

    @Override
    public void run() {
        Task task = ckpt.task();
        Task.Split s;
        try {
            s = Task.Split.valueOf(split.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--split must be train, dev or test, got '" + split + "'");
        }
        List<Example> xs = ckpt.read(task, s);
        try (CheckpointOptions.Served m = ckpt.open(model, task); TransformerTokenizer tok = model.tokenizer(ckpt.maxLength)) {
            double[] pred = Evaluator.predict(m.logits(), Trainer.encode(tok, xs), task.isRegression(), 64);
            StringBuilder b = new StringBuilder("index\tprediction\n");
            for (int i = 0; i < xs.size(); i++) {
                String p = task.isRegression() ? String.format("%.4f", pred[i]) : task.labels().get((int) pred[i]);
                b.append(xs.get(i).id()).append('\t').append(p).append('\n');
            }
            AtomicFiles.write(out, tmp -> Files.writeString(tmp, b.toString()));
            System.out.printf("%d predictions written to %s%n", xs.size(), out);
        }
    }
}
