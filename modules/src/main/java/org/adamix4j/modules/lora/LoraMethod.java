package org.adamix4j.modules.lora;

import org.adamix4j.graphs.Layers;
import org.adamix4j.graphs.Seeded;
import org.adamix4j.graphs.SiteSelector;
import org.adamix4j.graphs.Splice;
import org.adamix4j.modules.DropoutMask;
import org.adamix4j.modules.FeedProvider;
import org.adamix4j.modules.Merger;
import org.adamix4j.modules.PeftMethod;
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

/**
 * Model-level wiring of LoRA: at each target projection, {@code h + gate · scale · x A B}. The scalar
 * constant {@link #GATE} is 1 while unmerged and 0 once the update is folded into W, so merging is a
 * weight update plus a switch, never a graph rebuild.
 */
public final class LoraMethod implements PeftMethod {
    /** Name of the scalar constant that switches the LoRA paths on (1) or off (0, merged). */
    public static final String GATE = "lora/enabled";

    private final LoraConfig config;

    LoraMethod(LoraConfig config) {
        this.config = config;
    }

    @Override
    public Injection inject(SameDiff sd, TransformerStructure structure, Seeded init) {
        List<Site> sites = SiteSelector.select(structure, config.targets(), config.layers(), "lora");
        SDVariable gate = sd.constant(GATE, Nd4j.scalar(1f));
        List<String> params = new ArrayList<>();
        List<FeedProvider> feeds = new ArrayList<>();
        List<LoraSite> merged = new ArrayList<>();
        for (Site site : sites) {
            String prefix = "lora/layer." + site.layer() + "/" + site.kind().name().toLowerCase();
            long[] w = sd.getVariable(site.weight()).getShape();
            long in = w[0];
            long out = site.outputWidth(w);
            SDVariable a = sd.var(prefix + "/A", init.kaimingUniform(prefix + "/A", in, in, config.rank()));
            SDVariable b = sd.var(prefix + "/B", Seeded.zeros(config.rank(), out));
            SDVariable x = sd.getVariable(site.input());
            if (config.dropout() > 0) {
                String mask = prefix + "/dropout_mask";
                x = x.mul(sd.placeHolder(mask, DataType.FLOAT, -1, -1, in));
                feeds.add(DropoutMask.feed(mask, in, config.dropout()));
            }
            SDVariable delta = x.reshape(-1, in).mmul(a).mmul(b).mul(config.scale())
                    .reshape(Layers.leadingDims(sd, x, out)).mul(gate);
            Splice.after(sd, site.output(), h -> h.add(prefix + "/out", delta));
            params.add(a.name());
            params.add(b.name());
            merged.add(new LoraSite(site.weight(), a.name(), b.name(), site.columnOffset(), out));
        }
        return new Injection(sites, params, feeds, new LoraMerger(merged, config.scale()));
    }

    /**
     * Names of one LoRA site's frozen weight and its A, B. A may be a stack of experts [M, in, r]
     * (mixture of LoRA), whose mean is the A that merges. The update covers columns
     * [columnOffset, columnOffset + columns) of the weight (all of them unless the weight is fused, like
     * GPT-2's q | k | v matrix).
     */
    public record LoraSite(String weight, String a, String b, long columnOffset, long columns) {
    }

    /** W ± scale · A B for every site (A averaged over experts when stacked), and the gate off/on. */
    public static final class LoraMerger implements Merger {
        private final List<LoraSite> sites;
        private final double scale;

        public LoraMerger(List<LoraSite> sites, double scale) {
            this.sites = List.copyOf(sites);
            this.scale = scale;
        }

        @Override
        public void merge(SameDiff sd) {
            for (LoraSite s : sites) block(sd.getArrForVarName(s.weight()), s).addi(delta(sd, s));
            sd.getArrForVarName(GATE).assign(0);
        }

        @Override
        public void unmerge(SameDiff sd) {
            for (LoraSite s : sites) block(sd.getArrForVarName(s.weight()), s).subi(delta(sd, s));
            sd.getArrForVarName(GATE).assign(1);
        }

        @Override
        public org.adamix4j.modules.PeftModel unload(org.adamix4j.modules.PeftModel model,
                                                     org.adamix4j.onnx.ImportedModel freshBase) {
            org.adamix4j.modules.PeftModel plain = model.withHeadOn(freshBase,
                    new org.adamix4j.modules.baseline.HeadOnlyConfig());
            for (LoraSite s : sites) {
                block(plain.sameDiff().getArrForVarName(s.weight()), s).addi(delta(model.sameDiff(), s));
            }
            return plain;
        }

        /** The site's columns of {@code w}, as a view (in-place updates reach w). */
        private static INDArray block(INDArray w, LoraSite s) {
            if (s.columnOffset() == 0 && s.columns() == w.size(1)) return w;
            return w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(s.columnOffset(), s.columnOffset() + s.columns()));
        }

        private INDArray delta(SameDiff sd, LoraSite s) {
            INDArray a = sd.getArrForVarName(s.a());
            if (a.rank() == 3) a = a.mean(0);
            return a.mmul(sd.getArrForVarName(s.b())).muli(scale);
        }
    }
}
