package org.adamix4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Other BERT-family exports import too: tiny BERT, RoBERTa and DistilBERT models (2 layers, hidden 32,
 * vocabulary 1000) with Hugging Face module paths, exported by torch 1.13 at opset 11. They are made by
 * {@code import/src/test/python/make_encoder_fixtures.py} (see the fixtures README there). Each is
 * compared with ONNX Runtime on random padded batches and with the PyTorch outputs stored beside it.
 */
class BertFamilyFixturesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bert-tiny, bert, true, 0", "roberta-tiny, bert, false, 1", "distilbert-tiny, distilbert, false, 0"})
    void importsMapsAndMatchesReferences(String name, String family, boolean tokenTypes, int padId,
                                         @TempDir Path dir) throws Exception {
        Path onnx = dir.resolve(name + ".onnx");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + name + ".onnx")) {
            Files.copy(in, onnx);
        }
        ImportedModel m = OnnxImporter.builder().setModel(onnx).optCacheDir(dir).build().importModel();
        TransformerStructure s = m.structure();
        assertEquals(family, s.family());
        assertEquals(2, s.layers());
        assertEquals(32, s.hidden());
        assertEquals(1000, s.vocabSize());
        assertEquals(2 * SiteKind.values().length, s.sites().size(), "all 8 sites in both layers");
        assertEquals(tokenTypes ? 3 : 2, s.inputs().size());

        // 1. PyTorch's own outputs, stored with the fixture (an independent reference).
        JsonNode expected = new ObjectMapper().readTree(getClass().getResourceAsStream("/fixtures/" + name + ".expected.json"));
        Map<String, INDArray> feed = new LinkedHashMap<>();
        for (String input : s.inputs()) feed.put(input, Nd4j.createFromArray(longs(expected.path("inputs").path(input))));
        INDArray ours = m.sameDiff().output(feed, s.output()).get(s.output());
        double torchDiff = 0;
        JsonNode ref = expected.path("last_hidden_state");
        for (int i = 0; i < ref.size(); i++)
            for (int j = 0; j < ref.get(i).size(); j++)
                for (int k = 0; k < ref.get(i).get(j).size(); k++)
                    torchDiff = Math.max(torchDiff, Math.abs(ours.getDouble(i, j, k) - ref.get(i).get(j).get(k).asDouble()));
        assertTrue(torchDiff <= 1e-4, name + " vs PyTorch: " + torchDiff);

        // 2. ONNX Runtime on the original file, random batches of other sizes with padding.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession ort = env.createSession(onnx.toString(), OnnxRuntimeParityTest.referenceOptions())) {
            Random rnd = new Random(42);
            for (int[] bs : new int[][]{{1, 5}, {3, 11}, {4, 33}}) {
                long[][] ids = new long[bs[0]][bs[1]];
                long[][] mask = new long[bs[0]][bs[1]];
                long[][] types = new long[bs[0]][bs[1]];
                for (int i = 0; i < bs[0]; i++) {
                    int len = i == 0 ? bs[1] : 2 + rnd.nextInt(bs[1] - 1);
                    for (int j = 0; j < bs[1]; j++) {
                        ids[i][j] = j < len ? 2 + rnd.nextInt(998) : padId;
                        mask[i][j] = j < len ? 1 : 0;
                        types[i][j] = tokenTypes && j > len / 2 && j < len ? 1 : 0;
                    }
                }
                Map<String, long[][]> arrays = Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types);
                Map<String, OnnxTensor> ortIn = new HashMap<>();
                Map<String, INDArray> sdIn = new HashMap<>();
                for (String input : s.inputs()) {
                    ortIn.put(input, OnnxTensor.createTensor(env, arrays.get(input)));
                    sdIn.put(input, Nd4j.createFromArray(arrays.get(input)));
                }
                float[][][] expectedOut;
                try (OrtSession.Result r = ort.run(ortIn)) {
                    expectedOut = (float[][][]) r.get(0).getValue();
                } finally {
                    ortIn.values().forEach(OnnxTensor::close);
                }
                INDArray out = m.sameDiff().output(sdIn, s.output()).get(s.output());
                double[] d = OnnxRuntimeParityTest.diffs(out, expectedOut, mask);
                System.out.printf("%s %dx%d: max|diff| tokens %.2g, padding (relative) %.2g, vs torch %.2g%n",
                        name, bs[0], bs[1], d[0], d[1], torchDiff);
                assertTrue(d[0] <= 1e-4 && d[1] <= 1e-4, name + " " + bs[0] + "x" + bs[1] + ": " + d[0] + " / " + d[1]);
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
}
