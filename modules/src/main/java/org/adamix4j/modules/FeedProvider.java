package org.adamix4j.modules;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Supplies placeholders a module needs besides the tokens, drawn in Java from an explicit random
 * stream (SameDiff's own random ops take static shapes and no seed we control): dropout masks, and
 * for AdaMix the routing choice.
 */
@FunctionalInterface
public interface FeedProvider {
    /**
     * @param batch  rows of the batch (all groups together)
     * @param length padded sequence length
     * @param pass   training or inference, groups, routing
     * @param rng    the run's random stream
     */
    Map<String, INDArray> feeds(int batch, int length, Pass pass, SplittableRandom rng);
}
