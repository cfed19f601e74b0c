package org.adamix4j.cli;

import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.modules.checkpoint.Provenance;
import org.adamix4j.onnx.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code adamix merge}: the served form of a trained adapter. AdaMix's experts are averaged into one
 * adapter (an adapter checkpoint of a single adapter's size); LoRA and AdaMix-LoRA are folded into the
 * weights. Either way the plain SameDiff graph (base + merged weights + head) is written too.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge a checkpoint for serving: AdaMix experts averaged, LoRA folded into the weights.")
final class MergeCommand implements Runnable {
    @Mixin
    ModelOptions model;
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR") Path checkpoint;
    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;

    @Override
    public void run() {
        if (Files.exists(out)) throw new IllegalArgumentException("--out " + out + " exists; choose a new directory");
        PeftModel trained = AdapterCheckpoint.load(model.importModel(), checkpoint);
        PeftModel merged = trained.mergeAndUnload(model.importModel());
        if (!merged.injection().parameters().isEmpty()) {
            AdapterCheckpoint.save(merged, out.resolve("adapter"), Provenance.of(trained.seed(),
                    "merged from " + checkpoint, ""));
        }
        AtomicFiles.write(out.resolve("merged.sdfb"), p -> merged.sameDiff().asFlatFile(p.toFile()));
        System.out.printf("%s -> %s%n  %s%n  %s%n", trained.report(), out, merged.report(),
                merged.injection().parameters().isEmpty() ? "folded into the base weights (merged.sdfb)"
                        : "single adapter: " + out.resolve("adapter") + " and merged.sdfb");
    }
}
