package org.adamix4j.modules.baseline;

import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.Merger;
import org.adamix4j.modules.PeftMethod;
import org.adamix4j.onnx.Site;
import org.nd4j.autodiff.samediff.SDVariable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BitFit (Ben Zaken et al. 2022): only the bias terms of the encoder layers train: the bias of every
 * projection (query, key, value, attention output, FFN in and out) and of both LayerNorms per layer.
 * The embedding LayerNorm's bias stays frozen (it is not a layer site).
 */
public record BitFitConfig() implements MethodConfig {
    @Override
    public String type() {
        return "bitfit";
    }

    @Override
    public PeftMethod newMethod() {
        return (sd, structure, init) -> {
            List<String> biases = structure.sites().stream().map(Site::bias).filter(Objects::nonNull).toList();
            List<SDVariable> vars = new ArrayList<>();
            for (String b : biases) vars.add(sd.getVariable(b));
            sd.convertToVariables(vars);
            return new PeftMethod.Injection(structure.sites(), biases, List.of(), Merger.inPlace());
        };
    }

    @Override
    public Map<String, Object> toJson() {
        return Map.of();
    }
}
