package org.adamix4j.bench;

import org.adamix4j.modules.Activation;
import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.onnx.SiteKind;

import java.util.EnumSet;
import java.util.List;

/**
 * The methods the peer benchmark compares, with the settings the PyTorch peer mirrors. "adapter" is
 * one GELU adapter r = 16 at each FFN output: AdaMix's merged shape, so AdaMix's cost over it is the
 * cost of the mixture and the consistency pass; "adamix-1pass" is AdaMix without the second pass.
 */
public final class BenchMethods {
    /** Every name the benchmark knows. */
    public static final List<String> NAMES = List.of("adamix", "adamix-1pass", "adapter", "houlsby", "lora");

    private BenchMethods() {
    }

    public static MethodConfig config(String name) {
        return switch (name) {
            case "adamix" -> MixtureConfig.standard();
            case "adamix-1pass" -> MixtureConfig.standard().withConsistencyWeight(0);
            case "adapter" -> new AdapterConfig("adapter", 16, Activation.GELU, EnumSet.of(SiteKind.OUTPUT), 0.02);
            case "houlsby" -> AdapterConfig.houlsby(16);
            case "lora" -> LoraConfig.queryValue(8, 16);
            default -> throw new IllegalArgumentException("unknown benchmark method '" + name + "'; known: " + NAMES);
        };
    }

    /** True if the method folds into a plain model for serving (AdaMix averages, LoRA folds). */
    public static boolean merges(String name) {
        return name.startsWith("adamix") || name.equals("lora");
    }
}
