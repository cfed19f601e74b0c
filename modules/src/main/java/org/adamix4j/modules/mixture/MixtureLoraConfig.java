package org.adamix4j.modules.mixture;

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
 * AdaMix with LoRA (the reference's GPT-2 setting): on each target projection, M experts of A
 * (Kaiming-uniform) and one shared zero-initialised B; each pass routes one A expert per layer and
 * projection. Merged: ΔW = (alpha/r) · mean(A) · B, which folds into W like plain LoRA.
 *
 * @param experts           M ≥ 1 (reference: 8)
 * @param rank              r ≥ 1 (reference: 4)
 * @param alpha             scale numerator (reference: 32)
 * @param dropout           LoRA dropout in [0, 1) (reference: 0.1)
 * @param targets           projections (reference: query and value)
 * @param consistencyWeight w of the consistency term (1 for classification; the reference's NLG code uses 100)
 */
public record MixtureLoraConfig(int experts, int rank, double alpha, double dropout, Set<SiteKind> targets,
                                double consistencyWeight) implements MethodConfig {
    public MixtureLoraConfig {
        if (experts < 1) throw new IllegalArgumentException("AdaMix-LoRA needs experts >= 1, got " + experts);
        if (rank < 1) throw new IllegalArgumentException("AdaMix-LoRA rank r must be >= 1, got " + rank);
        if (!(alpha > 0)) throw new IllegalArgumentException("AdaMix-LoRA alpha must be > 0, got " + alpha);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("AdaMix-LoRA dropout must be in [0, 1), got " + dropout);
        if (targets == null || targets.isEmpty() || !targets.stream().allMatch(SiteKind::isProjection)) {
            throw new IllegalArgumentException("AdaMix-LoRA targets must be a non-empty set of projections, got " + targets);
        }
        if (!(consistencyWeight >= 0) || Double.isInfinite(consistencyWeight)) {
            throw new IllegalArgumentException("AdaMix-LoRA consistency weight must be a finite number >= 0, got " + consistencyWeight);
        }
        targets = Set.copyOf(new TreeSet<>(targets));
    }

    /** The reference's GPT-2 settings: 8 experts, r 4, alpha 32, dropout 0.1, on q and v; w as given. */
    public static MixtureLoraConfig reference(double consistencyWeight) {
        return new MixtureLoraConfig(8, 4, 32, 0.1, EnumSet.of(SiteKind.QUERY, SiteKind.VALUE), consistencyWeight);
    }

    public double scale() {
        return alpha / rank;
    }

    @Override
    public String type() {
        return "adamix-lora";
    }

    @Override
    public PeftMethod newMethod() {
        return new MixtureLoraMethod(this);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experts", experts);
        m.put("rank", rank);
        m.put("alpha", alpha);
        m.put("dropout", dropout);
        m.put("targets", targets.stream().map(Enum::name).toList());
        m.put("consistency_weight", consistencyWeight);
        return m;
    }

    public static MixtureLoraConfig fromJson(JsonNode j) {
        Set<SiteKind> t = EnumSet.noneOf(SiteKind.class);
        j.path("targets").forEach(s -> t.add(SiteKind.valueOf(s.asText())));
        return new MixtureLoraConfig(j.path("experts").asInt(), j.path("rank").asInt(), j.path("alpha").asDouble(),
                j.path("dropout").asDouble(), t, j.path("consistency_weight").asDouble());
    }
}
