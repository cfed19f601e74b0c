package org.adamix4j.onnx;

import org.adamix4j.onnx.fixup.ImportFixupPass;
import org.adamix4j.onnx.rewrite.OnnxRewritePass;
import org.nd4j.autodiff.samediff.SameDiff;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Imports a transformer from ONNX into SameDiff: read and hash the file, map its structure, rewrite
 * the ONNX graph around importer defects, run samediff-import-onnx, repair the result, freeze every
 * weight, and cache the result as SameDiff FlatBuffers keyed by the file hash and the rule versions.
 *
 * <pre>{@code
 * ImportedModel m = OnnxImporter.builder().setModel(path).build().importModel();
 * }</pre>
 */
public final class OnnxImporter {
    private final Path model;
    private final Path cacheDir;
    private final boolean useCache;
    private final OnnxRewritePass rewrites;
    private final ImportFixupPass fixups;

    private OnnxImporter(Builder b) {
        this.model = b.model;
        this.cacheDir = b.cacheDir;
        this.useCache = b.useCache;
        this.rewrites = b.rewrites;
        this.fixups = b.fixups;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Imports the model (or loads it from the cache). */
    public ImportedModel importModel() {
        long t0 = System.nanoTime();
        OnnxModelFile file = OnnxModelFile.read(model);
        TransformerStructure structure = StructureMapper.map(file.model(), model.toString());
        Path cached = cacheDir.resolve("imports").resolve(cacheKey(file.sha256()) + ".sdfb");
        if (useCache && Files.isRegularFile(cached)) {
            SameDiff sd = loadCached(cached);
            if (sd != null && sd.hasVariable(structure.output())) {
                return new ImportedModel(sd, structure, file.sha256(),
                        new ImportedModel.ImportReport(true, Map.of(), Map.of(), seconds(t0)));
            }
        }
        GraphImport.Result imported = new GraphImport(rewrites, fixups).run(file.model(), model.toString());
        SameDiff sd = imported.sameDiff();
        if (!sd.hasVariable(structure.output())) {
            throw new IllegalStateException("import of " + model + " produced no variable '" + structure.output() + "'");
        }
        // Every import is returned through its FlatBuffers form, cached or not: a freshly imported graph
        // keeps the example batch's static shapes on its variables, which later ops (e.g. a loss over a
        // batch of 4) fail to validate against; the reloaded graph has none, like every cache hit.
        Path flat = useCache ? cached : tempFlatFile();
        AtomicFiles.write(flat, p -> sd.asFlatFile(p.toFile()));
        SameDiff reloaded = loadCached(flat);
        if (!useCache) flat.toFile().delete();
        if (reloaded == null) throw new IllegalStateException("cannot reload the imported graph of " + model + " from " + flat);
        return new ImportedModel(reloaded, structure, file.sha256(),
                new ImportedModel.ImportReport(false, imported.rewriteCounts(), imported.fixupCounts(), seconds(t0)));
    }

    private static Path tempFlatFile() {
        try {
            Path p = Files.createTempFile("adamix4j-import", ".sdfb");
            Files.delete(p);
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a temp file for the imported graph", e);
        }
    }

    /** Cache key: the source file's hash, the rewrite and fix-up rule versions, the ND4J version. */
    String cacheKey(String sourceSha256) {
        String nd4j = Optional.ofNullable(SameDiff.class.getPackage().getImplementationVersion()).orElse("1.0.0-M2.1");
        return Hashing.sha256(sourceSha256 + "|" + rewrites.fingerprint() + "|" + fixups.fingerprint() + "|" + nd4j)
                .substring(0, 32);
    }

    private static SameDiff loadCached(Path file) {
        try {
            return SameDiff.fromFlatFile(file.toFile());
        } catch (Exception e) {
            // A damaged cache entry is rebuilt, not fatal: the source of truth is the ONNX file.
            return null;
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Builder: {@code setModel} is required; the rest is optional. */
    public static final class Builder {
        private Path model;
        private Path cacheDir = CacheDirs.root();
        private boolean useCache = true;
        private OnnxRewritePass rewrites = OnnxRewritePass.standard();
        private ImportFixupPass fixups = ImportFixupPass.standard();

        private Builder() {
        }

        /** The ONNX file to import (required). */
        public Builder setModel(Path model) {
            this.model = model;
            return this;
        }

        /** Cache root (default {@link CacheDirs#root()}); imports go to {@code <dir>/imports}. */
        public Builder optCacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /** Whether to read and write the import cache (default true). */
        public Builder optUseCache(boolean useCache) {
            this.useCache = useCache;
            return this;
        }

        /** Replaces the ONNX rewrite rules (tests use this to show what each rule is for). */
        public Builder optRewritePass(OnnxRewritePass pass) {
            this.rewrites = pass;
            return this;
        }

        /** Replaces the post-import fix-ups. */
        public Builder optFixupPass(ImportFixupPass pass) {
            this.fixups = pass;
            return this;
        }

        public OnnxImporter build() {
            if (model == null) throw new IllegalArgumentException("OnnxImporter: setModel(path) is required");
            if (cacheDir == null) throw new IllegalArgumentException("OnnxImporter: cache dir must not be null");
            if (rewrites == null || fixups == null) {
                throw new IllegalArgumentException("OnnxImporter: rewrite and fix-up passes must not be null");
            }
            return new OnnxImporter(this);
        }
    }
}
