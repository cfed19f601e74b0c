package org.adamix4j.eval.tasks;

import java.nio.file.Path;
import java.util.List;

/**
 * A classification or regression task: its labels, its metrics and how to read its splits.
 *
 * <p>Implementations are {@link GlueTask} (the GLUE benchmark, read from the TSV files of the
 * standard GLUE download) and {@link DemoTask} (a small synthetic data set shipped on the
 * classpath). Look tasks up by CLI name with {@link Tasks#byName(String)}.
 */
public interface Task {
    /**
     * The CLI name, e.g. {@code "rte"}, {@code "sst2"}, {@code "mnli-mm"}, {@code "demo"};
     * {@link Tasks#byName(String)} accepts it. (Not {@code name()}: that is final on enums.)
     *
     * @return the task's name
     */
    String id();

    /**
     * Class names in index order: {@link Example#label()} {@code i} means {@code labels().get(i)}.
     *
     * @return the class names; empty for regression
     */
    List<String> labels();

    /**
     * Whether labels are real-valued scores rather than class indices.
     *
     * @return true for regression (STS-B)
     */
    boolean isRegression();

    /**
     * The metrics to report, as ids: {@code "accuracy"}, {@code "f1"}, {@code "mcc"},
     * {@code "pearson"}, {@code "spearman"}. For binary tasks, f1 is that of class index 1.
     *
     * @return the metric ids, primary metric first
     */
    List<String> metrics();

    /**
     * The metric that picks the best epoch; one of {@link #metrics()}.
     *
     * @return a metric id
     */
    String primaryMetric();

    /**
     * Reads one split, rows in file order.
     *
     * @param dataDir the data directory (for GLUE, the folder that holds {@code RTE/}, {@code SST-2/}
     *                ...); tasks that ship their data ignore it
     * @param split   which split
     * @return the examples, unmodifiable; labels are NaN where the file has none (test splits)
     * @throws IllegalArgumentException if a file is missing or malformed; the message names the
     *                                  file, the 1-based line and what was expected
     * @throws java.io.UncheckedIOException if a file exists but cannot be read
     */
    List<Example> read(Path dataDir, Split split);

    /** The three splits of a benchmark task. */
    enum Split {
        /** The training set. */
        TRAIN,
        /** The labelled development set, used for model selection and reported scores. */
        DEV,
        /** The test set; in GLUE it is unlabelled. */
        TEST
    }
}
