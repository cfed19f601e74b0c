package org.adamix4j.onnx;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The structure map of the real model, and that every imported weight is frozen. */
class StructureAndFreezeTest {
    private final ImportedModel m = MiniLm.model();
    private final TransformerStructure s = m.structure();
    private final SameDiff sd = m.sameDiff();

    @Test
    void mapsSixBertLayersWithEightSitesEach() {
        assertEquals("bert", s.family());
        assertEquals(6, s.layers());
        assertEquals(384, s.hidden());
        assertEquals(30522, s.vocabSize());
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), s.inputs());
        assertEquals("last_hidden_state", s.output());
        assertEquals(6 * SiteKind.values().length, s.sites().size());
    }

    @Test
    void projectionSitesCarryTheirAnonymousWeightsWithTheRightShapes() {
        Site q0 = s.site(0, SiteKind.QUERY);
        // The exporter names the weight onnx::MatMul_787; ':' becomes '_' in SameDiff.
        assertEquals("onnx__MatMul_787", q0.weight());
        assertEquals("encoder.layer.0.attention.self.query.bias", q0.bias());
        assertEquals("/encoder/layer.0/attention/self/query/Add_output_0", q0.output());
        assertEquals("/embeddings/LayerNorm/Add_1_output_0", q0.input());
        for (int layer = 0; layer < 6; layer++) {
            for (SiteKind k : List.of(SiteKind.QUERY, SiteKind.KEY, SiteKind.VALUE, SiteKind.ATTENTION_OUTPUT)) {
                assertArrayEquals(new long[]{384, 384}, sd.getVariable(s.site(layer, k).weight()).getShape(), k + "@" + layer);
            }
            assertArrayEquals(new long[]{384, 1536}, sd.getVariable(s.site(layer, SiteKind.INTERMEDIATE).weight()).getShape());
            assertArrayEquals(new long[]{1536, 384}, sd.getVariable(s.site(layer, SiteKind.OUTPUT).weight()).getShape());
            for (Site site : List.of(s.site(layer, SiteKind.QUERY), s.site(layer, SiteKind.OUTPUT))) {
                assertTrue(sd.hasVariable(site.output()), site.output());
                assertTrue(sd.hasVariable(site.input()), site.input());
            }
        }
        // The FFN output's site is the dense output before the residual add and LayerNorm.
        assertEquals("/encoder/layer.3/output/dense/Add_output_0", s.site(3, SiteKind.OUTPUT).output());
    }

    @Test
    void layerNormSitesNameScaleBiasAndOutput() {
        Site ln = s.site(5, SiteKind.OUTPUT_LAYER_NORM);
        assertEquals("encoder.layer.5.output.LayerNorm.weight", ln.weight());
        assertEquals("encoder.layer.5.output.LayerNorm.bias", ln.bias());
        assertEquals("/encoder/layer.5/output/Add_output_0", ln.input());
        // The last layer's LayerNorm output is the graph output itself.
        assertEquals("last_hidden_state", ln.output());
        assertEquals("/encoder/layer.4/output/LayerNorm/Add_1_output_0", s.site(4, SiteKind.OUTPUT_LAYER_NORM).output());
        Site aln = s.site(2, SiteKind.ATTENTION_LAYER_NORM);
        assertEquals("/encoder/layer.2/attention/output/LayerNorm/Add_1_output_0", aln.output());
        assertNull(s.find(6, SiteKind.QUERY).orElse(null));
    }

    @Test
    void importedGraphHasNoTrainableVariable() {
        List<SDVariable> trainable = sd.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE).toList();
        assertEquals(List.of(), trainable);
        long constants = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.CONSTANT)
                .filter(v -> v.dataType().isFPType()).mapToLong(v -> v.getArr().length()).sum();
        // all-MiniLM-L6-v2 without pooler: embeddings 30522*384 + 512*384 + 2*384 + LN 2*384 = 11,918,592;
        // per layer 4*(384*384+384) + (384*1536+1536) + (1536*384+384) + 2 LN*768 = 1,774,464; x6.
        // On top come a few scalar float constants of the export (epsilons, 0.5, sqrt(2), the mask value).
        long expected = 11_918_592L + 6 * 1_774_464L;
        assertEquals(22_565_376L, expected);
        assertTrue(constants >= expected && constants < expected + 100, "float constants: " + constants);
    }
}
