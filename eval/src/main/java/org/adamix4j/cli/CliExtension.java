package org.adamix4j.cli;

/**
 * A subcommand that a module built on top of eval adds to {@code adamix} without eval depending on it
 * (e.g. {@code adamix search} from adamix4j-search). Implementations are listed in
 * {@code META-INF/services/org.adamix4j.cli.CliExtension} and found with {@link java.util.ServiceLoader}
 * when the module is on the classpath.
 */
public interface CliExtension {
    /** A new picocli command object (annotated with {@code @Command}), one per CLI invocation. */
    Object command();
}
