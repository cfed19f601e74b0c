package org.adamix4j.modules.mixture;

import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.PeftMethod;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdaMix with adapters (Wang et al., EMNLP 2022): at every layer's FFN output, a mixture of M
 * bottleneck adapters {@code h → h + up(gelu(down(h)))}; in training each pass draws one expert for
 * down and one for up per layer, for the whole batch; two passes per step are tied by a consistency
 * loss; at inference the experts are averaged into one adapter. Defaults follow the reference.
 *
 * @param experts           M ≥ 1 (default 4)
 * @param bottleneck        r ≥ 1 (default 16)
 * @param sharing           which projection is shared (default {@link Sharing#UP})
 * @param initStd           std of each expert's own N(0, std²) draw; biases zero (default 0.02)
 * @param consistencyWeight w of the consistency term (default 1, the reference's value for classification)
 * @param mseOnRegression   for regression heads, use an MSE between passes (a deviation; default off)
 */
public record MixtureConfig(int experts, int bottleneck, Sharing sharing, double initStd, double consistencyWeight,
                            boolean mseOnRegression) implements MethodConfig {
    public MixtureConfig {
        if (experts < 1) throw new IllegalArgumentException("AdaMix needs experts >= 1, got " + experts);
        if (bottleneck < 1) throw new IllegalArgumentException("AdaMix bottleneck r must be >= 1, got " + bottleneck);
        if (sharing == null) throw new IllegalArgumentException("AdaMix sharing must not be null");
        if (!(initStd > 0 && initStd < 1)) throw new IllegalArgumentException("AdaMix initStd must be in (0, 1), got " + initStd);
        if (!(consistencyWeight >= 0) || Double.isInfinite(consistencyWeight)) {
            throw new IllegalArgumentException("AdaMix consistency weight must be a finite number >= 0, got " + consistencyWeight);
        }
    }

    /** The reference's settings: M = 4, r = 16, up shared, N(0, 0.02), w = 1. */
    public static MixtureConfig standard() {
        return of(4, 16);
    }

    public static MixtureConfig of(int experts, int bottleneck) {
        return new MixtureConfig(experts, bottleneck, Sharing.UP, 0.02, 1.0, false);
    }

    public MixtureConfig withSharing(Sharing s) {
        return new MixtureConfig(experts, bottleneck, s, initStd, consistencyWeight, mseOnRegression);
    }

    public MixtureConfig withConsistencyWeight(double w) {
        return new MixtureConfig(experts, bottleneck, sharing, initStd, w, mseOnRegression);
    }

    /** Trained parameters with hidden size d and L layers: per layer (M or 1)·(d·r + r) + (M or 1)·(r·d + d). */
    public long parameterCount(long d, int layers) {
        long down = sharing == Sharing.DOWN ? 1 : experts;
        long up = sharing == Sharing.UP ? 1 : experts;
        return layers * (down * (d * bottleneck + bottleneck) + up * ((long) bottleneck * d + d));
    }

    /** Parameters after merging: one adapter per layer, (d·r + r) + (r·d + d). */
    public long mergedParameterCount(long d, int layers) {
        return layers * ((d * bottleneck + bottleneck) + ((long) bottleneck * d + d));
    }

    @Override
    public String type() {
        return "adamix";
    }

    @Override
    public PeftMethod newMethod() {
        return new MixtureMethod(this);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experts", experts);
        m.put("bottleneck", bottleneck);
        m.put("sharing", sharing.name());
        m.put("init_std", initStd);
        m.put("consistency_weight", consistencyWeight);
        m.put("mse_on_regression", mseOnRegression);
        return m;
    }

    public static MixtureConfig fromJson(JsonNode j) {
        return new MixtureConfig(j.path("experts").asInt(), j.path("bottleneck").asInt(),
                Sharing.valueOf(j.path("sharing").asText()), j.path("init_std").asDouble(),
                j.path("consistency_weight").asDouble(), j.path("mse_on_regression").asBoolean());
    }
}
