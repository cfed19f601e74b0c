package org.adamix4j.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.adamix4j.onnx.TransformerStructure;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face tokenizer.json (through DJL's bundled native tokenizers library, offline) producing
 * padded batches: single sentences or pairs (token_type_ids 0/1), truncation to a maximum length
 * (longest-first for pairs), padding per batch to the longest sequence.
 */
public final class TransformerTokenizer implements AutoCloseable {
    static {
        // DJL must never try the network: our machines have none, and users may not either.
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    }

    private final HuggingFaceTokenizer tokenizer;
    private final Path path;
    private final int vocabSize;
    private final int maxLength;

    private TransformerTokenizer(HuggingFaceTokenizer tokenizer, Path path, int vocabSize, int maxLength) {
        this.tokenizer = tokenizer;
        this.path = path;
        this.vocabSize = vocabSize;
        this.maxLength = maxLength;
    }

    /**
     * Loads a tokenizer.json.
     *
     * @param maxLength longest sequence after truncation, special tokens included (≥ 3)
     */
    public static TransformerTokenizer load(Path tokenizerJson, int maxLength) {
        if (maxLength < 3) throw new IllegalArgumentException("maxLength must be >= 3, got " + maxLength);
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer file not found: " + tokenizerJson.toAbsolutePath());
        }
        int vocab = vocabSize(tokenizerJson);
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "padding", "false", "truncation", "true", "maxLength", String.valueOf(maxLength)));
            return new TransformerTokenizer(t, tokenizerJson, vocab, maxLength);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load tokenizer " + tokenizerJson.toAbsolutePath()
                    + " (expected a Hugging Face tokenizer.json): " + e.getMessage(), e);
        }
    }

    /** Number of token ids: one more than the largest id in the vocabulary and added tokens. */
    static int vocabSize(Path tokenizerJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(tokenizerJson.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("tokenizer " + tokenizerJson.toAbsolutePath()
                    + " is not valid JSON (expected a Hugging Face tokenizer.json): " + e.getMessage(), e);
        }
        JsonNode vocab = root.path("model").path("vocab");
        if (!vocab.isObject()) {
            throw new IllegalArgumentException("tokenizer " + tokenizerJson.toAbsolutePath()
                    + " has no model.vocab object (expected a WordPiece/BPE tokenizer.json)");
        }
        int max = -1;
        for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); ) max = Math.max(max, it.next().asInt());
        for (JsonNode t : root.path("added_tokens")) max = Math.max(max, t.path("id").asInt());
        return max + 1;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int maxLength() {
        return maxLength;
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

    /** Tokenizes single sentences. */
    public TokenizedBatch encode(List<String> sentences) {
        Encoding[] enc = new Encoding[sentences.size()];
        for (int i = 0; i < enc.length; i++) enc[i] = tokenizer.encode(sentences.get(i));
        return pad(enc);
    }

    /** Tokenizes sentence pairs: [CLS] a [SEP] b [SEP], token types 0 for a, 1 for b. */
    public TokenizedBatch encodePairs(List<String> first, List<String> second) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException("pair lists differ in length: " + first.size() + " vs " + second.size());
        }
        Encoding[] enc = new Encoding[first.size()];
        for (int i = 0; i < enc.length; i++) enc[i] = tokenizer.encode(first.get(i), second.get(i));
        return pad(enc);
    }

    /** Tokenizes one text or pair (b may be null) without padding, for later batching. */
    public EncodedText encodeOne(String a, String b) {
        Encoding e = b == null ? tokenizer.encode(a) : tokenizer.encode(a, b);
        return new EncodedText(e.getIds(), e.getTypeIds());
    }

    private static TokenizedBatch pad(Encoding[] enc) {
        java.util.List<EncodedText> texts = new java.util.ArrayList<>(enc.length);
        for (Encoding e : enc) texts.add(new EncodedText(e.getIds(), e.getTypeIds()));
        return EncodedText.pad(texts);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
