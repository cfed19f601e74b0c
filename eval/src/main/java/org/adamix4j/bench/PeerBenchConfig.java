package org.adamix4j.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code adamix bench peers} runs.
 *
 * @param model         the ONNX encoder every runtime uses
 * @param batch         B of training and of the inference throughput runs
 * @param length        L (every sequence full length, no padding)
 * @param steps         timed training steps per method and runtime
 * @param warmup        training steps before timing (the first builds SameDiff's gradient function)
 * @param methods       subset of {@link BenchMethods#NAMES}, in the order to run
 * @param inferenceReps timed inference repetitions (0: no inference comparison)
 * @param out           folder for peers.json, peers.md, raw/ and logs/
 * @param python        the interpreter of the PyTorch peer (Debian's /usr/bin/python3)
 * @param torchThreads  torch intra-op threads for the peer; 0 keeps torch's default
 * @param peer          run the PyTorch peer (false: AdaMix4j and ONNX Runtime only)
 * @param installPeer   apt-get install python3-torch, python3-onnx, python3-numpy if the peer cannot import them
 * @param flatSteps     training steps of the memory-flatness run (0: none)
 * @param flatEvery     record RSS every k steps in that run
 * @param flatMethod    the method of that run
 * @param childJvmArgs  JVM options of the forked measurement JVMs (null: this JVM's own options)
 * @param seed          seed of data, initialisation and routing
 */
public record PeerBenchConfig(Path model, int batch, int length, int steps, int warmup, List<String> methods,
                              int inferenceReps, Path out, String python, int torchThreads, boolean peer,
                              boolean installPeer, int flatSteps, int flatEvery, String flatMethod,
                              List<String> childJvmArgs, long seed) {
    public PeerBenchConfig {
        if (model == null) throw new IllegalArgumentException("bench peers: a model is required");
        if (out == null) throw new IllegalArgumentException("bench peers: --out is required");
        if (batch < 1 || length < 2) {
            throw new IllegalArgumentException("bench peers: --batch must be >= 1 and --length >= 2, got " + batch + " and " + length);
        }
        if (steps < 1) throw new IllegalArgumentException("bench peers: --steps must be >= 1, got " + steps);
        if (warmup < 1) {
            throw new IllegalArgumentException("bench peers: --warmup must be >= 1 (the first step builds the gradient function), got " + warmup);
        }
        if (methods == null || methods.isEmpty()) throw new IllegalArgumentException("bench peers: --methods must name at least one method");
        for (String m : methods) {
            if (!BenchMethods.NAMES.contains(m)) {
                throw new IllegalArgumentException("bench peers: unknown method '" + m + "'; known: " + BenchMethods.NAMES);
            }
        }
        if (methods.stream().distinct().count() != methods.size()) {
            throw new IllegalArgumentException("bench peers: --methods lists a method twice: " + methods);
        }
        if (inferenceReps < 0) throw new IllegalArgumentException("bench peers: --inference-reps must be >= 0, got " + inferenceReps);
        if (torchThreads < 0) throw new IllegalArgumentException("bench peers: --torch-threads must be >= 0, got " + torchThreads);
        if (flatSteps < 0) throw new IllegalArgumentException("bench peers: --flat-steps must be >= 0, got " + flatSteps);
        if (flatSteps > 0 && (flatEvery < 1 || flatEvery > flatSteps)) {
            throw new IllegalArgumentException("bench peers: --flat-every must be in [1, --flat-steps], got " + flatEvery);
        }
        if (flatSteps > 0 && !BenchMethods.NAMES.contains(flatMethod)) {
            throw new IllegalArgumentException("bench peers: unknown --flat-method '" + flatMethod + "'; known: " + BenchMethods.NAMES);
        }
        if (python == null || python.isBlank()) throw new IllegalArgumentException("bench peers: --python must not be empty");
        methods = List.copyOf(methods);
        childJvmArgs = childJvmArgs == null ? null : List.copyOf(childJvmArgs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: model and out are required; everything else has the defaults of {@code adamix bench peers}. */
    public static final class Builder {
        private Path model;
        private Path out;
        private int batch = 32;
        private int length = 128;
        private int steps = 10;
        private int warmup = 2;
        private List<String> methods = List.of("adamix", "adapter", "houlsby", "lora");
        private int inferenceReps = 5;
        private String python = "/usr/bin/python3";
        private int torchThreads = 0;
        private boolean peer = true;
        private boolean installPeer = true;
        private int flatSteps = 0;
        private int flatEvery = 10;
        private String flatMethod = "adamix";
        private List<String> childJvmArgs;
        private long seed = 42;

        private Builder() {
        }

        public Builder setModel(Path model) {
            this.model = model;
            return this;
        }

        public Builder setOut(Path out) {
            this.out = out;
            return this;
        }

        public Builder optBatch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder optLength(int length) {
            this.length = length;
            return this;
        }

        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        public Builder optWarmup(int warmup) {
            this.warmup = warmup;
            return this;
        }

        public Builder optMethods(List<String> methods) {
            this.methods = methods;
            return this;
        }

        public Builder optInferenceReps(int reps) {
            this.inferenceReps = reps;
            return this;
        }

        public Builder optPython(String python) {
            this.python = python;
            return this;
        }

        public Builder optTorchThreads(int threads) {
            this.torchThreads = threads;
            return this;
        }

        public Builder optPeer(boolean peer) {
            this.peer = peer;
            return this;
        }

        public Builder optInstallPeer(boolean install) {
            this.installPeer = install;
            return this;
        }

        public Builder optFlat(int steps, int every, String method) {
            this.flatSteps = steps;
            this.flatEvery = every;
            this.flatMethod = method;
            return this;
        }

        public Builder optChildJvmArgs(List<String> args) {
            this.childJvmArgs = args;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public PeerBenchConfig build() {
            return new PeerBenchConfig(model, batch, length, steps, warmup, methods, inferenceReps, out, python,
                    torchThreads, peer, installPeer, flatSteps, flatEvery, flatMethod, childJvmArgs, seed);
        }
    }
}
