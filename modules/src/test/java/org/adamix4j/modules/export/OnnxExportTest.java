package org.adamix4j.modules.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import onnx.Onnx.ModelProto;
import onnx.Onnx.StringStringEntryProto;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.baseline.HeadOnlyConfig;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.modules.mixture.MixtureLoraConfig;
import org.adamix4j.onnx.EmbeddedModel;
import org.adamix4j.onnx.Gpt2Tiny;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.onnx.MiniLm;
import org.adamix4j.onnx.OnnxModelFile;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.util.EnumSet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exported models against ONNX Runtime: the logits ONNX Runtime computes from the exported file must
 * equal what the SameDiff model computes, for every exportable form, with trained-looking (random,
 * non-zero) parameters so that an adapter or head that went missing would show.
 */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-4;

    private static final List<String> FIRST = List.of("A man is playing a guitar on stage.", "The cat sat.",
            "Stocks fell sharply after the announcement.");
    private static final List<String> SECOND = List.of("Someone performs music.", "A dog barked at the mailman.",
            "Markets dropped.");

    @Test
    void adaMixMergedAndUnloadedRunsInOnnxRuntimeWithTheSameLogits() throws Exception {
        PeftModel adamix = randomised(PeftModel.builder().setBase(TestModels.miniLm()).setMethod(MixtureConfig.standard())
                .setHead(TaskHead.classification(3)).optSeed(3).build(), 11);
        PeftModel served = adamix.mergeAndUnload(TestModels.miniLm());
        TokenizedBatch batch = MiniLm.tokenizer().encodePairs(FIRST, SECOND);

        OnnxExport.Result r = OnnxExport.builder().setModel(served).setSource(miniLmFile()).build().toModel();
        INDArray expected = served.logits(batch);
        float[][] actual = runLogits(r.model(), batch);
        double diff = maxAbsDiff(expected, actual);
        System.out.printf("AdaMix merged → ONNX: max |ORT - SameDiff| = %.2g over %s logits, %d nodes added%n",
                diff, java.util.Arrays.toString(expected.shape()), r.report().nodesAdded());
        assertTrue(diff <= TOLERANCE, "ORT vs SameDiff logits: " + diff);
        assertTrue(expected.std(true).getDouble(0) > 1e-2, "the logits differ between examples (a real head ran)");
        assertEquals(6, r.report().adapterSites(), "one averaged adapter per layer");
        // Six nodes per adapter with exact GELU (5 ops) → 2 MatMul + 2 Add + 5 + the residual Add = 10; head: 6.
        assertEquals(6 * 10 + 6, r.report().nodesAdded());
        assertEquals(List.of(), r.report().replacedInitializers(), "an adapter leaves the base weights as they are");
        Map<String, String> meta = metadata(r.model());
        assertEquals("adapter", new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(meta.get("adamix4j.method"))
                .path("type").asText());
        assertEquals(served.base().sourceSha256(), meta.get("adamix4j.base_model_sha256"));
        assertEquals("1", meta.get("adamix4j.format_version"));
    }

    @Test
    void adaMixBeforeMergingIsRefusedWithTheWayOut() {
        PeftModel adamix = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(MixtureConfig.of(2, 4))
                .setHead(TaskHead.classification(2)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OnnxExport.builder().setModel(adamix).setSource(OnnxModelFile.read(TestModels.fixtureFile("bert-tiny"))).build());
        assertTrue(e.getMessage().contains("mergeAndUnload"), e.getMessage());
    }

    @Test
    void loraIsExportedOnlyMergedAndThenReplacesExactlyItsWeights() throws Exception {
        PeftModel lora = randomised(PeftModel.builder().setBase(TestModels.miniLm()).setMethod(LoraConfig.queryValue(8, 16))
                .setHead(TaskHead.classification(2)).optSeed(5).build(), 12);
        OnnxModelFile source = miniLmFile();
        IllegalStateException unmerged = assertThrows(IllegalStateException.class,
                () -> OnnxExport.builder().setModel(lora).setSource(source).build());
        assertTrue(unmerged.getMessage().contains("merge()"), unmerged.getMessage());

        TokenizedBatch batch = MiniLm.tokenizer().encodePairs(FIRST, SECOND);
        INDArray expected = lora.logits(batch);
        lora.merge();
        OnnxExport.Result r = OnnxExport.builder().setModel(lora).setSource(source).build().toModel();
        double diff = maxAbsDiff(expected, runLogits(r.model(), batch));
        System.out.printf("LoRA merged → ONNX: max |ORT - SameDiff unmerged| = %.2g, %d initializers replaced%n",
                diff, r.report().replacedInitializers().size());
        assertTrue(diff <= TOLERANCE, "ORT vs SameDiff logits: " + diff);
        Set<String> loraWeights = lora.injection().sites().stream().map(Site::weight).collect(Collectors.toSet());
        Set<String> replaced = r.report().replacedInitializers().stream()
                .map(org.adamix4j.onnx.rewrite.SanitizeNames::sanitize).collect(Collectors.toSet());
        assertEquals(loraWeights, replaced, "exactly the query and value weights of the 6 layers changed");
        assertEquals(0, r.report().adapterSites());
    }

    @Test
    void houlsbyAndPfeifferAdaptersAndARegressionHeadMatchOnTheTinyBert() throws Exception {
        Path file = TestModels.fixtureFile("bert-tiny");
        TokenizedBatch batch = TestModels.randomBatch(4, 12, 1000, 9);
        for (AdapterConfig config : List.of(AdapterConfig.houlsby(4), AdapterConfig.pfeiffer(3))) {
            for (TaskHead head : List.of(TaskHead.classification(4), TaskHead.regression())) {
                PeftModel m = randomised(PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(config)
                        .setHead(head).optSeed(2).build(), 13);
                OnnxExport.Result r = OnnxExport.builder().setModel(m).setSource(OnnxModelFile.read(file)).build().toModel();
                INDArray expected = m.logits(batch);
                float[][] actual = runLogits(r.model(), batch);
                assertEquals(head.numLabels(), actual[0].length);
                double diff = maxAbsDiff(expected, actual);
                assertTrue(diff <= TOLERANCE, config.type() + " " + head.kind() + ": ORT vs SameDiff " + diff);
                assertEquals(config.sites().size() * 2, r.report().adapterSites(), "adapters at every selected site of 2 layers");
            }
        }
    }

    @Test
    void anUntrainedHeadOnlyModelChangesNoWeightAndKeepsTheEncoderOutput(@TempDir Path dir) throws Exception {
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(new HeadOnlyConfig())
                .setHead(TaskHead.classification(2)).build();
        Path file = TestModels.fixtureFile("bert-tiny");
        Path out = dir.resolve("served.onnx");
        Files.writeString(out, "an older export");
        OnnxExport.Report report = OnnxExport.builder().setModel(m).setSource(OnnxModelFile.read(file)).build().write(out);
        assertEquals(List.of(), report.replacedInitializers());
        ModelProto written = OnnxModelFile.read(out).model();
        List<String> outputs = written.getGraph().getOutputList().stream().map(o -> o.getName()).toList();
        assertEquals("logits", outputs.get(0));
        assertEquals(OnnxModelFile.read(file).model().getGraph().getOutputCount() + 1, outputs.size(),
                "the encoder's own outputs stay, after the logits");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("served.onnx"), files.map(p -> p.getFileName().toString()).toList(), "no temp file left behind");
        }
    }

    @Test
    void aDifferentSourceFileIsRefusedByHash() {
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(new HeadOnlyConfig())
                .setHead(TaskHead.classification(2)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.builder().setModel(m).setSource(miniLmFile()).build());
        assertTrue(e.getMessage().contains("is not the file the model was imported from"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.builder().setModel(m).build());
    }

    // --- helpers ---

    private static OnnxModelFile miniLmFile() {
        return OnnxModelFile.read(EmbeddedModel.ALL_MINILM_L6_V2.onnx());
    }

    /** Every trainable parameter set to seeded values in [-0.1, 0.1), so no module is a no-op. */
    private static PeftModel randomised(PeftModel m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (String p : m.trainableParameters()) {
            INDArray a = m.sameDiff().getArrForVarName(p);
            float[] v = new float[(int) a.length()];
            for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 0.2 - 0.1);
            a.assign(Nd4j.createFromArray(v).reshape(a.shape()).castTo(a.dataType()));
        }
        return m;
    }

    @Test
    void adaMixLoraOnGpt2KeepsTheModelsOwnLogitsAndFoldsTheMixtureIntoTheFusedWeight() throws Exception {
        PeftModel m = randomised(PeftModel.builder().setBase(Gpt2Tiny.importModel())
                .setMethod(new MixtureLoraConfig(4, 4, 32, 0.1, EnumSet.of(SiteKind.QUERY, SiteKind.VALUE), 100))
                .setHead(TaskHead.causalLm(Gpt2Tiny.VOCAB)).optSeed(3).build(), 14);
        PeftModel served = m.mergeAndUnload(Gpt2Tiny.importModel());
        long[][] ids = {{5, 17, 33, 2, 90, 11, 7}, {8, 8, 120, 64, 3, 1, 200}};
        long[][] ones = new long[2][7];
        for (long[] row : ones) java.util.Arrays.fill(row, 1);
        TokenizedBatch batch = new TokenizedBatch(ids, ones, new long[2][7]);
        OnnxExport.Result r = OnnxExport.builder().setModel(served).setSource(OnnxModelFile.read(Gpt2Tiny.onnx())).build().toModel();
        INDArray expected = served.logits(batch);
        INDArray actual = run(r.model(), batch);
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = maxAbsDiff(expected, actual);
        System.out.printf("AdaMix-LoRA on GPT-2 → ONNX: max |ORT - SameDiff| = %.2g over %s, %d initializers replaced%n",
                diff, java.util.Arrays.toString(expected.shape()), r.report().replacedInitializers().size());
        assertTrue(diff <= TOLERANCE, "ORT vs SameDiff logits: " + diff);
        assertEquals(0, r.report().nodesAdded(), "a causal LM has no head to add");
        // q and v are column blocks of each layer's fused c_attn weight: one initializer per layer.
        assertEquals(served.base().structure().layers(), r.report().replacedInitializers().size());
    }

    @Test
    void distilBertAndRobertaNamingExportToo() throws Exception {
        for (String fixture : List.of("distilbert-tiny", "roberta-tiny")) {
            PeftModel m = randomised(PeftModel.builder().setBase(TestModels.fixture(fixture)).setMethod(AdapterConfig.pfeiffer(4))
                    .setHead(TaskHead.classification(3)).optSeed(4).build(), 15);
            TokenizedBatch batch = TestModels.randomBatch(3, 10, (int) m.base().structure().vocabSize(), 21);
            OnnxExport.Result r = OnnxExport.builder().setModel(m).setSource(OnnxModelFile.read(TestModels.fixtureFile(fixture)))
                    .build().toModel();
            double diff = maxAbsDiff(m.logits(batch), run(r.model(), batch));
            assertTrue(diff <= TOLERANCE, fixture + ": ORT vs SameDiff " + diff);
            assertEquals(m.base().structure().layers(), r.report().adapterSites());
        }
    }

    private static float[][] runLogits(ModelProto model, TokenizedBatch batch) throws Exception {
        INDArray a = run(model, batch);
        float[][] out = new float[(int) a.size(0)][(int) a.size(1)];
        for (int i = 0; i < out.length; i++) for (int j = 0; j < out[i].length; j++) out[i][j] = a.getFloat(i, j);
        return out;
    }

    /** The exported model's logits in ONNX Runtime, fed the inputs it declares. */
    private static INDArray run(ModelProto model, TokenizedBatch batch) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toByteArray(), new OrtSession.SessionOptions())) {
            assertEquals("logits", s.getOutputNames().iterator().next());
            Map<String, OnnxTensor> in = new HashMap<>();
            try {
                for (String name : s.getInputNames()) {
                    long[][] v = switch (name) {
                        case "input_ids" -> batch.inputIds();
                        case "attention_mask" -> batch.attentionMask();
                        case "token_type_ids" -> batch.tokenTypeIds();
                        default -> throw new IllegalArgumentException(name);
                    };
                    in.put(name, OnnxTensor.createTensor(env, v));
                }
                try (OrtSession.Result res = s.run(in, Set.of("logits"))) {
                    OnnxTensor t = (OnnxTensor) res.get(0);
                    float[] v = new float[(int) t.getInfo().getNumElements()];
                    t.getFloatBuffer().get(v);
                    return Nd4j.createFromArray(v).reshape(t.getInfo().getShape());
                }
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static double maxAbsDiff(INDArray expected, float[][] actual) {
        assertArrayEquals(new long[]{actual.length, actual[0].length}, expected.shape());
        double max = 0;
        for (int i = 0; i < actual.length; i++)
            for (int j = 0; j < actual[i].length; j++) max = Math.max(max, Math.abs(expected.getDouble(i, j) - actual[i][j]));
        return max;
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        assertArrayEquals(a.shape(), b.shape());
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sub(b.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                .amaxNumber().doubleValue();
    }

    private static Map<String, String> metadata(ModelProto m) {
        Map<String, String> out = new HashMap<>();
        for (StringStringEntryProto e : m.getMetadataPropsList()) out.put(e.getKey(), e.getValue());
        return out;
    }
}
