package org.adamix4j.search;

import org.adamix4j.cli.ModelOptions;
import org.adamix4j.cli.TrainOptions;
import org.adamix4j.eval.train.TrainConfig;
import org.adamix4j.tokenize.TransformerTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code adamix search}: hyperparameter search with Arbiter, one training run per candidate. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Hyperparameter search with Arbiter: random or grid search over a space of AdaMix, LoRA and trainer "
                + "knobs; one training run per candidate; writes results.csv/.md, best.json (for train --config) and score.png.",
                "The training options below set the base config every candidate starts from; the space overrides the knobs it names."})
final class SearchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;
    @Mixin
    TrainOptions train;
    @Option(names = "--data", paramLabel = "DIR", description = "GLUE data folder (not needed for --task demo)")
    Path data;
    @Option(names = "--space", paramLabel = "SPACE", description = "search space: a JSON file, inline JSON, or a built-in "
            + "name (adamix, adamix-lora, lora, quick; default: the one named after --method)")
    String space;
    @Option(names = "--strategy", defaultValue = "random", description = "random or grid (default ${DEFAULT-VALUE})")
    String strategy;
    @Option(names = "--candidates", paramLabel = "N", description = "candidates to run, failed ones included "
            + "(default 10 for random search, the whole grid for grid search)")
    Integer candidates;
    @Option(names = "--max-time", paramLabel = "TIME", description = "start no candidate after this wall time, e.g. 90s, 45m, 6h")
    String maxTime;
    @Option(names = "--grid-points", defaultValue = "3", description = "grid search: values per continuous knob (default ${DEFAULT-VALUE})")
    int gridPoints;
    @Option(names = "--search-seed", description = "seeds candidate generation (default: --seed)")
    Long searchSeed;
    @Option(names = "--output", paramLabel = "DIR", description = "search directory (default searches/<task>-<space>-<time>)")
    Path output;

    @Override
    public Integer call() {
        TrainConfig base = train.resolve();
        TrainOptions.checkDataDir(base.task(), data);
        String spaceSpec = space != null ? space : base.method().name();
        if (space == null && !SearchSpace.BUILT_IN.contains(spaceSpec)) {
            throw new IllegalArgumentException("no built-in search space for method " + spaceSpec + ": give --space "
                    + "(a JSON file, inline JSON, or one of " + SearchSpace.BUILT_IN + ")");
        }
        SearchSpace s = SearchSpace.resolve(spaceSpec);
        HyperparameterSearch.Strategy st = switch (strategy.toLowerCase(Locale.ROOT)) {
            case "random" -> HyperparameterSearch.Strategy.RANDOM;
            case "grid" -> HyperparameterSearch.Strategy.GRID;
            default -> throw new IllegalArgumentException("--strategy must be random or grid, got '" + strategy + "'");
        };
        if (candidates != null && candidates < 1) throw new IllegalArgumentException("--candidates must be >= 1, got " + candidates);
        Path out = output != null ? output : Path.of("searches", base.task() + "-" + Path.of(s.source()).getFileName()
                .toString().replace(".json", "") + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (TransformerTokenizer tok = model.tokenizer(base.maxLength())) {
            HyperparameterSearch.Builder b = HyperparameterSearch.builder().setBaseConfig(base).setSpace(s)
                    .setModel(model::importModel).setTokenizer(tok).setOutput(out).optData(data).optStrategy(st)
                    .optGridPoints(gridPoints).optLog(System.out);
            if (candidates != null) b.optMaxCandidates(candidates);
            if (maxTime != null) b.optMaxTime(parseDuration(maxTime));
            if (searchSeed != null) b.optSeed(searchSeed);
            HyperparameterSearch.Outcome o = b.build().run();
            long failed = o.rows().stream().filter(r -> r.status() == CandidateRow.Status.FAILED).count();
            System.out.printf("%nsearch done: %d candidates (%d failed) in %s; stopped: %s%n", o.rows().size(), failed,
                    SearchResults.duration(o.seconds()), o.stopReason());
            o.influential().ifPresent(m -> System.out.println("most influential knob: " + m.knob().id() + " (" + m.describe() + ")"));
            System.out.println("results: " + out.resolve(SearchResults.MARKDOWN) + ", " + out.resolve(SearchResults.CSV) + ", "
                    + out.resolve(SearchResults.PLOT));
            if (o.best().isEmpty()) {
                System.err.println("adamix: no candidate completed; see the reasons in " + out.resolve(SearchResults.MARKDOWN));
                return 1;
            }
            CandidateRow best = o.best().get();
            System.out.printf("best: candidate %d, dev score %.4f (epoch %d): %s%n", best.number(), best.score(), best.bestEpoch(),
                    HyperparameterSearch.describe(best.knobs()));
            System.out.println("reproduce: bin/adamix train --config " + out.resolve(SearchResults.BEST)
                    + (data != null ? " --data " + data : ""));
            return 0;
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([smh])");

    /** "90s", "45m", "1.5h". */
    static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException("--max-time must be a number with s, m or h (e.g. 90s, 45m, 6h), got '" + s + "'");
        double v = Double.parseDouble(m.group(1));
        double seconds = v * switch (m.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            default -> 3600;
        };
        if (seconds <= 0) throw new IllegalArgumentException("--max-time must be positive, got '" + s + "'");
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
