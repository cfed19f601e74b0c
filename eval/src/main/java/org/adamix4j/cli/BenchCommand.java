package org.adamix4j.cli;

import org.adamix4j.bench.ConsistencyBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (see docs/benchmarks.md).",
        subcommands = {BenchCommand.Consistency.class, BenchCommand.Bucketing.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The cost of AdaMix's consistency pass. */
    @Command(name = "consistency", mixinStandardHelpOptions = true,
            description = "Training step of AdaMix: one pass vs both passes in one 2B execution vs two executions.")
    static final class Consistency implements Runnable {
        @Option(names = "--batch", defaultValue = "8") int batch;
        @Option(names = "--length", defaultValue = "64") int length;
        @Option(names = "--reps", defaultValue = "5") int reps;

        @Override
        public void run() {
            double[] t = ConsistencyBench.run(batch, length, reps);
            System.out.printf("AdaMix training step on all-MiniLM-L6-v2, batch %d x %d, median of %d:%n", batch, length, reps);
            System.out.printf("  (a) one stochastic pass, B rows            %.3f s  (1.00)%n", t[0]);
            System.out.printf("  (b) two passes in one execution, 2B rows   %.3f s  (%.2f)%n", t[1], t[1] / t[0]);
            System.out.printf("  (c) two executions of B rows (lower bound) %.3f s  (%.2f)%n", t[2], t[2] / t[0]);
        }
    }

    /** Dynamic padding with length bucketing on SST-2. */
    @Command(name = "bucketing", mixinStandardHelpOptions = true,
            description = "Padded tokens and training throughput on SST-2 with and without length bucketing.")
    static final class Bucketing implements Runnable {
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "GLUE folder with SST-2/") java.nio.file.Path data;
        @Option(names = "--steps", defaultValue = "20") int steps;
        @Option(names = "--batch-size", defaultValue = "32") int batchSize;

        @Override
        public void run() {
            org.adamix4j.bench.BucketingBench.run(data, steps, batchSize, System.out);
        }
    }
}
