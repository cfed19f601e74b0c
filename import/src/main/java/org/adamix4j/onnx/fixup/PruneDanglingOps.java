package org.adamix4j.onnx.fixup;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.Variable;

import java.util.List;
import java.util.Set;

/**
 * Removes references from variables to ops that are not in the graph. The importer leaves such
 * references behind (ops it created and then replaced); inference ignores them, but building the
 * gradient function walks them and fails with a NullPointerException in createGradFunction.
 */
public final class PruneDanglingOps implements ImportFixup {
    @Override
    public String name() {
        return "prune-dangling-ops";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(SameDiff sd) {
        Set<String> ops = sd.getOps().keySet();
        int count = 0;
        for (Variable v : sd.getVariables().values()) {
            count += prune(v.getInputsForOp(), ops);
            count += prune(v.getControlDepsForOp(), ops);
            count += prune(v.getControlDepsForVar(), ops);
            if (v.getOutputOfOp() != null && !ops.contains(v.getOutputOfOp())) {
                v.setOutputOfOp(null);
                count++;
            }
        }
        return count;
    }

    private static int prune(List<String> names, Set<String> ops) {
        if (names == null) return 0;
        int before = names.size();
        names.removeIf(n -> !ops.contains(n));
        return before - names.size();
    }
}
