package org.adamix4j.eval.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Orders training examples into batches. With bucketing, examples are sorted by length (ties broken at
 * random), cut into batches of similar length and the batches shuffled, so a batch of short sentences
 * is not padded to the length of a long one; without it, examples are shuffled and cut.
 */
public final class Batches {
    private Batches() {
    }

    /** Index batches over examples of the given token lengths, for one epoch drawn from {@code rnd}. */
    public static List<int[]> epoch(int[] lengths, int batchSize, boolean bucketing, Random rnd) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) order.add(i);
        Collections.shuffle(order, rnd);
        if (bucketing) order.sort(Comparator.comparingInt(i -> lengths[i])); // stable: shuffled ties stay shuffled
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.size(); start += batchSize) {
            int end = Math.min(order.size(), start + batchSize);
            batches.add(order.subList(start, end).stream().mapToInt(Integer::intValue).toArray());
        }
        if (bucketing) Collections.shuffle(batches, rnd);
        return batches;
    }

    /** Padded token positions a set of batches costs: sum over batches of size × longest. */
    public static long paddedTokens(List<int[]> batches, int[] lengths) {
        long total = 0;
        for (int[] b : batches) {
            int max = 0;
            for (int i : b) max = Math.max(max, lengths[i]);
            total += (long) max * b.length;
        }
        return total;
    }
}
