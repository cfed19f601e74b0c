package org.adamix4j.eval.nlg;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Greedy and beam search on a hand-made next-token table (tokens a = 0, b = 1, EOS = 2). */
class DecoderTest {
    private static final long P = 7; // the prompt token

    /**
     * After [P]: a 0.6, b 0.4. After [P a]: EOS 0.2, a 0.4, b 0.4. After [P b]: EOS 0.9, a 0.05, b 0.05.
     * After three tokens: EOS 1. Greedy takes a (0.6), then a (tie, lower id), then EOS: P = 0.24.
     * Beam search (K = 2, no length penalty) finds [b] EOS with P = 0.36.
     */
    private static double[] table(long[] seq) {
        double[] p = new double[8];
        int n = seq.length - 1;
        if (n == 0) { p[0] = 0.6; p[1] = 0.4; }
        else if (n == 1 && seq[1] == 0) { p[2] = 0.2; p[0] = 0.4; p[1] = 0.4; }
        else if (n == 1) { p[2] = 0.9; p[0] = 0.05; p[1] = 0.05; }
        else p[2] = 1;
        double[] logits = new double[8];
        for (int i = 0; i < 8; i++) logits[i] = p[i] > 0 ? Math.log(p[i]) : -1e9;
        return logits;
    }

    private static Decoder decoder(List<Integer> calls) {
        return new Decoder(seqs -> {
            calls.add(seqs.size());
            List<double[]> out = new ArrayList<>();
            for (long[] s : seqs) out.add(table(s));
            return out;
        }, 2);
    }

    @Test
    void greedyTakesTheLocallyBestTokenAndBeamSearchFindsTheLikelierText() {
        List<Integer> calls = new ArrayList<>();
        Decoder d = decoder(calls);
        assertArrayEquals(new long[]{0, 0}, d.generate(List.of(new long[]{P}), DecodingConfig.greedy(10)).get(0));
        assertEquals(List.of(1, 1, 1), calls, "one row per step, three steps");
        assertArrayEquals(new long[]{1}, d.generate(List.of(new long[]{P}), new DecodingConfig(2, 0.0, 0, 10)).get(0));
        assertArrayEquals(new long[]{0, 0}, d.generate(List.of(new long[]{P}), new DecodingConfig(1, 0.0, 0, 10)).get(0),
                "beam size 1 is greedy");
    }

    @Test
    void lengthPenaltyFavoursLongerHypotheses() {
        // [b] EOS: log 0.36 / 2^lp; [a a] EOS: log 0.24 / 3^lp. lp = 2: -0.255 vs -0.159, the longer one wins.
        Decoder d = decoder(new ArrayList<>());
        assertArrayEquals(new long[]{0, 0}, d.generate(List.of(new long[]{P}), new DecodingConfig(2, 2.0, 0, 10)).get(0));
    }

    @Test
    void maxNewTokensCutsGenerationAndBatchesKeepTheirOrder() {
        Decoder d = decoder(new ArrayList<>());
        List<long[]> out = d.generate(List.of(new long[]{P}, new long[]{P, 1}), DecodingConfig.greedy(1));
        assertArrayEquals(new long[]{0}, out.get(0));
        assertArrayEquals(new long[]{}, out.get(1), "after [P b] greedy picks EOS at once");
    }

    @Test
    void noRepeatNgramBansTheTokenThatWouldRepeatAnNgram() {
        double[] s = new double[5];
        Decoder.ban(s, new long[]{1, 2, 3, 1, 2}, 3);
        assertEquals(Double.NEGATIVE_INFINITY, s[3], "1 2 3 occurred: 3 after 1 2 is banned");
        assertEquals(0.0, s[1] + s[2] + s[4] + s[0]);
        double[] t = new double[5];
        Decoder.ban(t, new long[]{4, 4}, 2);
        assertEquals(Double.NEGATIVE_INFINITY, t[4], "4 4 occurred: 4 after 4 is banned");
    }

    @Test
    void topKOrdersLargestFirstWithTiesByIndex() {
        assertArrayEquals(new int[]{2, 0, 3}, Decoder.topK(new double[]{0.5, 0.1, 0.9, 0.5}, 3));
        assertArrayEquals(new int[]{1, 0}, Decoder.topK(new double[]{0.2, 0.7}, 5));
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DecodingConfig(0, 1, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new DecodingConfig(1, 1, -1, 5));
        assertThrows(IllegalArgumentException.class, () -> new DecodingConfig(1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> decoder(new ArrayList<>()).generate(List.of(new long[0]), DecodingConfig.greedy(3)));
    }
}
