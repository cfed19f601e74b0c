package org.adamix4j.eval.tasks;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a GLUE-style TSV file row by row: UTF-8, fields split on TAB only.
 *
 * <p>Why not a CSV library: GLUE files are not CSV. MRPC texts contain unbalanced {@code "}
 * characters (a sentence may start with one; RTE, QNLI, STS-B and CoLA have quotes too), and a
 * reader that honours quotes swallows the following lines. The GLUE loaders (and HF datasets with
 * {@code QUOTE_NONE}) split on tabs and nothing else, so do we.
 *
 * <p>Other rules, each for a reason:
 * <ul>
 *   <li>Lines end at {@code \n}; one trailing {@code \r} is dropped (a file saved on Windows). A
 *       lone {@code \r} is kept as text, unlike {@link java.io.BufferedReader#readLine()}, which
 *       would split the row there.</li>
 *   <li>A UTF-8 BOM at the very start is dropped: the GLUE script writes one before MRPC's header,
 *       and left in place it becomes part of the first column name.</li>
 *   <li>Empty lines at the end of the file are ignored (editors add them); an empty line followed
 *       by more data is returned as a row of one empty field, so the caller reports it as a row
 *       with too few columns at the right line.</li>
 *   <li>Invalid UTF-8 is an error rather than silently replaced text.</li>
 * </ul>
 *
 * <p>The file is streamed, not loaded whole: MNLI's train.tsv with parse columns is several hundred
 * megabytes.
 */
final class TsvReader implements Closeable {
    private final InputStream in;
    private final String source;
    /** Decodes one line at a time, so an invalid byte is reported at its exact line. */
    private final CharsetDecoder decoder;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int len;
    private boolean eof;
    /** Bytes of the line being assembled. */
    private byte[] lineBytes = new byte[256];
    private int lineLen;
    /** Number of physical lines consumed from the input so far. */
    private int linesRead;
    /** 1-based line of the row last returned by {@link #next()}. */
    private int rowLine;
    /** A line read ahead while looking past an empty line, and its line number. */
    private String pushedBack;
    private int pushedBackLine;

    private TsvReader(InputStream in, String source) {
        this.in = in;
        this.source = source;
        // REPORT instead of the default REPLACE: a mis-encoded file should fail loudly, not feed
        // U+FFFD into a tokenizer.
        this.decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * Opens a file.
     *
     * @throws UncheckedIOException if it cannot be opened
     */
    static TsvReader open(Path file) {
        try {
            return new TsvReader(Files.newInputStream(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Wraps a stream; {@code source} names it in error messages (a path or a classpath resource).
     * Closing the reader closes the stream.
     */
    static TsvReader of(InputStream in, String source) {
        return new TsvReader(in, source);
    }

    /** The file or resource name used in messages. */
    String source() {
        return source;
    }

    /** 1-based line number of the row last returned by {@link #next()}. */
    int line() {
        return rowLine;
    }

    /**
     * The next row split on TAB (empty fields kept, including trailing ones), or null at the end.
     *
     * @throws IllegalArgumentException if the bytes are not valid UTF-8
     * @throws UncheckedIOException     on a read error
     */
    String[] next() {
        String line;
        int lineNo;
        if (pushedBack != null) {
            line = pushedBack;
            lineNo = pushedBackLine;
            pushedBack = null;
        } else {
            line = readLine();
            lineNo = linesRead;
        }
        if (line == null) {
            return null;
        }
        if (line.isEmpty()) {
            // Look ahead: blank lines only at the end of the file are harmless.
            String following;
            do {
                following = readLine();
            } while (following != null && following.isEmpty());
            if (following == null) {
                return null;
            }
            pushedBack = following;
            pushedBackLine = linesRead;
        }
        rowLine = lineNo;
        return split(line);
    }

    /**
     * An {@link IllegalArgumentException} whose message starts with the source and the current row's
     * line, the form every reader error takes.
     */
    IllegalArgumentException error(String message) {
        return new IllegalArgumentException(source + " line " + rowLine + ": " + message);
    }

    /** Splits on TAB only; unlike {@link String#split(String)} keeps trailing empty fields. */
    static String[] split(String line) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\t') {
                fields.add(line.substring(start, i));
                start = i + 1;
            }
        }
        fields.add(line.substring(start));
        return fields.toArray(new String[0]);
    }

    /**
     * One physical line without its terminator, or null at the end of input. Lines are cut at the
     * byte 0x0A before decoding, which is safe in UTF-8 (no multi-byte sequence contains it).
     */
    private String readLine() {
        lineLen = 0;
        boolean any = false;
        while (true) {
            if (pos == len && !fill()) {
                break;
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            any = true;
            if (pos < len) { // found '\n'
                pos++;
                linesRead++;
                return decodeLine();
            }
        }
        if (!any || lineLen == 0) {
            return null; // nothing after the last '\n'
        }
        linesRead++;
        return decodeLine();
    }

    private void append(int from, int n) {
        if (lineLen + n > lineBytes.length) {
            lineBytes = Arrays.copyOf(lineBytes, Math.max(lineBytes.length * 2, lineLen + n));
        }
        System.arraycopy(buf, from, lineBytes, lineLen, n);
        lineLen += n;
    }

    private String decodeLine() {
        int start = 0;
        int end = lineLen;
        if (end > 0 && lineBytes[end - 1] == '\r') {
            end--;
        }
        if (linesRead == 1 && end >= 3 && (lineBytes[0] & 0xFF) == 0xEF && (lineBytes[1] & 0xFF) == 0xBB
                && (lineBytes[2] & 0xFF) == 0xBF) {
            start = 3; // UTF-8 BOM
        }
        try {
            return decoder.decode(ByteBuffer.wrap(lineBytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(source + " line " + linesRead
                    + ": not valid UTF-8 (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private boolean fill() {
        if (eof) {
            return false;
        }
        try {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            pos = 0;
            len = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** Closes the underlying stream. */
    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + source, e);
        }
    }
}
