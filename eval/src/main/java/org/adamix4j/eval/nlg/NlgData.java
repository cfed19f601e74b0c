package org.adamix4j.eval.nlg;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Readers for the data-to-text benchmarks (E2E, WebNLG 2017, DART v1.1.1) and writers for the files the official
 * scorers read.
 *
 * <p>Linearisation of triple sets (WebNLG and DART): each triple is written {@code subject | property | object}
 * (WebNLG's own {@code <mtriple>} text, white space trimmed; DART JSON triples joined the same way), and triples are
 * joined by {@value #TRIPLE_SEPARATOR} in file order. Example: {@code Abilene_Regional_Airport | cityServed |
 * Abilene,_Texas && Abilene,_Texas | country | United_States}. WebNLG uses the {@code modifiedtripleset}, the one
 * systems are given in the challenge.
 *
 * <p>Errors: malformed input raises {@link IllegalArgumentException} naming the file and the line (CSV, XML) or the
 * entry (JSON); I/O failures raise {@link UncheckedIOException}.
 */
public final class NlgData {
    /** Separator between linearised triples. */
    public static final String TRIPLE_SEPARATOR = " && ";

    private NlgData() {
    }

    // ------------------------------------------------------------------ E2E

    /**
     * Reads an official E2E CSV ({@code mr,ref} with a header; {@code testset.csv}'s single {@code MR} column is
     * accepted and gives inputs without references). Fields may be quoted ({@code ""} escapes a quote, quoted fields
     * may span lines). Rows with the same MR are grouped into one input, in order of first appearance, with its
     * references in file order: the grouping of the official E2E scorer ({@code measure_scores.py}).
     */
    public static List<DataToText> e2e(Path csv) {
        String text = readUtf8(csv);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<CsvRow> rows = parseCsv(csv, text);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(csv + ": empty file, expected an E2E CSV with header 'mr,ref'");
        }
        CsvRow header = rows.get(0);
        List<String> h = header.fields.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).toList();
        boolean withRefs;
        if (h.equals(List.of("mr", "ref"))) {
            withRefs = true;
        } else if (h.equals(List.of("mr"))) {
            withRefs = false;
        } else {
            throw new IllegalArgumentException(csv + ": line " + header.line + ": expected header 'mr,ref' or 'MR', got "
                    + header.fields);
        }
        Map<String, List<String>> byMr = new LinkedHashMap<>();
        for (CsvRow r : rows.subList(1, rows.size())) {
            int expected = withRefs ? 2 : 1;
            if (r.fields.size() != expected) {
                throw new IllegalArgumentException(csv + ": line " + r.line + ": expected " + expected + " field(s), got "
                        + r.fields.size());
            }
            String mr = r.fields.get(0);
            if (mr.isBlank()) {
                throw new IllegalArgumentException(csv + ": line " + r.line + ": empty MR");
            }
            List<String> refs = byMr.computeIfAbsent(mr, k -> new ArrayList<>());
            if (withRefs) {
                if (r.fields.get(1).isBlank()) {
                    throw new IllegalArgumentException(csv + ": line " + r.line + ": empty reference");
                }
                refs.add(r.fields.get(1));
            }
        }
        List<DataToText> out = new ArrayList<>(byMr.size());
        byMr.forEach((mr, refs) -> out.add(new DataToText(mr, refs)));
        return out;
    }

    private record CsvRow(int line, List<String> fields) {
    }

    /** RFC 4180 CSV; blank lines are skipped. Line numbers are those where a row starts. */
    private static List<CsvRow> parseCsv(Path file, String text) {
        List<CsvRow> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        boolean quoted = false;
        boolean afterQuote = false;
        boolean rowHasContent = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                        afterQuote = true;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
                rowHasContent = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (rowHasContent || field.length() > 0 || afterQuote) {
                    fields.add(field.toString());
                    rows.add(new CsvRow(rowLine, List.copyOf(fields)));
                }
                fields.clear();
                field.setLength(0);
                afterQuote = false;
                rowHasContent = false;
                line++;
                rowLine = line;
            } else if (c == '"') {
                if (field.length() > 0 || afterQuote) {
                    throw new IllegalArgumentException(file + ": line " + line + ": stray quote inside an unquoted field");
                }
                quoted = true;
                rowHasContent = true;
            } else {
                if (afterQuote) {
                    throw new IllegalArgumentException(file + ": line " + line
                            + ": text after a closing quote; expected ',' or end of line");
                }
                field.append(c);
                rowHasContent = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + ": line " + rowLine + ": unterminated quoted field");
        }
        if (rowHasContent || field.length() > 0 || afterQuote) {
            fields.add(field.toString());
            rows.add(new CsvRow(rowLine, List.copyOf(fields)));
        }
        return rows;
    }

    // ------------------------------------------------------------------ WebNLG / DART XML

    /**
     * Reads a WebNLG 2017 challenge XML file ({@code benchmark/entries/entry}): the source is the linearised
     * {@code modifiedtripleset} (see the class comment), the references are all non-empty {@code <lex>} texts in file
     * order ({@code testdata_no_lex.xml} gives inputs without references). An empty {@code <lex/>} is skipped: it is no
     * usable reference (DART's test XML has one, entry Id116).
     */
    public static List<DataToText> webnlg(Path xml) {
        return benchmarkXml(xml);
    }

    /**
     * Reads DART v1.1.1, JSON ({@code [{"tripleset": [[s, p, o], ...], "annotations": [{"text": ...}]}]}) or XML
     * (WebNLG's layout, as in {@code dart-v1.1.1-full-test.xml}), chosen by the file name's extension. Sources are
     * linearised as for WebNLG; references are all annotations / non-empty {@code <lex>} texts in file order.
     */
    public static List<DataToText> dart(Path jsonOrXml) {
        String name = jsonOrXml.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xml")) {
            return benchmarkXml(jsonOrXml);
        }
        if (name.endsWith(".json")) {
            return dartJson(jsonOrXml);
        }
        throw new IllegalArgumentException(jsonOrXml + ": expected a DART file ending in .json or .xml");
    }

    private static List<DataToText> benchmarkXml(Path xml) {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        List<DataToText> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(xml)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            List<String> triples = null;
            List<String> lexes = null;
            int entryLine = -1;
            String entryId = null;
            boolean inModified = false;
            boolean sawBenchmark = false;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev != XMLStreamConstants.START_ELEMENT && ev != XMLStreamConstants.END_ELEMENT) {
                    continue;
                }
                String el = r.getLocalName();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    switch (el) {
                        case "benchmark" -> sawBenchmark = true;
                        case "entry" -> {
                            if (triples != null) {
                                throw bad(xml, r, "nested <entry>");
                            }
                            triples = new ArrayList<>();
                            lexes = new ArrayList<>();
                            entryLine = r.getLocation().getLineNumber();
                            entryId = r.getAttributeValue(null, "eid");
                        }
                        case "modifiedtripleset" -> inModified = true;
                        case "mtriple" -> {
                            if (triples == null || !inModified) {
                                throw bad(xml, r, "<mtriple> outside <entry><modifiedtripleset>");
                            }
                            int line = r.getLocation().getLineNumber();
                            String t = r.getElementText().strip();
                            if (t.split("\\|", -1).length != 3) {
                                throw new IllegalArgumentException(xml + ": line " + line
                                        + ": expected a triple 'subject | property | object', got '" + t + "'");
                            }
                            triples.add(t);
                        }
                        case "lex" -> {
                            if (lexes == null) {
                                throw bad(xml, r, "<lex> outside <entry>");
                            }
                            String lex = lexText(xml, r);
                            if (!lex.isEmpty()) {
                                lexes.add(lex);
                            }
                        }
                        default -> {
                        }
                    }
                } else {
                    switch (el) {
                        case "modifiedtripleset" -> inModified = false;
                        case "entry" -> {
                            if (triples.isEmpty()) {
                                throw new IllegalArgumentException(xml + ": line " + entryLine + ": entry "
                                        + (entryId == null ? "" : "eid=" + entryId + " ") + "has no <mtriple>");
                            }
                            out.add(new DataToText(String.join(TRIPLE_SEPARATOR, triples), lexes));
                            triples = null;
                            lexes = null;
                        }
                        default -> {
                        }
                    }
                }
            }
            if (!sawBenchmark) {
                throw new IllegalArgumentException(xml + ": expected a <benchmark> root (WebNLG/DART XML)");
            }
            r.close();
        } catch (XMLStreamException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
            throw new IllegalArgumentException(xml + ": line " + line + ": malformed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + xml, e);
        }
        return out;
    }

    /** Text of a {@code <lex>} ("" for an empty one, which callers skip): its own character data, or that of a nested {@code <text>} (later WebNLG releases). */
    private static String lexText(Path xml, XMLStreamReader r) throws XMLStreamException {
        int line = r.getLocation().getLineNumber();
        StringBuilder own = new StringBuilder();
        StringBuilder nested = null;
        int depth = 0;
        boolean inText = false;
        while (true) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (depth == 1 && r.getLocalName().equals("text")) {
                    inText = true;
                    nested = nested == null ? new StringBuilder() : nested;
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                if (depth == 0) {
                    break;
                }
                if (depth == 1) {
                    inText = false;
                }
                depth--;
            } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA
                    || ev == XMLStreamConstants.SPACE) {
                if (depth == 0) {
                    own.append(r.getText());
                } else if (inText) {
                    nested.append(r.getText());
                }
            } else if (ev == XMLStreamConstants.END_DOCUMENT) {
                throw new IllegalArgumentException(xml + ": line " + line + ": unterminated <lex>");
            }
        }
        return (nested != null ? nested : own).toString().strip();
    }

    private static IllegalArgumentException bad(Path xml, XMLStreamReader r, String what) {
        return new IllegalArgumentException(xml + ": line " + r.getLocation().getLineNumber() + ": " + what);
    }

    private static List<DataToText> dartJson(Path json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(json + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(json + ": expected a JSON array of DART entries");
        }
        List<DataToText> out = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            String where = json + ": entry " + i;
            JsonNode ts = e.get("tripleset");
            if (ts == null || !ts.isArray() || ts.isEmpty()) {
                throw new IllegalArgumentException(where + ": expected a non-empty \"tripleset\" array");
            }
            List<String> triples = new ArrayList<>();
            for (JsonNode t : ts) {
                if (!t.isArray() || t.size() != 3) {
                    throw new IllegalArgumentException(where + ": expected triples [subject, property, object], got " + t);
                }
                triples.add(t.get(0).asText().strip() + " | " + t.get(1).asText().strip() + " | " + t.get(2).asText().strip());
            }
            JsonNode ann = e.get("annotations");
            if (ann == null || !ann.isArray()) {
                throw new IllegalArgumentException(where + ": expected an \"annotations\" array");
            }
            List<String> refs = new ArrayList<>();
            for (JsonNode a : ann) {
                JsonNode text = a.get("text");
                if (text == null || !text.isTextual() || text.asText().isBlank()) {
                    throw new IllegalArgumentException(where + ": annotation without non-empty \"text\"");
                }
                refs.add(text.asText().strip());
            }
            out.add(new DataToText(String.join(TRIPLE_SEPARATOR, triples), refs));
        }
        return out;
    }

    // ------------------------------------------------------------------ plain files (the scorers' formats)

    /** Reads a system output file: one hypothesis per line, UTF-8 (a final newline is optional; empty lines count). */
    public static List<String> readLines(Path file) {
        String text = readUtf8(file);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /**
     * Reads a multi-reference file in the E2E scorer's format: the references of one input on consecutive lines, a
     * blank line between inputs (extra blank lines and a missing final blank line are tolerated).
     */
    public static List<List<String>> readMultiReference(Path file) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String line : readLines(file)) {
            if (line.isBlank()) {
                if (!cur.isEmpty()) {
                    out.add(List.copyOf(cur));
                    cur.clear();
                }
            } else {
                cur.add(line);
            }
        }
        if (!cur.isEmpty()) {
            out.add(List.copyOf(cur));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no references (expected references separated by blank lines)");
        }
        return out;
    }

    /** Writes hypotheses one per line, UTF-8, atomically. A hypothesis containing a line break is rejected. */
    public static void writeHypotheses(Path file, List<String> hypotheses) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hypotheses.size(); i++) {
            String h = hypotheses.get(i);
            if (h.indexOf('\n') >= 0 || h.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("hypothesis " + (i + 1) + " contains a line break; the scorers "
                        + "read one hypothesis per line");
            }
            sb.append(h).append('\n');
        }
        writeAtomically(file, sb.toString());
    }

    /**
     * Writes references in the E2E scorer's multi-reference format: the references of one input on consecutive lines,
     * a blank line between inputs; UTF-8, atomically. Empty or multi-line references are rejected (they would shift
     * the grouping).
     */
    public static void writeReferences(Path file, List<? extends List<String>> references) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < references.size(); i++) {
            List<String> refs = references.get(i);
            if (refs.isEmpty()) {
                throw new IllegalArgumentException("input " + (i + 1) + " has no reference");
            }
            if (i > 0) {
                sb.append('\n');
            }
            for (String r : refs) {
                if (r.isBlank() || r.indexOf('\n') >= 0 || r.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("input " + (i + 1) + ": a reference is empty or has a line break");
                }
                sb.append(r).append('\n');
            }
        }
        writeAtomically(file, sb.toString());
    }

    /** The reference lists of a data set, in order (for the scorers). */
    public static List<List<String>> references(List<DataToText> data) {
        return data.stream().map(DataToText::references).toList();
    }

    /** Writes text as UTF-8 to a temp file beside {@code file}, then moves it into place. */
    public static void writeAtomically(Path file, String text) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
            try {
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    w.write(text);
                }
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String readUtf8(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
