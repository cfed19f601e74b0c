package org.adamix4j.search;

import org.adamix4j.eval.tasks.Example;
import org.adamix4j.eval.tasks.Task;
import org.adamix4j.eval.tasks.Tasks;
import org.adamix4j.onnx.CacheDirs;
import org.adamix4j.onnx.TestModels;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tiny BERT fixture (2 layers, hidden 32, vocabulary 1000) as files the CLI takes, with a
 * WordPiece tokenizer.json written here whose 1000 ids cover every word of the demo task, so searches
 * on the demo task run in seconds and still learn something.
 */
final class TinyModel {
    static final int VOCAB = 1000;

    private TinyModel() {
    }

    /** The fixture's ONNX file (copied into the cache by TestModels). */
    static Path onnx() {
        TestModels.bertTiny();
        return CacheDirs.root().resolve("test-fixtures").resolve("bert-tiny.onnx");
    }

    /** Writes tokenizer.json into {@code dir}: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, then the demo words. */
    static Path tokenizer(Path dir) throws IOException {
        Set<String> words = new LinkedHashSet<>();
        Task demo = Tasks.byName("demo");
        List<Example> all = new ArrayList<>(demo.read(null, Task.Split.TRAIN));
        all.addAll(demo.read(null, Task.Split.DEV));
        for (Example e : all) {
            for (String w : e.textA().toLowerCase(Locale.ROOT).split("[^a-z0-9']+|(?=')|(?<=')")) if (!w.isEmpty()) words.add(w);
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "!", "?", "'", "-")) vocab.put(s, vocab.size());
        for (String w : words) vocab.putIfAbsent(w, vocab.size());
        if (vocab.size() > VOCAB) throw new IllegalStateException("demo vocabulary has " + vocab.size() + " words > " + VOCAB);
        for (int i = 0; vocab.size() < VOCAB; i++) vocab.put("[unused" + i + "]", vocab.size());

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        List<Map<String, Object>> added = new ArrayList<>();
        for (String s : List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")) {
            added.add(Map.of("id", vocab.get(s), "content", s, "single_word", false, "lstrip", false, "rstrip", false,
                    "normalized", false, "special", true));
        }
        root.put("added_tokens", added);
        root.put("normalizer", Map.of("type", "BertNormalizer", "clean_text", true, "handle_chinese_chars", true,
                "lowercase", true));
        root.put("pre_tokenizer", Map.of("type", "BertPreTokenizer"));
        root.put("post_processor", Map.of("type", "TemplateProcessing",
                "single", List.of(special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)),
                "pair", List.of(special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0), sequence("B", 1), special("[SEP]", 1)),
                "special_tokens", Map.of("[CLS]", Map.of("id", "[CLS]", "ids", List.of(2), "tokens", List.of("[CLS]")),
                        "[SEP]", Map.of("id", "[SEP]", "ids", List.of(3), "tokens", List.of("[SEP]")))));
        root.put("decoder", null);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "WordPiece");
        model.put("unk_token", "[UNK]");
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        model.put("vocab", vocab);
        root.put("model", model);
        Path file = dir.resolve("tiny-tokenizer.json");
        new ObjectMapper().writeValue(file.toFile(), root);
        return file;
    }

    private static Map<String, Object> special(String id, int type) {
        return Map.of("SpecialToken", Map.of("id", id, "type_id", type));
    }

    private static Map<String, Object> sequence(String id, int type) {
        return Map.of("Sequence", Map.of("id", id, "type_id", type));
    }
}
