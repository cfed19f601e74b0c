package org.adamix4j.tokenize;

import org.adamix4j.onnx.EmbeddedModel;
import org.adamix4j.onnx.MiniLm;
import org.adamix4j.onnx.TransformerStructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token ids against an independent tokenizer. The expected ids were produced by Tokenizers.js
 * (npm {@code @huggingface/tokenizers} 0.2.0, a pure JavaScript implementation, not the Rust library
 * DJL wraps) from the same all-MiniLM-L6-v2 tokenizer.json, and cross-checked with a separately
 * written Python BERT WordPiece; both agreed on every case.
 */
class TransformerTokenizerTest {
    private final TransformerTokenizer tok = MiniLm.tokenizer();

    private static long[] ids(TokenizedBatch b, int row) {
        int n = 0;
        while (n < b.length() && b.attentionMask()[row][n] == 1) n++;
        return Arrays.copyOf(b.inputIds()[row], n);
    }

    @Test
    void singleSentencesMatchReferenceTokenizer() {
        TokenizedBatch b = tok.encode(List.of(
                "Hello, world!",
                "The quick brown fox jumps over the lazy dog.",
                "AdaMix4j fine-tunes transformers on the JVM.",
                "Naïve café owners can't résumé-write quickly; 42 ℃?",
                "unbelievably hyperparameterized"));
        assertArrayEquals(new long[]{101, 7592, 1010, 2088, 999, 102}, ids(b, 0));
        assertArrayEquals(new long[]{101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102}, ids(b, 1));
        assertArrayEquals(new long[]{101, 4205, 7646, 2549, 3501, 2986, 1011, 13281, 19081, 2006, 1996, 1046, 2615,
                2213, 1012, 102}, ids(b, 2));
        // accents stripped by lower-casing normalisation; U+2103 is not in the vocabulary -> [UNK] = 100
        assertArrayEquals(new long[]{101, 15743, 7668, 5608, 2064, 1005, 1056, 13746, 1011, 4339, 2855, 1025, 4413,
                100, 1029, 102}, ids(b, 3));
        assertArrayEquals(new long[]{101, 4895, 8671, 2666, 3567, 6321, 23760, 28689, 22828, 3550, 102}, ids(b, 4));
    }

    @Test
    void pairsGetTokenTypesAndOneSeparatorEach() {
        TokenizedBatch b = tok.encodePairs(List.of("A man is playing a guitar."), List.of("Someone plays an instrument."));
        assertArrayEquals(new long[]{101, 1037, 2158, 2003, 2652, 1037, 2858, 1012, 102, 2619, 3248, 2019, 6602, 1012, 102},
                b.inputIds()[0]);
        assertArrayEquals(new long[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, b.tokenTypeIds()[0]);
    }

    @Test
    void batchIsPaddedToItsLongestSequenceWithZeroMask() {
        TokenizedBatch b = tok.encode(List.of("Hello, world!", "The quick brown fox jumps over the lazy dog."));
        assertEquals(12, b.length(), "padded to the longest (12 ids), not to the file's fixed 128");
        assertArrayEquals(new long[]{101, 7592, 1010, 2088, 999, 102, 0, 0, 0, 0, 0, 0}, b.inputIds()[0]);
        assertArrayEquals(new long[]{1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, b.attentionMask()[0]);
        assertEquals(12, Arrays.stream(b.attentionMask()[1]).sum());
    }

    @Test
    void truncatesToMaxLengthKeepingSpecialTokens() {
        try (TransformerTokenizer short8 = TransformerTokenizer.load(EmbeddedModel.ALL_MINILM_L6_V2.tokenizer(), 8)) {
            TokenizedBatch b = short8.encode(List.of("The quick brown fox jumps over the lazy dog."));
            assertArrayEquals(new long[]{101, 1996, 4248, 2829, 4419, 14523, 2058, 102}, b.inputIds()[0]);
            TokenizedBatch p = short8.encodePairs(List.of("The quick brown fox jumps"), List.of("over the lazy dog."));
            assertEquals(8, p.length());
            assertEquals(102, p.inputIds()[0][7], "pair truncation keeps the final [SEP]");
            assertTrue(Arrays.stream(p.tokenTypeIds()[0]).anyMatch(t -> t == 1), "both segments survive longest-first");
        }
    }

    @Test
    void vocabularySizeMatchesTheModelsEmbedding() {
        assertEquals(30522, tok.vocabSize());
        tok.checkCompatible(MiniLm.model().structure());
    }

    @Test
    void tokenizerWithAnotherVocabularyIsRejectedNamingBothSizes(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("tokenizer.json");
        Files.writeString(json, """
                {"version":"1.0","truncation":null,"padding":null,"added_tokens":[],
                 "normalizer":{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,
                   "strip_accents":null,"lowercase":true},
                 "pre_tokenizer":{"type":"BertPreTokenizer"},"post_processor":null,"decoder":null,
                 "model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##",
                   "max_input_chars_per_word":100,
                   "vocab":{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"hello":4}}}""");
        try (TransformerTokenizer small = TransformerTokenizer.load(json, 16)) {
            assertEquals(5, small.vocabSize());
            TransformerStructure model = MiniLm.model().structure();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.checkCompatible(model));
            assertTrue(e.getMessage().contains("5 tokens") && e.getMessage().contains("30522 rows"), e.getMessage());
        }
    }

    @Test
    void missingOrMalformedTokenizerFilesAreClearErrors(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransformerTokenizer.load(missing, 16));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("nope.json"), e.getMessage());
        Path bad = Files.writeString(dir.resolve("bad.json"), "this is not json");
        e = assertThrows(IllegalArgumentException.class, () -> TransformerTokenizer.load(bad, 16));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("not valid JSON"), e.getMessage());
    }
}
