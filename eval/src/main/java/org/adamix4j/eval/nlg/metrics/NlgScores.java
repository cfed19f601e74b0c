package org.adamix4j.eval.nlg.metrics;

import org.adamix4j.eval.nlg.NlgData;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The five E2E-scorer metrics for one system output, computed together and written as JSON and a Markdown table.
 *
 * @param bleu      {@link MtevalBleu} (0..1, as the E2E scorer prints it)
 * @param nist      {@link Nist}
 * @param meteor    {@link Meteor} (exact + stem variant, not METEOR 1.5)
 * @param rougeL    {@link RougeL}
 * @param cider     {@link CiderD}
 * @param inputs    number of scored inputs
 * @param references total number of references
 */
public record NlgScores(double bleu, double nist, double meteor, double rougeL, double cider, int inputs,
                        int references) {

    /** Computes all five metrics; errors as in each metric (mismatched sizes, empty corpus, missing references). */
    public static NlgScores compute(List<String> hypotheses, List<? extends List<String>> references) {
        Corpus.check("NLG scores", hypotheses, references);
        int refs = references.stream().mapToInt(List::size).sum();
        return new NlgScores(MtevalBleu.score(hypotheses, references), Nist.score(hypotheses, references),
                Meteor.score(hypotheses, references), RougeL.score(hypotheses, references),
                CiderD.score(hypotheses, references), hypotheses.size(), refs);
    }

    /** The scores in the E2E scorer's print order and names. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("BLEU", bleu);
        m.put("NIST", nist);
        m.put("METEOR", meteor);
        m.put("ROUGE_L", rougeL);
        m.put("CIDEr", cider);
        return m;
    }

    /** Lines as the E2E scorer prints them ({@code SCORES:} then {@code name: value}, 4 decimals). */
    public String toText() {
        StringBuilder sb = new StringBuilder("SCORES:\n==============\n");
        asMap().forEach((k, v) -> sb.append(k).append(": ").append(String.format(Locale.ROOT, "%.4f", v)).append('\n'));
        return sb.toString();
    }

    /** JSON object with the five scores, the corpus size and which variant each metric is. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>(asMap());
        m.put("inputs", inputs);
        m.put("references", references);
        Map<String, String> v = new LinkedHashMap<>();
        v.put("BLEU", "mteval-v13a corpus BLEU-4, lower-cased (E2E scorer)");
        v.put("NIST", "mteval-v13a NIST-5, lower-cased (E2E scorer)");
        v.put("METEOR", "exact+stem variant with METEOR 1.5 English rank parameters; no synonyms/paraphrases (not METEOR 1.5)");
        v.put("ROUGE_L", "coco-caption ROUGE-L, beta 1.2, PTB-like tokenisation");
        v.put("CIDEr", "coco-caption CIDEr-D, sigma 6, df from the scored references");
        m.put("variants", v);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Markdown table of the five scores. */
    public String toMarkdown(String title) {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        sb.append("| BLEU | NIST | METEOR* | ROUGE-L | CIDEr |\n|---|---|---|---|---|\n");
        sb.append(String.format(Locale.ROOT, "| %.4f | %.4f | %.4f | %.4f | %.4f |%n", bleu, nist, meteor, rougeL, cider));
        sb.append("\n").append(inputs).append(" inputs, ").append(references).append(" references. ")
                .append("BLEU and NIST as NIST mteval-v13a (the E2E scorer), ROUGE-L and CIDEr(-D) as coco-caption; ")
                .append("*METEOR is an exact+stem variant, not METEOR 1.5 (see docs/nlg-metrics.md).\n");
        return sb.toString();
    }

    /** Writes {@code scores.json} and {@code scores.md} into {@code dir}, each atomically. */
    public void write(Path dir, String title) {
        NlgData.writeAtomically(dir.resolve("scores.json"), toJson());
        NlgData.writeAtomically(dir.resolve("scores.md"), toMarkdown(title));
    }
}
