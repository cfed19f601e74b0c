package org.adamix4j.modules.adapter;

import org.adamix4j.graphs.Layers;
import org.adamix4j.graphs.Seeded;
import org.adamix4j.modules.Activation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.List;

/** One bottleneck adapter at one site: its four parameters and its forward. */
final class AdapterModule {
    private final String prefix;
    private final SDVariable downW;
    private final SDVariable downB;
    private final SDVariable upW;
    private final SDVariable upB;
    private final Activation activation;

    AdapterModule(SameDiff sd, String prefix, long d, int r, Activation activation, double std, Seeded init) {
        this.prefix = prefix;
        this.activation = activation;
        this.downW = sd.var(prefix + "/down/W", init.normal(prefix + "/down/W", std, d, r));
        this.downB = sd.var(prefix + "/down/b", Seeded.zeros(r));
        this.upW = sd.var(prefix + "/up/W", init.normal(prefix + "/up/W", std, r, d));
        this.upB = sd.var(prefix + "/up/b", Seeded.zeros(d));
    }

    /** h + up(act(down(h))): the adapter's own skip connection. */
    SDVariable forward(SameDiff sd, SDVariable h) {
        SDVariable z = activation.apply(sd, Layers.linear(sd, h, downW, downB));
        return h.add(prefix + "/out", Layers.linear(sd, z, upW, upB));
    }

    List<String> parameters() {
        return List.of(downW.name(), downB.name(), upW.name(), upB.name());
    }
}
