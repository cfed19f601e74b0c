package org.adamix4j.modules;

import org.adamix4j.graphs.Heads;
import org.adamix4j.graphs.Seeded;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.TransformerStructure;
import org.adamix4j.tokenize.TokenizedBatch;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    private boolean merged;

    private PeftModel(ImportedModel base, MethodConfig config, TaskHead head, long seed) {
        this.base = base;
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
        Heads.attachLoss(sd, logits, head);
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
        out.addAll(Heads.PARAMETERS);
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
        long headCount = count(Heads.PARAMETERS);
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

    /** Placeholders for a batch: tokens plus whatever the method needs (dropout masks...). */
    public Map<String, INDArray> feeds(TokenizedBatch batch, boolean training, SplittableRandom rng) {
        Map<String, INDArray> in = new HashMap<>();
        Map<String, INDArray> tokens = batch.toInputs();
        for (String name : base.structure().inputs()) in.put(name, tokens.get(name));
        for (FeedProvider f : injection.feeds()) in.putAll(f.feeds(batch.size(), batch.length(), training, rng));
        return in;
    }

    /** Logits [batch, C] in inference mode (no dropout). */
    public INDArray logits(TokenizedBatch batch) {
        return sameDiff().output(feeds(batch, false, new SplittableRandom(0)), Heads.LOGITS).get(Heads.LOGITS);
    }

    /** Mean loss of a batch in inference mode. */
    public double loss(TokenizedBatch batch, INDArray labels) {
        Map<String, INDArray> in = feeds(batch, false, new SplittableRandom(0));
        in.put(Heads.LABELS, labels);
        return sameDiff().output(in, Heads.LOSS).get(Heads.LOSS).getDouble(0);
    }

    /** Gradients of the mean loss for every trainable parameter (a training pass: masks drawn from rng). */
    public Map<String, INDArray> gradients(TokenizedBatch batch, INDArray labels, SplittableRandom rng) {
        Map<String, INDArray> in = feeds(batch, true, rng);
        in.put(Heads.LABELS, labels);
        return sameDiff().calculateGradients(in, trainableParameters().toArray(String[]::new));
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
     * A plain model: {@code freshBase} (an unadapted import of the same ONNX file) with this model's
     * merged weights and its head, and no method sub-graph at all. This model is left unchanged.
     */
    public PeftModel mergeAndUnload(ImportedModel freshBase) {
        if (!freshBase.sourceSha256().equals(base.sourceSha256())) {
            throw new IllegalArgumentException("mergeAndUnload needs a fresh import of the same base model (sha256 "
                    + base.sourceSha256() + "), got " + freshBase.sourceSha256());
        }
        boolean wasMerged = merged;
        if (!wasMerged) merge();
        try {
            PeftModel plain = new PeftModel(freshBase, new org.adamix4j.modules.baseline.HeadOnlyConfig(), head, seed);
            for (String w : injection.sites().stream().map(org.adamix4j.onnx.Site::weight).distinct().toList()) {
                plain.sameDiff().getArrForVarName(w).assign(sameDiff().getArrForVarName(w));
            }
            for (String h : Heads.PARAMETERS) plain.sameDiff().getArrForVarName(h).assign(sameDiff().getArrForVarName(h));
            return plain;
        } finally {
            if (!wasMerged) unmerge();
        }
    }

    /** Builder: base, method and head are required; the seed is optional (default 42). */
    public static final class Builder {
        private ImportedModel base;
        private MethodConfig method;
        private TaskHead head;
        private long seed = 42;

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

        public PeftModel build() {
            if (base == null) throw new IllegalArgumentException("PeftModel: setBase(importedModel) is required");
            if (method == null) throw new IllegalArgumentException("PeftModel: setMethod(config) is required");
            if (head == null) throw new IllegalArgumentException("PeftModel: setHead(taskHead) is required");
            return new PeftModel(base, method, head, seed);
        }
    }
}
