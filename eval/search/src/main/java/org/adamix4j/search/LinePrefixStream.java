package org.adamix4j.search;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** A candidate's training log: every line to its log file, and to the console behind a prefix. */
final class LinePrefixStream extends OutputStream {
    private final PrintStream console;
    private final String prefix;
    private final Writer file;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    LinePrefixStream(PrintStream console, String prefix, Writer file) {
        this.console = console;
        this.prefix = prefix;
        this.file = file;
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') flushLine();
    }

    private void flushLine() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        console.print(prefix + s);
        try {
            file.write(s);
            file.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the candidate log", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            line.write('\n');
            flushLine();
        }
        file.close();
    }
}
