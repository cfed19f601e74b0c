package org.adamix4j.onnx.fixup;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replaces each decomposed LayerNorm with SameDiff's fused {@code layer_norm} op.
 *
 * <p>Opset-11 exports spell LayerNorm as nine element-wise ops: {@code m = mean(x); d = x - m;
 * v = mean(d·d); y = d / sqrt(v + eps) · γ + β}. Each keeps its own [batch, seq, hidden] result alive
 * for the backward pass and has its own backward op; the fused op does the same arithmetic in one
 * forward and one backward kernel (measured on 13 LayerNorms at 32×128×384: 2.5 s → 1.4 s of CPU per
 * forward+backward). The output keeps its name, so structure sites that point at it stay valid.
 *
 * <p>SameDiff's {@code layer_norm} has no epsilon. With the BERT/MiniLM/DistilBERT value of 1e-12
 * the difference is below float rounding; larger epsilons (RoBERTa's 1e-5) change results by up to
 * eps/(2·variance) relative, so those chains are left as they are.
 */
public final class FuseLayerNorm implements ImportFixup {
    /** The largest epsilon that is dropped; see the class comment. */
    public static final double MAX_EPSILON = 1e-9;

    @Override
    public String name() {
        return "fuse-layer-norm";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(SameDiff sd) {
        int count = 0;
        for (SameDiffOp op : new ArrayList<>(sd.getOps().values())) {
            if (!sd.getOps().containsKey(op.getName()) || !"subtract".equals(op.getOp().opName())) continue;
            Optional<Chain> chain = match(sd, op);
            if (chain.isPresent()) {
                replace(sd, chain.get());
                count++;
            }
        }
        return count;
    }

    /** The nine ops of one LayerNorm, and what the fused op needs. */
    private record Chain(List<SameDiffOp> ops, String input, String gamma, String beta, String output, int axis) {
    }

    private static Optional<Chain> match(SameDiff sd, SameDiffOp sub) {
        List<String> subIn = sub.getInputsToOp();
        String x = subIn.get(0);
        SameDiffOp mean1 = producer(sd, subIn.get(1));
        if (mean1 == null || !isLastAxisMean(sd, mean1, x) || readers(sd, subIn.get(1)).size() != 1) return Optional.empty();
        String d = out(sub);
        List<SameDiffOp> dReaders = readers(sd, d);
        if (dReaders.size() != 2) return Optional.empty();
        SameDiffOp square = dReaders.stream().filter(o -> is(o, "multiply") && o.getInputsToOp().equals(List.of(d, d))).findFirst().orElse(null);
        SameDiffOp div = dReaders.stream().filter(o -> is(o, "divide") && o.getInputsToOp().get(0).equals(d)).findFirst().orElse(null);
        if (square == null || div == null) return Optional.empty();
        SameDiffOp mean2 = only(sd, out(square), "reduce_mean");
        if (mean2 == null || !sameReduction(mean1, mean2)) return Optional.empty();
        SameDiffOp addEps = only(sd, out(mean2), "add");
        if (addEps == null) return Optional.empty();
        String eps = other(addEps, out(mean2));
        INDArray epsArr = constant(sd, eps);
        if (epsArr == null || epsArr.length() != 1 || epsArr.getDouble(0) > MAX_EPSILON) return Optional.empty();
        SameDiffOp sqrt = only(sd, out(addEps), "sqrt");
        if (sqrt == null || !div.getInputsToOp().get(1).equals(out(sqrt)) || readers(sd, out(sqrt)).size() != 1) {
            return Optional.empty();
        }
        SameDiffOp scale = only(sd, out(div), "multiply");
        if (scale == null) return Optional.empty();
        String gamma = other(scale, out(div));
        SameDiffOp shift = only(sd, out(scale), "add");
        if (shift == null) return Optional.empty();
        String beta = other(shift, out(scale));
        if (!isVector(sd, gamma) || !isVector(sd, beta)) return Optional.empty();
        int axis = ((Mean) mean1.getOp()).getDimensions()[0];
        return Optional.of(new Chain(List.of(mean1, sub, square, mean2, addEps, sqrt, div, scale, shift),
                x, gamma, beta, out(shift), axis));
    }

    private static void replace(SameDiff sd, Chain c) {
        List<String> readers = new ArrayList<>(consumerNames(sd, c.output()));
        for (SameDiffOp op : c.ops()) {
            sd.getOps().remove(op.getName());
            for (String o : op.getOutputsOfOp()) sd.getVariables().remove(o);
        }
        SDVariable ln = sd.nn.layerNorm(c.output(), sd.getVariable(c.input()), sd.getVariable(c.gamma()),
                sd.getVariable(c.beta()), false, c.axis());
        sd.getVariables().get(ln.name()).setInputsForOp(readers);
        // References to the removed ops from x, γ, β and the epsilon constant are cleared by PruneDanglingOps.
    }

    private static boolean isLastAxisMean(SameDiff sd, SameDiffOp op, String x) {
        if (!is(op, "reduce_mean") || !(op.getOp() instanceof Mean m) || !op.getInputsToOp().equals(List.of(x))) return false;
        if (!m.isKeepDims() || m.getDimensions() == null || m.getDimensions().length != 1 || m.getDimensions()[0] < 0) return false;
        long[] shape = sd.getVariable(x).getShape();
        return shape == null || shape.length == m.getDimensions()[0] + 1;
    }

    private static boolean sameReduction(SameDiffOp a, SameDiffOp b) {
        return b.getOp() instanceof Mean mb && mb.isKeepDims()
                && java.util.Arrays.equals(((Mean) a.getOp()).getDimensions(), mb.getDimensions());
    }

    private static boolean isVector(SameDiff sd, String name) {
        SDVariable v = sd.getVariable(name);
        return v != null && (v.getVariableType() == VariableType.CONSTANT || v.getVariableType() == VariableType.VARIABLE)
                && v.getArr() != null && v.getArr().rank() == 1;
    }

    private static INDArray constant(SameDiff sd, String name) {
        SDVariable v = sd.getVariable(name);
        return v != null && v.getVariableType() == VariableType.CONSTANT ? v.getArr() : null;
    }

    private static boolean is(SameDiffOp op, String name) {
        return name.equals(op.getOp().opName());
    }

    private static String out(SameDiffOp op) {
        return op.getOutputsOfOp().get(0);
    }

    /** The other input of a binary op; null unless {@code known} is exactly one of its two inputs. */
    private static String other(SameDiffOp op, String known) {
        List<String> in = op.getInputsToOp();
        if (in.size() != 2 || in.get(0).equals(in.get(1))) return null;
        return in.get(0).equals(known) ? in.get(1) : in.get(1).equals(known) ? in.get(0) : null;
    }

    private static SameDiffOp producer(SameDiff sd, String var) {
        Variable v = sd.getVariables().get(var);
        return v == null || v.getOutputOfOp() == null ? null : sd.getOps().get(v.getOutputOfOp());
    }

    /** The single reader of {@code var} if it is a {@code name} op, else null. */
    private static SameDiffOp only(SameDiff sd, String var, String name) {
        List<SameDiffOp> r = readers(sd, var);
        return r.size() == 1 && is(r.get(0), name) ? r.get(0) : null;
    }

    private static List<SameDiffOp> readers(SameDiff sd, String var) {
        List<SameDiffOp> out = new ArrayList<>();
        for (String n : consumerNames(sd, var)) {
            SameDiffOp op = sd.getOps().get(n);
            if (op != null && !out.contains(op)) out.add(op);
        }
        return out;
    }

    private static List<String> consumerNames(SameDiff sd, String var) {
        Variable v = sd.getVariables().get(var);
        return v == null || v.getInputsForOp() == null ? List.of() : v.getInputsForOp();
    }
}
