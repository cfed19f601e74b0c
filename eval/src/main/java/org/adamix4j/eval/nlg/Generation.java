package org.adamix4j.eval.nlg;

import org.adamix4j.modules.PeftModel;
import org.adamix4j.onnx.AtomicFiles;
import org.adamix4j.tokenize.CausalLmTokenizer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates one text per input with a trained causal LM and writes them one per line, in input order
 * (the format the E2E, WebNLG and DART scorers read). The model is merged (LoRA folded into W, AdaMix
 * experts averaged) for decoding and unmerged afterwards.
 */
public final class Generation {
    private Generation() {
    }

    /** Hypotheses for {@code inputs}, decoded in batches of {@code batchSize} inputs. */
    public static List<String> generate(PeftModel model, CausalLmTokenizer tok, List<DataToText> inputs, LmFormat format,
                                        DecodingConfig decoding, int batchSize, PrintStream log) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        boolean merge = !model.isMerged();
        if (merge) model.merge();
        try {
            Decoder decoder = Decoder.of(model, tok.eosId(), batchSize * decoding.beamSize());
            List<String> out = new ArrayList<>();
            for (int from = 0; from < inputs.size(); from += batchSize) {
                List<long[]> prompts = new ArrayList<>();
                for (DataToText d : inputs.subList(from, Math.min(inputs.size(), from + batchSize))) {
                    prompts.add(format.prompt(tok, d.source()));
                }
                for (long[] ids : decoder.generate(prompts, decoding)) out.add(oneLine(tok.decode(ids)));
                log.printf("generated %d/%d%n", out.size(), inputs.size());
            }
            return out;
        } finally {
            if (merge) model.unmerge();
        }
    }

    /** Writes one hypothesis per line (UTF-8, '\n'), atomically. */
    public static void write(List<String> hypotheses, Path file) {
        StringBuilder b = new StringBuilder();
        for (String h : hypotheses) b.append(oneLine(h)).append('\n');
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8));
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ").strip();
    }
}
