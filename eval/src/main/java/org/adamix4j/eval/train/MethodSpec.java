package org.adamix4j.eval.train;

import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.baseline.BitFitConfig;
import org.adamix4j.modules.baseline.FullFineTuningConfig;
import org.adamix4j.modules.baseline.HeadOnlyConfig;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.modules.mixture.MixtureLoraConfig;
import org.adamix4j.modules.mixture.Sharing;
import org.adamix4j.onnx.SiteKind;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A method as chosen on the command line or in a run config: its name and the knobs the methods
 * share. {@link #toConfig()} validates through the method's own config record.
 *
 * @param name              adamix, adamix-lora, houlsby, pfeiffer, lora, bitfit, head-only, full
 * @param r                 bottleneck (adapters, AdaMix) or rank (LoRA)
 * @param experts           AdaMix experts M
 * @param sharing           AdaMix shared projection: up, down, none
 * @param consistencyWeight AdaMix consistency weight w
 * @param loraAlpha         LoRA alpha
 * @param loraDropout       LoRA dropout
 */
public record MethodSpec(String name, int r, int experts, String sharing, double consistencyWeight,
                         double loraAlpha, double loraDropout) {
    public static final List<String> NAMES = List.of("adamix", "adamix-lora", "houlsby", "pfeiffer", "lora", "bitfit",
            "head-only", "full");

    public MethodSpec {
        if (name == null || !NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown method '" + name + "'; known: " + NAMES);
        }
        toConfig(name, r, experts, sharing, consistencyWeight, loraAlpha, loraDropout); // validates
    }

    /** The paper's AdaMix settings scaled to MiniLM: r 16, M 4, up shared, w 1 (LoRA: r 8, alpha 16). */
    public static MethodSpec defaults(String name) {
        return switch (name) {
            case "lora" -> new MethodSpec(name, 8, 4, "up", 1.0, 16, 0.0);
            case "adamix-lora" -> new MethodSpec(name, 4, 8, "up", 1.0, 32, 0.1);
            default -> new MethodSpec(name, 16, 4, "up", 1.0, 16, 0.0);
        };
    }

    public MethodConfig toConfig() {
        return toConfig(name, r, experts, sharing, consistencyWeight, loraAlpha, loraDropout);
    }

    private static MethodConfig toConfig(String name, int r, int experts, String sharing, double w, double alpha,
                                         double dropout) {
        Set<SiteKind> qv = EnumSet.of(SiteKind.QUERY, SiteKind.VALUE);
        return switch (name) {
            case "adamix" -> new MixtureConfig(experts, r, sharing(sharing), 0.02, w, false);
            case "adamix-lora" -> new MixtureLoraConfig(experts, r, alpha, dropout, qv, w);
            case "houlsby" -> AdapterConfig.houlsby(r);
            case "pfeiffer" -> AdapterConfig.pfeiffer(r);
            case "lora" -> new LoraConfig(r, alpha, dropout, qv, Set.of());
            case "bitfit" -> new BitFitConfig();
            case "head-only" -> new HeadOnlyConfig();
            case "full" -> new FullFineTuningConfig();
            default -> throw new IllegalArgumentException("unknown method '" + name + "'; known: " + NAMES);
        };
    }

    private static Sharing sharing(String s) {
        return switch (s == null ? "" : s.toLowerCase()) {
            case "up" -> Sharing.UP;
            case "down" -> Sharing.DOWN;
            case "none" -> Sharing.NONE;
            default -> throw new IllegalArgumentException("sharing must be up, down or none, got '" + s + "'");
        };
    }
}
