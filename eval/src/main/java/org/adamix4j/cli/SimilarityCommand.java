package org.adamix4j.cli;

import org.adamix4j.eval.SentenceEmbedder;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.tokenize.TransformerTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * Imports the model into SameDiff and scores sentence pairs by the
 * cosine similarity of their mean-pooled embeddings.
 */
@Command(name = "similarity", mixinStandardHelpOptions = true,
        description = "Import the model and print the similarity of sentence pairs (A|B arguments).")
final class SimilarityCommand implements Runnable {
    @Mixin
    ModelOptions model;

    @Parameters(paramLabel = "A|B", arity = "0..*", description = "sentence pairs separated by '|'")
    List<String> pairs;

    @Override
    public void run() {
        List<String> todo = pairs != null && !pairs.isEmpty() ? pairs : List.of(
                "A man is playing a guitar.|Someone plays an instrument.",
                "A man is playing a guitar.|A chef is cooking pasta.",
                "The weather is lovely today.|It is sunny and warm outside.");
        ImportedModel m = model.importModel();
        InfoCommand.print(m, System.out);
        try (TransformerTokenizer tok = model.tokenizer(128)) {
            SentenceEmbedder embedder = new SentenceEmbedder(m, tok);
            System.out.println();
            System.out.println("cosine similarity (mean-pooled, normalised):");
            for (String p : todo) {
                String[] ab = p.split("\\|", 2);
                if (ab.length != 2) throw new IllegalArgumentException("expected 'sentence A|sentence B', got '" + p + "'");
                System.out.printf("  %.4f  %s  <->  %s%n", embedder.similarity(ab[0].trim(), ab[1].trim()), ab[0].trim(), ab[1].trim());
            }
        }
    }
}
