package org.adamix4j.cli;

import org.adamix4j.eval.train.MethodSpec;
import org.adamix4j.eval.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --config}: a run config file as the starting point, options given on the command line on top. */
class TrainOptionsTest {
    private static final TrainConfig FILE = new TrainConfig("demo", new MethodSpec("adamix", 8, 2, "down", 0.5, 16, 0),
            new TrainConfig.Optim(2e-3, 0.05, 0.1, 0.5), 7, 16, 48, 9, false, 100, 50);

    private static TrainConfig resolve(String... args) {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.train.resolve();
    }

    @Test
    void theFileAloneIsReproducedExactly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("best.json");
        new ObjectMapper().writeValue(f.toFile(), FILE.toJson());
        assertEquals(FILE, resolve("--config", f.toString()));
    }

    @Test
    void givenOptionsOverrideTheFileEvenWhenTheyEqualTheDefaults(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("best.json");
        new ObjectMapper().writeValue(f.toFile(), FILE.toJson());
        // --lr 5e-4 and --seed 42 are the CLI defaults: given explicitly, they still win over the file.
        TrainConfig c = resolve("--config", f.toString(), "--epochs", "3", "--experts", "4", "--lr", "5e-4", "--seed", "42");
        assertEquals(new TrainConfig("demo", new MethodSpec("adamix", 8, 4, "down", 0.5, 16, 0),
                new TrainConfig.Optim(5e-4, 0.05, 0.1, 0.5), 3, 16, 48, 42, false, 100, 50), c);
    }

    @Test
    void anotherMethodStartsFromItsDefaultsNotTheFilesKnobs(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("best.json");
        new ObjectMapper().writeValue(f.toFile(), FILE.toJson());
        assertEquals(MethodSpec.defaults("lora"), resolve("--config", f.toString(), "--method", "lora").method());
    }

    @Test
    void withoutAFileTheOptionsAndTheirDefaultsApply() {
        TrainConfig c = resolve("--epochs", "2");
        assertEquals(new TrainConfig("demo", MethodSpec.defaults("adamix"), new TrainConfig.Optim(5e-4, 0.1, 0.06, 1.0), 2, 32,
                128, 42, true, 0, 0), c);
    }
}
