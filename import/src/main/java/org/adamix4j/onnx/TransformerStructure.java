package org.adamix4j.onnx;

import java.util.List;
import java.util.Optional;

/**
 * A map of the imported transformer: the sites of every layer, its width and vocabulary size, and the
 * names of its inputs and output. ONNX exports leave projection weights anonymous
 * ({@code onnx::MatMul_787}); this map says which is which, from the exporter's node names.
 *
 * @param family     naming scheme recognised, e.g. "bert" or "distilbert"
 * @param layers     number of transformer layers
 * @param hidden     hidden size d
 * @param vocabSize  rows of the word-embedding matrix
 * @param inputs     graph input names (as SameDiff placeholders)
 * @param output     name of the final hidden-state output
 * @param sites      every site, ordered by layer and kind
 */
public record TransformerStructure(String family, int layers, long hidden, long vocabSize,
                                   List<String> inputs, String output, List<Site> sites) {
    public TransformerStructure {
        inputs = List.copyOf(inputs);
        sites = List.copyOf(sites);
    }

    /** The site of {@code kind} in {@code layer}. */
    public Site site(int layer, SiteKind kind) {
        return find(layer, kind).orElseThrow(() -> new IllegalArgumentException(
                "no " + kind + " site in layer " + layer + " (model has " + layers + " layers)"));
    }

    public Optional<Site> find(int layer, SiteKind kind) {
        return sites.stream().filter(s -> s.layer() == layer && s.kind() == kind).findFirst();
    }

    /** All sites of {@code kind}, one per layer, in layer order. */
    public List<Site> sites(SiteKind kind) {
        return sites.stream().filter(s -> s.kind() == kind).toList();
    }
}
