package org.adamix4j.cli;

import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.modules.checkpoint.Provenance;
import org.adamix4j.onnx.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.adamix4j.eval.OnnxServedModel;
import org.adamix4j.modules.export.OnnxExport;
import org.adamix4j.onnx.OnnxModelFile;
import org.adamix4j.tokenize.TokenizedBatch;
import org.adamix4j.tokenize.TransformerTokenizer;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code adamix merge}: the served form of a trained adapter. AdaMix's experts are averaged into one
 * adapter (an adapter checkpoint of a single adapter's size); LoRA and AdaMix-LoRA are folded into the
 * weights. Either way the plain SameDiff graph (base + merged weights + head) is written too, and with
 * {@code --onnx} the same model as ONNX for ONNX Runtime (checked against SameDiff before it is kept).
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge a checkpoint for serving: AdaMix experts averaged, LoRA folded into the weights.")
final class MergeCommand implements Runnable {
    @Mixin
    ModelOptions model;
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR") Path checkpoint;
    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;
    @Option(names = "--onnx", description = "also write merged.onnx: the source ONNX file with the merged weights, "
            + "adapter and head, for ONNX Runtime; checked against SameDiff before it is kept")
    boolean onnx;

    /** Sentences the export is checked on: any text works, the check compares two runtimes on the same tokens. */
    static final List<String> CHECK_SENTENCES = List.of("A man is playing a guitar on stage.",
            "The results were not what anyone expected, and the committee asked for a second review.", "Fine.");
    /** Largest |logit difference| accepted between ONNX Runtime and SameDiff (measured: below 1e-6 on MiniLM). */
    static final double CHECK_TOLERANCE = 1e-3;

    private double check(PeftModel merged, Path exported) {
        TokenizedBatch batch;
        try (TransformerTokenizer tok = model.tokenizer(128)) {
            batch = tok.encode(CHECK_SENTENCES);
        }
        try (OnnxServedModel ort = OnnxServedModel.open(exported)) {
            double diff = Transforms.abs(ort.logits(batch).sub(merged.logits(batch))).maxNumber().doubleValue();
            if (!(diff <= CHECK_TOLERANCE)) {
                throw new IllegalStateException("the ONNX export computes other logits than the merged model (max |difference| "
                        + diff + " > " + CHECK_TOLERANCE + "); merged.onnx not written");
            }
            return diff;
        }
    }

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
        if (onnx) {
            Path file = out.resolve("merged.onnx");
            double[] diff = new double[1];
            // Written to a temp file and checked there: a failed check leaves no merged.onnx behind.
            AtomicFiles.write(file, tmp -> {
                OnnxExport.builder().setModel(merged).setSource(OnnxModelFile.read(model.onnxPath())).build().write(tmp);
                diff[0] = check(merged, tmp);
            });
            System.out.printf("  ONNX: %s (ONNX Runtime vs SameDiff on %d sentences: max |logit difference| %.2g)%n",
                    file, CHECK_SENTENCES.size(), diff[0]);
        }
        System.out.printf("%s -> %s%n  %s%n  %s%n", trained.report(), out, merged.report(),
                merged.injection().parameters().isEmpty() ? "folded into the base weights (merged.sdfb)"
                        : "single adapter: " + out.resolve("adapter") + " and merged.sdfb");
    }
}
