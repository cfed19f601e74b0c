package org.adamix4j.modules;

/**
 * What kind of forward pass the placeholders are drawn for. A batch may hold several stochastic
 * passes side by side ({@code groups}): AdaMix's consistency regularisation runs the batch twice in
 * one execution, rows [0, B) with one routing and dropout draw and rows [B, 2B) with another.
 *
 * @param training dropout on, routing as {@code routing} says
 * @param groups   number of equal parts of the batch, each its own stochastic pass (≥ 1)
 * @param routing  how mixture modules choose experts
 * @param expert   the expert for {@link Routing#FIXED}
 */
public record Pass(boolean training, int groups, Routing routing, int expert) {
    /** How a mixture of experts is used in a pass. */
    public enum Routing {
        /** One random expert per group, layer and projection: AdaMix training. */
        PER_GROUP,
        /** One random expert per example: the paper's "random routing" inference ablation. */
        PER_EXAMPLE,
        /** The same expert for every input: the paper's "fixed routing" ablation. */
        FIXED,
        /** The mean of the experts' weights: numerically the merged AdaMix model. */
        AVERAGE
    }

    public Pass {
        if (groups < 1) throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        if (routing == null) throw new IllegalArgumentException("routing must not be null");
        if (expert < 0) throw new IllegalArgumentException("expert must be >= 0, got " + expert);
    }

    /** A training pass over {@code groups} stochastic copies. */
    public static Pass train(int groups) {
        return new Pass(true, groups, Routing.PER_GROUP, 0);
    }

    /** Inference: no dropout, experts averaged (the merged model's numbers). */
    public static Pass eval() {
        return new Pass(false, 1, Routing.AVERAGE, 0);
    }

    public static Pass randomRouting() {
        return new Pass(false, 1, Routing.PER_EXAMPLE, 0);
    }

    public static Pass fixedRouting(int expert) {
        return new Pass(false, 1, Routing.FIXED, expert);
    }
}
