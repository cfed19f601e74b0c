package org.adamix4j.eval.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Looks tasks up by their command-line name. */
public final class Tasks {
    /** Normalised name to task, in the order {@link #names()} lists them. */
    private static final Map<String, Task> BY_KEY = new LinkedHashMap<>();
    private static final List<String> NAMES;

    static {
        List<Task> all = new ArrayList<>(List.of(GlueTask.values()));
        all.add(new DemoTask());
        List<String> names = new ArrayList<>();
        for (Task t : all) {
            BY_KEY.put(key(t.id()), t);
            names.add(t.id());
        }
        NAMES = Collections.unmodifiableList(names);
    }

    private Tasks() {
    }

    /**
     * The task with this name, ignoring case, {@code -} and {@code _}: so {@code "sst2"},
     * {@code "SST-2"}, {@code "sts-b"}, {@code "mnli-mm"} and {@code "MNLI_MM"} all work, the names
     * people copy from the GLUE folder names and from HF scripts.
     *
     * @param name a task name
     * @return the task
     * @throws IllegalArgumentException if no task has that name; the message lists the known names
     * @throws NullPointerException     if {@code name} is null
     */
    public static Task byName(String name) {
        if (name == null) {
            throw new NullPointerException("task name");
        }
        Task t = BY_KEY.get(key(name));
        if (t == null) {
            throw new IllegalArgumentException("unknown task '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return t;
    }

    /**
     * The canonical names, lower case, GLUE tasks first then {@code "demo"}: cola, sst2, mrpc, qqp,
     * stsb, mnli, mnli_mm, qnli, rte, wnli, demo.
     *
     * @return an unmodifiable list
     */
    public static List<String> names() {
        return NAMES;
    }

    /** Lower case without '-' and '_', so aliases such as "sts-b" and "mnli-mm" match. */
    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
