package org.adamix4j.modules.baseline;

import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.Merger;
import org.adamix4j.modules.PeftMethod;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Full fine-tuning: every imported weight trains, except the embedding tables. Deviation: SameDiff
 * 1.0.0-M2.1's gather has a broken gradient (see docs/methods.md), so the word, position and
 * token-type embeddings stay frozen; all layer weights, biases and LayerNorms (including the
 * embedding LayerNorm) train. Scalar constants of the export (epsilons, 0.5, √2) are not weights.
 */
public record FullFineTuningConfig() implements MethodConfig {
    @Override
    public String type() {
        return "full";
    }

    @Override
    public PeftMethod newMethod() {
        return (sd, structure, init) -> {
            Set<String> tables = new HashSet<>();
            for (SameDiffOp op : sd.getOps().values()) {
                if (op.getOp().opName().equals("gather") && !op.getInputsToOp().isEmpty()) tables.add(op.getInputsToOp().get(0));
            }
            List<SDVariable> weights = sd.variables().stream()
                    .filter(v -> v.getVariableType() == VariableType.CONSTANT && v.dataType().isFPType())
                    .filter(v -> v.getArr().length() > 1 && !tables.contains(v.name()))
                    .toList();
            sd.convertToVariables(weights);
            return new PeftMethod.Injection(structure.sites(), weights.stream().map(SDVariable::name).toList(),
                    List.of(), Merger.inPlace());
        };
    }

    @Override
    public Map<String, Object> toJson() {
        return Map.of();
    }
}
