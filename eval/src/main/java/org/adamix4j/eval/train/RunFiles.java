package org.adamix4j.eval.train;

import org.adamix4j.onnx.AtomicFiles;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The files of a run directory: config.json (the resolved config), eval.jsonl (one line per
 * evaluation), metrics.json, summary.md, and the checkpoints last/ and best/. Every whole-file write is
 * atomic; eval.jsonl is appended one complete line at a time.
 */
public final class RunFiles {
    public static final String CONFIG = "config.json";
    public static final String EVAL_LOG = "eval.jsonl";
    public static final String METRICS = "metrics.json";
    public static final String SUMMARY = "summary.md";
    public static final String LAST = "last";
    public static final String BEST = "best";
    public static final String STATE = "trainer_state.json";
    public static final String OPTIMIZER = "optimizer.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;

    private RunFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens a run directory. A new run needs a missing or empty directory; {@code resume} needs one
     * written by a run of the same config.
     */
    public static RunFiles open(Path dir, TrainConfig config, boolean resume) {
        RunFiles f = new RunFiles(dir);
        Path cfg = dir.resolve(CONFIG);
        try {
            if (resume) {
                if (!Files.isRegularFile(cfg)) {
                    throw new IllegalArgumentException("cannot resume: " + dir + " has no " + CONFIG + " of an earlier run");
                }
                TrainConfig earlier = TrainConfig.fromJson(JSON.readTree(cfg.toFile()));
                if (!earlier.equals(config)) {
                    throw new IllegalArgumentException("cannot resume " + dir + ": it was started with a different config ("
                            + earlier.toJson() + "), now " + config.toJson());
                }
            } else {
                if (Files.isDirectory(dir)) {
                    try (var s = Files.list(dir)) {
                        if (s.findAny().isPresent()) {
                            throw new IllegalArgumentException("output directory " + dir + " is not empty: choose another"
                                    + " --output, or --resume to continue the run in it");
                        }
                    }
                }
                Files.createDirectories(dir);
                f.writeJson(CONFIG, config.toJson());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open run directory " + dir, e);
        }
        return f;
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    public void writeJson(String name, Object value) {
        AtomicFiles.write(dir.resolve(name), p -> JSON.writeValue(p.toFile(), value));
    }

    public JsonNode readJson(String name) {
        try {
            return JSON.readTree(dir.resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(name), e);
        }
    }

    public void writeText(String name, String text) {
        AtomicFiles.write(dir.resolve(name), p -> Files.writeString(p, text));
    }

    /** Appends one evaluation as a JSON line. */
    public void appendEval(Map<String, Object> record) {
        try {
            String line = new ObjectMapper().writeValueAsString(record) + "\n";
            Files.writeString(dir.resolve(EVAL_LOG), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve(EVAL_LOG), e);
        }
    }
}
