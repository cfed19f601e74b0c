package org.adamix4j.eval.nlg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readers and writers on tiny fixtures written in the test. */
class NlgDataTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void e2eGroupsByMrInOrderOfFirstAppearance() throws IOException {
        Path csv = write("dev.csv", "mr,ref\r\n"
                + "\"name[A], food[Thai]\",\"A serves \"\"Thai\"\" food.\"\r\n"
                + "\"name[B]\",B is here.\r\n"
                + "\"name[A], food[Thai]\",\"Thai food,\nat A.\"\r\n");
        List<DataToText> d = NlgData.e2e(csv);
        assertEquals(2, d.size());
        assertEquals("name[A], food[Thai]", d.get(0).source());
        assertEquals(List.of("A serves \"Thai\" food.", "Thai food,\nat A."), d.get(0).references());
        assertEquals(List.of("B is here."), d.get(1).references());
        assertEquals(List.of(), NlgData.e2e(write("test.csv", "MR\n\"name[A]\"\n")).get(0).references());
    }

    @Test
    void e2eErrorsNameFileAndLine() throws IOException {
        Path bad = write("bad.csv", "mr,ref\n\"name[A]\",ok\n\"name[B]\",x,y\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NlgData.e2e(bad));
        assertTrue(e.getMessage().contains("bad.csv: line 3: expected 2 field(s), got 3"), e.getMessage());
        Path quote = write("q.csv", "mr,ref\n\"name[A]\",\"open\n");
        e = assertThrows(IllegalArgumentException.class, () -> NlgData.e2e(quote));
        assertTrue(e.getMessage().contains("q.csv: line 2: unterminated quoted field"), e.getMessage());
        Path header = write("h.csv", "meaning,text\na,b\n");
        e = assertThrows(IllegalArgumentException.class, () -> NlgData.e2e(header));
        assertTrue(e.getMessage().contains("h.csv: line 1: expected header 'mr,ref'"), e.getMessage());
    }

    @Test
    void webnlgXml() throws IOException {
        Path xml = write("w.xml", """
                <?xml version='1.0' encoding='UTF-8'?>
                <benchmark><entries>
                  <entry category="Airport" eid="Id1" size="2">
                    <originaltripleset><otriple>X | y | Z</otriple></originaltripleset>
                    <modifiedtripleset>
                      <mtriple>Aarhus | leader | Jacob_Bundsgaard</mtriple>
                      <mtriple> Aarhus | country | Denmark </mtriple>
                    </modifiedtripleset>
                    <lex comment="good" lid="Id1">Aarhus is in Denmark &amp; led by Jacob Bundsgaard.</lex>
                    <lex comment="good" lid="Id2"/>
                    <lex comment="good" lid="Id3"><text>Jacob Bundsgaard leads Aarhus.</text></lex>
                  </entry>
                </entries></benchmark>
                """);
        List<DataToText> d = NlgData.webnlg(xml);
        assertEquals(1, d.size());
        assertEquals("Aarhus | leader | Jacob_Bundsgaard && Aarhus | country | Denmark", d.get(0).source());
        assertEquals(List.of("Aarhus is in Denmark & led by Jacob Bundsgaard.", "Jacob Bundsgaard leads Aarhus."),
                d.get(0).references());
    }

    @Test
    void xmlErrorsNameFileAndLine() throws IOException {
        Path broken = write("b.xml", "<benchmark><entries>\n<entry>\n<lex>x</entry>\n</entries></benchmark>\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NlgData.webnlg(broken));
        assertTrue(e.getMessage().startsWith(broken + ": line 3"), e.getMessage());
        Path triple = write("t.xml", "<benchmark><entries><entry>\n<modifiedtripleset>\n<mtriple>only | two</mtriple>"
                + "</modifiedtripleset></entry></entries></benchmark>");
        e = assertThrows(IllegalArgumentException.class, () -> NlgData.webnlg(triple));
        assertTrue(e.getMessage().contains("t.xml: line 3: expected a triple"), e.getMessage());
        Path empty = write("e.xml", "<benchmark><entries>\n<entry eid=\"Id7\"><lex>x</lex></entry></entries></benchmark>");
        e = assertThrows(IllegalArgumentException.class, () -> NlgData.dart(empty));
        assertTrue(e.getMessage().contains("e.xml: line 2: entry eid=Id7 has no <mtriple>"), e.getMessage());
    }

    @Test
    void dartJson() throws IOException {
        Path json = write("d.json", """
                [{"tripleset": [["Mars Hill College", "JOINED", "1973"], ["Mars Hill College", "LOCATION", "NC"]],
                  "subtree_was_extended": true,
                  "annotations": [{"source": "s", "text": "It joined in 1973."}, {"source": "s", "text": "NC school."}]}]
                """);
        List<DataToText> d = NlgData.dart(json);
        assertEquals("Mars Hill College | JOINED | 1973 && Mars Hill College | LOCATION | NC", d.get(0).source());
        assertEquals(List.of("It joined in 1973.", "NC school."), d.get(0).references());
        Path bad = write("bad.json", "[{\"tripleset\": [[\"a\", \"b\"]], \"annotations\": []}]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NlgData.dart(bad));
        assertTrue(e.getMessage().contains("bad.json: entry 0: expected triples [subject, property, object]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NlgData.dart(dir.resolve("x.txt")));
        assertTrue(e.getMessage().contains("expected a DART file ending in .json or .xml"), e.getMessage());
    }

    @Test
    void writersProduceTheScorerFormatsAtomically() throws IOException {
        Path hyp = dir.resolve("out/hyp.txt");
        NlgData.writeHypotheses(hyp, List.of("Café A is good.", ""));
        assertEquals("Café A is good.\n\n", Files.readString(hyp, StandardCharsets.UTF_8));
        assertEquals(List.of("Café A is good.", ""), NlgData.readLines(hyp));
        Path refs = dir.resolve("out/refs.txt");
        NlgData.writeReferences(refs, List.of(List.of("r1a", "r1b"), List.of("r2a")));
        assertEquals("r1a\nr1b\n\nr2a\n", Files.readString(refs));
        assertEquals(List.of(List.of("r1a", "r1b"), List.of("r2a")), NlgData.readMultiReference(refs));
        // only the two files, no temp files left behind
        try (var s = Files.list(dir.resolve("out"))) {
            assertEquals(2, s.count());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NlgData.writeHypotheses(hyp, List.of("a\nb")));
        assertTrue(e.getMessage().contains("hypothesis 1 contains a line break"), e.getMessage());
        // the earlier file is untouched by the rejected write
        assertEquals("Café A is good.\n\n", Files.readString(hyp, StandardCharsets.UTF_8));
    }
}
