package org.adamix4j.onnx.rewrite;

/**
 * One rewrite of an ONNX graph that works around a defect of samediff-import-onnx 1.0.0-M2.1.
 * A rule changes only what it must, keeps the graph's numerical meaning (ONNX Runtime gives the
 * same outputs before and after) and reports how many places it rewrote.
 */
public interface OnnxRewriteRule {
    /** Stable name; part of the import cache key together with {@link #version()}. */
    String name();

    /** Bumped whenever the rule's output changes, so that cached imports are rebuilt. */
    int version();

    /** Rewrites {@code graph} in place and returns the number of rewritten places. */
    int apply(OnnxGraph graph);
}
