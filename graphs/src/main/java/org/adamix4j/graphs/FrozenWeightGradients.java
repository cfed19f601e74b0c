package org.adamix4j.graphs;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops SameDiff from computing gradients of frozen weights in matrix products.
 *
 * <p>SameDiff differentiates {@code y = x·W} with one {@code matmul_bp} op that always produces both
 * {@code dL/dx} and {@code dL/dW}, even when W is a CONSTANT whose gradient nothing reads. In a frozen
 * encoder every projection is such a product, so a third of the backward matrix work is thrown away
 * (PyTorch skips it: {@code requires_grad=False}). This pass rewrites the gradient function: for every
 * {@code matmul_bp} whose weight input is a CONSTANT it adds a plain product {@code dL/dy · Wᵀ} and
 * rewires the readers of {@code dL/dx} to it. The {@code matmul_bp} op is left with no readers, and
 * SameDiff executes only the ops the requested outputs need, so it never runs.
 */
public final class FrozenWeightGradients {
    private FrozenWeightGradients() {
    }

    /**
     * Applies the rewrite to a gradient function ({@code sd.getFunction("grad")} after
     * {@code createGradFunction}).
     *
     * @return how many weight gradients were dropped
     */
    public static int skipConstantWeightGradients(SameDiff gradFn) {
        int skipped = 0;
        for (SameDiffOp op : new ArrayList<>(gradFn.getOps().values())) {
            if (!"matmul_bp".equals(op.getOp().opName())) continue;
            List<String> in = op.getInputsToOp();
            if (in == null || in.size() != 3) continue;
            if (gradFn.getVariable(in.get(1)).getVariableType() != VariableType.CONSTANT) continue;
            // iArgs: transposeA, transposeB, transposeResult. Only x·W and x·Wᵀ are rewritten.
            long[] t = ((DynamicCustomOp) op.getOp()).iArgs();
            boolean transposeA = t.length > 0 && t[0] != 0;
            boolean transposeB = t.length > 1 && t[1] != 0;
            boolean transposeZ = t.length > 2 && t[2] != 0;
            if (transposeA || transposeZ) continue;
            String dx = op.getOutputsOfOp().get(0);
            Variable dxVar = gradFn.getVariables().get(dx);
            if (dxVar.getInputsForOp() == null || dxVar.getInputsForOp().isEmpty()) continue;
            // y = x·W  ⇒ dx = dy·Wᵀ;   y = x·Wᵀ ⇒ dx = dy·W.
            SDVariable replacement = gradFn.mmul(gradFn.getVariable(in.get(2)), gradFn.getVariable(in.get(1)),
                    false, !transposeB, false);
            Splice.after(gradFn, dx, unused -> replacement);
            skipped++;
        }
        return skipped;
    }
}
