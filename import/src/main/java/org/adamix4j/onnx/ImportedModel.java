package org.adamix4j.onnx;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

import java.util.Map;

/**
 * A transformer imported into SameDiff: the graph (every imported weight a CONSTANT), its structure
 * map, and where it came from.
 *
 * @param sameDiff     the graph; placeholders are {@code structure.inputs()}
 * @param structure    layers and sites
 * @param sourceSha256 SHA-256 of the ONNX file it was imported from
 * @param report       what the import did
 */
public record ImportedModel(SameDiff sameDiff, TransformerStructure structure, String sourceSha256,
                            ImportReport report) {

    /** Number of scalar weights in the imported graph (all constants). */
    public long parameterCount() {
        return sameDiff.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.CONSTANT || v.getVariableType() == VariableType.VARIABLE)
                .filter(v -> v.dataType().isFPType())
                .mapToLong(v -> v.getArr().length()).sum();
    }

    /**
     * What an import did.
     *
     * @param fromCache     true if the graph was loaded from the import cache
     * @param rewriteCounts places rewritten by each ONNX rewrite rule (empty when loaded from cache)
     * @param fixupCounts   places repaired by each post-import fix-up (empty when loaded from cache)
     * @param seconds       wall time of the import or cache load
     */
    public record ImportReport(boolean fromCache, Map<String, Integer> rewriteCounts,
                               Map<String, Integer> fixupCounts, double seconds) {
    }
}
