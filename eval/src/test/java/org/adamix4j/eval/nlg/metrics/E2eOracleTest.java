package org.adamix4j.eval.nlg.metrics;

import org.adamix4j.eval.nlg.DataToText;
import org.adamix4j.eval.nlg.NlgData;
import org.adamix4j.eval.nlg.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The oracle: 20 system outputs on the E2E dev set (547 MRs) with the scores the official E2E scorer printed
 * ({@code e2e-metrics-oracle/ukplab-dev-predictions/official_dev_scores.tsv}, 4 decimals). References are
 * {@code e2e/devset.csv} grouped by MR in order of first appearance.
 */
class E2eOracleTest {
    record Row(String file, double bleu, double nist, double cider, double rouge, double meteor) {
    }

    static List<Row> rows(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("official_dev_scores.tsv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split("\t");
            rows.add(new Row(f[0], Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6])));
        }
        return rows;
    }

    @Test
    void meteor() throws IOException {
        Path dir = SharedData.require("e2e-metrics-oracle/ukplab-dev-predictions");
        List<List<String>> refs = NlgData.references(NlgData.e2e(SharedData.require("e2e/devset.csv")));
        double max = 0, sum = 0;
        for (Row r : rows(dir)) {
            List<String> hyp = NlgData.readLines(dir.resolve(r.file()));
            double m = Meteor.score(hyp, refs);
            System.out.printf("%s METEOR %.4f (%.4f)%n", r.file(), m, r.meteor());
            max = Math.max(max, Math.abs(m - r.meteor()));
            sum += m - r.meteor();
        }
        System.out.printf("METEOR mean diff %.5f max abs %.5f%n", sum / 20, max);
    }

    @Test
    void rougeAndCider() throws IOException {
        Path dir = SharedData.require("e2e-metrics-oracle/ukplab-dev-predictions");
        List<List<String>> refs = NlgData.references(NlgData.e2e(SharedData.require("e2e/devset.csv")));
        double maxR = 0, maxC = 0, sumR = 0, sumC = 0;
        for (Row r : rows(dir)) {
            List<String> hyp = NlgData.readLines(dir.resolve(r.file()));
            double rouge = RougeL.score(hyp, refs);
            double cider = CiderD.score(hyp, refs);
            System.out.printf("%s ROUGE %.4f (%.4f) CIDEr %.4f (%.4f)%n", r.file(), rouge, r.rouge(), cider, r.cider());
            maxR = Math.max(maxR, Math.abs(rouge - r.rouge()));
            maxC = Math.max(maxC, Math.abs(cider - r.cider()));
            sumR += Math.abs(rouge - r.rouge());
            sumC += Math.abs(cider - r.cider());
        }
        System.out.printf("ROUGE mean %.5f max %.5f; CIDEr mean %.5f max %.5f%n", sumR / 20, maxR, sumC / 20, maxC);
    }

    @Test
    void bleuAndNistMatchThePrintedValuesForAll20Files() throws IOException {
        Path dir = SharedData.require("e2e-metrics-oracle/ukplab-dev-predictions");
        List<DataToText> dev = NlgData.e2e(SharedData.require("e2e/devset.csv"));
        List<List<String>> refs = NlgData.references(dev);
        List<Row> rows = rows(dir);
        assertEquals(20, rows.size());
        for (Row r : rows) {
            List<String> hyp = NlgData.readLines(dir.resolve(r.file()));
            double bleu = MtevalBleu.score(hyp, refs);
            double nist = Nist.score(hyp, refs);
            System.out.printf("%s BLEU %.4f (%.4f) NIST %.4f (%.4f)%n", r.file(), bleu, r.bleu(), nist, r.nist());
            assertEquals(r.bleu(), bleu, 0.00005, r.file() + " BLEU");
            assertEquals(r.nist(), nist, 0.00005, r.file() + " NIST");
        }
    }
}
