package org.adamix4j.cli;

import org.adamix4j.bench.ConsistencyBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (see docs/benchmarks.md).",
        subcommands = {BenchCommand.Consistency.class, BenchCommand.Bucketing.class, BenchCommand.Peers.class})
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

    /** AdaMix4j against a PyTorch peer (training) and ONNX Runtime (inference), in one invocation. */
    @Command(name = "peers", mixinStandardHelpOptions = true,
            description = {"Training step time and peak RSS per method against a PyTorch peer doing the same work, "
                    + "served-model inference against ONNX Runtime Java, optionally memory over a long run.",
                    "Writes peers.json, peers.md, raw/ and logs/ (and flat.csv) to --out. See docs/benchmarks.md."})
    static final class Peers implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--model", paramLabel = "ONNX", description = "BERT-family ONNX encoder (default: embedded all-MiniLM-L6-v2)")
        java.nio.file.Path model;
        @Option(names = "--batch", defaultValue = "32", description = "batch size B (default: ${DEFAULT-VALUE})") int batch;
        @Option(names = "--length", defaultValue = "128", description = "sequence length L (default: ${DEFAULT-VALUE})") int length;
        @Option(names = "--steps", defaultValue = "10", description = "timed training steps (default: ${DEFAULT-VALUE})") int steps;
        @Option(names = "--warmup", defaultValue = "2", description = "untimed steps first (default: ${DEFAULT-VALUE})") int warmup;
        @Option(names = "--methods", defaultValue = "adamix,adapter,houlsby,lora", split = ",",
                description = "of adamix, adamix-1pass, adapter, houlsby, lora (default: ${DEFAULT-VALUE})")
        java.util.List<String> methods;
        @Option(names = "--inference-reps", defaultValue = "5", description = "timed inference repetitions, 0 for none (default: ${DEFAULT-VALUE})")
        int inferenceReps;
        @Option(names = "--out", required = true, paramLabel = "DIR") java.nio.file.Path out;
        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "interpreter with python3-torch (default: ${DEFAULT-VALUE})")
        String python;
        @Option(names = "--torch-threads", defaultValue = "0", description = "torch intra-op threads, 0 = torch's default (default: ${DEFAULT-VALUE})")
        int torchThreads;
        @Option(names = "--no-peer", description = "skip the PyTorch peer") boolean noPeer;
        @Option(names = "--no-install", description = "do not apt-get install python3-torch if it is missing") boolean noInstall;
        @Option(names = "--flat-steps", defaultValue = "0", description = "also record RSS over this many training steps (default: none)")
        int flatSteps;
        @Option(names = "--flat-every", defaultValue = "10", description = "RSS sample interval of that run (default: ${DEFAULT-VALUE})")
        int flatEvery;
        @Option(names = "--flat-method", defaultValue = "adamix", description = "method of that run (default: ${DEFAULT-VALUE})")
        String flatMethod;
        @Option(names = "--seed", defaultValue = "42") long seed;

        @Override
        public Integer call() {
            var config = org.adamix4j.bench.PeerBenchConfig.builder()
                    .setModel(model != null ? model : org.adamix4j.onnx.EmbeddedModel.ALL_MINILM_L6_V2.onnx())
                    .setOut(out).optBatch(batch).optLength(length).optSteps(steps).optWarmup(warmup).optMethods(methods)
                    .optInferenceReps(inferenceReps).optPython(python).optTorchThreads(torchThreads).optPeer(!noPeer)
                    .optInstallPeer(!noInstall).optFlat(flatSteps, flatEvery, flatMethod).optSeed(seed).build();
            org.adamix4j.bench.PeerBench.run(config, System.out);
            return 0;
        }
    }
}
