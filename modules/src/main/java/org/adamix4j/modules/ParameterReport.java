package org.adamix4j.modules;

import java.util.List;

/**
 * What a method added to a model.
 *
 * @param method    method type
 * @param sites     sites touched, as "KIND@layer"
 * @param module    trainable scalars of the method itself
 * @param head      trainable scalars of the task head
 * @param total     all scalars of the model (frozen and trainable)
 */
public record ParameterReport(String method, List<String> sites, long module, long head, long total) {
    public long trainable() {
        return module + head;
    }

    /** Trainable share of all parameters, in percent. */
    public double percent() {
        return 100.0 * trainable() / total;
    }

    @Override
    public String toString() {
        return String.format("%s: %d sites, trainable %,d (module %,d + head %,d) of %,d = %.3f%%",
                method, sites.size(), trainable(), module, head, total, percent());
    }
}
