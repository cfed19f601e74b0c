package org.adamix4j.search;

import org.adamix4j.eval.train.TrainConfig;
import org.adamix4j.onnx.AtomicFiles;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of a search directory, rewritten whole (temp file, then move) after every change, so that
 * whatever stops the search (the end, a failure, Ctrl-C) leaves them complete and readable:
 * {@value #CSV} and {@value #MARKDOWN} (every candidate: status, score, knobs, reason),
 * {@value #BEST} (the best candidate's run config, for {@code adamix train --config}) and
 * {@value #PLOT} (score against the most influential knob). Thread-safe: the candidate thread and a
 * shutdown hook both write.
 */
public final class SearchResults {
    public static final String CSV = "results.csv";
    public static final String MARKDOWN = "results.md";
    public static final String BEST = "best.json";
    public static final String PLOT = "score.png";
    public static final String SETTINGS = "search.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final String task;
    private final String metric;
    private final SearchSpace space;
    private final List<Knob> knobs;
    private final String header;
    private final PrintStream warnings;
    private final Map<Integer, CandidateRow> rows = new TreeMap<>();
    private final long started = System.nanoTime();
    private CandidateRow best;
    private String stopReason = "";

    /**
     * @param header   lines about the search shown at the top of the Markdown file
     * @param warnings where a failed plot is reported (a plot never stops a search)
     */
    SearchResults(Path dir, String task, String metric, SearchSpace space, String header, PrintStream warnings) {
        this.dir = dir;
        this.task = task;
        this.metric = metric;
        this.space = space;
        this.knobs = List.copyOf(space.ranges().keySet());
        this.header = header;
        this.warnings = warnings;
    }

    /** Records a candidate that has started, and rewrites the table. */
    synchronized void started(CandidateRow row) {
        rows.put(row.number(), row);
        write();
    }

    /**
     * Records a finished candidate (complete or failed), rewrites the table and plot, and rewrites
     * {@value #BEST} if it is the best so far (ties keep the earlier candidate).
     */
    synchronized void finished(CandidateRow row, TrainConfig config) {
        rows.put(row.number(), row);
        if (row.status() == CandidateRow.Status.COMPLETE && (best == null || row.score() > best.score())) {
            best = row;
            AtomicFiles.write(dir.resolve(BEST), p -> JSON.writeValue(p.toFile(), config.toJson()));
        }
        write();
        plot();
    }

    /** Marks running candidates as interrupted and rewrites the table (the shutdown hook's job). */
    synchronized void interrupt(String why) {
        double secs = (System.nanoTime() - started) / 1e9;
        rows.replaceAll((n, r) -> r.status() == CandidateRow.Status.RUNNING
                ? r.withStatus(CandidateRow.Status.INTERRUPTED, why, secs) : r);
        if (stopReason.isEmpty()) stopReason = why;
        write();
    }

    /** Records why the search stopped (shown in the Markdown file) and rewrites it. */
    synchronized void stopped(String why) {
        stopReason = why;
        write();
    }

    public synchronized List<CandidateRow> rows() {
        return new ArrayList<>(rows.values());
    }

    public synchronized Optional<CandidateRow> best() {
        return Optional.ofNullable(best);
    }

    /** The knob the plot uses: the most influential one, else the first that varies in the space. */
    synchronized Knob plotKnob() {
        return Influence.mostInfluential(rows(), knobs).map(Influence.Measured::knob)
                .orElseGet(() -> knobs.stream().filter(k -> !(space.ranges().get(k) instanceof SearchSpace.Fixed))
                        .findFirst().orElseThrow());
    }

    private void plot() {
        try {
            Knob k = plotKnob();
            String why = Influence.mostInfluential(rows(), knobs).map(m -> "most influential, " + m.describe())
                    .orElse("fewer than " + Influence.MIN_CANDIDATES + " complete candidates: knobs not ranked");
            ScorePlot.write(dir.resolve(PLOT), rows(), k, task + ": dev " + metric + " vs " + k.id() + " (" + why + ")",
                    metric, space.isLogScale(k));
        } catch (RuntimeException | LinkageError e) {
            warnings.println("search: could not draw " + PLOT + ": " + e);
        }
    }

    private void write() {
        List<CandidateRow> all = new ArrayList<>(rows.values());
        AtomicFiles.write(dir.resolve(CSV), p -> Files.writeString(p, csv(all)));
        AtomicFiles.write(dir.resolve(MARKDOWN), p -> Files.writeString(p, markdown(all)));
    }

    private String csv(List<CandidateRow> all) {
        StringBuilder b = new StringBuilder("candidate,status,").append(metric).append(",best_epoch,seconds,peak_rss_mb");
        for (Knob k : knobs) b.append(',').append(k.id());
        b.append(",reason,run_dir\n");
        for (CandidateRow r : all) {
            b.append(r.number()).append(',').append(r.status().label()).append(',')
                    .append(r.score() == null ? "" : r.score().toString()).append(',')
                    .append(r.status() == CandidateRow.Status.COMPLETE ? String.valueOf(r.bestEpoch()) : "").append(',')
                    .append(String.format("%.1f", r.seconds())).append(',').append(String.format("%.0f", r.peakRssMb()));
            for (Knob k : knobs) b.append(',').append(csvField(String.valueOf(r.knobs().get(k.id()))));
            b.append(',').append(csvField(r.reason())).append(',').append(csvField(dir.relativize(r.runDir()).toString())).append('\n');
        }
        return b.toString();
    }

    /** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) return "\"" + s.replace("\"", "\"\"") + "\"";
        return s;
    }

    private String markdown(List<CandidateRow> all) {
        long complete = all.stream().filter(r -> r.status() == CandidateRow.Status.COMPLETE).count();
        long failed = all.stream().filter(r -> r.status() == CandidateRow.Status.FAILED).count();
        StringBuilder b = new StringBuilder("# Search on ").append(task).append("\n\n").append(header).append('\n');
        b.append(String.format("%d candidates: %d complete, %d failed, %d running or interrupted; %s so far.%s%n",
                all.size(), complete, failed, all.size() - complete - failed, duration((System.nanoTime() - started) / 1e9),
                stopReason.isEmpty() ? "" : " Stopped: " + stopReason + "."));
        if (best != null) {
            b.append(String.format("%nBest: candidate %d, dev %s %.4f (epoch %d). Its run config is `%s`: reproduce it with "
                    + "`adamix train --config %s` (and `--data` for a GLUE task).%n", best.number(), metric, best.score(),
                    best.bestEpoch(), BEST, dir.resolve(BEST)));
        }
        List<Influence.Measured> ranked = Influence.rank(all, knobs);
        if (complete >= Influence.MIN_CANDIDATES && !ranked.isEmpty()) {
            b.append("\nInfluence on the score (|Spearman ρ| for numbers, correlation ratio η for words; docs/search.md): ");
            for (int i = 0; i < ranked.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(ranked.get(i).knob().id()).append(' ').append(ranked.get(i).describe());
            }
            b.append(String.format(". Plot: `%s`.%n", PLOT));
        }
        b.append("\n| # | status | ").append(metric).append(" | epoch | time |");
        for (Knob k : knobs) b.append(' ').append(k.id()).append(" |");
        b.append(" reason |\n|---|---|---|---|---|");
        knobs.forEach(k -> b.append("---|"));
        b.append("---|\n");
        for (CandidateRow r : all) {
            b.append("| ").append(r.number()).append(" | ").append(r == best ? "**complete (best)**" : r.status().label())
                    .append(" | ").append(r.score() == null ? "" : String.format("%.4f", r.score()))
                    .append(" | ").append(r.status() == CandidateRow.Status.COMPLETE ? r.bestEpoch() : "")
                    .append(" | ").append(r.status() == CandidateRow.Status.RUNNING ? "" : duration(r.seconds())).append(" |");
            for (Knob k : knobs) b.append(' ').append(show(r.knobs().get(k.id()))).append(" |");
            b.append(' ').append(r.reason().replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    /** Numbers with 3 significant digits (full precision is in the CSV and the run configs). */
    static String show(Object v) {
        if (v instanceof Double d) return String.format("%.3g", d);
        return String.valueOf(v);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }

    /** Candidates sorted by score, best first (complete ones only). */
    public synchronized List<CandidateRow> leaderboard() {
        return rows.values().stream().filter(r -> r.status() == CandidateRow.Status.COMPLETE)
                .sorted(Comparator.comparingDouble(CandidateRow::score).reversed()).toList();
    }
}
