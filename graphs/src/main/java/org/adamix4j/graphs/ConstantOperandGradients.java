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
 * Stops SameDiff from computing gradients of frozen operands of element-wise ops.
 *
 * <p>SameDiff differentiates {@code z = x ∘ c} ({@code ∘} one of + − × ÷) with one {@code add_bp},
 * {@code subtract_bp}, {@code multiply_bp} or {@code divide_bp} op that always produces both {@code dL/dx}
 * and {@code dL/dc}. When {@code c} is a CONSTANT (a frozen bias, a LayerNorm scale, the 0.5 and √2 of
 * GELU, the attention scale) nothing reads {@code dL/dc}, yet computing it is the expensive half: it
 * reduces {@code dL/dz} over every broadcast axis, and libnd4j's broadcast reductions are slow (measured
 * on all-MiniLM-L6-v2 at 64 × 128 rows: 128 ms per {@code multiply_bp} of a LayerNorm scale, 110 ms per
 * {@code add_bp} of an FFN bias, where the needed half is one element-wise op of 2–5 ms).
 *
 * <p>This pass rewires the readers of {@code dL/dx} to the needed half alone: {@code dL/dz} itself (+, and
 * − with x on the left), {@code −dL/dz} (c − x), {@code dL/dz · c} (×) or {@code dL/dz / c} (x ÷ c). The
 * bp op is then left with no readers and SameDiff never executes it.
 *
 * <p>The shortcut is exact only when x is not broadcast ({@code shape(x) == shape(z)}); otherwise
 * {@code dL/dx} needs the reduction too. The gradient graph carries no static shapes, so the shapes come
 * from one real execution: {@link #recorder()} notes the input shapes of every element-wise bp op during a
 * gradient run, and {@link #rewrite} touches only ops whose non-constant operand had the output's shape.
 * A dimension that is 1 only by accident of the batch (B = 1, a 1-token sequence, S − 1 = 1) could hide a
 * broadcast, so {@link #informative} says which batches may be recorded.
 */
public final class ConstantOperandGradients {
    private static final Set<String> OPS = Set.of("add_bp", "subtract_bp", "multiply_bp", "divide_bp");

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
            if (!OPS.contains(op.getOp().opName()) || ctx == null) return;
            List<INDArray> in = ctx.getInputArrays();
            if (in == null || in.size() != 3) return;
            long[][] s = new long[3][];
            for (int i = 0; i < 3; i++) s[i] = in.get(i) == null ? null : in.get(i).shape();
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
     * @return how many constant-operand gradients were dropped
     */
    public static int rewrite(SameDiff gradFn, Recorder recorded) {
        int dropped = 0;
        Map<String, Boolean> trainableAncestry = new HashMap<>();
        for (SameDiffOp op : new ArrayList<>(gradFn.getOps().values())) {
            String kind = op.getOp().opName();
            if (!OPS.contains(kind)) continue;
            long[][] shapes = recorded.shapes().get(op.getName());
            List<String> in = op.getInputsToOp();
            List<String> out = op.getOutputsOfOp();
            if (shapes == null || in == null || in.size() != 3 || out == null || out.size() != 2) continue;
            for (int side = 0; side < 2; side++) {
                int other = 1 - side;
                if (!frozen(gradFn, in.get(other), trainableAncestry)) continue;
                // A trainable operand's gradient is a requested output: the op must run anyway.
                if (type(gradFn, in.get(side)) != VariableType.ARRAY) continue;
                // Broadcast x: dL/dx needs the reduction, keep the op.
                if (shapes[side] == null || !Arrays.equals(shapes[side], shapes[2])) continue;
                // Somebody reads dL/dc (should not happen for a constant): the op runs anyway.
                if (hasReaders(gradFn, out.get(other))) continue;
                Variable dx = gradFn.getVariables().get(out.get(side));
                if (dx.getInputsForOp() == null || dx.getInputsForOp().isEmpty()) continue;
                SDVariable replacement = needed(gradFn, kind, side, gradFn.getVariable(in.get(other)),
                        gradFn.getVariable(in.get(2)));
                if (replacement == null) continue;
                Splice.after(gradFn, dx.getName(), unused -> replacement);
                dropped++;
            }
        }
        return dropped;
    }

    /** dL/d(operand at {@code side}) of {@code z = in0 ∘ in1}, given the constant and dL/dz; null if not covered. */
    private static SDVariable needed(SameDiff sd, String kind, int side, SDVariable constant, SDVariable dz) {
        return switch (kind) {
            case "add_bp" -> dz;
            case "subtract_bp" -> side == 0 ? dz : sd.math.neg(dz);
            case "multiply_bp" -> dz.mul(constant);
            case "divide_bp" -> side == 0 ? dz.div(constant) : null; // c / x needs x: not covered
            default -> null;
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

    private static boolean hasReaders(SameDiff sd, String name) {
        Variable v = sd.getVariables().get(name);
        return v != null && v.getInputsForOp() != null && !v.getInputsForOp().isEmpty();
    }
}
