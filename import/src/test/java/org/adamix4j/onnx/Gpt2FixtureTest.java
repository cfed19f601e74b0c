package org.adamix4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny GPT-2 (2 layers, d 32, 4 heads, vocabulary 241; Hugging Face module names, Conv1D as Gemm,
 * fused c_attn, bool causal-mask buffer, gelu_new) made by
 * {@code import/src/test/python/make_gpt2_fixture.py}: imported, mapped, and compared with ONNX
 * Runtime on random batches and with PyTorch's logits stored beside it.
 */
class Gpt2FixtureTest {
    @TempDir
    static Path dir;
    static Path onnx;
    static ImportedModel model;

    @BeforeAll
    static void load() throws Exception {
        onnx = dir.resolve("gpt2-tiny.onnx");
        try (InputStream in = Gpt2FixtureTest.class.getResourceAsStream("/fixtures/gpt2-tiny.onnx")) {
            Files.copy(in, onnx);
        }
        model = OnnxImporter.builder().setModel(onnx).optCacheDir(dir).build().importModel();
    }

    @Test
    void structureMapsTheFusedAttentionIntoColumnBlocks() {
        TransformerStructure s = model.structure();
        assertEquals("gpt2", s.family());
        assertEquals(2, s.layers());
        assertEquals(32, s.hidden());
        assertEquals(241, s.vocabSize());
        assertEquals(List.of("input_ids"), s.inputs());
        assertEquals("logits", s.output());
        assertEquals(12, s.sites().size(), "q, k, v, attn c_proj, c_fc, mlp c_proj in both layers");
        for (int layer = 0; layer < 2; layer++) {
            Site q = s.site(layer, SiteKind.QUERY);
            Site k = s.site(layer, SiteKind.KEY);
            Site v = s.site(layer, SiteKind.VALUE);
            assertEquals("transformer.h." + layer + ".attn.c_attn.weight", q.weight());
            assertEquals(q.weight(), v.weight());
            assertEquals(List.of(0L, 32L, 64L), List.of(q.columnOffset(), k.columnOffset(), v.columnOffset()));
            assertEquals(32, q.columnCount());
            assertEquals("/transformer/h." + layer + "/attn/Split_output_0", q.output());
            assertEquals("/transformer/h." + layer + "/attn/Split_output_2", v.output());
            assertEquals("/transformer/h." + layer + "/ln_1/Add_1_output_0", q.input());
            assertEquals("transformer.h." + layer + ".mlp.c_fc.weight", s.site(layer, SiteKind.INTERMEDIATE).weight());
            assertEquals(List.of(32L, 128L), List.of(model.sameDiff().getArrForVarName(s.site(layer, SiteKind.INTERMEDIATE).weight()).shape()[0],
                    model.sameDiff().getArrForVarName(s.site(layer, SiteKind.INTERMEDIATE).weight()).shape()[1]));
            assertEquals(0, s.site(layer, SiteKind.OUTPUT).columnCount(), "unfused sites own their whole weight");
        }
    }

    @Test
    void logitsMatchPyTorch() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(getClass().getResourceAsStream("/fixtures/gpt2-tiny.expected.json"));
        long[][] ids = longs(expected.path("input_ids"));
        INDArray logits = model.sameDiff().output(Map.of("input_ids", Nd4j.createFromArray(ids)), "logits").get("logits");
        double max = 0;
        int last = ids[0].length - 1;
        for (int i = 0; i < ids.length; i++)
            for (int v = 0; v < 241; v++)
                max = Math.max(max, Math.abs(logits.getDouble(i, last, v) - expected.path("logits_last").get(i).get(v).asDouble()));
        System.out.printf("gpt2-tiny vs PyTorch (last position): max|diff| %.2g%n", max);
        assertTrue(max <= 1e-4, "vs PyTorch: " + max);
    }

    @Test
    void logitsMatchOnnxRuntime() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double worst = 0;
        try (OrtSession ort = env.createSession(onnx.toString(), OnnxRuntimeParityTest.referenceOptions())) {
            Random rnd = new Random(7);
            for (int[] bs : new int[][]{{1, 1}, {1, 5}, {3, 11}, {4, 33}}) {
                long[][] ids = new long[bs[0]][bs[1]];
                for (long[] row : ids) for (int j = 0; j < row.length; j++) row[j] = rnd.nextInt(241);
                float[][][] ref;
                try (OnnxTensor t = OnnxTensor.createTensor(env, ids); OrtSession.Result r = ort.run(Map.of("input_ids", t))) {
                    ref = (float[][][]) r.get(0).getValue();
                }
                INDArray ours = model.sameDiff().output(Map.of("input_ids", Nd4j.createFromArray(ids)), "logits").get("logits");
                assertEquals(List.of((long) bs[0], (long) bs[1], 241L), List.of(ours.shape()[0], ours.shape()[1], ours.shape()[2]));
                double max = Nd4j.create(ref).sub(ours).amaxNumber().doubleValue();
                System.out.printf("gpt2-tiny %dx%d vs ONNX Runtime: max|diff| logits %.2g%n", bs[0], bs[1], max);
                worst = Math.max(worst, max);
            }
        }
        assertTrue(worst <= 1e-4, "vs ONNX Runtime: " + worst);
    }

    private static long[][] longs(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new long[rows.get(i).size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = rows.get(i).get(j).asLong();
        }
        return out;
    }
}
