package org.adamix4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code adamix score}: output format, files written, and clear errors. */
class ScoreCommandTest {
    @TempDir
    Path dir;

    @Test
    void hypothesesEqualToAReferenceScoreOneOnBleuAndRouge() throws IOException {
        Path csv = dir.resolve("refs.csv");
        Files.writeString(csv, "mr,ref\n"
                + "\"name[A], food[Thai]\",A serves Thai food in the city centre.\n"
                + "\"name[A], food[Thai]\",\"In the centre, A has Thai food.\"\n"
                + "\"name[B]\",B is a pub near the river.\n");
        Path hyp = dir.resolve("hyp.txt");
        // each hypothesis is one of its references: it is the closest reference (length difference 0), so BLEU's
        // brevity penalty is 1 and every n-gram matches -> BLEU 1; LCS = whole hypothesis -> ROUGE-L 1
        Files.writeString(hyp, "A serves Thai food in the city centre.\nB is a pub near the river.\n");
        Path out = dir.resolve("scores");
        CliTest.Run r = CliTest.cli("score", "--hyp", hyp.toString(), "--refs", csv.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("BLEU: 1.0000"), r.out());
        assertTrue(r.out().contains("ROUGE_L: 1.0000"), r.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("scores.json").toFile());
        assertEquals(1.0, json.get("BLEU").asDouble(), 1e-12);
        assertEquals(2, json.get("inputs").asInt());
        assertEquals(3, json.get("references").asInt());
        assertTrue(Files.readString(out.resolve("scores.md")).contains("| BLEU | NIST | METEOR* | ROUGE-L | CIDEr |"));
    }

    @Test
    void lineCountMismatchIsAClearErrorAndWritesNothing() throws IOException {
        Path refs = dir.resolve("refs.txt");
        Files.writeString(refs, "a b\na c\n\nd e\n");
        Path hyp = dir.resolve("hyp.txt");
        Files.writeString(hyp, "a b\n");
        Path out = dir.resolve("scores");
        CliTest.Run r = CliTest.cli("score", "--hyp", hyp.toString(), "--refs", refs.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has 1 lines but --refs " + refs + " (lines) has 2 inputs"), r.err());
        assertFalse(Files.exists(out));
    }
}
