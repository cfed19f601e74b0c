package org.adamix4j.modules.checkpoint;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.Methods;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.TransformerStructure;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The adapter checkpoint: a directory with {@value #CONFIG} (format, version, method config, head,
 * base model hash and shape, sites, tensor list, provenance) and {@value #WEIGHTS} (the trainable
 * tensors only). Format documented in docs/checkpoint-format.md.
 */
public final class AdapterCheckpoint {
    public static final String FORMAT = "adamix4j-adapter";
    public static final int FORMAT_VERSION = 1;
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    public static final String LIBRARY_VERSION = "0.1.0-SNAPSHOT";

    private AdapterCheckpoint() {
    }

    /**
     * Saves the trainable tensors of {@code model} and its config into {@code dir}. Written into a
     * temporary sibling directory and moved into place, so an existing checkpoint is replaced whole or
     * not at all.
     */
    public static void save(PeftModel model, Path dir, Provenance provenance) {
        if (model.isMerged()) {
            throw new IllegalStateException("unmerge() before saving: a checkpoint holds the unmerged adapter");
        }
        Path parent = dir.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp");
            Map<String, INDArray> tensors = model.parameters();
            SafeTensors.write(tmp.resolve(WEIGHTS), tensors);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(tmp.resolve(CONFIG).toFile(), configJson(model, tensors, provenance));
            replace(tmp, dir.toAbsolutePath());
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save adapter checkpoint to " + dir, e);
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    /**
     * Loads a checkpoint onto {@code base} (a fresh import of the model it was trained on).
     *
     * @throws IllegalArgumentException for a missing or foreign directory, a newer format version, a
     *                                  different base model, or a missing or wrongly shaped tensor
     */
    public static PeftModel load(ImportedModel base, Path dir) {
        Path configFile = dir.resolve(CONFIG);
        Path weightsFile = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new IllegalArgumentException("not an adapter checkpoint: " + dir.toAbsolutePath()
                    + " (expected " + CONFIG + " and " + WEIGHTS + ")");
        }
        try {
            JsonNode c = new ObjectMapper().readTree(configFile.toFile());
            if (!FORMAT.equals(c.path("format").asText())) {
                throw new IllegalArgumentException(configFile + ": format '" + c.path("format").asText()
                        + "', expected '" + FORMAT + "'");
            }
            int version = c.path("format_version").asInt(-1);
            if (version > FORMAT_VERSION || version < 1) {
                throw new IllegalArgumentException(configFile + ": format version " + version + ", this library reads "
                        + "versions 1.." + FORMAT_VERSION + "; upgrade AdaMix4j to load it");
            }
            String expectedSha = c.path("base_model").path("sha256").asText();
            if (!expectedSha.equals(base.sourceSha256())) {
                throw new IllegalArgumentException("adapter " + dir + " was trained on base model sha256 " + expectedSha
                        + ", but the given base model has sha256 " + base.sourceSha256());
            }
            MethodConfig method = Methods.fromJson(c.path("method").path("type").asText(), c.path("method"));
            TaskHead head = new TaskHead(TaskHead.Kind.valueOf(c.path("head").path("kind").asText()),
                    c.path("head").path("num_labels").asInt());
            PeftModel model = PeftModel.builder().setBase(base).setMethod(method).setHead(head)
                    .optSeed(c.path("provenance").path("seed").asLong()).build();
            Map<String, INDArray> saved = SafeTensors.read(weightsFile);
            Map<String, INDArray> params = model.parameters();
            for (Map.Entry<String, INDArray> p : params.entrySet()) {
                INDArray t = saved.get(p.getKey());
                if (t == null) {
                    throw new IllegalArgumentException(weightsFile + " has no tensor '" + p.getKey() + "' (expected shape "
                            + Arrays.toString(p.getValue().shape()) + ")");
                }
                if (!Arrays.equals(t.shape(), p.getValue().shape())) {
                    throw new IllegalArgumentException(weightsFile + ": found shape " + Arrays.toString(t.shape())
                            + " for '" + p.getKey() + "' in the checkpoint and " + Arrays.toString(p.getValue().shape())
                            + " in the model");
                }
                p.getValue().assign(t);
            }
            List<String> extra = new ArrayList<>(saved.keySet());
            extra.removeAll(params.keySet());
            if (!extra.isEmpty()) {
                throw new IllegalArgumentException(weightsFile + " has tensors the model does not: " + extra);
            }
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read adapter checkpoint " + dir, e);
        }
    }

    private static Map<String, Object> configJson(PeftModel model, Map<String, INDArray> tensors, Provenance provenance) {
        TransformerStructure s = model.base().structure();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("format", FORMAT);
        c.put("format_version", FORMAT_VERSION);
        c.put("library_version", LIBRARY_VERSION);
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("type", model.config().type());
        method.putAll(model.config().toJson());
        c.put("method", method);
        c.put("head", Map.of("kind", model.head().kind().name(), "num_labels", model.head().numLabels()));
        Map<String, Object> baseModel = new LinkedHashMap<>();
        baseModel.put("sha256", model.base().sourceSha256());
        baseModel.put("family", s.family());
        baseModel.put("layers", s.layers());
        baseModel.put("hidden", s.hidden());
        baseModel.put("vocab_size", s.vocabSize());
        c.put("base_model", baseModel);
        c.put("sites", model.injection().sites().stream().map(AdapterCheckpoint::site).toList());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map.Entry<String, INDArray> t : tensors.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.getKey());
            m.put("shape", t.getValue().shape());
            m.put("dtype", "F32");
            list.add(m);
        }
        c.put("tensors", list);
        c.put("provenance", provenance.toJson());
        return c;
    }

    private static String site(Site s) {
        return s.kind() + "@" + s.layer();
    }

    /** Moves {@code fresh} to {@code target}; an existing target is moved aside first and then deleted. */
    private static void replace(Path fresh, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) deleteQuietly(old);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // leftovers are dot-named and never read as checkpoints
        }
    }
}
