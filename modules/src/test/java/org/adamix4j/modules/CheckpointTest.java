package org.adamix4j.modules;

import org.adamix4j.graphs.AdamW;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.baseline.BitFitConfig;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.modules.checkpoint.Provenance;
import org.adamix4j.modules.checkpoint.SafeTensors;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adapter checkpoints: round trip, contents, size, and every way a load can be wrong. */
class CheckpointTest {
    private static final TokenizedBatch BATCH = TestModels.randomBatch(3, 8, 1000, 21);
    private static final INDArray LABELS = Nd4j.createFromArray(0L, 1L, 1L);

    static Stream<Arguments> methods() {
        return Stream.of(Arguments.of(LoraConfig.queryValue(4, 8)), Arguments.of(AdapterConfig.houlsby(4)),
                Arguments.of(new BitFitConfig()));
    }

    private static PeftModel trained(MethodConfig config) {
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(config)
                .setHead(TaskHead.classification(2)).optSeed(3).build();
        AdamW opt = AdamW.standard(0, Set.of());
        for (int i = 0; i < 2; i++) opt.step(m.parameters(), m.gradients(BATCH, LABELS, new SplittableRandom(i)), 1e-2);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void saveThenLoadGivesBitIdenticalOutputsAndHoldsOnlyTrainables(MethodConfig config, @TempDir Path dir) throws Exception {
        PeftModel m = trained(config);
        Path ckpt = dir.resolve("adapter");
        AdapterCheckpoint.save(m, ckpt, Provenance.of(3, "2 AdamW steps", "toy"));
        PeftModel loaded = AdapterCheckpoint.load(TestModels.bertTiny(), ckpt);
        assertEquals(m.logits(BATCH), loaded.logits(BATCH), "bit-identical logits after reload");

        Map<String, INDArray> saved = SafeTensors.read(ckpt.resolve(AdapterCheckpoint.WEIGHTS));
        assertEquals(Set.copyOf(m.trainableParameters()), saved.keySet(), "only the trainable tensors");
        JsonNode c = new ObjectMapper().readTree(ckpt.resolve(AdapterCheckpoint.CONFIG).toFile());
        assertEquals("adamix4j-adapter", c.path("format").asText());
        assertEquals(1, c.path("format_version").asInt());
        assertEquals(config.type(), c.path("method").path("type").asText());
        assertEquals(m.base().sourceSha256(), c.path("base_model").path("sha256").asText());
        assertEquals(3, c.path("provenance").path("seed").asLong());
        assertEquals("toy", c.path("provenance").path("task").asText());
        assertEquals(m.trainableParameters().size(), c.path("tensors").size());
    }

    @Test
    void checkpointSizeIsFourBytesPerTrainableScalarPlusTheJson(@TempDir Path dir) throws Exception {
        PeftModel m = PeftModel.builder().setBase(org.adamix4j.onnx.TestModels.miniLm())
                .setMethod(LoraConfig.queryValue(8, 16)).setHead(TaskHead.classification(2)).build();
        Path ckpt = dir.resolve("minilm-lora");
        AdapterCheckpoint.save(m, ckpt, Provenance.of(42, "", ""));
        long trainable = m.report().trainable();
        long json = Files.size(ckpt.resolve(AdapterCheckpoint.CONFIG));
        long actual = Files.size(ckpt.resolve(AdapterCheckpoint.WEIGHTS)) + json;
        long expected = 4 * trainable + json;
        System.out.printf("MiniLM LoRA checkpoint: %,d bytes for %,d trainable scalars (4 x n + json = %,d)%n",
                actual, trainable, expected);
        assertTrue(Math.abs(actual - expected) <= 0.10 * expected, actual + " vs " + expected);
        assertTrue(actual < 1_000_000, "no base weights (the base is 90 MB): " + actual);
    }

    @Test
    void loadingOntoAnotherBaseModelIsRefused(@TempDir Path dir) {
        PeftModel m = trained(LoraConfig.queryValue(2, 4));
        AdapterCheckpoint.save(m, dir.resolve("a"), Provenance.of(3, "", ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdapterCheckpoint.load(TestModels.fixture("distilbert-tiny"), dir.resolve("a")));
        assertTrue(e.getMessage().contains("was trained on base model sha256 " + m.base().sourceSha256()), e.getMessage());
    }

    @Test
    void newerFormatVersionIsRefused(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        AdapterCheckpoint.save(trained(LoraConfig.queryValue(2, 4)), a, Provenance.of(3, "", ""));
        rewriteConfig(a, c -> c.put("format_version", 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdapterCheckpoint.load(TestModels.bertTiny(), a));
        assertTrue(e.getMessage().contains("format version 2, this library reads versions 1..1"), e.getMessage());
    }

    @Test
    void missingOrWronglyShapedTensorsAreNamed(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        AdapterCheckpoint.save(trained(LoraConfig.queryValue(2, 4)), a, Provenance.of(3, "", ""));
        Path w = a.resolve(AdapterCheckpoint.WEIGHTS);
        Map<String, INDArray> t = new LinkedHashMap<>(SafeTensors.read(w));
        INDArray b0 = t.remove("lora/layer.0/query/B");
        SafeTensors.write(w, t);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdapterCheckpoint.load(TestModels.bertTiny(), a));
        assertTrue(e.getMessage().contains("no tensor 'lora/layer.0/query/B' (expected shape [2, 32])"), e.getMessage());

        t.put("lora/layer.0/query/B", Nd4j.zeros(b0.dataType(), 3, 32));
        SafeTensors.write(w, t);
        e = assertThrows(IllegalArgumentException.class, () -> AdapterCheckpoint.load(TestModels.bertTiny(), a));
        assertTrue(e.getMessage().contains("found shape [3, 32] for 'lora/layer.0/query/B' in the checkpoint and [2, 32] in the model"),
                e.getMessage());
    }

    @Test
    void notACheckpointDirectory(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdapterCheckpoint.load(TestModels.bertTiny(), dir));
        assertTrue(e.getMessage().contains("not an adapter checkpoint") && e.getMessage().contains("adapter_config.json"));
    }

    @Test
    void aFailedSaveLeavesTheExistingCheckpointIntact(@TempDir Path dir) throws Exception {
        PeftModel m = trained(LoraConfig.queryValue(2, 4));
        Path a = dir.resolve("a");
        AdapterCheckpoint.save(m, a, Provenance.of(3, "first", ""));
        byte[] before = Files.readAllBytes(a.resolve(AdapterCheckpoint.WEIGHTS));
        m.merge();
        assertThrows(IllegalStateException.class, () -> AdapterCheckpoint.save(m, a, Provenance.of(3, "second", "")));
        m.unmerge();
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(Files.readAllBytes(a.resolve(AdapterCheckpoint.WEIGHTS))));
        // A successful save replaces it whole, and leaves no temporary directories behind.
        AdapterCheckpoint.save(m, a, Provenance.of(3, "third", ""));
        assertEquals("third", new ObjectMapper().readTree(a.resolve(AdapterCheckpoint.CONFIG).toFile()).path("provenance").path("recipe").asText());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the checkpoint directory remains");
        }
    }

    private static void rewriteConfig(Path ckpt, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode c = (ObjectNode) om.readTree(ckpt.resolve(AdapterCheckpoint.CONFIG).toFile());
        edit.accept(c);
        om.writeValue(ckpt.resolve(AdapterCheckpoint.CONFIG).toFile(), c);
    }
}
