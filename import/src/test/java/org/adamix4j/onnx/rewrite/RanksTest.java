package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Static rank inference used by {@link PositiveReduceAxes}, {@link ShapeGatherAsVector} and
 * {@link FlattenMatMul}: ranks follow shape arithmetic through Shape, Gather, Unsqueeze, Concat and
 * Reshape, and unknown ranks stay absent instead of being guessed.
 */
class RanksTest {
    @Test
    void rankFlowsThroughReshapeOfConcatOfUnsqueezes() {
        ModelProto m = graph().input("x", 2, 3, 4)
                .longs("i0", dims(), 0).longs("i1", dims(), 1).longs("minusOne", dims(1), -1)
                .node("Shape", "shape", "shape", List.of("x"))
                .node("Gather", "g0", "d0", List.of("shape", "i0"), intAttr("axis", 0))
                .node("Gather", "g1", "d1", List.of("shape", "i1"), intAttr("axis", 0))
                .node("Unsqueeze", "u0", "u0", List.of("d0"), ints("axes", 0))
                .node("Unsqueeze", "u1", "u1", List.of("d1"), ints("axes", 0))
                .node("Concat", "cat", "target", List.of("u0", "u1", "minusOne"), intAttr("axis", 0))
                .node("Reshape", "reshape", "r", List.of("x", "target"))
                .node("ReduceMean", "mean", "m", List.of("r"), ints("axes", -1), intAttr("keepdims", 0))
                .output("m").model();
        Map<String, Integer> ranks = Ranks.infer(OnnxGraph.of(m));
        assertEquals(3, ranks.get("x"));
        assertEquals(1, ranks.get("shape"));
        assertEquals(0, ranks.get("d0"));
        assertEquals(1, ranks.get("u0"));
        assertEquals(1, ranks.get("target"));
        assertEquals(3, ranks.get("r"));
        assertEquals(2, ranks.get("m"));
    }

    @Test
    void reshapeToAShapeOfUnknownLengthHasNoRank() {
        ModelProto m = graph().input("x", 2, 3, 4)
                .node("NonZero", "nz", "nz", List.of("x"))
                .node("Reshape", "reshape", "r", List.of("x", "nz"))
                .output("r").model();
        Map<String, Integer> ranks = Ranks.infer(OnnxGraph.of(m));
        assertFalse(ranks.containsKey("nz"));
        assertFalse(ranks.containsKey("r"));
    }
}
