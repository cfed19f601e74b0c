package org.adamix4j.modules.adapter;

import org.adamix4j.graphs.Seeded;
import org.adamix4j.graphs.SiteSelector;
import org.adamix4j.graphs.Splice;
import org.adamix4j.modules.Merger;
import org.adamix4j.modules.PeftMethod;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.TransformerStructure;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Model-level wiring of bottleneck adapters: one module after each selected projection output. */
final class AdapterMethod implements PeftMethod {
    private final AdapterConfig config;

    AdapterMethod(AdapterConfig config) {
        this.config = config;
    }

    @Override
    public Injection inject(SameDiff sd, TransformerStructure structure, Seeded init) {
        List<Site> sites = SiteSelector.select(structure, config.sites(), Set.of(), config.variant());
        List<String> params = new ArrayList<>();
        for (Site site : sites) {
            AdapterModule m = new AdapterModule(sd, config.prefix(site), structure.hidden(), config.bottleneck(),
                    config.activation(), config.initStd(), init);
            Splice.after(sd, site.output(), h -> m.forward(sd, h));
            params.addAll(m.parameters());
        }
        return new Injection(sites, params, List.of(), Merger.unsupported(
                "a bottleneck adapter cannot be merged into the frozen weights: its activation ("
                        + config.activation() + ") makes it non-linear in the input; serve it unmerged"));
    }
}
