package org.adamix4j.onnx.fixup;

import org.nd4j.autodiff.samediff.SameDiff;

/**
 * One repair applied to a SameDiff graph right after samediff-import-onnx built it, for defects that
 * cannot be avoided by rewriting the ONNX model first.
 */
public interface ImportFixup {
    /** Stable name; part of the import cache key together with {@link #version()}. */
    String name();

    /** Bumped whenever the fix-up's output changes, so that cached imports are rebuilt. */
    int version();

    /** Repairs {@code sd} in place and returns the number of repaired places. */
    int apply(SameDiff sd);
}
