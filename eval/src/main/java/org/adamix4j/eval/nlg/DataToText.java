package org.adamix4j.eval.nlg;

import java.util.List;

/**
 * One data-to-text input (a linearised meaning representation or triple set) with all its human references.
 *
 * @param source     the input as text, e.g. {@code name[The Eagle], eatType[coffee shop]}
 * @param references the reference texts, at least one for training and scoring data
 */
public record DataToText(String source, List<String> references) {
    public DataToText {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("data-to-text source must be non-empty");
        }
        references = List.copyOf(references);
    }
}
