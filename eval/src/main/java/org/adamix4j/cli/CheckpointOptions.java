package org.adamix4j.cli;

import org.adamix4j.eval.OnnxServedModel;
import org.adamix4j.modules.export.OnnxExport;
import org.adamix4j.tokenize.TokenizedBatch;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Function;

import org.adamix4j.eval.tasks.Example;
import org.adamix4j.eval.tasks.Task;
import org.adamix4j.eval.tasks.Tasks;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** Options of commands that use a trained adapter on a task's data. */
public final class CheckpointOptions {
    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "adapter checkpoint (a run's best/ or last/adapter/), run in SameDiff")
    Path checkpoint;
    @Option(names = "--onnx", paramLabel = "FILE",
            description = "instead of --checkpoint: a model exported by 'adamix merge --onnx', run by ONNX Runtime")
    Path onnx;
    @Option(names = "--task", defaultValue = "demo") String task;
    @Option(names = "--data", paramLabel = "DIR", description = "GLUE data folder (not needed for --task demo)") Path data;
    @Option(names = "--max-length", defaultValue = "128") int maxLength;

    PeftModel load(ModelOptions model) {
        if (checkpoint == null) throw new IllegalArgumentException("needs --checkpoint DIR (an adapter checkpoint)");
        return AdapterCheckpoint.load(model.importModel(), checkpoint);
    }

    /** The model the command runs: --checkpoint in SameDiff, or --onnx in ONNX Runtime; checked against the task. */
    Served open(ModelOptions model, Task task) {
        if ((checkpoint == null) == (onnx == null)) {
            throw new IllegalArgumentException("give exactly one of --checkpoint DIR and --onnx FILE");
        }
        if (checkpoint != null) {
            PeftModel m = load(model);
            return new Served(m::logits, () -> { });
        }
        OnnxServedModel o = OnnxServedModel.open(onnx);
        String head = o.metadata().getOrDefault(OnnxExport.METADATA_PREFIX + "head", "{}");
        int labels = task.isRegression() ? 1 : task.labels().size();
        int outputs;
        try {
            outputs = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(head).path("num_labels").asInt(-1);
        } catch (java.io.IOException e) {
            outputs = -1;
        }
        if (outputs != labels) {
            o.close();
            throw new IllegalArgumentException("--onnx " + onnx + ": its head is " + head + ", task " + task.id()
                    + " needs " + labels + " output(s)");
        }
        return new Served(o::logits, o::close);
    }

    /** Logits of tokenized batches, and what to release afterwards. */
    record Served(Function<TokenizedBatch, INDArray> logits, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }

    Task task() {
        TrainOptions.checkDataDir(task, data);
        return Tasks.byName(task);
    }

    List<Example> read(Task t, Task.Split split) {
        return t.read(data, split);
    }
}
