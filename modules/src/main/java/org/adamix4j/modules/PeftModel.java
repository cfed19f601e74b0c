package org.adamix4j.modules;

import org.adamix4j.graphs.ActivationLifetimes;
import org.adamix4j.graphs.ConstantOperandGradients;
import org.adamix4j.graphs.FrozenWeightGradients;
import org.adamix4j.graphs.Heads;
import org.adamix4j.graphs.NonFiniteWatch;
import org.adamix4j.graphs.Seeded;
import org.adamix4j.graphs.SessionHygiene;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.TransformerStructure;
import org.adamix4j.tokenize.TokenizedBatch;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An imported model with one adaptation method injected and a task head: the object a user trains,
 * merges and saves. Built in place on the base model's graph (like PEFT's {@code get_peft_model}),
 * so import a fresh base for each PeftModel.
 *
 * <pre>{@code
 * PeftModel m = PeftModel.builder().setBase(base).setMethod(LoraConfig.queryValue(8, 16))
 *         .setHead(TaskHead.classification(2)).optSeed(42).build();
 * }</pre>
 */
public final class PeftModel {
    private final ImportedModel base;
    private final MethodConfig config;
    private final TaskHead head;
    private final long seed;
    private final PeftMethod.Injection injection;
    private final long baseParameters;
    private final long addedParameters;
    private final boolean pruneFrozenGradients;
    private final boolean recomputeActivations;
    private boolean merged;
    private boolean gradientsBuilt;
    private boolean operandGradientsPruned;
    /** Whether the gradient function has fused LayerNorms to watch (fixed once it is built). */
    private Boolean watchLayerNorms;

    private PeftModel(ImportedModel base, MethodConfig config, TaskHead head, long seed, boolean pruneFrozenGradients,
                      boolean recomputeActivations) {
        this.base = base;
        this.pruneFrozenGradients = pruneFrozenGradients;
        this.recomputeActivations = recomputeActivations;
        this.config = config;
        this.head = head;
        this.seed = seed;
        SameDiff sd = base.sameDiff();
        if (sd.variables().stream().anyMatch(v -> v.getVariableType() == VariableType.VARIABLE)) {
            throw new IllegalArgumentException("the base graph already has trainable variables: it was adapted "
                    + "before; import a fresh base model for each PeftModel");
        }
        Seeded init = new Seeded(seed);
        this.baseParameters = base.parameterCount();
        java.util.Set<String> before = new java.util.HashSet<>(sd.variableMap().keySet());
        this.injection = config.newMethod().inject(sd, base.structure(), init);
        TransformerStructure s = base.structure();
        SDVariable logits = Heads.attach(sd, sd.getVariable(s.output()), s.hidden(), head, init);
        SDVariable loss = Heads.attachLoss(sd, logits, head);
        if (injection.consistency().enabled() && head.kind() == TaskHead.Kind.CAUSAL_LM) {
            sd.setLossVariables(Heads.attachLmConsistencyLoss(sd, logits, head, injection.consistency().weight()));
        } else if (injection.consistency().enabled()) {
            // Training runs both stochastic passes in one execution over a doubled batch (see Pass).
            SDVariable reg = Heads.attachConsistencyLoss(sd, logits, head, injection.consistency().weight(),
                    injection.consistency().mseOnRegression());
            sd.setLossVariables(reg);
        } else {
            sd.setLossVariables(loss);
        }
        long added = 0;
        for (String n : trainableParameters()) if (!before.contains(n)) added += sd.getArrForVarName(n).length();
        this.addedParameters = added;
    }

    public static Builder builder() {
        return new Builder();
    }

    public SameDiff sameDiff() {
        return base.sameDiff();
    }

    public ImportedModel base() {
        return base;
    }

    public MethodConfig config() {
        return config;
    }

    public TaskHead head() {
        return head;
    }

    public long seed() {
        return seed;
    }

    public PeftMethod.Injection injection() {
        return injection;
    }

    /** The method's own parameters, then the head's: exactly the graph's VARIABLEs. */
    public List<String> trainableParameters() {
        List<String> out = new ArrayList<>(injection.parameters());
        out.addAll(Heads.parameters(head));
        return out;
    }

    /** Current values of the trainable parameters (live arrays, not copies). */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String n : trainableParameters()) m.put(n, sameDiff().getArrForVarName(n));
        return m;
    }

    public ParameterReport report() {
        long module = count(injection.parameters());
        long headCount = count(Heads.parameters(head));
        // Methods that unfreeze base weights (BitFit, full) add nothing to the total.
        long total = baseParameters + addedParameters;
        List<String> sites = injection.sites().stream().map(s -> s.kind() + "@" + s.layer()).toList();
        return new ParameterReport(config.type(), sites, module, headCount, total);
    }

    private long count(List<String> names) {
        long n = 0;
        for (String name : names) n += sameDiff().getArrForVarName(name).length();
        return n;
    }

    /** Placeholders for a batch: tokens plus whatever the method needs (dropout masks, routing). */
    public Map<String, INDArray> feeds(TokenizedBatch batch, Pass pass, SplittableRandom rng) {
        if (batch.size() % pass.groups() != 0) {
            throw new IllegalArgumentException("a batch of " + batch.size() + " rows cannot hold " + pass.groups() + " equal groups");
        }
        Map<String, INDArray> in = new HashMap<>();
        Map<String, INDArray> tokens = batch.toInputs();
        for (String name : base.structure().inputs()) in.put(name, tokens.get(name));
        for (FeedProvider f : injection.feeds()) in.putAll(f.feeds(batch.size(), batch.length(), pass, rng));
        return in;
    }

    /** Logits [batch, C] at inference (no dropout; a mixture uses its experts' mean). */
    public INDArray logits(TokenizedBatch batch) {
        return logits(batch, Pass.eval(), new SplittableRandom(0));
    }

    /** Logits [batch, C] of one pass of the given kind. */
    public INDArray logits(TokenizedBatch batch, Pass pass, SplittableRandom rng) {
        return run(sameDiff(), feeds(batch, pass, rng), Heads.LOGITS);
    }

    /** One output of one execution; then the session's per-execution bookkeeping is dropped (SessionHygiene). */
    private static INDArray run(SameDiff sd, Map<String, INDArray> in, String name) {
        INDArray out = sd.output(in, name).get(name);
        SessionHygiene.afterExecution(sd, List.of(out));
        return out;
    }

    /** Mean task loss of a batch at inference. */
    public double loss(TokenizedBatch batch, INDArray labels) {
        Map<String, INDArray> in = feeds(batch, Pass.eval(), new SplittableRandom(0));
        in.put(Heads.LABELS, labels);
        return run(sameDiff(), in, Heads.LOSS).getDouble(0);
    }

    /** True if training uses AdaMix's two-pass consistency loss. */
    public boolean usesConsistency() {
        return injection.consistency().enabled();
    }

    /**
     * Gradients of the training loss for every trainable parameter. Without consistency: the mean loss
     * of one training pass. With it: the batch runs twice in one execution (rows doubled, each half its
     * own routing and dropout draw) and the loss is CE(pass 1) + w · symmetric KL(pass 1, pass 2).
     */
    public Map<String, INDArray> gradients(TokenizedBatch batch, INDArray labels, SplittableRandom rng) {
        return step(batch, labels, rng).gradients();
    }

    /**
     * One training step's gradients and the value of the training loss they belong to, from one
     * execution (the trainer reports the loss without a second forward pass).
     */
    public StepResult step(TokenizedBatch batch, INDArray labels, SplittableRandom rng) {
        Map<String, INDArray> in = trainingFeeds(batch, labels, rng);
        String loss = sameDiff().getLossVariables().get(0);
        // SameDiff's calculateGradients runs the gradient function with its array cache switched off, and
        // then no intermediate array is released during the run: each one waits for the garbage collector,
        // which a small heap rarely runs, so the resident set grew by gigabytes per step at 8 x 128. Run
        // the gradient function directly, with the cache on: arrays are recycled as soon as the last op
        // reading them has run (same values; ModelGradientsTest compares both paths).
        SameDiff gradFn = sameDiff().getFunction("grad");
        gradFn.setEnableCache(true);
        Map<String, String> gradName = new LinkedHashMap<>();
        for (String p : trainableParameters()) {
            SDVariable g = sameDiff().getVariable(p).getGradient();
            if (g != null) gradName.put(p, g.name());
        }
        List<String> wanted = new ArrayList<>(gradName.values());
        wanted.add(loss);
        // Frozen operands of element-wise ops (biases, LayerNorm scales) need no gradient either, but
        // which ops may skip it depends on shapes, known only once the graph has run (ConstantOperandGradients).
        if (pruneFrozenGradients && !operandGradientsPruned
                && ConstantOperandGradients.informative(batch.size(), batch.length())) {
            recordOperandShapes(gradFn, batch, labels, wanted);
        }
        // A fused LayerNorm hides NaN from the loss; watch its inputs so that divergence still shows.
        if (watchLayerNorms == null) watchLayerNorms = NonFiniteWatch.applies(gradFn);
        NonFiniteWatch watch = watchLayerNorms ? new NonFiniteWatch() : null;
        if (watch != null) gradFn.addListeners(watch);
        Map<String, INDArray> out;
        try {
            out = gradFn.output(in, wanted);
        } finally {
            if (watch != null) gradFn.getListeners().remove(watch);
        }
        SessionHygiene.afterExecution(gradFn, out.values());
        Map<String, INDArray> grads = new LinkedHashMap<>();
        gradName.forEach((p, g) -> grads.put(p, out.get(g)));
        double value = watch != null && watch.nonFiniteAt() != null ? Double.NaN : out.get(loss).getDouble(0);
        collectOffHeap();
        return new StepResult(grads, value);
    }

    /** Rows and tokens of the batch the shapes are recorded on: large enough to tell broadcasts apart. */
    static final int RECORD_ROWS = 2;
    static final int RECORD_TOKENS = 8;

    /**
     * Records the element-wise ops' shapes on a 2 × 8 slice of the batch, then rewrites the gradient
     * function before the real step runs. Recording on the step itself would run it with every frozen
     * operand's gradient still in place: that kept about 1.4 GB more activations alive in AdaMix's first
     * step at 32 × 128, and the process's peak memory is set by its heaviest step. The slice has its own
     * random stream, so the run's stream (routing, dropout) is the same as without pruning.
     */
    private void recordOperandShapes(SameDiff gradFn, TokenizedBatch batch, INDArray labels, List<String> wanted) {
        int rows = RECORD_ROWS;
        int tokens = Math.min(batch.length(), RECORD_TOKENS);
        INDArray sliceLabels = labels.rank() == 1
                ? labels.get(NDArrayIndex.interval(0, rows)).dup()
                : labels.get(NDArrayIndex.interval(0, rows), NDArrayIndex.interval(0, tokens)).dup();
        Map<String, INDArray> in = trainingFeeds(batch.head(rows, tokens), sliceLabels, new SplittableRandom(0));
        ConstantOperandGradients.Recorder recorder = ConstantOperandGradients.recorder();
        gradFn.addListeners(recorder);
        Map<String, INDArray> out;
        try {
            out = gradFn.output(in, wanted);
        } finally {
            gradFn.getListeners().remove(recorder);
        }
        SessionHygiene.afterExecution(gradFn, out.values());
        ConstantOperandGradients.rewrite(gradFn, recorder, wanted);
        // Then, once the graph's final shape is known: optionally, GELU's 1 + erf(u) is computed again in the
        // backward pass rather than kept; and derivative chains that read forward values only (GELU's erf')
        // would otherwise run during the forward pass and hold their results until the backward.
        if (recomputeActivations) ActivationLifetimes.recomputeCheapActivations(gradFn, sameDiff(), wanted);
        ActivationLifetimes.deferForwardOnlyChains(gradFn, sameDiff(), wanted);
        // The real step then starts in a new session. Run in the session that had executed the graph before
        // the rewrite, the first full step held about 0.5 GB more than later ones (AdaMix at 32 × 128:
        // process peak 3.66 GB against 3.16 GB with a new session; later steps alike). Which state carries
        // over was not found; a session costs nothing to create.
        SessionHygiene.discardSessions(gradFn);
        operandGradientsPruned = true;
    }

    private static long lastCollect;

    /**
     * ND4J frees an array's off-heap buffer only when the GC collects its Java handle (or it is closed).
     * A step allocates gigabytes off-heap but little heap, so the GC may not run for many steps and the
     * resident set climbs (AdaMix at 32 x 128: +1 GB per step). A collection after each step keeps it
     * flat (measured: peak 7.2 GB over steps 1-4 instead of 6.4 -> 8.5 GB); rate-limited to one per two
     * seconds so that tiny steps do not pay for it.
     */
    private static synchronized void collectOffHeap() {
        long now = System.nanoTime();
        if (now - lastCollect < 2_000_000_000L) return;
        System.gc();
        lastCollect = System.nanoTime();
    }

    /**
     * Gradients as SameDiff's own {@code calculateGradientsAndOutputs} computes them (array cache off);
     * kept as the reference for {@link #step}.
     */
    public StepResult referenceStep(TokenizedBatch batch, INDArray labels, SplittableRandom rng) {
        Map<String, INDArray> in = trainingFeeds(batch, labels, rng);
        String loss = sameDiff().getLossVariables().get(0);
        var r = sameDiff().calculateGradientsAndOutputs(in, List.of(loss), trainableParameters());
        SessionHygiene.afterExecution(sameDiff().getFunction("grad"));
        return new StepResult(r.getGradients(), r.getOutputs().get(loss).getDouble(0));
    }

    /**
     * Gradients by parameter name and the training loss of one step.
     *
     * @param gradients by parameter name
     * @param loss      the training loss; NaN also when a fused LayerNorm read a non-finite input
     *                  ({@code NonFiniteWatch}: {@code layer_norm} would hide it from the loss itself)
     */
    public record StepResult(Map<String, INDArray> gradients, double loss) {
    }

    /**
     * Parameters that get no weight decay: biases and the 1-D scale vectors of LayerNorms (any rank-1
     * parameter) and the stacked expert biases of AdaMix (names ending in "/b"), as Hugging Face's
     * no_decay list does for "bias" and "LayerNorm.weight" by name.
     */
    public java.util.Set<String> noDecayParameters() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Map.Entry<String, INDArray> e : parameters().entrySet()) {
            if (e.getValue().rank() == 1 || e.getKey().endsWith("/b")) out.add(e.getKey());
        }
        return out;
    }

    /** The value of the training loss for the same feeds {@link #gradients} would use. */
    public double trainingLoss(TokenizedBatch batch, INDArray labels, SplittableRandom rng) {
        String name = sameDiff().getLossVariables().get(0);
        return run(sameDiff(), trainingFeeds(batch, labels, rng), name).getDouble(0);
    }

    private Map<String, INDArray> trainingFeeds(TokenizedBatch batch, INDArray labels, SplittableRandom rng) {
        if (!gradientsBuilt) {
            // SameDiff prints a line per op while it builds the gradient function: build it quietly, once.
            org.adamix4j.onnx.Quiet.run(() -> sameDiff().createGradFunction());
            // Frozen weights need no gradient; SameDiff would compute one for every projection.
            if (pruneFrozenGradients) {
                SameDiff gradFn = sameDiff().getFunction("grad");
                FrozenWeightGradients.skipConstantWeightGradients(gradFn);
                // The softmax's gradient from its output: the attention scores need not wait for the backward pass.
                ActivationLifetimes.softmaxFromOutput(gradFn);
            }
            gradientsBuilt = true;
        }
        boolean twoPasses = usesConsistency();
        Map<String, INDArray> in = feeds(twoPasses ? batch.repeated(2) : batch, Pass.train(twoPasses ? 2 : 1), rng);
        in.put(Heads.LABELS, labels);
        return in;
    }

    /** Folds the method into the base weights (LoRA); explicit, never a side effect. */
    public void merge() {
        if (merged) throw new IllegalStateException("already merged; call unmerge() first");
        injection.merger().merge(sameDiff());
        merged = true;
    }

    /** Undoes {@link #merge()}. */
    public void unmerge() {
        if (!merged) throw new IllegalStateException("nothing is merged");
        injection.merger().unmerge(sameDiff());
        merged = false;
    }

    public boolean isMerged() {
        return merged;
    }

    /**
     * A plain model on {@code freshBase} (an unadapted import of the same ONNX file) that computes what
     * this model computes at inference, without the method's training-time structure: LoRA folded into
     * the weights, AdaMix's experts averaged into one module. This model is left unchanged.
     */
    public PeftModel mergeAndUnload(ImportedModel freshBase) {
        if (!freshBase.sourceSha256().equals(base.sourceSha256())) {
            throw new IllegalArgumentException("mergeAndUnload needs a fresh import of the same base model (sha256 "
                    + base.sourceSha256() + "), got " + freshBase.sourceSha256());
        }
        if (merged) throw new IllegalStateException("unmerge() first: mergeAndUnload works from the unmerged model");
        return injection.merger().unload(this, freshBase);
    }

    /** A new model of {@code config} on {@code freshBase} with this model's head weights and seed. */
    public PeftModel withHeadOn(ImportedModel freshBase, MethodConfig config) {
        PeftModel m = new PeftModel(freshBase, config, head, seed, pruneFrozenGradients, recomputeActivations);
        for (String h : Heads.parameters(head)) m.sameDiff().getArrForVarName(h).assign(sameDiff().getArrForVarName(h));
        return m;
    }

    /** Builder: base, method and head are required; the seed is optional (default 42). */
    public static final class Builder {
        private ImportedModel base;
        private MethodConfig method;
        private TaskHead head;
        private long seed = 42;
        private boolean pruneFrozenGradients = true;
        private boolean recomputeActivations;

        private Builder() {
        }

        public Builder setBase(ImportedModel base) {
            this.base = base;
            return this;
        }

        public Builder setMethod(MethodConfig method) {
            this.method = method;
            return this;
        }

        public Builder setHead(TaskHead head) {
            this.head = head;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether the gradient function skips the gradients of frozen operands (matmul weights, biases,
         * LayerNorm scales, constants) that nothing reads, and is rewritten to keep fewer activations alive
         * ({@code ActivationLifetimes}); default true. Off computes every gradient as SameDiff builds it:
         * same values, slower and larger (the reference in tests, and a switch for debugging).
         */
        public Builder optPruneFrozenGradients(boolean prune) {
            this.pruneFrozenGradients = prune;
            return this;
        }

        /**
         * Whether training recomputes cheap activations in the backward pass instead of keeping them
         * (GELU's 1 + erf(u): {@code ActivationLifetimes.recomputeCheapActivations}); default false. Same
         * values. Measured on all-MiniLM-L6-v2, AdaMix at 32 × 128: peak RSS 3,163 → 2,925 MB, for an erf
         * and an add per layer again (75–93 ms and 32–47 ms each at 64 rows, about 7% of the step).
         * Needs {@link #optPruneFrozenGradients} on (the default).
         */
        public Builder optRecomputeActivations(boolean recompute) {
            this.recomputeActivations = recompute;
            return this;
        }

        public PeftModel build() {
            if (base == null) throw new IllegalArgumentException("PeftModel: setBase(importedModel) is required");
            if (method == null) throw new IllegalArgumentException("PeftModel: setMethod(config) is required");
            if (head == null) throw new IllegalArgumentException("PeftModel: setHead(taskHead) is required");
            if (recomputeActivations && !pruneFrozenGradients) {
                throw new IllegalArgumentException("PeftModel: optRecomputeActivations(true) needs optPruneFrozenGradients(true)"
                        + " (the recomputation is one of the gradient-function rewrites that switch turns off)");
            }
            return new PeftModel(base, method, head, seed, pruneFrozenGradients, recomputeActivations);
        }
    }
}
