package org.adamix4j.graphs;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Questions the gradient-function rewrites ask about a graph's structure. */
final class GradientGraphs {
    private GradientGraphs() {
    }

    /**
     * The variables an execution asking for {@code wanted} computes: {@code wanted} and everything they are
     * computed from (inputs and control dependencies of their producers, transitively). SameDiff executes
     * exactly the ops producing these, so an op none of whose outputs is in the set never runs.
     */
    static Set<String> needed(SameDiff sd, Collection<String> wanted) {
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(wanted);
        while (!queue.isEmpty()) {
            String name = queue.pop();
            if (!seen.add(name)) continue;
            Variable v = sd.getVariables().get(name);
            if (v == null || v.getOutputOfOp() == null) continue;
            SameDiffOp producer = sd.getOps().get(v.getOutputOfOp());
            if (producer.getInputsToOp() != null) queue.addAll(producer.getInputsToOp());
            if (producer.getControlDeps() != null) queue.addAll(producer.getControlDeps());
        }
        return seen;
    }

    static boolean hasReaders(SameDiff sd, String name) {
        Variable v = sd.getVariables().get(name);
        return v != null && v.getInputsForOp() != null && !v.getInputsForOp().isEmpty();
    }

    /**
     * Makes op {@code opName} wait until {@code variable} exists, without reading it.
     *
     * @return false if it already did
     */
    static boolean addControlDependency(SameDiff sd, String opName, String variable) {
        SameDiffOp op = sd.getOps().get(opName);
        List<String> deps = op.getControlDeps() == null ? new ArrayList<>() : new ArrayList<>(op.getControlDeps());
        if (deps.contains(variable)) return false;
        deps.add(variable);
        op.setControlDeps(deps);
        // SameDiff schedules an op when one of its inputs or control dependencies becomes available.
        Variable v = sd.getVariables().get(variable);
        List<String> readers = v.getControlDepsForOp() == null ? new ArrayList<>() : new ArrayList<>(v.getControlDepsForOp());
        if (!readers.contains(opName)) readers.add(opName);
        v.setControlDepsForOp(readers);
        return true;
    }
}
