package org.adamix4j.modules.mixture;

import org.adamix4j.graphs.Layers;
import org.adamix4j.graphs.Seeded;
import org.adamix4j.graphs.SiteSelector;
import org.adamix4j.graphs.Splice;
import org.adamix4j.modules.Activation;
import org.adamix4j.modules.Merger;
import org.adamix4j.modules.PeftMethod;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.onnx.TransformerStructure;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Model-level wiring of AdaMix-adapter: one mixture per layer at the FFN output, routed by
 * {@link Router} placeholders, merged by averaging into a plain adapter.
 */
final class MixtureMethod implements PeftMethod {
    private final MixtureConfig config;

    MixtureMethod(MixtureConfig config) {
        this.config = config;
    }

    /** Parameter names of layer {@code layer}'s mixture. */
    static String name(int layer, String projection, String param) {
        return "adamix/layer." + layer + "/" + projection + "/" + param;
    }

    @Override
    public Injection inject(SameDiff sd, TransformerStructure structure, Seeded init) {
        List<Site> sites = SiteSelector.select(structure, Set.of(SiteKind.OUTPUT), Set.of(), "adamix");
        Router router = new Router(config.experts());
        List<String> params = new ArrayList<>();
        long d = structure.hidden();
        int r = config.bottleneck();
        int m = config.experts();
        for (Site site : sites) {
            int layer = site.layer();
            Projection down = new Projection(sd, router, init, name(layer, "down", ""), config.sharing() == Sharing.DOWN ? 1 : m,
                    d, r, config.initStd());
            Projection up = new Projection(sd, router, init, name(layer, "up", ""), config.sharing() == Sharing.UP ? 1 : m,
                    r, d, config.initStd());
            Splice.after(sd, site.output(), h -> {
                SDVariable z = Layers.geluExact(sd, down.apply(sd, h));
                return h.add("adamix/layer." + layer + "/out", up.apply(sd, z));
            });
            params.addAll(down.parameters());
            params.addAll(up.parameters());
        }
        return new Injection(sites, params, List.of(router), new AveragingMerger(config, sites),
                new Consistency(config.consistencyWeight(), config.mseOnRegression()));
    }

    /** One projection of the mixture: a stack of M experts (routed) or a single shared one. */
    private static final class Projection {
        private final SDVariable w;
        private final SDVariable b;
        private final SDVariable route;

        Projection(SameDiff sd, Router router, Seeded init, String prefix, int experts, long in, long out, double std) {
            if (experts == 1) {
                w = sd.var(prefix + "W", init.normal(prefix + "W", std, in, out));
                b = sd.var(prefix + "b", Seeded.zeros(out));
                route = null;
            } else {
                // Every expert its own N(0, std^2) draw: one independent draw over the whole stack.
                w = sd.var(prefix + "W", init.normal(prefix + "W", std, experts, in, out));
                b = sd.var(prefix + "b", Seeded.zeros(experts, out));
                route = router.placeholder(sd, prefix + "route");
            }
        }

        SDVariable apply(SameDiff sd, SDVariable x) {
            if (route == null) return Layers.linear(sd, x, w, b);
            // Per-example weights [rows, in, out] (one expert per row), then a batched matmul.
            return x.mmul(Router.select(route, w)).add(Router.select(route, b));
        }

        List<String> parameters() {
            return List.of(w.name(), b.name());
        }
    }

    /**
     * AdaMix's merge ("inference level 3"): each layer's experts averaged, uniformly, into one plain
     * adapter with the same r and activation; a shared projection is kept as it is.
     */
    private record AveragingMerger(MixtureConfig config, List<Site> sites) implements Merger {
        private static final String WHY = "AdaMix adapters are non-linear and cannot be folded into the frozen "
                + "weights; mergeAndUnload(freshBase) averages the experts into one plain adapter";

        @Override
        public void merge(SameDiff sd) {
            throw new UnsupportedOperationException(WHY);
        }

        @Override
        public void unmerge(SameDiff sd) {
            throw new UnsupportedOperationException(WHY);
        }

        @Override
        public PeftModel unload(PeftModel model, ImportedModel freshBase) {
            AdapterConfig single = new AdapterConfig("adapter", config.bottleneck(), Activation.GELU,
                    EnumSet.of(SiteKind.OUTPUT), config.initStd());
            PeftModel plain = model.withHeadOn(freshBase, single);
            SameDiff from = model.sameDiff();
            SameDiff to = plain.sameDiff();
            for (Site s : sites) {
                String target = single.prefix(s) + "/";
                for (String proj : List.of("down", "up")) {
                    // Stacks are [M, in, out] (weights) and [M, out] (biases); a shared projection is
                    // [in, out] and [out], one rank lower, and is kept as it is.
                    INDArray w = from.getArrForVarName(name(s.layer(), proj, "W"));
                    INDArray b = from.getArrForVarName(name(s.layer(), proj, "b"));
                    to.getArrForVarName(target + proj + "/W").assign(w.rank() == 3 ? w.mean(0) : w);
                    to.getArrForVarName(target + proj + "/b").assign(b.rank() == 2 ? b.mean(0) : b);
                }
            }
            return plain;
        }
    }
}
