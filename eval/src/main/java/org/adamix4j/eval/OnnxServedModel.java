package org.adamix4j.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.adamix4j.graphs.Heads;
import org.adamix4j.modules.export.OnnxExport;
import org.adamix4j.tokenize.TokenizedBatch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A model exported by {@link OnnxExport}, served by ONNX Runtime: logits for tokenized batches, as
 * {@code PeftModel.logits} computes them in SameDiff (checked by {@code adamix merge --onnx} and the tests).
 * ONNX Runtime's default graph optimisations apply. Close it to free the native session.
 */
public final class OnnxServedModel implements AutoCloseable {
    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Map<String, String> metadata;

    private OnnxServedModel(Path file, OrtEnvironment env, OrtSession session, Map<String, String> metadata) {
        this.file = file;
        this.env = env;
        this.session = session;
        this.metadata = metadata;
    }

    /**
     * Opens an exported model.
     *
     * @throws IllegalArgumentException if the file is missing, not ONNX, or not an AdaMix4j export with logits
     */
    public static OnnxServedModel open(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("exported ONNX model not found: " + file.toAbsolutePath());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try {
            session = env.createSession(file.toString(), new OrtSession.SessionOptions());
        } catch (OrtException e) {
            throw new IllegalArgumentException("not a model ONNX Runtime can load: " + file.toAbsolutePath() + " (" + e.getMessage() + ")", e);
        }
        try {
            Map<String, String> meta = new HashMap<>(session.getMetadata().getCustomMetadata());
            if (!meta.containsKey(OnnxExport.METADATA_PREFIX + "format_version") || !session.getOutputNames().contains(Heads.LOGITS)) {
                throw new IllegalArgumentException(file.toAbsolutePath() + " is not an AdaMix4j export (expected metadata "
                        + OnnxExport.METADATA_PREFIX + "format_version and an output '" + Heads.LOGITS + "'); write one with "
                        + "adamix merge --onnx");
            }
            return new OnnxServedModel(file, env, session, Map.copyOf(meta));
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            throw e instanceof IllegalArgumentException iae ? iae : new IllegalArgumentException(
                    "cannot read the metadata of " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** The export's provenance ({@code adamix4j.*} keys: method, head, base model hash, versions). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensors a BERT-style ONNX model's inputs ask for (input_ids, attention_mask, token_type_ids), from
     * a batch; the caller closes them.
     */
    public static Map<String, OnnxTensor> inputs(OrtEnvironment env, OrtSession session, TokenizedBatch batch, Object source)
            throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        for (String name : session.getInputNames()) {
            long[][] v = switch (name) {
                case "input_ids" -> batch.inputIds();
                case "attention_mask" -> batch.attentionMask();
                case "token_type_ids" -> batch.tokenTypeIds();
                default -> {
                    in.values().forEach(OnnxTensor::close);
                    throw new IllegalArgumentException(source + ": unexpected model input '" + name
                            + "' (expected input_ids, attention_mask, token_type_ids)");
                }
            };
            in.put(name, OnnxTensor.createTensor(env, v));
        }
        return in;
    }

    /** Logits of a batch: [batch, classes] (or [batch, seq, vocab] for a causal LM). */
    public INDArray logits(TokenizedBatch batch) {
        Map<String, OnnxTensor> in = Map.of();
        try {
            in = inputs(env, session, batch, file);
            try (OrtSession.Result r = session.run(in, Set.of(Heads.LOGITS))) {
                OnnxTensor t = (OnnxTensor) r.get(0);
                long[] shape = t.getInfo().getShape();
                float[] values = new float[Math.toIntExact(t.getInfo().getNumElements())];
                t.getFloatBuffer().get(values);
                return Nd4j.createFromArray(values).reshape(shape);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + file + ": " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // Closing frees native memory; nothing to recover if it fails.
        }
    }
}
