package org.adamix4j.eval.nlg.metrics;

import org.adamix4j.eval.nlg.NlgData;
import org.adamix4j.eval.nlg.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DART's BLEU oracle (dart/oracle, see its SOURCE.md): BART-large's test output scored by {@code multi-bleu.perl}
 * against the three reference streams {@code all-delex-reference{0,1,2}.lex} gives 48.56, the leaderboard value.
 */
class DartOracleTest {
    @Test
    void multiBleuReproducesTheLeaderboardBleu() {
        Path dir = SharedData.require("dart/oracle");
        List<String> hyp = NlgData.readLines(dir.resolve("bart-large_dart.txt"));
        List<List<String>> streams = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            streams.add(NlgData.readLines(dir.resolve("all-delex-reference" + k + ".lex")));
        }
        assertEquals(5_097, hyp.size());
        List<List<String>> refs = new ArrayList<>();
        for (int i = 0; i < hyp.size(); i++) {
            // one line of each stream per input; empty lines (inputs with fewer references) stay as length-0 references
            refs.add(List.of(streams.get(0).get(i), streams.get(1).get(i), streams.get(2).get(i)));
        }
        double bleu = MultiBleu.score(hyp, refs);
        System.out.printf("DART multi-bleu %.4f (leaderboard 48.56); mteval-v13a on the same files %.4f%n",
                bleu, 100 * MtevalBleu.score(hyp, refs));
        assertEquals(48.56, bleu, 0.005);
    }
}
