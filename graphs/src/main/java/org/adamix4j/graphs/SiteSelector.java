package org.adamix4j.graphs;

import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.onnx.TransformerStructure;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Picks the sites a method targets, and says which exist when the choice matches nothing. */
public final class SiteSelector {
    private SiteSelector() {
    }

    /**
     * The sites of the given kinds in the given layers (all layers if {@code layers} is empty), in
     * layer order.
     *
     * @throws IllegalArgumentException if nothing matches, listing the user's choice and the candidates
     */
    public static List<Site> select(TransformerStructure s, Set<SiteKind> kinds, Set<Integer> layers, String method) {
        List<Site> out = s.sites().stream()
                .filter(site -> kinds.contains(site.kind()))
                .filter(site -> layers.isEmpty() || layers.contains(site.layer()))
                .toList();
        if (out.isEmpty()) {
            String candidates = s.sites().stream().map(site -> site.kind() + "@" + site.layer())
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(method + ": target sites " + kinds + " in layers "
                    + (layers.isEmpty() ? "(all)" : layers) + " match nothing in this " + s.family()
                    + " model with " + s.layers() + " layers; candidate sites: " + candidates);
        }
        return out;
    }
}
