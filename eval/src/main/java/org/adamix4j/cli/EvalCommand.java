package org.adamix4j.cli;

import org.adamix4j.eval.tasks.Example;
import org.adamix4j.eval.tasks.Task;
import org.adamix4j.eval.train.Evaluator;
import org.adamix4j.eval.train.Trainer;
import org.adamix4j.tokenize.TransformerTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.Map;

/** {@code adamix eval}: a checkpoint's metrics on a task's dev set. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate an adapter checkpoint (or an exported ONNX model) on a task's dev set.")
final class EvalCommand implements Runnable {
    @Mixin
    ModelOptions model;
    @Mixin
    CheckpointOptions ckpt;

    @Override
    public void run() {
        Task task = ckpt.task();
        List<Example> dev = ckpt.read(task, Task.Split.DEV);
        try (CheckpointOptions.Served m = ckpt.open(model, task); TransformerTokenizer tok = model.tokenizer(ckpt.maxLength)) {
            double[] pred = Evaluator.predict(m.logits(), Trainer.encode(tok, dev), task.isRegression(), 64);
            Map<String, Double> metrics = Evaluator.metrics(task, pred, dev.stream().mapToDouble(Example::label).toArray());
            System.out.printf("%s dev (%d examples): %s%n", task.id(), dev.size(), Trainer.format(metrics));
        }
    }

}
