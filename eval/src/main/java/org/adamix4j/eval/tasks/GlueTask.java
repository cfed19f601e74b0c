package org.adamix4j.eval.tasks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The GLUE tasks, read from the TSV files that the standard GLUE download script writes:
 * {@code <dataDir>/<Folder>/{train,dev,test}.tsv}, e.g. {@code glue/RTE/dev.tsv}, {@code
 * glue/SST-2/train.tsv}, and for MNLI {@code dev_matched.tsv} / {@code dev_mismatched.tsv}.
 *
 * <p>Columns are looked up by header name wherever the file has a header, so a file with extra or
 * reordered columns still reads correctly; only CoLA's train and dev files have no header and are
 * read by position (source, label, original mark, sentence). Labels are parsed strictly: a label
 * string the task does not know is an error, never silently mapped to some class.
 *
 * <p>{@link #id()} is the lower-case CLI name ({@code "rte"}, {@code "mnli-mm"});
 * {@link Tasks#byName(String)} matches it (and the constant's name) case-insensitively, and
 * {@link Tasks#names()} lists the lower-case forms used on the command line.
 */
public enum GlueTask implements Task {
    /** Corpus of Linguistic Acceptability: single sentence, binary, scored by MCC. */
    COLA("CoLA", "sentence", null, "label", List.of("unacceptable", "acceptable"), List.of("0", "1"),
            List.of("mcc")),
    /** Stanford Sentiment Treebank, binary: single sentence. */
    SST2("SST-2", "sentence", null, "label", List.of("negative", "positive"), List.of("0", "1"),
            List.of("accuracy")),
    /** Microsoft Research Paraphrase Corpus: sentence pairs, label column {@code Quality}. */
    MRPC("MRPC", "#1 String", "#2 String", "Quality", List.of("not_equivalent", "equivalent"),
            List.of("0", "1"), List.of("f1", "accuracy")),
    /** Quora Question Pairs: question pairs, label column {@code is_duplicate}. */
    QQP("QQP", "question1", "question2", "is_duplicate", List.of("not_duplicate", "duplicate"),
            List.of("0", "1"), List.of("f1", "accuracy")),
    /** Semantic Textual Similarity Benchmark: regression on a 0..5 similarity score. */
    STSB("STS-B", "sentence1", "sentence2", "score", List.of(), List.of(),
            List.of("pearson", "spearman")),
    /** Multi-Genre NLI, matched dev/test sets; label column {@code gold_label}. */
    MNLI("MNLI", "sentence1", "sentence2", "gold_label",
            List.of("contradiction", "entailment", "neutral"),
            List.of("contradiction", "entailment", "neutral"), List.of("accuracy")),
    /** Multi-Genre NLI, mismatched dev/test sets; trains on the same train.tsv as {@link #MNLI}. */
    MNLI_MM("MNLI", "sentence1", "sentence2", "gold_label",
            List.of("contradiction", "entailment", "neutral"),
            List.of("contradiction", "entailment", "neutral"), List.of("accuracy")),
    /** Question NLI (from SQuAD): question and sentence. */
    QNLI("QNLI", "question", "sentence", "label", List.of("entailment", "not_entailment"),
            List.of("entailment", "not_entailment"), List.of("accuracy")),
    /** Recognizing Textual Entailment. */
    RTE("RTE", "sentence1", "sentence2", "label", List.of("entailment", "not_entailment"),
            List.of("entailment", "not_entailment"), List.of("accuracy")),
    /** Winograd NLI; note its 0/1 labels mean not_entailment/entailment, the reverse of RTE. */
    WNLI("WNLI", "sentence1", "sentence2", "label", List.of("not_entailment", "entailment"),
            List.of("0", "1"), List.of("accuracy"));

    /** Column positions in CoLA's header-less train/dev files. */
    private static final int COLA_LABEL = 1;
    private static final int COLA_SENTENCE = 3;
    private static final int COLA_WIDTH = 4;

    /** A plain decimal number; stricter than Double.parseDouble, which accepts "NaN", "1d", hex. */
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final double MIN_SCORE = 0.0;
    private static final double MAX_SCORE = 5.0;

    private final String folder;
    private final String textAColumn;
    private final String textBColumn;
    private final String labelColumn;
    private final List<String> labels;
    /** How each class appears in the files, in label-index order ("0"/"1" or the class names). */
    private final List<String> labelTokens;
    private final List<String> metrics;

    GlueTask(String folder, String textAColumn, String textBColumn, String labelColumn,
             List<String> labels, List<String> labelTokens, List<String> metrics) {
        this.folder = folder;
        this.textAColumn = textAColumn;
        this.textBColumn = textBColumn;
        this.labelColumn = labelColumn;
        this.labels = labels;
        this.labelTokens = labelTokens;
        this.metrics = metrics;
    }

    /**
     * The task's folder in the GLUE download, e.g. {@code "SST-2"}; MNLI and MNLI_MM share
     * {@code "MNLI"}.
     *
     * @return the folder name under the data dir
     */
    public String folder() {
        return folder;
    }

    /**
     * The file a split is read from, e.g. {@code "dev.tsv"}; for MNLI {@code "dev_matched.tsv"},
     * for MNLI_MM {@code "dev_mismatched.tsv"} (and {@code test_matched}/{@code test_mismatched}).
     *
     * @param split the split
     * @return the file name inside {@link #folder()}
     */
    public String fileName(Split split) {
        switch (split) {
            case TRAIN:
                return "train.tsv";
            case DEV:
                return this == MNLI ? "dev_matched.tsv" : this == MNLI_MM ? "dev_mismatched.tsv" : "dev.tsv";
            case TEST:
                return this == MNLI ? "test_matched.tsv" : this == MNLI_MM ? "test_mismatched.tsv" : "test.tsv";
            default:
                throw new AssertionError(split);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    /** {@inheritDoc} True only for {@link #STSB}. */
    @Override
    public boolean isRegression() {
        return labels.isEmpty();
    }

    /** {@inheritDoc} */
    @Override
    public List<String> metrics() {
        return metrics;
    }

    /** {@inheritDoc} The first of {@link #metrics()}. */
    @Override
    public String primaryMetric() {
        return metrics.get(0);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads {@code dataDir/}{@link #folder()}{@code /}{@link #fileName(Split) fileName(split)}.
     * A test file has no label column, so its labels are NaN; if a test file does have one (some
     * redistributions use a labelled dev set as test.tsv), it is read.
     *
     * @throws IllegalArgumentException if {@code dataDir}, the task folder or the file is missing,
     *                                  or a row is malformed
     */
    @Override
    public List<Example> read(Path dataDir, Split split) {
        if (split == null) {
            throw new NullPointerException("split");
        }
        Path file = locate(dataDir, split);
        try (TsvReader reader = TsvReader.open(file)) {
            return parse(reader, split);
        }
    }

    /** Resolves the file of a split, checking each level so the message says which one is missing. */
    private Path locate(Path dataDir, Split split) {
        String layout = "expected the GLUE layout <dataDir>/<Folder>/<split>.tsv, here <dataDir>/"
                + folder + "/" + fileName(split);
        if (dataDir == null) {
            throw new IllegalArgumentException("no GLUE data dir given for task " + name() + "; " + layout);
        }
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("GLUE data dir " + dataDir + " does not exist or is not a directory; "
                    + layout);
        }
        Path dir = dataDir.resolve(folder);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("task folder " + dir + " does not exist; " + layout
                    + " (folders found in " + dataDir + ": " + listing(dataDir, true) + ")");
        }
        Path file = dir.resolve(fileName(split));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file " + file + " does not exist; " + layout
                    + " (files found in " + dir + ": " + listing(dir, false) + ")");
        }
        return file;
    }

    /** Sorted names of the sub-folders or files of {@code dir}, to show what is there instead. */
    private static String listing(Path dir, boolean folders) {
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = entries
                    .filter(p -> folders ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .collect(Collectors.toList());
            return names.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * Parses rows in this task's format. Package-private so {@link DemoTask} reads its classpath
     * files with exactly the SST-2 rules.
     */
    List<Example> parse(TsvReader reader, Split split) {
        String[] first = reader.next();
        if (first == null) {
            throw reader.error("the file is empty; expected "
                    + (this == COLA && split != Split.TEST ? "rows" : "a header line"));
        }
        // CoLA's train/dev files have no header; its test file starts with "index\tsentence".
        // Detect by content rather than by split, so a header-less or labelled test file also works.
        boolean headerless = this == COLA && !"index".equals(first[0]);
        Columns c = headerless ? colaColumns() : headerColumns(reader, first, split);

        List<Example> out = new ArrayList<>();
        String[] row = headerless ? first : reader.next();
        int rowNumber = 0;
        while (row != null) {
            out.add(example(reader, c, row, rowNumber++));
            row = reader.next();
        }
        return Collections.unmodifiableList(out);
    }

    /** Where the fields of a row are; -1 for absent. {@code width} is the maximum row width. */
    private record Columns(int id, int textA, int textB, int label, int width, List<String> needed) {
        int minWidth() {
            return Math.max(Math.max(id, textA), Math.max(textB, label)) + 1;
        }
    }

    private static Columns colaColumns() {
        return new Columns(-1, COLA_SENTENCE, -1, COLA_LABEL, COLA_WIDTH,
                List.of("source", "label", "original label", "sentence"));
    }

    private Columns headerColumns(TsvReader reader, String[] header, Split split) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = header.length - 1; i >= 0; i--) { // first occurrence wins
            index.put(header[i], i);
        }
        List<String> needed = new ArrayList<>();
        String idColumn = this == QQP ? "id" : "index";
        int id = index.getOrDefault(idColumn, -1); // optional: SST-2, MRPC train/dev have none
        if (id >= 0) {
            needed.add(idColumn);
        }
        int a = require(reader, header, index, textAColumn, needed);
        int b = textBColumn == null ? -1 : require(reader, header, index, textBColumn, needed);
        int label;
        if (split == Split.TEST && !index.containsKey(labelColumn)) {
            label = -1; // GLUE test files are unlabelled
        } else {
            label = require(reader, header, index, labelColumn, needed);
        }
        return new Columns(id, a, b, label, header.length, needed);
    }

    private static int require(TsvReader reader, String[] header, Map<String, Integer> index,
                               String column, List<String> needed) {
        Integer i = index.get(column);
        if (i == null) {
            throw reader.error("missing header column '" + column + "'; header found: "
                    + List.of(header));
        }
        needed.add(column);
        return i;
    }

    private Example example(TsvReader reader, Columns c, String[] row, int rowNumber) {
        if (row.length < c.minWidth()) {
            String blank = row.length == 1 && row[0].isEmpty() ? " (blank line)" : "";
            throw reader.error("expected at least " + c.minWidth() + " tab-separated columns (needed: "
                    + String.join(", ", c.needed()) + ") but found " + row.length + blank);
        }
        if (row.length > c.width()) {
            // More fields than the header means a tab inside a text: the columns after it would be
            // shifted, so the label read by name could be a piece of sentence. Refuse.
            throw reader.error("found " + row.length + " tab-separated columns but expected at most "
                    + c.width() + " (a tab inside a text?)");
        }
        String id = c.id() >= 0 ? row[c.id()] : Integer.toString(rowNumber);
        String textB = c.textB() >= 0 ? row[c.textB()] : null;
        double label = c.label() >= 0 ? label(reader, row[c.label()]) : Double.NaN;
        return new Example(id, row[c.textA()], textB, label);
    }

    private double label(TsvReader reader, String field) {
        // Trim: a stray space around a label is harmless; texts, by contrast, are kept verbatim.
        String value = field.strip();
        if (isRegression()) {
            if (!DECIMAL.matcher(value).matches()) {
                throw reader.error("score '" + field + "' in column '" + labelColumn
                        + "' is not a number; expected a decimal in [0, 5]");
            }
            double score = Double.parseDouble(value);
            // Catch a wrong column early: STS-B scores are 0..5 by construction.
            if (score < MIN_SCORE || score > MAX_SCORE) {
                throw reader.error("score " + value + " in column '" + labelColumn
                        + "' is outside the STS-B range [0, 5]");
            }
            return score;
        }
        int i = labelTokens.indexOf(value);
        if (i < 0) {
            throw reader.error("unknown label '" + field + "' in column '" + labelColumn
                    + "'; expected one of " + labelTokens);
        }
        return i;
    }
}
