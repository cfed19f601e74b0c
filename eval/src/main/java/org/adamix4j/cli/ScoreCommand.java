package org.adamix4j.cli;

import org.adamix4j.eval.nlg.NlgData;
import org.adamix4j.eval.nlg.metrics.MultiBleu;
import org.adamix4j.eval.nlg.metrics.NlgScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Scores a system output against references with the five E2E-scorer metrics (BLEU, NIST, METEOR variant, ROUGE-L,
 * CIDEr), printing them as the official scorer does.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score generated text (one hypothesis per line) with BLEU, NIST, METEOR*, ROUGE-L, CIDEr.")
final class ScoreCommand implements Runnable {
    enum Format { e2e, webnlg, dart, lines }

    @Option(names = "--hyp", required = true, paramLabel = "FILE", description = "system output, one hypothesis per line (UTF-8)")
    Path hyp;

    @Option(names = "--refs", required = true, paramLabel = "FILE",
            description = "references: an E2E CSV, a WebNLG/DART XML, a DART JSON, or a multi-reference file "
                    + "(references of one input on consecutive lines, blank line between inputs)")
    Path refs;

    @Option(names = "--format", paramLabel = "FMT",
            description = "e2e|webnlg|dart|lines (default: from the extension: .csv e2e, .xml webnlg, .json dart, else lines)")
    Format format;

    @Option(names = "--multi-bleu", description = "also print multi-bleu.perl BLEU (0..100, case-sensitive, whitespace tokens; DART's BLEU)")
    boolean multiBleu;

    @Option(names = "--out", paramLabel = "DIR", description = "write scores.json and scores.md here")
    Path out;

    @Override
    public void run() {
        if (!Files.isRegularFile(hyp)) {
            throw new IllegalArgumentException("--hyp " + hyp + ": no such file");
        }
        if (!Files.isRegularFile(refs)) {
            throw new IllegalArgumentException("--refs " + refs + ": no such file");
        }
        Format f = format != null ? format : guess(refs);
        List<List<String>> references = switch (f) {
            case e2e -> NlgData.references(NlgData.e2e(refs));
            case webnlg -> NlgData.references(NlgData.webnlg(refs));
            case dart -> NlgData.references(NlgData.dart(refs));
            case lines -> NlgData.readMultiReference(refs);
        };
        if (f != Format.lines) {
            for (int i = 0; i < references.size(); i++) {
                if (references.get(i).isEmpty()) {
                    throw new IllegalArgumentException("--refs " + refs + ": input " + (i + 1)
                            + " has no reference (a file without references cannot be scored)");
                }
            }
        }
        List<String> hyps = NlgData.readLines(hyp);
        if (hyps.size() != references.size()) {
            throw new IllegalArgumentException("--hyp " + hyp + " has " + hyps.size() + " lines but --refs " + refs
                    + " (" + f + ") has " + references.size() + " inputs; expected one hypothesis per input, in order");
        }
        NlgScores s = NlgScores.compute(hyps, references);
        System.out.print(s.toText());
        System.out.println("(METEOR here is an exact+stem variant, not METEOR 1.5; see docs/nlg-metrics.md)");
        if (multiBleu) {
            System.out.printf(Locale.ROOT, "multi-bleu BLEU: %.2f%n", MultiBleu.score(hyps, references));
        }
        if (out != null) {
            s.write(out, "Scores of " + hyp.getFileName() + " against " + refs.getFileName());
            System.out.println("wrote " + out.resolve("scores.json") + " and " + out.resolve("scores.md"));
        }
    }

    private static Format guess(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) {
            return Format.e2e;
        }
        if (n.endsWith(".xml")) {
            return Format.webnlg;
        }
        if (n.endsWith(".json")) {
            return Format.dart;
        }
        return Format.lines;
    }
}
