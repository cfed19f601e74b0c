package org.adamix4j.cli;

import org.adamix4j.onnx.EmbeddedModel;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.OnnxImporter;
import org.adamix4j.tokenize.TransformerTokenizer;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by commands that load a model: the embedded MiniLM by default, or files by path. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "ONNX",
            description = "ONNX export of a BERT-family encoder (default: embedded all-MiniLM-L6-v2)")
    Path onnx;

    @Option(names = "--tokenizer", paramLabel = "JSON", description = "tokenizer.json for --model")
    Path tokenizer;

    /** A fresh import of the chosen model (from the import cache after the first time). */
    public ImportedModel importModel() {
        return OnnxImporter.builder().setModel(onnxPath()).build().importModel();
    }

    /** The chosen model's ONNX file. */
    public Path onnxPath() {
        return onnx != null ? onnx : EmbeddedModel.ALL_MINILM_L6_V2.onnx();
    }

    /** The tokenizer of the chosen model, truncating to {@code maxLen} tokens. */
    public TransformerTokenizer tokenizer(int maxLen) {
        if (onnx != null && tokenizer == null) {
            throw new IllegalArgumentException("--model " + onnx + " needs --tokenizer <tokenizer.json>");
        }
        Path path = tokenizer != null ? tokenizer : EmbeddedModel.ALL_MINILM_L6_V2.tokenizer();
        return TransformerTokenizer.load(path, maxLen);
    }
}
