package org.adamix4j.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The tiny GPT-2 fixture (see {@code make_gpt2_fixture.py}) for tests of every module: its files
 * copied out of the test resources once per JVM, and fresh imports of it (served from a per-JVM import
 * cache after the first).
 */
public final class Gpt2Tiny {
    private static Path dir;

    private Gpt2Tiny() {
    }

    /** Vocabulary size of the fixture. */
    public static final int VOCAB = 241;

    private static synchronized Path dir() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("gpt2-tiny");
                for (String f : new String[]{"gpt2-tiny.onnx", "gpt2-tiny.tokenizer.json", "gpt2-tiny.expected.json"}) {
                    try (InputStream in = Gpt2Tiny.class.getResourceAsStream("/fixtures/" + f)) {
                        Files.copy(in, d.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                d.toFile().deleteOnExit();
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    public static Path onnx() {
        return dir().resolve("gpt2-tiny.onnx");
    }

    public static Path tokenizer() {
        return dir().resolve("gpt2-tiny.tokenizer.json");
    }

    public static Path expected() {
        return dir().resolve("gpt2-tiny.expected.json");
    }

    /** A fresh import (PeftModel adapts its base in place, so each model needs its own). */
    public static ImportedModel importModel() {
        return OnnxImporter.builder().setModel(onnx()).optCacheDir(dir().resolve("cache")).build().importModel();
    }
}
