package org.adamix4j.cli;

import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.onnx.TransformerStructure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;

/** Imports a model and prints its structure map and what the import did. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Import a model and print its layers, sites and parameter count.")
final class InfoCommand implements Runnable {
    @Mixin
    ModelOptions model;

    @Override
    public void run() {
        ImportedModel m = model.importModel();
        print(m, System.out);
    }

    static void print(ImportedModel m, PrintStream out) {
        TransformerStructure s = m.structure();
        out.printf("model      %s family, %d layers, hidden %d, vocabulary %d%n", s.family(), s.layers(), s.hidden(), s.vocabSize());
        out.printf("source     sha256 %s%n", m.sourceSha256());
        out.printf("weights    %,d (all frozen constants)%n", m.parameterCount());
        out.printf("import     %.1f s%s%n", m.report().seconds(), m.report().fromCache() ? " (from cache)" : "");
        if (!m.report().fromCache()) {
            out.println("rewrites   " + m.report().rewriteCounts());
            out.println("fix-ups    " + m.report().fixupCounts());
        }
        out.println("sites of layer 0:");
        for (SiteKind k : SiteKind.values()) {
            s.find(0, k).ifPresent((Site site) -> out.printf("  %-21s weight %-45s -> %s%n", k, site.weight(), site.output()));
        }
    }
}
