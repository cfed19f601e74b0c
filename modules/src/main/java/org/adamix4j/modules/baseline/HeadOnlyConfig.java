package org.adamix4j.modules.baseline;

import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.Merger;
import org.adamix4j.modules.PeftMethod;

import java.util.List;
import java.util.Map;

/** Linear probing: the encoder stays frozen and only the task head trains. */
public record HeadOnlyConfig() implements MethodConfig {
    @Override
    public String type() {
        return "head-only";
    }

    @Override
    public PeftMethod newMethod() {
        return (sd, structure, init) -> new PeftMethod.Injection(List.of(), List.of(), List.of(), Merger.inPlace());
    }

    @Override
    public Map<String, Object> toJson() {
        return Map.of();
    }
}
