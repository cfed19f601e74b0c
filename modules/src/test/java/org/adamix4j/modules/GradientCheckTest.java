package org.adamix4j.modules;

import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SameDiff's gradients through the imported graph and our modules against central finite differences
 * of the loss, for the element of a parameter with the largest gradient (float32: a step of 1e-2 keeps
 * the rounding error of the loss difference small against the change itself).
 */
class GradientCheckTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"adapter, houlsby/layer.0/output/down/W", "adapter, houlsby/layer.1/attention_output/up/W",
            "lora, lora/layer.0/query/A", "lora, lora/layer.1/value/B"})
    void gradientMatchesFiniteDifferences(String method, String param) {
        MethodConfig config = method.equals("lora") ? LoraConfig.queryValue(4, 8) : AdapterConfig.houlsby(8);
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(config)
                .setHead(TaskHead.classification(3)).optSeed(17).build();
        // Check at a point away from the init: with B = 0 the gradient of LoRA's A is exactly zero, and
        // with N(0, 0.02) adapters the gradients (~1e-4) drown in float32 rounding of the loss.
        for (String p : m.trainableParameters()) {
            if (p.startsWith("head/")) continue;
            INDArray arr = m.sameDiff().getArrForVarName(p);
            arr.assign(Nd4j.randn(p.hashCode(), arr.shape()).muli(0.3));
        }
        TokenizedBatch batch = TestModels.randomBatch(3, 7, 1000, 4);
        INDArray labels = Nd4j.createFromArray(2L, 0L, 1L);
        Map<String, INDArray> grads = m.gradients(batch, labels, new SplittableRandom(0));
        INDArray g = grads.get(param);
        long idx = g.reshape(-1).argMax().getLong(0);
        double analytic = g.reshape(-1).getDouble(idx);
        INDArray p = m.sameDiff().getArrForVarName(param).reshape(-1);
        double orig = p.getDouble(idx);
        double eps = 1e-2;
        p.putScalar(idx, orig + eps);
        double up = m.loss(batch, labels);
        p.putScalar(idx, orig - eps);
        double down = m.loss(batch, labels);
        p.putScalar(idx, orig);
        double numeric = (up - down) / (2 * eps);
        double rel = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric));
        System.out.printf("gradcheck %-40s analytic %.6g numeric %.6g rel %.2g%n", param, analytic, numeric, rel);
        assertTrue(Math.abs(analytic) > 1e-4, "a gradient large enough to check: " + analytic);
        assertTrue(rel < 1e-2, param + ": analytic " + analytic + " vs numeric " + numeric);
    }
}
