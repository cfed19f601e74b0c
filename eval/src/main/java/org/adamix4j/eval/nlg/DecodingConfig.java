package org.adamix4j.eval.nlg;

/**
 * Decoding settings. Beam size 1 is greedy search.
 *
 * @param beamSize          hypotheses kept per input (≥ 1); 1 = greedy
 * @param lengthPenalty     a finished hypothesis scores sum(log p) / (generated tokens)^lengthPenalty
 *                          (Hugging Face's convention; reference 0.8); unused by greedy search
 * @param noRepeatNgramSize no n-gram of this size occurs twice in prompt + output (0 = off; reference 4)
 * @param maxNewTokens      most tokens generated per input, EOS included (≥ 1; reference 64)
 */
public record DecodingConfig(int beamSize, double lengthPenalty, int noRepeatNgramSize, int maxNewTokens) {
    public DecodingConfig {
        if (beamSize < 1) throw new IllegalArgumentException("beam size must be >= 1, got " + beamSize);
        if (!Double.isFinite(lengthPenalty)) throw new IllegalArgumentException("length penalty must be finite, got " + lengthPenalty);
        if (noRepeatNgramSize < 0) throw new IllegalArgumentException("no-repeat n-gram size must be >= 0, got " + noRepeatNgramSize);
        if (maxNewTokens < 1) throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
    }

    /** The reference's settings: beam 10, length penalty 0.8, no-repeat 4-grams, 64 new tokens. */
    public static DecodingConfig reference() {
        return new DecodingConfig(10, 0.8, 4, 64);
    }

    public static DecodingConfig greedy(int maxNewTokens) {
        return new DecodingConfig(1, 1.0, 0, maxNewTokens);
    }
}
