package org.adamix4j.cli;

import org.adamix4j.eval.nlg.DataToText;
import org.adamix4j.eval.nlg.DecodingConfig;
import org.adamix4j.eval.nlg.Generation;
import org.adamix4j.eval.nlg.LmFormat;
import org.adamix4j.eval.nlg.PairLines;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.tokenize.CausalLmTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code adamix generate}: one hypothesis per input line with a trained GPT-2 adapter. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text for data-to-text inputs with a GPT-2 adapter checkpoint; writes one hypothesis per line.")
final class GenerateCommand implements Runnable {
    @Mixin
    ModelOptions model;
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "adapter checkpoint (a run's adapter/)")
    Path checkpoint;
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "inputs, one 'source' or 'source||reference' per line; repeated sources are generated once")
    Path input;
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
        List<DataToText> inputs = PairLines.read(input);
        PeftModel m = AdapterCheckpoint.load(model.importModel(), checkpoint);
        try (CausalLmTokenizer tok = CausalLmTokenizer.load(model.tokenizer)) {
            tok.checkCompatible(m.base().structure());
            List<String> hyps = Generation.generate(m, tok, inputs, LmFormat.standard(maxLength), decoding, batchSize, System.out);
            Generation.write(hyps, out);
            System.out.printf("%d hypotheses written to %s%n", hyps.size(), out);
        }
    }
}
