package org.adamix4j.onnx;

import org.adamix4j.tokenize.TokenizedBatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

/**
 * Fresh imports for tests that change the graph (each PeftModel adapts its base in place): the real
 * all-MiniLM-L6-v2 and the tiny BERT fixture. Both come from the import cache after the first time.
 */
public final class TestModels {
    private TestModels() {
    }

    /** A fresh, unadapted import of the embedded all-MiniLM-L6-v2. */
    public static ImportedModel miniLm() {
        return OnnxImporter.builder().setModel(EmbeddedModel.ALL_MINILM_L6_V2.onnx()).build().importModel();
    }

    /** A fresh import of the tiny BERT fixture (2 layers, hidden 32, vocabulary 1000). */
    public static ImportedModel bertTiny() {
        return fixture("bert-tiny");
    }

    public static ImportedModel fixture(String name) {
        return OnnxImporter.builder().setModel(fixtureFile(name)).build().importModel();
    }

    /** The fixture's ONNX file, copied out of the test resources into the cache directory. */
    public static Path fixtureFile(String name) {
        Path file = CacheDirs.root().resolve("test-fixtures").resolve(name + ".onnx");
        try (InputStream in = TestModels.class.getResourceAsStream("/fixtures/" + name + ".onnx")) {
            if (in == null) throw new IllegalStateException("no fixture " + name);
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), name, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A random batch of token ids for a model with {@code vocab} tokens; rows after the first padded. */
    public static TokenizedBatch randomBatch(int batch, int length, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[][] ids = new long[batch][length];
        long[][] mask = new long[batch][length];
        long[][] types = new long[batch][length];
        for (int i = 0; i < batch; i++) {
            int len = i == 0 ? length : 2 + r.nextInt(length - 1);
            for (int j = 0; j < len; j++) {
                ids[i][j] = 2 + r.nextInt(vocab - 2);
                mask[i][j] = 1;
            }
        }
        return new TokenizedBatch(ids, mask, types);
    }
}
