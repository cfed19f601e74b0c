package org.adamix4j.onnx;

import java.nio.file.Path;

/** Where AdaMix4j keeps extracted models and cached imports. */
public final class CacheDirs {
    private CacheDirs() {
    }

    /**
     * The cache root: system property {@code adamix4j.cache}, else environment variable
     * {@code ADAMIX4J_CACHE}, else {@code ~/.cache/adamix4j}.
     */
    public static Path root() {
        String prop = System.getProperty("adamix4j.cache");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv("ADAMIX4J_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "adamix4j");
    }
}
