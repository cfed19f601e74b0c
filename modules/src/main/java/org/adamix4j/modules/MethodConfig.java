package org.adamix4j.modules;

import java.util.Map;

/**
 * The configuration of one adaptation method: an immutable record that validates itself. It names
 * its type (the discriminator written into checkpoints), creates the method, and serialises itself.
 */
public interface MethodConfig {
    /** Stable type name, e.g. "lora"; see {@link Methods}. */
    String type();

    /** A new, not yet injected instance of the method. */
    PeftMethod newMethod();

    /** JSON-ready fields (without the type), read back by the type's {@code fromJson}. */
    Map<String, Object> toJson();
}
