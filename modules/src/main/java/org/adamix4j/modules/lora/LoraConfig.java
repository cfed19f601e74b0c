package org.adamix4j.modules.lora;

import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.PeftMethod;
import org.adamix4j.onnx.SiteKind;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * LoRA (Hu et al. 2021): {@code h = x W + b + (alpha / r) · dropout(x) A B} on the target projections,
 * A Kaiming-uniform, B zero, so the adapted model starts equal to the base.
 *
 * <p>Layout: SameDiff multiplies {@code x @ W} with W of shape [in, out], so A is [in, r] and B is
 * [r, out]; PyTorch's {@code lora_A} [r, in] and {@code lora_B} [out, r] are their transposes.
 *
 * @param rank    r ≥ 1
 * @param alpha   scale numerator (> 0); the update is scaled by alpha / r
 * @param dropout probability in [0, 1) of dropping an input feature of the LoRA path during training
 * @param targets projection sites (default query and value)
 * @param layers  layers to adapt; empty means all
 */
public record LoraConfig(int rank, double alpha, double dropout, Set<SiteKind> targets, Set<Integer> layers)
        implements MethodConfig {
    public LoraConfig {
        if (rank < 1) throw new IllegalArgumentException("LoRA rank r must be >= 1, got " + rank);
        if (!(alpha > 0)) throw new IllegalArgumentException("LoRA alpha must be > 0, got " + alpha);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        if (targets == null || targets.isEmpty()) throw new IllegalArgumentException("LoRA targets must not be empty");
        for (SiteKind k : targets) {
            if (!k.isProjection()) throw new IllegalArgumentException("LoRA targets must be projections, got " + k);
        }
        targets = Set.copyOf(new TreeSet<>(targets));
        layers = layers == null ? Set.of() : Set.copyOf(new TreeSet<>(layers));
    }

    /** LoRA on query and value of every layer, no dropout. */
    public static LoraConfig queryValue(int rank, double alpha) {
        return new LoraConfig(rank, alpha, 0.0, EnumSet.of(SiteKind.QUERY, SiteKind.VALUE), Set.of());
    }

    public double scale() {
        return alpha / rank;
    }

    @Override
    public String type() {
        return "lora";
    }

    @Override
    public PeftMethod newMethod() {
        return new LoraMethod(this);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", rank);
        m.put("alpha", alpha);
        m.put("dropout", dropout);
        m.put("targets", targets.stream().map(Enum::name).toList());
        m.put("layers", layers.stream().sorted().toList());
        return m;
    }

    public static LoraConfig fromJson(JsonNode j) {
        Set<SiteKind> targets = EnumSet.noneOf(SiteKind.class);
        j.path("targets").forEach(s -> targets.add(SiteKind.valueOf(s.asText())));
        Set<Integer> layers = new TreeSet<>();
        j.path("layers").forEach(l -> layers.add(l.asInt()));
        return new LoraConfig(j.path("rank").asInt(), j.path("alpha").asDouble(), j.path("dropout").asDouble(),
                targets, layers);
    }
}
