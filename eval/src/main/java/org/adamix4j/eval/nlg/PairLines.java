package org.adamix4j.eval.nlg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The line format of the LoRA/AdaMix GPT-2 data files ({@code examples/NLG/data/e2e/valid.txt}):
 * one (source, reference) pair per line as {@code source||reference}. Pairs with the same source
 * become one {@link DataToText} with all their references, in order of first appearance. A line
 * without {@code ||} is a source with no reference (an input to generate for).
 */
public final class PairLines {
    private PairLines() {
    }

    public static List<DataToText> read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("data file not found: " + file.toAbsolutePath());
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            int sep = line.indexOf("||");
            String source = (sep < 0 ? line : line.substring(0, sep)).strip();
            if (source.isEmpty()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": empty source (expected 'source||reference')");
            }
            List<String> refs = bySource.computeIfAbsent(source, s -> new ArrayList<>());
            if (sep >= 0 && !line.substring(sep + 2).isBlank()) refs.add(line.substring(sep + 2).strip());
        }
        if (bySource.isEmpty()) throw new IllegalArgumentException(file + " holds no 'source||reference' lines");
        List<DataToText> out = new ArrayList<>();
        bySource.forEach((s, r) -> out.add(new DataToText(s, r)));
        return out;
    }
}
