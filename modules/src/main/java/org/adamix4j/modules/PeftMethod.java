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
     * @param merger      how (or whether) the method folds into the base weights
     * @param consistency AdaMix's consistency regularisation, or {@link Consistency#NONE}
     */
    record Injection(List<Site> sites, List<String> parameters, List<FeedProvider> feeds, Merger merger,
                     Consistency consistency) {
        public Injection {
            sites = List.copyOf(sites);
            parameters = List.copyOf(parameters);
            feeds = List.copyOf(feeds);
            if (consistency == null) consistency = Consistency.NONE;
        }

        public Injection(List<Site> sites, List<String> parameters, List<FeedProvider> feeds, Merger merger) {
            this(sites, parameters, feeds, merger, Consistency.NONE);
        }
    }

    /**
     * Consistency regularisation between two stochastic passes of the same batch (AdaMix).
     *
     * @param weight          w in CE + w · ½[KL(sg(p2)‖p1) + KL(sg(p1)‖p2)]; 0 turns it off
     * @param mseOnRegression for a one-output regression head, where the softmax KL is identically zero,
     *                        use w · mean((y1 - y2)²) instead (a deviation from the reference; off by default)
     */
    record Consistency(double weight, boolean mseOnRegression) {
        public static final Consistency NONE = new Consistency(0, false);

        public Consistency {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("consistency weight must be a finite number >= 0, got " + weight);
            }
        }

        public boolean enabled() {
            return weight > 0;
        }
    }
}
