package org.adamix4j.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.adamix4j.onnx.TransformerStructure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A decoder's tokenizer: a Hugging Face tokenizer.json (GPT-2's byte-level BPE, or any other model,
 * e.g. the test fixture's word level) through DJL's native tokenizers, offline. Text becomes ids with
 * no special tokens added (GPT-2 adds none either); the end-of-text token is looked up by its text,
 * {@code <|endoftext|>} by default.
 */
public final class CausalLmTokenizer implements AutoCloseable {
    static {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    }

    /** GPT-2's end-of-text token. */
    public static final String GPT2_EOS = "<|endoftext|>";

    private final HuggingFaceTokenizer tokenizer;
    private final Path path;
    private final int vocabSize;
    private final long eosId;

    private CausalLmTokenizer(HuggingFaceTokenizer tokenizer, Path path, int vocabSize, long eosId) {
        this.tokenizer = tokenizer;
        this.path = path;
        this.vocabSize = vocabSize;
        this.eosId = eosId;
    }

    /** Loads {@code tokenizerJson} with {@link #GPT2_EOS} as the end-of-text token. */
    public static CausalLmTokenizer load(Path tokenizerJson) {
        return load(tokenizerJson, GPT2_EOS);
    }

    /**
     * Loads {@code tokenizerJson}.
     *
     * @throws IllegalArgumentException if the file is missing, not a tokenizer.json, or {@code eosToken}
     *                                  is not one token of its vocabulary
     */
    public static CausalLmTokenizer load(Path tokenizerJson, String eosToken) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer file not found: " + tokenizerJson.toAbsolutePath());
        }
        int vocab = TransformerTokenizer.vocabSize(tokenizerJson);
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "false", "padding", "false", "truncation", "false"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load tokenizer " + tokenizerJson.toAbsolutePath()
                    + " (expected a Hugging Face tokenizer.json): " + e.getMessage(), e);
        }
        long[] eos = t.encode(eosToken).getIds();
        if (eos.length != 1) {
            t.close();
            throw new IllegalArgumentException("tokenizer " + tokenizerJson.toAbsolutePath() + " has no single token for the "
                    + "end-of-text marker '" + eosToken + "' (it encodes to " + eos.length + " tokens)");
        }
        return new CausalLmTokenizer(t, tokenizerJson, vocab, eos[0]);
    }

    /** Token ids of {@code text}, no special tokens added. */
    public long[] encode(String text) {
        return tokenizer.encode(text).getIds();
    }

    /** The text of {@code ids}, special tokens (the end-of-text marker) skipped. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true).trim();
    }

    public long eosId() {
        return eosId;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /**
     * Checks that this tokenizer's ids index the model's word embedding.
     *
     * @throws IllegalArgumentException naming both sizes if they differ
     */
    public void checkCompatible(TransformerStructure model) {
        if (model.vocabSize() > 0 && model.vocabSize() != vocabSize) {
            throw new IllegalArgumentException("tokenizer " + path + " has a vocabulary of " + vocabSize
                    + " tokens but the model's word embedding has " + model.vocabSize()
                    + " rows: use the tokenizer.json exported with this model");
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
