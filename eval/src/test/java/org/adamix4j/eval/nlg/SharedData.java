package org.adamix4j.eval.nlg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Locates /work/shared/data for real-data tests: {@code -Dadamix4j.data}, else {@code $ADAMIX4J_DATA}, else
 * {@code ../../shared/data} relative to the module dir (the main checkout), else {@code ../../../shared/data} (a
 * worktree one level deeper). Tests skip, printing why, when the folder they need is absent.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String prop = System.getProperty("adamix4j.data");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop);
        }
        String env = System.getenv("ADAMIX4J_DATA");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        for (Path p : List.of(Paths.get("..", "..", "shared", "data"), Paths.get("..", "..", "..", "shared", "data"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return Paths.get("..", "..", "shared", "data");
    }

    /** {@code root/relative}, or skips the calling test with a printed reason when it does not exist. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String why = "skipped: " + p.toAbsolutePath().normalize() + " not found (set -Dadamix4j.data or ADAMIX4J_DATA)";
            System.out.println(why);
            assumeTrue(false, why);
        }
        return p;
    }
}
