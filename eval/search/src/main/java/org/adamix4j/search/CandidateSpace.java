package org.adamix4j.search;

import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Arbiter parameter space of a {@link SearchSpace}: one Arbiter leaf per varying knob
 * (ContinuousParameterSpace, with a LogUniformDistribution for log-uniform knobs; IntegerParameterSpace;
 * DiscreteParameterSpace); fixed knobs are not leaves, so grid search does not count them. A candidate is
 * the map knob id → value of every knob in the space, fixed ones included, in the space's order.
 *
 * <p>{@link #getValue} never throws: a combination the configs reject fails later, as a recorded failed
 * candidate (an exception here would be dropped by Arbiter's runner without being counted).
 */
public final class CandidateSpace implements ParameterSpace<Map<String, Object>> {
    private final Map<String, Object> fixed = new LinkedHashMap<>();
    private final Map<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    CandidateSpace(SearchSpace space) {
        space.ranges().forEach((k, r) -> {
            order.add(k.id());
            ParameterSpace<?> leaf = r.toArbiter();
            if (leaf == null) fixed.put(k.id(), ((SearchSpace.Fixed) r).value());
            else leaves.put(k.id(), leaf);
        });
    }

    @Override
    public Map<String, Object> getValue(double[] parameterValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String id : order) {
            ParameterSpace<?> leaf = leaves.get(id);
            out.put(id, leaf == null ? fixed.get(id) : leaf.getValue(parameterValues));
        }
        return out;
    }

    @Override
    public int numParameters() {
        return leaves.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> out = new ArrayList<>();
        for (ParameterSpace<?> leaf : leaves.values()) out.addAll(leaf.collectLeaves());
        return out;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(leaves));
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("CandidateSpace is not a leaf: Arbiter sets indices on its leaves");
    }
}
