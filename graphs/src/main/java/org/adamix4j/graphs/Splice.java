package org.adamix4j.graphs;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Splices a sub-graph in after a variable: every op that read the variable reads the sub-graph's
 * output instead. The imported graph is static, so this is how modules enter it without rebuilding
 * anything: {@code h -> h + up(act(down(h)))} at a site's output.
 */
public final class Splice {
    private Splice() {
    }

    /**
     * Builds {@code module(v)} for the variable {@code name} and rewires all of v's previous consumers
     * to the result. Ops created by {@code module} keep reading v.
     *
     * @return the new variable standing in for v
     * @throws IllegalArgumentException if the graph has no such variable, or v is a graph output that
     *                                  nothing else reads (there is then nothing to rewire)
     */
    public static SDVariable after(SameDiff sd, String name, UnaryOperator<SDVariable> module) {
        Variable v = sd.getVariables().get(name);
        if (v == null) throw new IllegalArgumentException("no variable '" + name + "' in the graph to splice after");
        List<String> consumers = v.getInputsForOp() == null ? List.of() : new ArrayList<>(v.getInputsForOp());
        if (consumers.isEmpty()) {
            throw new IllegalArgumentException("variable '" + name + "' has no consumers to rewire"
                    + " (splicing after a graph output is not supported)");
        }
        SDVariable out = module.apply(v.getVariable());
        for (String opName : consumers) {
            DifferentialFunction op = sd.getOpById(opName);
            String[] args = op.argNames();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals(name)) sd.replaceArgFor(i, out, op);
            }
        }
        return out;
    }
}
