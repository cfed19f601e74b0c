package org.adamix4j.modules.checkpoint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a trained adapter came from, recorded in its checkpoint.
 *
 * @param seed    run seed
 * @param recipe  training recipe (free text or a config summary)
 * @param task    task name, e.g. "rte"
 * @param created creation time (UTC, ISO-8601)
 */
public record Provenance(long seed, String recipe, String task, String created) {
    public Provenance {
        recipe = recipe == null ? "" : recipe;
        task = task == null ? "" : task;
        created = created == null ? Instant.now().toString() : created;
    }

    public static Provenance of(long seed, String recipe, String task) {
        return new Provenance(seed, recipe, task, Instant.now().toString());
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("recipe", recipe);
        m.put("task", task);
        m.put("created", created);
        return m;
    }
}
