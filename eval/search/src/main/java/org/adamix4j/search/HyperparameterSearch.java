package org.adamix4j.search;

import org.adamix4j.eval.tasks.Task;
import org.adamix4j.eval.tasks.Tasks;
import org.adamix4j.eval.train.TrainConfig;
import org.adamix4j.eval.train.Trainer;
import org.adamix4j.eval.train.TrainingDivergedException;
import org.adamix4j.onnx.AtomicFiles;
import org.adamix4j.onnx.ImportedModel;
import org.adamix4j.tokenize.TransformerTokenizer;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A hyperparameter search: Arbiter generates candidates from a {@link SearchSpace} (random or grid),
 * its {@link LocalOptimizationRunner} runs them one at a time, and each candidate is one
 * {@link Trainer#run} into its own run directory under {@code candidates/}. The score is the task's
 * primary dev metric at the run's best epoch, maximised. The search stops after the maximum number of
 * candidates (failed ones count), when the grid is exhausted, or when the maximum wall time has passed
 * (checked between candidates: the candidate running at the deadline finishes and is recorded).
 *
 * <p>A candidate that throws (including {@link TrainingDivergedException} for a NaN loss) is recorded
 * as failed with the reason and the search goes on. The results ({@link SearchResults}) are rewritten
 * after every change, and a shutdown hook marks the running candidate as interrupted on Ctrl-C, so
 * the files are always complete and readable.
 */
public final class HyperparameterSearch {
    /** How candidates are generated. */
    public enum Strategy {
        /** Arbiter's RandomSearchGenerator, seeded */
        RANDOM,
        /** Arbiter's GridSearchCandidateGenerator, in sequential order; continuous knobs take gridPoints values */
        GRID
    }

    /**
     * What a finished search found.
     *
     * @param rows        every candidate, in order
     * @param best        the best complete candidate
     * @param influential the most influential knob (see {@link Influence})
     * @param stopReason  why the search stopped
     * @param dir         the search directory
     * @param seconds     wall time
     */
    public record Outcome(List<CandidateRow> rows, Optional<CandidateRow> best, Optional<Influence.Measured> influential,
                          String stopReason, Path dir, double seconds) {
    }

    private final TrainConfig base;
    private final SearchSpace space;
    private final Supplier<ImportedModel> model;
    private final TransformerTokenizer tokenizer;
    private final Path out;
    private final Path data;
    private final Strategy strategy;
    private final int maxCandidates;
    private final Duration maxTime;
    private final int gridPoints;
    private final long seed;
    private final PrintStream log;

    private HyperparameterSearch(Builder b) {
        base = b.base;
        space = b.space;
        model = b.model;
        tokenizer = b.tokenizer;
        out = b.out;
        data = b.data;
        strategy = b.strategy;
        maxCandidates = b.maxCandidates;
        maxTime = b.maxTime;
        gridPoints = b.gridPoints;
        seed = b.seed != null ? b.seed : b.base.seed();
        log = b.log;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs the search; returns when it stops. */
    public Outcome run() {
        long t0 = System.nanoTime();
        Task task = Tasks.byName(base.task());
        space.check(base);
        openEmpty(out);

        CandidateSpace arbiterSpace = space.toArbiter();
        CandidateGenerator generator;
        int planned;
        int gridSize = -1;
        if (strategy == Strategy.GRID) {
            GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(arbiterSpace, gridPoints,
                    GridSearchCandidateGenerator.Mode.Sequential, null);
            // Arbiter's runner never stops on an exhausted generator by itself: cap at the grid's size.
            gridSize = grid.getTotalNumCandidates();
            planned = Math.min(maxCandidates > 0 ? maxCandidates : Integer.MAX_VALUE, gridSize);
            generator = grid;
        } else {
            generator = new RandomSearchGenerator(arbiterSpace, null);
            planned = maxCandidates > 0 ? maxCandidates : 10;
        }
        List<TerminationCondition> stops = new ArrayList<>();
        stops.add(new MaxCandidatesCondition(planned));
        if (maxTime != null) stops.add(new MaxTimeCondition(maxTime.toMillis(), TimeUnit.MILLISECONDS));
        OptimizationConfiguration config = new OptimizationConfiguration.Builder().candidateGenerator(generator)
                .scoreFunction(new DevMetricScore(task.primaryMetric())).terminationConditions(stops).rngSeed(seed).build();

        String header = String.format("Task %s (score: dev %s at the best epoch, maximised); %s search over `%s` "
                        + "(seed %d), at most %d candidates%s. Base config: method %s, epochs %d, batch %d, lr %.3g, seed %d.%n",
                task.id(), task.primaryMetric(), strategy.name().toLowerCase(), space.source(), seed, planned,
                maxTime == null ? "" : ", at most " + SearchResults.duration(maxTime.toMillis() / 1e3) + " (then the running candidate finishes)",
                base.method().name(), base.epochs(), base.batchSize(), base.optim().learningRate(), base.seed());
        SearchResults results = new SearchResults(out, task.id(), task.primaryMetric(), space, header, log);
        writeSettings(planned);
        log.printf("search: %s", header);
        log.printf("search: writing %s%n", out);

        Thread hook = new Thread(() -> results.interrupt("interrupted (Ctrl-C or shutdown)"), "adamix-search-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LocalOptimizationRunner runner = new LocalOptimizationRunner(1, config, new Creator(results, task, planned, t0));
        try {
            runner.execute();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs and writes the table
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        int ran = results.rows().size();
        String why;
        if (ran >= planned) {
            why = gridSize == planned ? "grid exhausted (" + planned + " candidates)" : "reached " + planned + " candidates";
        } else if (maxTime != null && secs * 1e3 >= maxTime.toMillis()) {
            why = "max time " + SearchResults.duration(maxTime.toMillis() / 1e3) + " passed";
        } else {
            why = "runner stopped after " + ran + " candidates";
        }
        results.stopped(why);
        List<Knob> knobs = List.copyOf(space.ranges().keySet());
        return new Outcome(results.rows(), results.best(), Influence.mostInfluential(results.rows(), knobs), why, out, secs);
    }

    private static void openEmpty(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("output directory " + dir + " is not empty: choose another --output");
                    }
                }
            } else if (Files.exists(dir)) {
                throw new IllegalArgumentException("output " + dir + " exists and is not a directory");
            }
            Files.createDirectories(dir.resolve("candidates"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the search directory " + dir, e);
        }
    }

    private void writeSettings(int planned) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strategy", strategy.name().toLowerCase());
        m.put("max_candidates", planned);
        m.put("max_seconds", maxTime == null ? null : maxTime.toMillis() / 1e3);
        m.put("grid_points", gridPoints);
        m.put("seed", seed);
        m.put("space_source", space.source());
        m.put("space", space.toJson());
        m.put("base_config", base.toJson());
        m.put("data", data == null ? null : data.toAbsolutePath().toString());
        m.put("arbiter", "arbiter-core 1.0.0-beta7, LocalOptimizationRunner, 1 candidate at a time");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(out.resolve(SearchResults.SETTINGS), p -> json.writeValue(p.toFile(), m));
    }

    /** Arbiter's TaskCreator: a candidate becomes a call that trains it and records the outcome. */
    private final class Creator implements TaskCreator {
        private final SearchResults results;
        private final Task task;
        private final int planned;
        private final long t0;

        Creator(SearchResults results, Task task, int planned, long t0) {
            this.results = results;
            this.task = task;
            this.planned = planned;
            this.t0 = t0;
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider, ScoreFunction scoreFunction,
                                                   List<StatusListener> statusListeners, IOptimizationRunner runner) {
            return () -> runCandidate(candidate, scoreFunction);
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                                   Properties dataSourceProperties, ScoreFunction scoreFunction,
                                                   List<StatusListener> statusListeners, IOptimizationRunner runner) {
            return () -> runCandidate(candidate, scoreFunction);
        }

        @SuppressWarnings("unchecked")
        private OptimizationResult runCandidate(Candidate candidate, ScoreFunction scoreFunction) {
            long start = System.currentTimeMillis();
            long n0 = System.nanoTime();
            int number = candidate.getIndex() + 1;
            Map<String, Object> knobs = (Map<String, Object>) candidate.getValue();
            String name = String.format("candidate-%03d", number);
            Path runDir = out.resolve("candidates").resolve(name);
            results.started(CandidateRow.running(number, knobs, runDir));
            log.printf("%nsearch: candidate %d/%d (%s elapsed): %s%n", number, planned,
                    SearchResults.duration((n0 - t0) / 1e9), describe(knobs));

            CandidateRow row;
            TrainConfig config = null;
            Double score = null;
            String trace = null;
            try (LinePrefixStream lines = new LinePrefixStream(log, "  [" + number + "] ",
                    Files.newBufferedWriter(out.resolve("candidates").resolve(name + ".log"), StandardCharsets.UTF_8));
                 PrintStream runLog = new PrintStream(lines, true, StandardCharsets.UTF_8)) {
                config = Knob.apply(base, knobs);
                Trainer.Result r = Trainer.run(config, data, model, tokenizer, runDir, false, runLog);
                double s = scoreFunction.score(r, (DataProvider) null, null);
                if (!Double.isFinite(s)) throw new IllegalStateException("dev " + task.primaryMetric() + " is " + s);
                score = s;
                row = new CandidateRow(number, CandidateRow.Status.COMPLETE, s, r.bestEpoch(), (System.nanoTime() - n0) / 1e9,
                        r.peakRssMb(), knobs, "", runDir);
            } catch (Throwable e) { // any failure is this candidate's, not the search's
                trace = e.toString();
                row = new CandidateRow(number, CandidateRow.Status.FAILED, null, 0, (System.nanoTime() - n0) / 1e9, 0, knobs,
                        reason(e), runDir);
            } finally {
                // ND4J frees a finished candidate's off-heap buffers when their handles are collected.
                System.gc();
            }
            results.finished(row, config);
            CandidateRow best = results.best().orElse(null);
            log.printf("search: candidate %d/%d %s in %s%s; best so far: %s%n", number, planned,
                    row.status() == CandidateRow.Status.COMPLETE ? "complete" : "FAILED", SearchResults.duration(row.seconds()),
                    row.status() == CandidateRow.Status.COMPLETE
                            ? String.format(": dev %s %.4f (epoch %d)", task.primaryMetric(), score, row.bestEpoch())
                            : ": " + row.reason(),
                    best == null ? "none" : String.format("candidate %d, %.4f", best.number(), best.score()));
            CandidateInfo info = new CandidateInfo(candidate.getIndex(),
                    row.status() == CandidateRow.Status.COMPLETE ? CandidateStatus.Complete : CandidateStatus.Failed, score,
                    start, start, System.currentTimeMillis(), candidate.getFlatParameters(), trace);
            return new OptimizationResult(candidate, score, candidate.getIndex(), null, info, null);
        }
    }

    /** One line saying why a candidate failed: the exception's message (with its type unless it is ours). */
    static String reason(Throwable e) {
        if (e instanceof TrainingDivergedException || e instanceof IllegalArgumentException) return e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return root == e ? msg : msg + " (cause: " + root + ")";
    }

    static String describe(Map<String, Object> knobs) {
        StringBuilder b = new StringBuilder();
        knobs.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(SearchResults.show(v)));
        return b.toString();
    }

    /** Builds a search; required: base config, space, model, tokenizer, output. */
    public static final class Builder {
        private TrainConfig base;
        private SearchSpace space;
        private Supplier<ImportedModel> model;
        private TransformerTokenizer tokenizer;
        private Path out;
        private Path data;
        private Strategy strategy = Strategy.RANDOM;
        private int maxCandidates;
        private Duration maxTime;
        private int gridPoints = 3;
        private Long seed;
        private PrintStream log = System.out;

        private Builder() {
        }

        /** The run config every candidate starts from (task, limits, knobs the space leaves alone). */
        public Builder setBaseConfig(TrainConfig c) {
            base = c;
            return this;
        }

        public Builder setSpace(SearchSpace s) {
            space = s;
            return this;
        }

        /** Returns a fresh, unadapted import of the base model (once per candidate). */
        public Builder setModel(Supplier<ImportedModel> m) {
            model = m;
            return this;
        }

        /** The model's tokenizer; its maximum length should match the base config's. */
        public Builder setTokenizer(TransformerTokenizer t) {
            tokenizer = t;
            return this;
        }

        /** The search directory: missing or empty. */
        public Builder setOutput(Path dir) {
            out = dir;
            return this;
        }

        /** GLUE data folder (not needed for the demo task). */
        public Builder optData(Path dir) {
            data = dir;
            return this;
        }

        public Builder optStrategy(Strategy s) {
            strategy = s;
            return this;
        }

        /** Candidates to run, failed ones included (default: 10 for random search, the whole grid for grid search). */
        public Builder optMaxCandidates(int n) {
            maxCandidates = n;
            return this;
        }

        /** No candidate starts after this much wall time. */
        public Builder optMaxTime(Duration d) {
            maxTime = d;
            return this;
        }

        /** Grid search: values per continuous knob (integer ranges take at most this many). Default 3. */
        public Builder optGridPoints(int n) {
            gridPoints = n;
            return this;
        }

        /** Seeds candidate generation (default: the base config's seed). */
        public Builder optSeed(long s) {
            seed = s;
            return this;
        }

        /** Progress lines (default System.out). */
        public Builder optLog(PrintStream p) {
            log = p;
            return this;
        }

        public HyperparameterSearch build() {
            if (base == null || space == null || model == null || tokenizer == null || out == null) {
                throw new IllegalArgumentException("a search needs a base config, a space, a model, a tokenizer and an output directory");
            }
            if (maxCandidates < 0) throw new IllegalArgumentException("max candidates must be >= 1, got " + maxCandidates);
            if (maxTime != null && (maxTime.isNegative() || maxTime.isZero())) {
                throw new IllegalArgumentException("max time must be positive, got " + maxTime);
            }
            if (gridPoints < 2) throw new IllegalArgumentException("grid points must be >= 2, got " + gridPoints);
            if (log == null) throw new IllegalArgumentException("log must not be null");
            return new HyperparameterSearch(this);
        }
    }
}
