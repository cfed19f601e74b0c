package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect: Gather of a scalar index from a Shape yields a [1] vector instead of a scalar, the following
 * Unsqueeze makes it [1, 1], and the Concat that assembles a Reshape target fails ("Op concat with
 * name cat failed ... Op validation failed") unless {@link ShapeGatherAsVector} replaces
 * Gather+Unsqueeze by a Gather with a one-element index vector.
 */
class ShapeGatherAsVectorTest {
    private static final float[] X = sample(24, 6);
    private static final float[] S = {3f, -0.5f};

    /**
     * The PyTorch reshape idiom: y = Reshape(x[2,3,4], Concat(Unsqueeze(Gather(Shape(x), 0)),
     * Unsqueeze(Gather(Shape(x), 1)), [2, 2])) * s[2], i.e. x viewed as [2,3,2,2], scaled per last index.
     */
    static ModelProto model() {
        return graph().input("x", 2, 3, 4)
                .longs("i0", dims(), 0).longs("i1", dims(), 1).longs("rest", dims(2), 2, 2)
                .floats("s", dims(2), S)
                .node("Shape", "shape", "shape", List.of("x"))
                .node("Gather", "g0", "d0", List.of("shape", "i0"), intAttr("axis", 0))
                .node("Gather", "g1", "d1", List.of("shape", "i1"), intAttr("axis", 0))
                .node("Unsqueeze", "u0", "u0", List.of("d0"), ints("axes", 0))
                .node("Unsqueeze", "u1", "u1", List.of("d1"), ints("axes", 0))
                .node("Concat", "cat", "target", List.of("u0", "u1", "rest"), intAttr("axis", 0))
                .node("Reshape", "reshape", "r", List.of("x", "target"))
                .node("Mul", "scale", "y", List.of("r", "s"))
                .output("y").model();
    }

    static float[] expected() {
        float[] y = new float[24];
        for (int b = 0; b < 2; b++)
            for (int s = 0; s < 3; s++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) {
                        int flat = ((b * 3 + s) * 2 + i) * 2 + j; // same row-major order as x[b][s][2i+j]
                        y[flat] = X[(b * 3 + s) * 4 + i * 2 + j] * S[j];
                    }
        return y;
    }

    private static Map<String, INDArray> inputs() {
        return Map.of("x", array(X, 2, 3, 4));
    }

    @Test
    void standardImportComputesTheGraph() {
        GraphImport.Result r = GraphImport.standard().run(model(), "shape gather");
        assertEquals(2, fired(r, new ShapeGatherAsVector()));
        assertClose(expected(), dims(2, 3, 2, 2), runArray(r.sameDiff(), inputs(), "y"));
    }

    @Test
    void withoutTheRuleTheImportFails() {
        assertFails("shape-gather-as-vector", "concat", () ->
                run(importWith(withoutRule(ShapeGatherAsVector.class), model()), inputs(), "y"));
    }

    @Test
    void gatherAndUnsqueezeBecomeAVectorGatherOfTheShape() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(2, new ShapeGatherAsVector().apply(g));
        assertEquals(List.of("Shape", "Gather", "Gather", "Concat", "Reshape", "Mul"), opTypes(g));
        NodeProto.Builder u1 = nodeNamed(g, "u1");
        assertEquals(List.of("u1"), u1.getOutputList(), "the Unsqueeze's output name is kept");
        assertEquals(List.of("shape", u1.getInput(1)), u1.getInputList());
        assertEquals(0L, OnnxGraph.attribute(u1, "axis").orElseThrow().getI());
        assertArrayEquals(new long[]{1}, Tensors.longs(g.initializer(u1.getInput(1)).orElseThrow()));
        assertEquals(1, g.initializer(u1.getInput(1)).orElseThrow().getDimsCount(), "a vector index, not a scalar");
        assertTrue(g.initializer("i0").isEmpty() && g.initializer("i1").isEmpty(), "old indices pruned");
    }

    @Test
    void negativeIndexIsNormalisedWithTheRank() {
        ModelProto m = graph().input("x", 2, 3, 4).longs("last", dims(), -1)
                .node("Shape", "shape", "shape", List.of("x"))
                .node("Gather", "g", "d", List.of("shape", "last"), intAttr("axis", 0))
                .node("Unsqueeze", "u", "u", List.of("d"), ints("axes", 0))
                .output("u").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(1, new ShapeGatherAsVector().apply(g));
        NodeProto.Builder u = nodeNamed(g, "u");
        assertArrayEquals(new long[]{2}, Tensors.longs(g.initializer(u.getInput(1)).orElseThrow()));
    }

    /**
     * GPT-2's {@code input_ids.view(-1, T)} with T also feeding a Cast: r = Reshape(x[2,3,4],
     * Concat([-1], Unsqueeze(Gather(Shape(x), 2)))) and df = Cast(Gather(Shape(x), 2), FLOAT).
     */
    static ModelProto sharedGather() {
        return graph().input("x", 2, 3, 4)
                .longs("i2", dims(), 2).longs("minus1", dims(1), -1)
                .node("Shape", "shape", "shape", List.of("x"))
                .node("Gather", "g", "d", List.of("shape", "i2"), intAttr("axis", 0))
                .node("Unsqueeze", "u", "u", List.of("d"), ints("axes", 0))
                .node("Concat", "cat", "target", List.of("minus1", "u"), intAttr("axis", 0))
                .node("Reshape", "reshape", "r", List.of("x", "target"))
                .node("Cast", "cast", "df", List.of("d"), intAttr("to", 1))
                .output("r").output("df").model();
    }

    @Test
    void aGatherWithOtherReadersKeepsThemAndItsUnsqueezeBecomesAVectorGather() {
        GraphImport.Result r = GraphImport.standard().run(sharedGather(), "shared gather");
        assertEquals(1, fired(r, new ShapeGatherAsVector()));
        assertClose(X, dims(6, 4), runArray(r.sameDiff(), inputs(), "r"));
        assertEquals(4f, values(runArray(r.sameDiff(), inputs(), "df"))[0], "the Cast still reads the Gather");
        assertFails("shape-gather-as-vector (shared)", "concat", () ->
                run(importWith(withoutRule(ShapeGatherAsVector.class), sharedGather()), inputs(), "r"));
        OnnxGraph g = OnnxGraph.of(sharedGather());
        new ShapeGatherAsVector().apply(g);
        assertEquals(List.of("Shape", "Gather", "Gather", "Concat", "Reshape", "Cast"), opTypes(g));
    }

    @Test
    void otherGathersAreLeftAlone() {
        ModelProto m = graph().input("x", 2, 3, 4).longs("i", dims(), 1).longs("v", dims(1), 1)
                .node("Shape", "shape", "shape", List.of("x"))
                .node("Gather", "toCast", "d", List.of("shape", "i"), intAttr("axis", 0))
                .node("Cast", "cast", "c", List.of("d"), intAttr("to", 1))
                .node("Gather", "vectorIndex", "e", List.of("shape", "v"), intAttr("axis", 0))
                .node("Unsqueeze", "ue", "ue", List.of("e"), ints("axes", 0))
                .node("Gather", "notShape", "f", List.of("x", "i"), intAttr("axis", 0))
                .node("Unsqueeze", "uf", "uf", List.of("f"), ints("axes", 0))
                .output("c").output("ue").output("uf").model();
        OnnxGraph g = OnnxGraph.of(m);
        assertEquals(0, new ShapeGatherAsVector().apply(g));
        assertEquals(List.of("Shape", "Gather", "Cast", "Gather", "Unsqueeze", "Gather", "Unsqueeze"), opTypes(g));
    }
}
