package org.adamix4j.modules;

import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.baseline.BitFitConfig;
import org.adamix4j.modules.baseline.FullFineTuningConfig;
import org.adamix4j.modules.baseline.HeadOnlyConfig;
import org.adamix4j.modules.lora.LoraConfig;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The registry of method types: one line per method, used to read configs back from checkpoints. */
public final class Methods {
    private static final Map<String, Function<JsonNode, MethodConfig>> READERS = new LinkedHashMap<>();

    static {
        register("houlsby", j -> AdapterConfig.fromJson("houlsby", j));
        register("pfeiffer", j -> AdapterConfig.fromJson("pfeiffer", j));
        register("adapter", j -> AdapterConfig.fromJson("adapter", j));
        register("lora", LoraConfig::fromJson);
        register("bitfit", j -> new BitFitConfig());
        register("head-only", j -> new HeadOnlyConfig());
        register("full", j -> new FullFineTuningConfig());
        register("adamix", org.adamix4j.modules.mixture.MixtureConfig::fromJson);
        register("adamix-lora", org.adamix4j.modules.mixture.MixtureLoraConfig::fromJson);
    }

    private Methods() {
    }

    /** Adds a method type; names must be unique. */
    public static synchronized void register(String type, Function<JsonNode, MethodConfig> reader) {
        if (READERS.putIfAbsent(type, reader) != null) {
            throw new IllegalStateException("method type '" + type + "' is already registered");
        }
    }

    /** Reads a config of {@code type} from its JSON fields. */
    public static MethodConfig fromJson(String type, JsonNode fields) {
        Function<JsonNode, MethodConfig> r = READERS.get(type);
        if (r == null) {
            throw new IllegalArgumentException("unknown method type '" + type + "'; known: " + READERS.keySet());
        }
        return r.apply(fields);
    }
}
