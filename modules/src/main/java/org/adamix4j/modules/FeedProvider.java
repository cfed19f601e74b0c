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
     * @param batch    batch size
     * @param length   padded sequence length
     * @param training true for a training pass (draw masks/routes), false for inference
     * @param rng      the run's random stream
     */
    Map<String, INDArray> feeds(int batch, int length, boolean training, SplittableRandom rng);
}
