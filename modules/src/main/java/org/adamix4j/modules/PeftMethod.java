package org.adamix4j.modules;

import org.adamix4j.graphs.Seeded;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.TransformerStructure;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.List;

/** A method's behaviour: how it enters an imported graph. */
public interface PeftMethod {

    /** Adds the method's parameters and sub-graphs to {@code sd}; returns what it did. */
    Injection inject(SameDiff sd, TransformerStructure structure, Seeded init);

    /**
     * What an injection created.
     *
     * @param sites      sites the method touched
     * @param parameters names of the trainable variables it made (or unfroze)
     * @param feeds      placeholders it needs fed on every execution (e.g. dropout masks)
     * @param merger     how (or whether) the method folds into the base weights
     */
    record Injection(List<Site> sites, List<String> parameters, List<FeedProvider> feeds, Merger merger) {
        public Injection {
            sites = List.copyOf(sites);
            parameters = List.copyOf(parameters);
            feeds = List.copyOf(feeds);
        }
    }
}
