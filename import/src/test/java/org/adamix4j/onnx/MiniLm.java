package org.adamix4j.onnx;

import org.adamix4j.tokenize.TransformerTokenizer;

/**
 * The embedded all-MiniLM-L6-v2, imported once per test JVM (the import cache makes later runs fast).
 */
public final class MiniLm {
    private static ImportedModel model;
    private static TransformerTokenizer tokenizer;

    private MiniLm() {
    }

    public static synchronized ImportedModel model() {
        if (model == null) {
            model = OnnxImporter.builder().setModel(EmbeddedModel.ALL_MINILM_L6_V2.onnx()).build().importModel();
        }
        return model;
    }

    public static synchronized TransformerTokenizer tokenizer() {
        if (tokenizer == null) tokenizer = TransformerTokenizer.load(EmbeddedModel.ALL_MINILM_L6_V2.tokenizer(), 128);
        return tokenizer;
    }
}
