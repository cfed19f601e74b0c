package org.adamix4j.graphs;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stops SameDiff from computing gradients nobody needs in element-wise ops, and from keeping their operands
 * alive for it.
 *
 * <p>SameDiff differentiates {@code z = x ∘ y} ({@code ∘} one of + − × ÷) with one {@code add_bp},
 * {@code subtract_bp}, {@code multiply_bp} or {@code divide_bp} op that always produces both {@code dL/dx}
 * and {@code dL/dy}, and reads both operands to do so. Two cases need less:
 * <ul>
 *   <li><b>A frozen operand.</b> When y is a CONSTANT (a frozen bias, a LayerNorm scale, the 0.5 and √2 of
 *   GELU, the attention scale) or is computed from constants and placeholders only (the attention mask),
 *   nothing needs {@code dL/dy}, yet computing it is the expensive half: it reduces {@code dL/dz} over every
 *   broadcast axis, and libnd4j's broadcast reductions are slow (measured on all-MiniLM-L6-v2 at 64 × 128
 *   rows: 128 ms per {@code multiply_bp} of a LayerNorm scale, 110 ms per {@code add_bp} of an FFN bias,
 *   where the needed half is one element-wise op of 2–5 ms).</li>
 *   <li><b>A sum or difference of two unbroadcast operands</b> (the residual connections): both gradients
 *   are {@code ±dL/dz}, but {@code add_bp} still reads both operands, only for their shapes, and so keeps
 *   two [batch, seq, hidden] activations alive until the backward pass reaches it.</li>
 *   <li><b>A LayerNorm with frozen γ and β</b>: libnd4j's {@code layer_norm_bp} always reduces for dγ and
 *   dβ too; dL/dx is computed from its formula instead (11 calls per adapter step at 32 × 128: 0.89 s of
 *   {@code layer_norm_bp} became about 0.15 s of element-wise ops and reductions).</li>
 * </ul>
 *
 * <p>This pass rewires the readers of each gradient to the needed part alone: {@code dL/dz} itself (+, and
 * − with x on the left), {@code −dL/dz} (the right of −), {@code dL/dz · y} (×) or {@code dL/dz / y}
 * (x ÷ y). It touches an op only when no output it cannot rewire is needed, so the bp op is then left out of
 * every execution (SameDiff runs only what the requested outputs need), and its operands are released as
 * soon as the forward pass is done with them. An op that still has to run keeps all its readers: a first
 * version that rewired one side of ops still running (a trainable bias's add) made the session read arrays
 * it had already released to its cache (7 such reads per step on tiny BERT, seen by a listener).
 *
 * <p>The shortcut is exact only when the rewired operand is not broadcast ({@code shape(x) == shape(z)});
 * otherwise its gradient needs the reduction too. The gradient graph carries no static shapes, so the
 * shapes come from one real execution: {@link #recorder()} notes the input shapes of every element-wise bp
 * op during a gradient run, and {@link #rewrite} touches only operands that had the output's shape. A
 * dimension that is 1 only by accident of the batch (B = 1, a 1-token sequence, S − 1 = 1) could hide a
 * broadcast, so {@link #informative} says which batches may be recorded.
 */
public final class ConstantOperandGradients {
    private static final Set<String> OPS = Set.of("add_bp", "subtract_bp", "multiply_bp", "divide_bp");
    private static final String LAYER_NORM_BP = "layer_norm_bp";

    private ConstantOperandGradients() {
    }

    /** Whether a batch of {@code rows} × {@code length} tokens is large enough to tell broadcasts apart. */
    public static boolean informative(int rows, int length) {
        return rows >= 2 && length >= 3;
    }

    /** Records the input shapes of element-wise bp ops while it is attached to a gradient function. */
    public static final class Recorder extends BaseListener {
        private final Map<String, long[][]> shapes = new HashMap<>();

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
            String kind = op.getOp().opName();
            if (!(OPS.contains(kind) || LAYER_NORM_BP.equals(kind)) || ctx == null) return;
            List<INDArray> in = ctx.getInputArrays();
            if (in == null || (OPS.contains(kind) && in.size() != 3)) return;
            long[][] s = new long[in.size()][];
            for (int i = 0; i < in.size(); i++) s[i] = in.get(i) == null ? null : in.get(i).shape();
            shapes.put(op.getName(), s);
        }

        /** Op name → the shapes of its inputs (x, y, dL/dz), as last executed. */
        public Map<String, long[][]> shapes() {
            return shapes;
        }
    }

    public static Recorder recorder() {
        return new Recorder();
    }

    /**
     * Applies the rewrite to a gradient function ({@code sd.getFunction("grad")}) whose element-wise bp
     * ops were executed once with {@code recorded} attached.
     *
     * @param wanted the outputs every execution asks for (the parameters' gradients and the loss): what
     *               they do not need is never computed, so its gradient may be dropped
     * @return how many operand gradients were rewired
     */
    public static int rewrite(SameDiff gradFn, Recorder recorded, java.util.Collection<String> wanted) {
        int dropped = 0;
        Set<String> needed = GradientGraphs.needed(gradFn, wanted);
        Map<String, Boolean> trainableAncestry = new HashMap<>();
        for (SameDiffOp op : new ArrayList<>(gradFn.getOps().values())) {
            String kind = op.getOp().opName();
            if (LAYER_NORM_BP.equals(kind)) {
                if (layerNormInputGradientOnly(gradFn, op, recorded.shapes().get(op.getName()), needed)) dropped++;
                continue;
            }
            if (!OPS.contains(kind)) continue;
            long[][] shapes = recorded.shapes().get(op.getName());
            List<String> in = op.getInputsToOp();
            List<String> out = op.getOutputsOfOp();
            if (shapes == null || in == null || in.size() != 3 || out == null || out.size() != 2) continue;
            boolean sum = kind.equals("add_bp") || kind.equals("subtract_bp");
            boolean[] rewire = new boolean[2];
            boolean runsAnyway = false;
            for (int side = 0; side < 2; side++) {
                int other = 1 - side;
                boolean unbroadcast = shapes[side] != null && Arrays.equals(shapes[side], shapes[2]);
                // x ∘ y with y frozen: dL/dx needs only dL/dz and y. A sum needs not even y.
                boolean covered = unbroadcast && type(gradFn, in.get(side)) == VariableType.ARRAY
                        && (sum || frozen(gradFn, in.get(other), trainableAncestry))
                        && !(kind.equals("divide_bp") && side == 1); // c / x needs x: not covered
                rewire[side] = covered && GradientGraphs.hasReaders(gradFn, out.get(side));
                if (!covered && needed.contains(out.get(side))) runsAnyway = true;
            }
            if (runsAnyway) continue;
            for (int side = 0; side < 2; side++) {
                if (!rewire[side]) continue;
                SDVariable replacement = operandGradient(gradFn, kind, side, gradFn.getVariable(in.get(1 - side)),
                        gradFn.getVariable(in.get(2)));
                Splice.after(gradFn, out.get(side), unused -> replacement);
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * {@code layer_norm_bp} with frozen γ and β, replaced by dL/dx alone:
     * {@code (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) / σ} with {@code ĝ = dL/dy · γ}, {@code x̂ = (x − μ) / σ}, σ the
     * biased standard deviation over the normalised (last) axis, without epsilon, as libnd4j's
     * {@code layer_norm} computes it. libnd4j's op also reduces dL/dy over every other axis for dγ and dβ,
     * which made it the most expensive op of a training step (81 ms per call at 32 × 128 × 384, against 13 ms
     * for the forward {@code layer_norm}; 11 calls per step).
     */
    private static boolean layerNormInputGradientOnly(SameDiff gradFn, SameDiffOp op, long[][] shapes, Set<String> needed) {
        List<String> in = op.getInputsToOp();
        List<String> out = op.getOutputsOfOp();
        if (shapes == null || in == null || out == null || in.size() != out.size() + 1 || in.size() < 3) return false;
        for (int i = 1; i < out.size(); i++) if (needed.contains(out.get(i))) return false; // γ or β trains
        if (!GradientGraphs.hasReaders(gradFn, out.get(0))) return false;
        long[] dims = ((org.nd4j.linalg.api.ops.DynamicCustomOp) op.getOp()).iArgs();
        int rank = shapes[0] == null ? -1 : shapes[0].length;
        boolean lastAxis = dims.length == 1 && (dims[0] == -1 || dims[0] == rank - 1);
        if (!lastAxis || shapes[1] == null || shapes[1].length != 1 || !Arrays.equals(shapes[0], shapes[in.size() - 1])) return false;
        SDVariable x = gradFn.getVariable(in.get(0));
        SDVariable gamma = gradFn.getVariable(in.get(1));
        SDVariable dy = gradFn.getVariable(in.get(in.size() - 1));
        int axis = rank - 1;
        SDVariable mean = x.mean(true, axis);
        // Everything below reads x and would otherwise run during the forward pass, keeping x − μ and x̂ (two
        // [rows, seq, hidden] arrays per LayerNorm) until the backward pass: it waits for dL/dy instead.
        GradientGraphs.addControlDependency(gradFn, mean.getCreator().getOwnName(), dy.name());
        SDVariable centred = x.sub(mean);
        SDVariable inverseStd = gradFn.math.rsqrt(centred.mul(centred).mean(true, axis));
        SDVariable normalised = centred.mul(inverseStd);
        SDVariable scaled = dy.mul(gamma);
        SDVariable dx = scaled.sub(scaled.mean(true, axis))
                .sub(normalised.mul(scaled.mul(normalised).mean(true, axis)))
                .mul(inverseStd);
        Splice.after(gradFn, out.get(0), unused -> dx);
        return true;
    }

    /** dL/d(operand at {@code side}) of {@code z = in0 ∘ in1}, given the other operand and dL/dz. */
    private static SDVariable operandGradient(SameDiff sd, String kind, int side, SDVariable other, SDVariable dz) {
        return switch (kind) {
            case "add_bp" -> dz;
            case "subtract_bp" -> side == 0 ? dz : sd.math.neg(dz);
            case "multiply_bp" -> dz.mul(other);
            case "divide_bp" -> dz.div(other);
            default -> throw new IllegalStateException(kind);
        };
    }

    /**
     * True for a CONSTANT, and for an intermediate array computed from constants and placeholders only,
     * such as the additive attention mask built from {@code attention_mask}: nothing trainable lies
     * behind it, so its gradient is never needed either. (For the mask this also frees the masked-out
     * scores, [batch, heads, seq, seq] per layer, which {@code add_bp} would otherwise keep for the
     * backward pass.)
     */
    static boolean frozen(SameDiff sd, String name, Map<String, Boolean> memo) {
        VariableType t = type(sd, name);
        return t == VariableType.CONSTANT || (t == VariableType.ARRAY && !dependsOnTrainable(sd, name, memo));
    }

    private static boolean dependsOnTrainable(SameDiff sd, String name, Map<String, Boolean> memo) {
        Boolean known = memo.get(name);
        if (known != null) return known;
        memo.put(name, true); // a cycle (never in these graphs) is treated as trainable: no rewrite
        SDVariable v = sd.getVariable(name);
        boolean result;
        if (v == null || v.getVariableType() == VariableType.VARIABLE) {
            result = true;
        } else if (v.getVariableType() != VariableType.ARRAY) {
            result = false;
        } else {
            Variable meta = sd.getVariables().get(name);
            SameDiffOp producer = meta.getOutputOfOp() == null ? null : sd.getOps().get(meta.getOutputOfOp());
            result = producer == null; // an ARRAY nobody produces: be safe
            if (producer != null && producer.getInputsToOp() != null) {
                for (String input : producer.getInputsToOp()) {
                    if (dependsOnTrainable(sd, input, memo)) {
                        result = true;
                        break;
                    }
                }
            }
        }
        memo.put(name, result);
        return result;
    }

    private static VariableType type(SameDiff sd, String name) {
        SDVariable v = sd.getVariable(name);
        return v == null ? null : v.getVariableType();
    }
}
