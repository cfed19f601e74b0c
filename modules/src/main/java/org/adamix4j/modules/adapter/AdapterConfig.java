package org.adamix4j.modules.adapter;

import org.adamix4j.modules.Activation;
import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.PeftMethod;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.SiteKind;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A bottleneck adapter: {@code h → h + up(act(down(h)))} with down d→r and up r→d, both with bias,
 * after the given projections' outputs (before the residual add and LayerNorm). Houlsby places one
 * after the attention output and one after the FFN output; Pfeiffer only after the FFN output.
 *
 * @param variant    "houlsby", "pfeiffer" or "adapter" (custom placement); the checkpoint type
 * @param bottleneck r ≥ 1
 * @param activation non-linearity between the projections
 * @param sites      projection sites the adapter follows (ATTENTION_OUTPUT and/or OUTPUT)
 * @param initStd    std of the N(0, std²) weight init; biases start at zero
 */
public record AdapterConfig(String variant, int bottleneck, Activation activation, Set<SiteKind> sites,
                            double initStd) implements MethodConfig {
    private static final Set<SiteKind> ALLOWED = EnumSet.of(SiteKind.ATTENTION_OUTPUT, SiteKind.OUTPUT);

    public AdapterConfig {
        if (!Set.of("houlsby", "pfeiffer", "adapter").contains(variant)) {
            throw new IllegalArgumentException("adapter variant must be houlsby, pfeiffer or adapter, got '" + variant + "'");
        }
        if (bottleneck < 1) throw new IllegalArgumentException("adapter bottleneck r must be >= 1, got " + bottleneck);
        if (activation == null) throw new IllegalArgumentException("adapter activation must not be null");
        if (sites == null || sites.isEmpty() || !ALLOWED.containsAll(sites)) {
            throw new IllegalArgumentException("adapter sites must be a non-empty subset of " + ALLOWED + ", got " + sites);
        }
        if (!(initStd > 0 && initStd < 1)) throw new IllegalArgumentException("adapter initStd must be in (0, 1), got " + initStd);
        sites = Set.copyOf(new TreeSet<>(sites));
    }

    /** Houlsby et al. 2019 placement with the reference's swish and N(0, 0.02) init. */
    public static AdapterConfig houlsby(int r) {
        return new AdapterConfig("houlsby", r, Activation.SWISH, EnumSet.of(SiteKind.ATTENTION_OUTPUT, SiteKind.OUTPUT), 0.02);
    }

    /** Pfeiffer et al. 2021 placement (FFN output only) with the reference's ReLU. */
    public static AdapterConfig pfeiffer(int r) {
        return new AdapterConfig("pfeiffer", r, Activation.RELU, EnumSet.of(SiteKind.OUTPUT), 0.02);
    }

    @Override
    public String type() {
        return variant;
    }

    @Override
    public PeftMethod newMethod() {
        return new AdapterMethod(this);
    }

    /**
     * Name prefix of the module at {@code site}: its parameters are {@code prefix + "/down/W"},
     * {@code "/down/b"}, {@code "/up/W"} and {@code "/up/b"} (checkpoints and the ONNX export read them).
     */
    public String prefix(Site site) {
        return variant + "/layer." + site.layer() + "/" + site.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Trainable parameters on a model with hidden size d and L layers: per site 2·d·r + r + d. */
    public long parameterCount(long d, int layers) {
        return (long) layers * sites.size() * (2 * d * bottleneck + bottleneck + d);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bottleneck", bottleneck);
        m.put("activation", activation.name());
        m.put("sites", sites.stream().map(Enum::name).toList());
        m.put("init_std", initStd);
        return m;
    }

    public static AdapterConfig fromJson(String variant, JsonNode j) {
        Set<SiteKind> sites = EnumSet.noneOf(SiteKind.class);
        j.path("sites").forEach(s -> sites.add(SiteKind.valueOf(s.asText())));
        return new AdapterConfig(variant, j.path("bottleneck").asInt(), Activation.valueOf(j.path("activation").asText()),
                sites, j.path("init_std").asDouble());
    }
}
