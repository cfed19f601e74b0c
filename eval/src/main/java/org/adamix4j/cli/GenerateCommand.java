package org.adamix4j.cli;

import org.adamix4j.eval.nlg.DataToText;
import org.adamix4j.eval.nlg.DecodingConfig;
import org.adamix4j.eval.nlg.Generation;
import org.adamix4j.eval.nlg.LmFormat;
import org.adamix4j.eval.nlg.NlgData;
import org.adamix4j.eval.nlg.metrics.NlgScores;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.tokenize.CausalLmTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code adamix generate}: one hypothesis per input with a trained GPT-2 adapter, optionally scored with the five
 * E2E-scorer metrics ({@link NlgScores}) against the inputs' references or a references file.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text for data-to-text inputs with a GPT-2 adapter checkpoint; writes one hypothesis per line.")
final class GenerateCommand implements Runnable {
    @Mixin
    ModelOptions model;
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "adapter checkpoint (a run's adapter/)")
    Path checkpoint;
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "inputs: an E2E .csv, a WebNLG (or DART, with --format dart) .xml, a DART .json, or a .txt of "
                    + "'source' / 'source||reference' lines; one hypothesis per input (E2E and .txt: per distinct source)")
    Path input;
    @Option(names = "--format", paramLabel = "FMT",
            description = "input format e2e|webnlg|dart|pairs (default from the extension: .csv e2e, .xml webnlg, .json dart, .txt pairs)")
    NlgInputs.Format format;
    @Option(names = "--refs-out", paramLabel = "FILE",
            description = "also write the inputs' references, multi-reference format (blank line between inputs)")
    Path refsOut;
    @Option(names = "--score", description = "score the hypotheses against the inputs' references; writes <out>.scores.json and .md")
    boolean score;
    @Option(names = "--refs", paramLabel = "FILE",
            description = "score against these references instead (.csv E2E, .xml WebNLG/DART, .json DART, else the "
                    + "multi-reference format); implies --score")
    Path refs;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "hypotheses, one per distinct source")
    Path out;
    @Option(names = "--beam-size", defaultValue = "10", description = "1 = greedy (default ${DEFAULT-VALUE})") int beamSize;
    @Option(names = "--length-penalty", defaultValue = "0.8") double lengthPenalty;
    @Option(names = "--no-repeat-ngram-size", defaultValue = "4") int noRepeatNgramSize;
    @Option(names = "--max-new-tokens", defaultValue = "64") int maxNewTokens;
    @Option(names = "--max-length", defaultValue = "512", description = "longest prompt in tokens") int maxLength;
    @Option(names = "--batch-size", defaultValue = "8", description = "inputs decoded together") int batchSize;

    @Override
    public void run() {
        DecodingConfig decoding = new DecodingConfig(beamSize, lengthPenalty, noRepeatNgramSize, maxNewTokens);
        if (model.onnx == null || model.tokenizer == null) {
            throw new IllegalArgumentException("generate needs --model <gpt2.onnx> and --tokenizer <tokenizer.json>");
        }
        List<DataToText> inputs = NlgInputs.read("--input", input, format, null);
        List<List<String>> references = score || refs != null ? references(inputs) : null;
        if (refsOut != null) NlgData.writeReferences(refsOut, NlgData.references(inputs));
        PeftModel m = AdapterCheckpoint.load(model.importModel(), checkpoint);
        try (CausalLmTokenizer tok = CausalLmTokenizer.load(model.tokenizer)) {
            tok.checkCompatible(m.base().structure());
            List<String> hyps = Generation.generate(m, tok, inputs, LmFormat.standard(maxLength), decoding, batchSize, System.out);
            Generation.write(hyps, out);
            System.out.printf("%d hypotheses written to %s%n", hyps.size(), out);
            if (references != null) scoreAndWrite(hyps, references, out, refs != null ? refs : input);
        }
    }

    /** The references to score against, checked before decoding so a bad file fails fast. */
    private List<List<String>> references(List<DataToText> inputs) {
        List<List<String>> r;
        String what;
        if (refs != null) {
            if (!Files.isRegularFile(refs)) throw new IllegalArgumentException("--refs " + refs + ": no such file");
            String n = refs.getFileName().toString().toLowerCase(Locale.ROOT);
            r = n.endsWith(".csv") ? NlgData.references(NlgData.e2e(refs))
                    : n.endsWith(".xml") ? NlgData.references(NlgData.webnlg(refs))
                    : n.endsWith(".json") ? NlgData.references(NlgData.dart(refs))
                    : NlgData.readMultiReference(refs);
            what = "--refs " + refs;
        } else {
            r = NlgData.references(inputs);
            what = "--input " + input;
        }
        if (r.size() != inputs.size()) {
            throw new IllegalArgumentException(what + " has " + r.size() + " inputs with references but --input " + input
                    + " has " + inputs.size() + "; expected one reference set per input, in order");
        }
        for (int i = 0; i < r.size(); i++) {
            if (r.get(i).isEmpty()) {
                throw new IllegalArgumentException(what + ": input " + (i + 1) + " has no reference, so it cannot be scored");
            }
        }
        return r;
    }

    /** Scores with {@link NlgScores} and writes {@code <out>.scores.json} and {@code <out>.scores.md} beside the hypotheses. */
    static NlgScores scoreAndWrite(List<String> hyps, List<List<String>> references, Path out, Path refsFile) {
        NlgScores s = NlgScores.compute(hyps, references);
        System.out.print(s.toText());
        Path json = out.resolveSibling(out.getFileName() + ".scores.json");
        Path md = out.resolveSibling(out.getFileName() + ".scores.md");
        NlgData.writeAtomically(json, s.toJson());
        NlgData.writeAtomically(md, s.toMarkdown("Scores of " + out.getFileName() + " against " + refsFile.getFileName()));
        System.out.println("wrote " + json + " and " + md);
        return s;
    }
}
