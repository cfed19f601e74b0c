package org.adamix4j.search;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The most influential knob, against hand-computed Spearman ρ and correlation ratio η. */
class InfluenceTest {
    private static CandidateRow row(int n, double score, double lr, String sharing, int r) {
        return new CandidateRow(n, CandidateRow.Status.COMPLETE, score, 1, 1, 0,
                Map.of("learning_rate", lr, "sharing", sharing, "r", r), "", Path.of("c" + n));
    }

    private static final List<Knob> KNOBS = List.of(Knob.LEARNING_RATE, Knob.SHARING, Knob.R);

    @Test
    void spearmanForNumbersEtaForWordsAndTheStrongestWins() {
        // lr ranks 1,2,3,4 vs score ranks 1,3,2,4: rho = 1 - 6 * (0+1+1+0) / (4 * 15) = 0.8.
        // sharing: up {0.1, 0.3}, none {0.2, 0.4}; mean 0.25; SSB = 4 * 0.05^2 = 0.01; SST = 0.05; eta = sqrt(0.2).
        // r: constant among the rows, so not ranked.
        List<CandidateRow> rows = List.of(row(1, 0.1, 1e-4, "up", 8), row(2, 0.3, 2e-4, "up", 8),
                row(3, 0.2, 3e-4, "none", 8), row(4, 0.4, 4e-4, "none", 8),
                new CandidateRow(5, CandidateRow.Status.FAILED, null, 0, 1, 0, Map.of("learning_rate", 1.0, "sharing", "down",
                        "r", 16), "diverged", Path.of("c5")));
        List<Influence.Measured> ranked = Influence.rank(rows, KNOBS);
        assertEquals(2, ranked.size(), "r does not vary among complete candidates; failed ones are ignored");
        assertEquals(Knob.LEARNING_RATE, ranked.get(0).knob());
        assertEquals(0.8, ranked.get(0).value(), 1e-12);
        assertEquals(Knob.SHARING, ranked.get(1).knob());
        assertEquals(Math.sqrt(0.2), ranked.get(1).value(), 1e-12);
        assertEquals(Knob.LEARNING_RATE, Influence.mostInfluential(rows, KNOBS).orElseThrow().knob());
    }

    @Test
    void aDecreasingKnobCountsByItsMagnitudeAndWordsCanWin() {
        // lr ranks 1..4 vs score ranks 4, 3, 1, 2: rho = 1 - 6 * (9+1+4+4) / 60 = -0.8, strength 0.8.
        // sharing groups {0.4, 0.39} vs {0.1, 0.11}: eta = sqrt(SSB / SST), computed below, about 0.9989.
        List<CandidateRow> rows = List.of(row(1, 0.4, 1e-4, "up", 8), row(2, 0.39, 2e-4, "up", 16),
                row(3, 0.1, 3e-4, "none", 8), row(4, 0.11, 4e-4, "none", 16));
        List<Influence.Measured> ranked = Influence.rank(rows, KNOBS);
        double mean = (0.4 + 0.39 + 0.1 + 0.11) / 4;
        double sst = Math.pow(0.4 - mean, 2) + Math.pow(0.39 - mean, 2) + Math.pow(0.1 - mean, 2) + Math.pow(0.11 - mean, 2);
        double ssb = 2 * Math.pow(0.395 - mean, 2) + 2 * Math.pow(0.105 - mean, 2);
        assertEquals(Knob.SHARING, ranked.get(0).knob());
        assertEquals(Math.sqrt(ssb / sst), ranked.get(0).strength(), 1e-12);
        Influence.Measured lr = ranked.stream().filter(m -> m.knob() == Knob.LEARNING_RATE).findFirst().orElseThrow();
        assertEquals(-0.8, lr.value(), 1e-12);
        assertEquals(0.8, lr.strength(), 1e-12);
        // r: 8 -> {0.4, 0.1}, 16 -> {0.39, 0.11}: ranks (1.5,3.5,1.5,3.5) vs (4,3,1,2): rho = 0 (centred ranks -1,1,-1,1 and 1.5,0.5,-1.5,-0.5: covariance 0).
        Influence.Measured r = ranked.stream().filter(m -> m.knob() == Knob.R).findFirst().orElseThrow();
        assertEquals(0, r.value(), 1e-12);
    }

    @Test
    void fewerThanThreeCompleteCandidatesNameNoKnob() {
        List<CandidateRow> rows = List.of(row(1, 0.1, 1e-4, "up", 8), row(2, 0.3, 2e-4, "none", 16));
        assertTrue(Influence.mostInfluential(rows, KNOBS).isEmpty());
    }

    @Test
    void equalScoresGiveNoStrength() {
        List<CandidateRow> rows = List.of(row(1, 0.5, 1e-4, "up", 8), row(2, 0.5, 2e-4, "none", 16), row(3, 0.5, 3e-4, "up", 8));
        for (Influence.Measured m : Influence.rank(rows, KNOBS)) assertEquals(0, m.strength(), 0, m.knob().id());
        assertEquals(Knob.LEARNING_RATE, Influence.mostInfluential(rows, KNOBS).orElseThrow().knob(), "ties keep the space's order");
    }
}
