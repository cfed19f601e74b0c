package org.adamix4j.onnx;

import org.adamix4j.onnx.fixup.ImportFixupPass;
import org.adamix4j.onnx.rewrite.OnnxGraph;
import org.adamix4j.onnx.rewrite.OnnxRewritePass;
import org.adamix4j.onnx.rewrite.OnnxRewriteRule;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The import cache: a second load comes from FlatBuffers, computes the same, and is keyed correctly. */
class ImportCacheTest {

    @Test
    void secondImportLoadsFromCacheWithIdenticalOutputs(@TempDir Path cache) {
        Path onnx = EmbeddedModel.ALL_MINILM_L6_V2.onnx();
        ImportedModel first = OnnxImporter.builder().setModel(onnx).optCacheDir(cache).build().importModel();
        ImportedModel second = OnnxImporter.builder().setModel(onnx).optCacheDir(cache).build().importModel();
        assertFalse(first.report().fromCache());
        assertTrue(second.report().fromCache());
        assertEquals(36, first.report().rewriteCounts().get("flatten-matmul"));
        assertEquals(48, first.report().fixupCounts().get("reset-matmul-coefficients"));
        System.out.printf("import %.1f s, cached load %.1f s%n", first.report().seconds(), second.report().seconds());
        TokenizedBatch b = MiniLm.tokenizer().encodePairs(List.of("a cached graph"), List.of("computes the same"));
        String out = first.structure().output();
        INDArray a = first.sameDiff().output(b.toInputs(), out).get(out);
        INDArray c = second.sameDiff().output(b.toInputs(), out).get(out);
        assertEquals(a, c, "cached graph must compute bit-identical outputs");
    }

    @Test
    void cacheKeyChangesWithTheSourceAndWithAnyRuleVersion(@TempDir Path dir) {
        OnnxImporter standard = OnnxImporter.builder().setModel(dir).build();
        List<OnnxRewriteRule> rules = new ArrayList<>(OnnxRewritePass.standard().rules());
        OnnxRewriteRule original = rules.get(0);
        rules.set(0, new OnnxRewriteRule() {
            @Override
            public String name() {
                return original.name();
            }

            @Override
            public int version() {
                return original.version() + 1;
            }

            @Override
            public int apply(OnnxGraph graph) {
                return original.apply(graph);
            }
        });
        OnnxImporter bumped = OnnxImporter.builder().setModel(dir).optRewritePass(new OnnxRewritePass(rules)).build();
        assertEquals(standard.cacheKey("abc"), standard.cacheKey("abc"));
        assertNotEquals(standard.cacheKey("abc"), standard.cacheKey("abd"));
        assertNotEquals(standard.cacheKey("abc"), bumped.cacheKey("abc"));
        OnnxImporter noFixups = OnnxImporter.builder().setModel(dir).optFixupPass(new ImportFixupPass(List.of())).build();
        assertNotEquals(standard.cacheKey("abc"), noFixups.cacheKey("abc"));
    }

    @Test
    void damagedCacheEntryIsRebuiltNotFatal(@TempDir Path cache) throws Exception {
        Path onnx = EmbeddedModel.ALL_MINILM_L6_V2.onnx();
        OnnxImporter importer = OnnxImporter.builder().setModel(onnx).optCacheDir(cache).build();
        Path entry = cache.resolve("imports").resolve(importer.cacheKey(Hashing.sha256(onnx)) + ".sdfb");
        Files.createDirectories(entry.getParent());
        Files.writeString(entry, "truncated garbage");
        ImportedModel m = importer.importModel();
        assertFalse(m.report().fromCache());
        assertTrue(Files.size(entry) > 80_000_000, "entry rewritten: " + Files.size(entry));
    }
}
