package org.adamix4j.eval.tasks;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small synthetic binary sentiment task shipped inside the jar, so that training, evaluation and
 * the CLI can be tried (and tested) without downloading GLUE.
 *
 * <p>The data is a DEMO: about 400 train and 100 dev sentences made from hand-written word lists
 * and templates for AdaMix4j ({@code tools/make_demo_data.py}; see {@code README.md} beside the
 * files). It is in SST-2 format and read with the same rules as {@link GlueTask#SST2}.
 */
public final class DemoTask implements Task {
    /** Classpath folder of the demo files. */
    static final String RESOURCE_DIR = "/org/adamix4j/eval/demo/";

    /** Creates the task; it is stateless, so any number of instances are equivalent. */
    public DemoTask() {
    }

    /** {@inheritDoc} Always {@code "demo"}. */
    @Override
    public String id() {
        return "demo";
    }

    /** {@inheritDoc} {@code ["negative", "positive"]}, as in SST-2. */
    @Override
    public List<String> labels() {
        return GlueTask.SST2.labels();
    }

    /** {@inheritDoc} Always false. */
    @Override
    public boolean isRegression() {
        return false;
    }

    /** {@inheritDoc} {@code ["accuracy"]}. */
    @Override
    public List<String> metrics() {
        return List.of("accuracy");
    }

    /** {@inheritDoc} {@code "accuracy"}. */
    @Override
    public String primaryMetric() {
        return "accuracy";
    }

    /**
     * Reads a split from the classpath; {@code dataDir} is ignored and may be null.
     *
     * <p>There is no separate test set: {@link Split#TEST} returns the dev sentences with NaN labels,
     * which is enough to exercise a predict-only code path.
     *
     * @throws IllegalStateException if the resources are missing from the classpath (a packaging bug)
     */
    @Override
    public List<Example> read(Path dataDir, Split split) {
        if (split == null) {
            throw new NullPointerException("split");
        }
        String resource = RESOURCE_DIR + (split == Split.TRAIN ? "train.tsv" : "dev.tsv");
        InputStream in = DemoTask.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("demo data " + resource + " is missing from the classpath");
        }
        List<Example> examples;
        try (TsvReader reader = TsvReader.of(in, "classpath:" + resource)) {
            examples = GlueTask.SST2.parse(reader, split == Split.TEST ? Split.DEV : split);
        }
        if (split != Split.TEST) {
            return examples;
        }
        List<Example> unlabelled = new ArrayList<>(examples.size());
        for (Example e : examples) {
            unlabelled.add(new Example(e.id(), e.textA(), e.textB(), Double.NaN));
        }
        return Collections.unmodifiableList(unlabelled);
    }

    /** The name, for logs. */
    @Override
    public String toString() {
        return id();
    }
}
