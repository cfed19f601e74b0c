package org.adamix4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.adamix4j.onnx.rewrite.OnnxRewritePass;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one test that matters for the import: the SameDiff graph computes what ONNX Runtime computes on
 * the original, unmodified ONNX file, for the real pretrained model and real tokenized batches.
 */
class OnnxRuntimeParityTest {
    private static final double TOLERANCE = 1e-4;
    private static OrtEnvironment env;
    private static OrtSession original;

    @BeforeAll
    static void setUp() throws Exception {
        env = OrtEnvironment.getEnvironment();
        original = env.createSession(EmbeddedModel.ALL_MINILM_L6_V2.onnx().toString(), referenceOptions());
    }

    @AfterAll
    static void tearDown() throws Exception {
        original.close();
    }

    static Stream<Arguments> batches() {
        String longText = String.join(" ", Collections.nCopies(9,
                "Parameter-efficient fine-tuning adapts large pretrained models by training few weights."));
        return Stream.of(
                Arguments.of("1 sentence", MiniLm.tokenizer().encode(List.of("A man is playing a guitar."))),
                Arguments.of("3 sentences, padded", MiniLm.tokenizer().encode(List.of(
                        "Hello, world!", "The quick brown fox jumps over the lazy dog.", "Short."))),
                Arguments.of("2 pairs, padded", MiniLm.tokenizer().encodePairs(
                        List.of("A man is playing a guitar.", "The cat sat on the mat."),
                        List.of("Someone plays an instrument.", "A dog barks loudly at the postman every morning."))),
                Arguments.of("4 x 128, truncated", MiniLm.tokenizer().encode(List.of(
                        longText, longText.substring(40), "Tiny.", longText.substring(300)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void lastHiddenStateMatchesOnnxRuntime(String name, TokenizedBatch batch) throws Exception {
        ImportedModel m = MiniLm.model();
        INDArray ours = m.sameDiff().output(batch.toInputs(), m.structure().output()).get(m.structure().output());
        float[][][] ref = runOrt(original, batch);
        assertArrayEquals(new long[]{batch.size(), batch.length(), 384}, ours.shape());
        double[] d = diffs(ours, ref, batch.attentionMask());
        System.out.printf("parity %-22s %3dx%-3d max|diff| tokens = %.3g, padding (relative) = %.3g%n",
                name, batch.size(), batch.length(), d[0], d[1]);
        assertTrue(d[0] <= TOLERANCE, name + ": max |SameDiff - ONNX Runtime| over tokens = " + d[0]);
        assertTrue(d[1] <= TOLERANCE, name + ": max relative |SameDiff - ONNX Runtime| over padding = " + d[1]);
    }

    /** The rewrite rules keep the graph's meaning: ONNX Runtime gives the same on the rewritten model. */
    @Test
    void rewrittenModelMatchesOriginalUnderOnnxRuntime() throws Exception {
        OnnxModelFile file = OnnxModelFile.read(EmbeddedModel.ALL_MINILM_L6_V2.onnx());
        byte[] rewritten = OnnxRewritePass.standard().apply(file.model()).model().toByteArray();
        TokenizedBatch batch = MiniLm.tokenizer().encodePairs(List.of("A man is playing a guitar.", "Hi"),
                List.of("Someone plays an instrument.", "Hello there, how are you?"));
        try (OrtSession s = env.createSession(rewritten, referenceOptions())) {
            float[][][] a = runOrt(s, batch);
            float[][][] b = runOrt(original, batch);
            double max = 0;
            for (int i = 0; i < a.length; i++)
                for (int j = 0; j < a[i].length; j++)
                    for (int k = 0; k < a[i][j].length; k++) max = Math.max(max, Math.abs(a[i][j][k] - b[i][j][k]));
            assertTrue(max <= 1e-5, "rewritten vs original under ONNX Runtime: " + max);
        }
    }

    /**
     * ONNX Runtime executing the graph node by node: its default optimisations fuse LayerNorm, GELU and
     * attention into kernels that round differently (up to ~2e-4 on 4x128 here), which would measure
     * ONNX Runtime's fusions rather than our import.
     */
    static OrtSession.SessionOptions referenceOptions() throws Exception {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        return o;
    }

    static float[][][] runOrt(OrtSession session, TokenizedBatch batch) throws Exception {
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("input_ids", OnnxTensor.createTensor(env, batch.inputIds()));
        in.put("attention_mask", OnnxTensor.createTensor(env, batch.attentionMask()));
        in.put("token_type_ids", OnnxTensor.createTensor(env, batch.tokenTypeIds()));
        try (OrtSession.Result r = session.run(in)) {
            return (float[][][]) r.get(0).getValue();
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Max |diff| over real tokens (mask 1) and max |diff| / max(1, |ref|) over padding (mask 0).
     * Padded positions are computed but never used downstream; their states are larger (|x| up to ~5)
     * and carry float32 rounding of ~1.4e-4 absolute (~3e-5 relative) on 4x128, so they get a
     * relative bound.
     */
    static double[] diffs(INDArray ours, float[][][] ref, long[][] mask) {
        double real = 0;
        double pad = 0;
        for (int i = 0; i < ref.length; i++)
            for (int j = 0; j < ref[i].length; j++)
                for (int k = 0; k < ref[i][j].length; k++) {
                    double d = Math.abs(ours.getDouble(i, j, k) - ref[i][j][k]);
                    if (mask[i][j] == 1) real = Math.max(real, d);
                    else pad = Math.max(pad, d / Math.max(1.0, Math.abs(ref[i][j][k])));
                }
        return new double[]{real, pad};
    }
}
