package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;
import org.adamix4j.onnx.GraphImport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.adamix4j.onnx.rewrite.TinyGraphs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Not a defect, a memory optimisation: {@link GeluFromScaledInput} makes the exporters' erf-GELU read its
 * pre-activation x once (in the Div), so SameDiff need not keep x for the backward pass. Values must stay
 * those of GELU.
 */
class GeluFromScaledInputTest {
    private static final float[] X = sample(24, 9);

    /** y = GELU(x) for x [2,3,4], spelled as torch.onnx spells BERT's GELU. */
    static ModelProto model() {
        return graph().input("x", 2, 3, 4).floats("sqrt2", dims(), 1.4142135f).floats("one", dims(), 1f)
                .floats("half", dims(), 0.5f)
                .node("Div", "gelu/div", "d", List.of("x", "sqrt2"))
                .node("Erf", "gelu/erf", "e", List.of("d"))
                .node("Add", "gelu/add", "a", List.of("e", "one"))
                .node("Mul", "gelu/mul", "m", List.of("x", "a"))
                .node("Mul", "gelu/half", "y", List.of("m", "half"))
                .output("y").model();
    }

    /** 0.5 x (1 + erf(x / √2)) in double, erf by Abramowitz & Stegun 7.1.26 (error below 1.5e-7). */
    static float[] expected() {
        float[] y = new float[X.length];
        for (int i = 0; i < X.length; i++) y[i] = (float) (0.5 * X[i] * (1 + erf(X[i] / Math.sqrt(2))));
        return y;
    }

    private static double erf(double z) {
        double t = 1 / (1 + 0.3275911 * Math.abs(z));
        double p = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double r = 1 - p * Math.exp(-z * z);
        return z >= 0 ? r : -r;
    }

    @Test
    void theProductReadsTheScaledInputAndXIsReadOnce() {
        OnnxGraph g = OnnxGraph.of(model());
        assertEquals(1, new GeluFromScaledInput().apply(g));
        assertEquals(List.of("d", "a"), nodeNamed(g, "gelu/mul").getInputList());
        assertEquals(1, g.consumers("x").size(), "x is read by the Div alone");
        String scale = nodeNamed(g, "gelu/half").getInput(1);
        assertEquals(0.5 * 1.4142135f, Tensors.doubles(g.initializer(scale).orElseThrow())[0], 1e-7);
        assertEquals(java.util.Optional.empty(), g.initializer("half"), "the ½ nobody reads any more is pruned");
    }

    @Test
    void standardImportComputesGelu() {
        GraphImport.Result r = GraphImport.standard().run(model(), "gelu");
        assertEquals(1, fired(r, new GeluFromScaledInput()));
        Map<String, INDArray> in = Map.of("x", array(X, 2, 3, 4));
        assertClose(expected(), dims(2, 3, 4), runArray(r.sameDiff(), in, "y"));
        assertClose(expected(), dims(2, 3, 4), runArray(importWith(withoutRule(GeluFromScaledInput.class), model()), in, "y"));
    }
}
