package org.adamix4j.search;

import org.adamix4j.cli.CliExtension;

/** Adds {@code adamix search} to the CLI (listed in META-INF/services/org.adamix4j.cli.CliExtension). */
public final class SearchCliExtension implements CliExtension {
    /** Called by ServiceLoader. */
    public SearchCliExtension() {
    }

    @Override
    public Object command() {
        return new SearchCommand();
    }
}
