package org.adamix4j.cli;

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
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
            description = "adapter checkpoint (a run's best/ or last/adapter/)")
    Path checkpoint;
    @Option(names = "--task", defaultValue = "demo") String task;
    @Option(names = "--data", paramLabel = "DIR", description = "GLUE data folder (not needed for --task demo)") Path data;
    @Option(names = "--max-length", defaultValue = "128") int maxLength;

    PeftModel load(ModelOptions model) {
        return AdapterCheckpoint.load(model.importModel(), checkpoint);
    }

    Task task() {
        TrainOptions.checkDataDir(task, data);
        return Tasks.byName(task);
    }

    List<Example> read(Task t, Task.Split split) {
        return t.read(data, split);
    }
}
