package org.adamix4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.adamix4j.onnx.EmbeddedModel;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.MiniLm;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PyTorch peer runs the same encoder as our import: it maps the ONNX export's anonymous weights by
 * the nodes that use them, and its last hidden state equals the imported SameDiff graph's and ONNX
 * Runtime's on a fixed batch of all-MiniLM-L6-v2 (with padding), to 1e-4 on real tokens.
 */
class PeerEncoderTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsTorch() {
        String v = PythonPeer.torchVersion(PYTHON);
        assumeTrue(v != null, "skipped: " + PYTHON + " cannot import torch, onnx, numpy (apt-get install -y "
                + String.join(" ", PythonPeer.PACKAGES) + ")");
    }

    @Test
    void peerEncoderEqualsImportAndOnnxRuntimeOnMiniLm() throws Exception {
        long[][] ids = {
                {101, 1037, 2158, 2003, 2652, 1037, 2858, 1012, 102, 2023, 2003, 102},
                {101, 7592, 1010, 2088, 999, 102, 0, 0, 0, 0, 0, 0}};
        long[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}};
        long[][] types = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1}, new long[12]};
        TokenizedBatch batch = new TokenizedBatch(ids, mask, types);
        Path model = EmbeddedModel.ALL_MINILM_L6_V2.onnx();
        float[] peer = peer(model, batch);

        ImportedModel m = MiniLm.model();
        INDArray ours = m.sameDiff().output(batch.toInputs(), m.structure().output()).get(m.structure().output());
        assertArrayEquals(new long[]{2, 12, 384}, ours.shape());
        float[] ort = ort(model, batch);

        double vsImport = 0;
        double vsOrt = 0;
        double scale = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 12; j++) {
                if (mask[i][j] == 0) continue; // padded states are never used (see OnnxRuntimeParityTest)
                for (int k = 0; k < 384; k++) {
                    int idx = (i * 12 + j) * 384 + k;
                    vsImport = Math.max(vsImport, Math.abs(peer[idx] - ours.getDouble(i, j, k)));
                    vsOrt = Math.max(vsOrt, Math.abs(peer[idx] - ort[idx]));
                    scale = Math.max(scale, Math.abs(ort[idx]));
                }
            }
        System.out.printf("PyTorch peer vs import max|diff| = %.3g, vs ONNX Runtime = %.3g (max |h| %.2f)%n", vsImport, vsOrt, scale);
        assertTrue(scale > 0.5, "the states are not trivially small: " + scale);
        assertTrue(vsImport <= 1e-4, "PyTorch peer vs imported SameDiff graph: " + vsImport);
        assertTrue(vsOrt <= 1e-4, "PyTorch peer vs ONNX Runtime: " + vsOrt);
    }

    /** The tiny BERT fixture: the peer reproduces its stored expected output (from the fixture generator, checked by a numpy interpreter of the ONNX graph). */
    @Test
    void peerEncoderReproducesTheTinyFixturesReference() throws Exception {
        Path model = org.adamix4j.onnx.CacheDirs.root().resolve("test-fixtures").resolve("bert-tiny.onnx");
        org.adamix4j.onnx.TestModels.bertTiny(); // copies the fixture there
        JsonNode ref = JSON.readTree(getClass().getResourceAsStream("/fixtures/bert-tiny.expected.json"));
        TokenizedBatch batch = new TokenizedBatch(longs(ref.at("/inputs/input_ids")), longs(ref.at("/inputs/attention_mask")),
                longs(ref.at("/inputs/token_type_ids")));
        float[] peer = peer(model, batch);
        double max = 0;
        int n = 0;
        for (JsonNode x : flatten(ref.get("last_hidden_state"))) max = Math.max(max, Math.abs(peer[n++] - x.asDouble()));
        assertEquals(n, peer.length);
        assertTrue(max <= 1e-4, "PyTorch peer vs the fixture's reference: " + max);
    }

    private static float[] peer(Path model, TokenizedBatch batch) throws Exception {
        Path script = PythonPeer.extract(dir.resolve("adamix_peer.py"));
        Path in = dir.resolve("batch.json");
        Path out = dir.resolve("out.json");
        JSON.writeValue(in.toFile(), Map.of("input_ids", batch.inputIds(), "attention_mask", batch.attentionMask(),
                "token_type_ids", batch.tokenTypeIds()));
        Process p = new ProcessBuilder(PYTHON, script.toString(), "encode", "--model", model.toString(), "--input",
                in.toString(), "--out", out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "peer encode failed:\n" + log);
        JsonNode j = JSON.readTree(out.toFile());
        JsonNode h = j.get("last_hidden_state");
        float[] v = new float[h.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) h.get(i).asDouble();
        return v;
    }

    private static float[] ort(Path model, TokenizedBatch b) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT); // node by node, as the parity test does
        try (OrtSession s = env.createSession(model.toString(), o)) {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("input_ids", OnnxTensor.createTensor(env, b.inputIds()));
            in.put("attention_mask", OnnxTensor.createTensor(env, b.attentionMask()));
            in.put("token_type_ids", OnnxTensor.createTensor(env, b.tokenTypeIds()));
            try (OrtSession.Result r = s.run(in)) {
                float[][][] x = (float[][][]) r.get(0).getValue();
                float[] flat = new float[x.length * x[0].length * x[0][0].length];
                int n = 0;
                for (float[][] a : x) for (float[] c : a) for (float f : c) flat[n++] = f;
                return flat;
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static long[][] longs(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new long[rows.get(i).size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = rows.get(i).get(j).asLong();
        }
        return out;
    }

    private static List<JsonNode> flatten(JsonNode n) {
        List<JsonNode> out = new java.util.ArrayList<>();
        if (n.isArray()) for (JsonNode c : n) out.addAll(flatten(c));
        else out.add(n);
        return out;
    }
}
