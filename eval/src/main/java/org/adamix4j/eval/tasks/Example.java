package org.adamix4j.eval.tasks;

import java.util.Objects;

/**
 * One example. textB null for single-sentence tasks; label = class index (0..k-1) or a score for
 * regression, NaN if unlabelled (test files).
 *
 * <p>Texts are kept exactly as they appear in the file (GLUE's SST-2, for instance, keeps a space
 * before the tab); normalising whitespace is the tokenizer's job, not the reader's.
 *
 * @param id    the row's id: the file's {@code index} (QQP: {@code id}) column where it has one,
 *              otherwise the 0-based number of the data row in its file
 * @param textA the first (or only) text
 * @param textB the second text of a pair task, {@code null} for single-sentence tasks
 * @param label the class index in {@link Task#labels()} order, the score of a regression task, or
 *              {@link Double#NaN} when the file has no label (test splits)
 */
public record Example(String id, String textA, String textB, double label) {
    /**
     * Checks that id and textA are present; textB may be null.
     *
     * @param id    the row's id
     * @param textA the first (or only) text
     * @param textB the second text, or null
     * @param label class index, score, or NaN
     * @throws NullPointerException if {@code id} or {@code textA} is null
     */
    public Example {
        // Fail here rather than deep in a tokenizer, where a null would be hard to trace back.
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(textA, "textA");
    }
}
