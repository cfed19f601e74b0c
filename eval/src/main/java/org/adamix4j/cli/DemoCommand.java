package org.adamix4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The main job: fine-tune the embedded all-MiniLM-L6-v2 with AdaMix on the small demo task that ships
 * with AdaMix4j, print dev metrics, and say how to run a GLUE task.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Fine-tune the embedded MiniLM with AdaMix on the bundled demo task (a few minutes on 2 cores).")
final class DemoCommand implements Runnable {
    @Option(names = "--output", paramLabel = "DIR", description = "run directory (default runs/demo-adamix-<time>)")
    Path output;
    @Option(names = "--epochs", defaultValue = "3") int epochs;

    @Override
    public void run() {
        Path out = output != null ? output : Path.of("runs", "demo-adamix-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        int code = Main.run("train", "--task", "demo", "--method", "adamix", "--epochs", String.valueOf(epochs),
                "--batch-size", "16", "--lr", "2e-3", "--max-length", "64", "--output", out.toString());
        if (code != 0) throw new IllegalStateException("demo training failed (exit " + code + ")");
        System.out.println();
        System.out.println("Next: train on a GLUE task, e.g.");
        System.out.println("  bin/adamix train --task rte --method adamix --data ../shared/data/glue --epochs 10");
        System.out.println("and evaluate or merge a checkpoint:");
        System.out.println("  bin/adamix eval --task demo --checkpoint " + out.resolve("best"));
        System.out.println("  bin/adamix merge --checkpoint " + out.resolve("best") + " --out " + out.resolve("merged"));
    }
}
