package org.adamix4j.modules.mixture;

import org.adamix4j.graphs.Layers;
import org.adamix4j.graphs.Seeded;
import org.adamix4j.graphs.SiteSelector;
import org.adamix4j.graphs.Splice;
import org.adamix4j.modules.DropoutMask;
import org.adamix4j.modules.FeedProvider;
import org.adamix4j.modules.PeftMethod;
import org.adamix4j.modules.lora.LoraMethod;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.TransformerStructure;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model-level wiring of AdaMix-LoRA: {@code h + gate · scale · dropout(x) A_e B} with A_e the routed
 * expert; merging folds scale · mean(A) · B into W through {@link LoraMethod.LoraMerger}.
 */
final class MixtureLoraMethod implements PeftMethod {
    private final MixtureLoraConfig config;

    MixtureLoraMethod(MixtureLoraConfig config) {
        this.config = config;
    }

    @Override
    public Injection inject(SameDiff sd, TransformerStructure structure, Seeded init) {
        List<Site> sites = SiteSelector.select(structure, config.targets(), Set.of(), "adamix-lora");
        SDVariable gate = sd.constant(LoraMethod.GATE, Nd4j.scalar(1f));
        Router router = new Router(config.experts());
        List<String> params = new ArrayList<>();
        List<FeedProvider> feeds = new ArrayList<>();
        feeds.add(router);
        List<LoraMethod.LoraSite> merged = new ArrayList<>();
        for (Site site : sites) {
            String prefix = "adamix-lora/layer." + site.layer() + "/" + site.kind().name().toLowerCase();
            long[] w = sd.getVariable(site.weight()).getShape();
            long in = w[0];
            long out = site.outputWidth(w);
            SDVariable a = sd.var(prefix + "/A", init.kaimingUniform(prefix + "/A", in, config.experts(), in, config.rank()));
            SDVariable b = sd.var(prefix + "/B", Seeded.zeros(config.rank(), out));
            SDVariable route = router.placeholder(sd, prefix + "/route");
            SDVariable x = sd.getVariable(site.input());
            if (config.dropout() > 0) {
                String mask = prefix + "/dropout_mask";
                x = x.mul(sd.placeHolder(mask, DataType.FLOAT, -1, -1, in));
                feeds.add(DropoutMask.feed(mask, in, config.dropout()));
            }
            SDVariable delta = x.mmul(Router.select(route, a)).reshape(-1, config.rank()).mmul(b).mul(config.scale())
                    .reshape(Layers.leadingDims(sd, x, out)).mul(gate);
            Splice.after(sd, site.output(), h -> h.add(prefix + "/out", delta));
            params.add(a.name());
            params.add(b.name());
            merged.add(new LoraMethod.LoraSite(site.weight(), a.name(), b.name(), site.columnOffset(), out));
        }
        return new Injection(sites, params, feeds, new LoraMethod.LoraMerger(merged, config.scale()),
                new Consistency(config.consistencyWeight(), false));
    }
}
