package org.adamix4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code adamix} command line. */
@Command(name = "adamix", mixinStandardHelpOptions = true, version = "AdaMix4j 0.1.0-SNAPSHOT",
        description = "Parameter-efficient fine-tuning (AdaMix, adapters, LoRA) on Deeplearning4j SameDiff.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, MergeCommand.class, InfoCommand.class,
                DemoCommand.class, SimilarityCommand.class, BenchCommand.class, ScoreCommand.class, GenerateCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // Modules that depend on eval (adamix4j-search) contribute subcommands when on the classpath.
        for (CliExtension x : java.util.ServiceLoader.load(CliExtension.class)) cli.addSubcommand(x.command());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Bad input is the user's to fix: say what was wrong without a stack trace.
            if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("adamix: " + e.getMessage());
                return 2;
            }
            if (e instanceof org.adamix4j.eval.train.TrainingDivergedException) {
                cmd.getErr().println("adamix: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
