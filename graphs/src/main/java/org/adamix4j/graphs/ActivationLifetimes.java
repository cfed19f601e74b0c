package org.adamix4j.graphs;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shortens how long a gradient function keeps forward activations alive, the largest part of a training
 * step's memory. The rewrites are exact: they change which arrays the backward pass reads and when it
 * computes them, not what it computes.
 *
 * <p>Measured on all-MiniLM-L6-v2, AdaMix at 32 × 128 (64 rows with the consistency pass), at the start of
 * the backward pass (docs/benchmarks.md): {@link #softmaxFromOutput} and {@link #deferForwardOnlyChains},
 * with {@link ConstantOperandGradients}' sums, cut the arrays then alive from 2.7–2.9 GB to 1.6–1.8 GB.
 * {@link #recomputeCheapActivations} trades computation for memory and is opt-in.
 */
public final class ActivationLifetimes {
    /** Forward ops cheap enough to run again in the backward pass: one array input, the rest constants. */
    private static final Set<String> RECOMPUTABLE = Set.of("erf", "tanh", "add", "multiply", "add_scalar", "mul_scalar");
    /** Longest chain of such ops recomputed for one activation. */
    private static final int MAX_RECOMPUTED = 3;

    private ActivationLifetimes() {
    }

    /**
     * Rewrites {@code softmax_bp(x, dL/dy)} as {@code y · (dL/dy − Σ dL/dy · y)} over the softmax axis,
     * reading the forward output y instead of the input x. libnd4j's {@code softmax_bp} recomputes y from
     * x, so the backward pass held both: in BERT's attention x is the masked, scaled score tensor
     * [batch, heads, seq, seq], the largest activation per layer, and y is kept anyway for the product
     * with the values.
     *
     * @return how many softmax gradients were rewritten
     */
    public static int softmaxFromOutput(SameDiff gradFn) {
        int rewritten = 0;
        for (SameDiffOp op : new ArrayList<>(gradFn.getOps().values())) {
            if (!"softmax_bp".equals(op.getOp().opName())) continue;
            List<String> in = op.getInputsToOp();
            String dx = op.getOutputsOfOp().get(0);
            if (in == null || in.size() != 2 || !GradientGraphs.hasReaders(gradFn, dx)) continue;
            String y = forwardSoftmaxOutput(gradFn, in.get(0));
            if (y == null) continue;
            long[] iArgs = ((DynamicCustomOp) op.getOp()).iArgs();
            int axis = iArgs.length > 0 ? (int) iArgs[0] : -1;
            SDVariable out = gradFn.getVariable(y);
            SDVariable dy = gradFn.getVariable(in.get(1));
            SDVariable replacement = dy.sub(dy.mul(out).sum(true, axis)).mul(out);
            Splice.after(gradFn, dx, unused -> replacement);
            rewritten++;
        }
        return rewritten;
    }

    private static String forwardSoftmaxOutput(SameDiff sd, String input) {
        Variable x = sd.getVariables().get(input);
        if (x == null || x.getInputsForOp() == null) return null;
        for (String reader : x.getInputsForOp()) {
            SameDiffOp op = sd.getOps().get(reader);
            if (op != null && "softmax".equals(op.getOp().opName()) && op.getInputsToOp().size() == 1) {
                return op.getOutputsOfOp().get(0);
            }
        }
        return null;
    }

    /**
     * Makes ops that differentiation created but that read forward values only (the derivative
     * {@code 2/√π · exp(−u²)} of GELU's erf, for one) wait for the gradient they will be multiplied with.
     *
     * <p>SameDiff runs an op as soon as its inputs exist. Such a chain's inputs exist during the forward
     * pass, so it ran there and its [batch, seq, 4·hidden] results waited for the backward pass: about
     * 400 MB for 64 rows × 128 tokens on MiniLM (AdaMix's two passes at batch 32). With a control dependency on the gradient, the chain runs
     * right before its consumer. A chain is deferred only if every forward activation it reads is read by
     * a backward op anyway, so that no forward array lives longer; and only if the gradient does not itself
     * depend on the chain (no cycle).
     *
     * @param forward the graph the gradient function was built from (its ops are the forward pass)
     * @param wanted  the outputs every execution asks for (the parameters' gradients and the loss)
     * @return how many control dependencies were added
     */
    public static int deferForwardOnlyChains(SameDiff gradFn, SameDiff forward, Collection<String> wanted) {
        Backward backward = Backward.of(gradFn, forward, wanted);
        int added = 0;
        for (SameDiffOp consumer : new ArrayList<>(gradFn.getOps().values())) {
            if (!backward.runs(consumer)) continue;
            String gradient = null;
            List<String> chainOutputs = new ArrayList<>();
            for (String input : consumer.getInputsToOp()) {
                if (backward.gradientDependent(input)) {
                    if (gradient == null) gradient = input;
                } else if (backward.derived(input)) {
                    chainOutputs.add(input);
                }
            }
            if (gradient == null) continue;
            for (String chainOutput : chainOutputs) {
                Set<String> chain = new LinkedHashSet<>();
                Set<String> roots = new LinkedHashSet<>();
                backward.collectChain(producer(gradFn, chainOutput), chain, roots);
                if (!activationsHeldAnyway(gradFn, chain, backward)) continue;
                if (dependsOnAny(gradFn, gradient, chain, new HashSet<>())) continue;
                for (String root : roots) if (GradientGraphs.addControlDependency(gradFn, root, gradient)) added++;
            }
        }
        return added;
    }

    /**
     * Recomputes, inside the backward pass, activations that are a cheap function of another activation the
     * backward pass keeps anyway, instead of keeping both. GELU's {@code 1 + erf(u)} is the case: its product
     * with u needs both in the backward pass, and u is kept for erf's derivative too, so
     * {@code 1 + erf(u)} is computed again from u when the gradient reaches it (two element-wise ops per
     * layer) and the forward copy is freed once the forward pass has read it: [rows, seq, 4·hidden] per
     * layer. Exact: the same ops run on the same input.
     *
     * @param forward the graph the gradient function was built from (its ops are the forward pass)
     * @param wanted  the outputs every execution asks for (the parameters' gradients and the loss)
     * @return how many activations are recomputed
     */
    public static int recomputeCheapActivations(SameDiff gradFn, SameDiff forward, Collection<String> wanted) {
        Backward backward = Backward.of(gradFn, forward, wanted);
        int recomputed = 0;
        for (Variable activation : new ArrayList<>(gradFn.getVariables().values())) {
            String p = activation.getOutputOfOp();
            if (p == null || backward.isBackward(p) || activation.getInputsForOp() == null) continue;
            List<SameDiffOp> readers = new ArrayList<>();
            for (String r : activation.getInputsForOp()) {
                SameDiffOp op = gradFn.getOps().get(r);
                if (backward.runs(op)) readers.add(op);
            }
            if (readers.isEmpty()) continue;
            // The chain of cheap ops back to an activation the backward pass reads anyway.
            List<SameDiffOp> chain = new ArrayList<>();
            String source = activation.getName();
            while (chain.size() < MAX_RECOMPUTED) {
                SameDiffOp op = gradFn.getOps().get(producer(gradFn, source));
                String input = op == null || backward.isBackward(op.getName()) ? null : singleArrayInput(gradFn, op);
                if (input == null || !RECOMPUTABLE.contains(op.getOp().opName())) break;
                chain.add(0, op);
                source = input;
                if (backward.readInBackwardPass(source)) break;
            }
            if (chain.isEmpty() || !backward.readInBackwardPass(source)) continue;
            String gradient = null;
            for (String in : readers.get(0).getInputsToOp()) if (backward.gradientDependent(in)) gradient = in;
            if (gradient == null) continue;
            SDVariable copy = gradFn.getVariable(source);
            String first = null;
            for (SameDiffOp op : chain) {
                copy = reapply(gradFn, op, copy);
                if (first == null) first = copy.getCreator().getOwnName();
            }
            GradientGraphs.addControlDependency(gradFn, first, gradient);
            for (SameDiffOp reader : readers) {
                List<String> args = reader.getInputsToOp();
                for (int i = 0; i < args.size(); i++) {
                    if (args.get(i).equals(activation.getName())) gradFn.replaceArgFor(i, copy, reader.getOp());
                }
            }
            recomputed++;
        }
        return recomputed;
    }

    /** The one non-constant input of an op whose other inputs are constants; null otherwise. */
    private static String singleArrayInput(SameDiff sd, SameDiffOp op) {
        String array = null;
        for (String in : op.getInputsToOp()) {
            if (sd.getVariable(in).getVariableType() == org.nd4j.autodiff.samediff.VariableType.CONSTANT) continue;
            if (array != null) return null;
            array = in;
        }
        return array;
    }

    /** {@code op} applied again, to {@code x} in place of its array input. */
    private static SDVariable reapply(SameDiff sd, SameDiffOp op, SDVariable x) {
        String kind = op.getOp().opName();
        switch (kind) {
            case "erf":
                return sd.math.erf(x);
            case "tanh":
                return sd.math.tanh(x);
            case "add_scalar":
            case "mul_scalar": {
                double c = ((org.nd4j.linalg.api.ops.ScalarOp) op.getOp()).scalar().getDouble(0);
                return kind.equals("add_scalar") ? x.add(c) : x.mul(c);
            }
            default: { // add, multiply with a constant operand, in the original order (broadcasting is symmetric)
                List<String> in = op.getInputsToOp();
                boolean arrayFirst = sd.getVariable(in.get(0)).getVariableType() != org.nd4j.autodiff.samediff.VariableType.CONSTANT;
                SDVariable c = sd.getVariable(arrayFirst ? in.get(1) : in.get(0));
                if (kind.equals("add")) return arrayFirst ? x.add(c) : c.add(x);
                return arrayFirst ? x.mul(c) : c.mul(x);
            }
        }
    }

    private static String producer(SameDiff sd, String variable) {
        return sd.getVariables().get(variable).getOutputOfOp();
    }

    /** True if every forward activation the chain reads is also read by a backward op that will run. */
    private static boolean activationsHeldAnyway(SameDiff sd, Set<String> chain, Backward backward) {
        for (String opName : chain) {
            for (String input : sd.getOps().get(opName).getInputsToOp()) {
                String p = producer(sd, input);
                if (p == null || backward.isBackward(p)) continue; // constants, placeholders, chain members
                boolean readLater = false;
                List<String> readers = sd.getVariables().get(input).getInputsForOp();
                for (String reader : readers == null ? List.<String>of() : readers) {
                    if (chain.contains(reader) || !backward.isBackward(reader)) continue;
                    SameDiffOp op = sd.getOps().get(reader);
                    if (backward.gradientDependent(op) && backward.runs(op)) {
                        readLater = true;
                        break;
                    }
                }
                if (!readLater) return false;
            }
        }
        return true;
    }

    private static boolean dependsOnAny(SameDiff sd, String variable, Set<String> ops, Set<String> seen) {
        String p = producer(sd, variable);
        if (p == null || !seen.add(p)) return false;
        if (ops.contains(p)) return true;
        SameDiffOp op = sd.getOps().get(p);
        for (String input : op.getInputsToOp()) if (dependsOnAny(sd, input, ops, seen)) return true;
        if (op.getControlDeps() != null) for (String cd : op.getControlDeps()) if (dependsOnAny(sd, cd, ops, seen)) return true;
        return false;
    }

    /**
     * Which ops of a gradient function belong to the backward pass, which of those run for the wanted
     * outputs, and which carry gradients. Taken once, before a rewrite changes the graph.
     */
    private static final class Backward {
        private final SameDiff sd;
        private final Set<String> forwardOps;
        private final Set<String> seeds;
        private final Set<String> needed;
        private final Map<String, Boolean> memo = new HashMap<>();

        private Backward(SameDiff sd, Set<String> forwardOps, Set<String> seeds, Set<String> needed) {
            this.sd = sd;
            this.forwardOps = forwardOps;
            this.seeds = seeds;
            this.needed = needed;
        }

        /**
         * The forward ops are those of the graph the gradient function was built from; the gradient's
         * starting values (the loss's dL/dL = 1) are the variables differentiation added that no op produces.
         */
        static Backward of(SameDiff gradFn, SameDiff forward, Collection<String> wanted) {
            Set<String> seeds = new HashSet<>();
            for (Variable v : gradFn.getVariables().values()) {
                if (v.getOutputOfOp() == null && !forward.getVariables().containsKey(v.getName())) seeds.add(v.getName());
            }
            return new Backward(gradFn, new HashSet<>(forward.getOps().keySet()), seeds, GradientGraphs.needed(gradFn, wanted));
        }

        boolean isBackward(String opName) {
            return !forwardOps.contains(opName);
        }

        /** A backward op that executions asking for the wanted outputs run. */
        boolean runs(SameDiffOp op) {
            if (!isBackward(op.getName())) return false;
            for (String out : op.getOutputsOfOp()) if (needed.contains(out)) return true;
            return false;
        }

        /** True if a backward op that runs reads {@code variable}. */
        boolean readInBackwardPass(String variable) {
            List<String> readers = sd.getVariables().get(variable).getInputsForOp();
            if (readers == null) return false;
            for (String r : readers) if (runs(sd.getOps().get(r))) return true;
            return false;
        }

        /** A variable produced by a backward op that does not depend on any gradient: forward values only. */
        boolean derived(String variable) {
            String p = producer(sd, variable);
            return p != null && isBackward(p) && !gradientDependent(sd.getOps().get(p));
        }

        boolean gradientDependent(String variable) {
            if (seeds.contains(variable)) return true;
            String p = producer(sd, variable);
            return p != null && gradientDependent(sd.getOps().get(p));
        }

        boolean gradientDependent(SameDiffOp op) {
            Boolean known = memo.get(op.getName());
            if (known != null) return known;
            memo.put(op.getName(), false); // no cycles in these graphs; a revisit is not a gradient path
            boolean result = false;
            if (isBackward(op.getName())) {
                for (String input : op.getInputsToOp()) {
                    if (gradientDependent(input)) {
                        result = true;
                        break;
                    }
                }
            }
            memo.put(op.getName(), result);
            return result;
        }

        /** The derived ops upstream of {@code opName} (inclusive), and those among them that read no derived value. */
        void collectChain(String opName, Set<String> chain, Set<String> roots) {
            if (!chain.add(opName)) return;
            boolean root = true;
            for (String input : sd.getOps().get(opName).getInputsToOp()) {
                if (!derived(input)) continue;
                root = false;
                collectChain(producer(sd, input), chain, roots);
            }
            if (root) roots.add(opName);
        }
    }
}
