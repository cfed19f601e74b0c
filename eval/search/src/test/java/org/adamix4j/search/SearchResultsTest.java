package org.adamix4j.search;

import org.adamix4j.eval.train.MethodSpec;
import org.adamix4j.eval.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The results files: CSV escaping, the best config, the plot, interruption, and no half-written files. */
class SearchResultsTest {
    private static TrainConfig config(double lr) {
        return new TrainConfig("demo", MethodSpec.defaults("adamix"), new TrainConfig.Optim(lr, 0.1, 0.06, 1.0), 1, 16, 32, 3,
                true, 0, 0);
    }

    @Test
    void tableBestConfigPlotAndInterruption(@TempDir Path dir) throws Exception {
        SearchSpace space = SearchSpace.resolve("{\"learning_rate\": {\"log_uniform\": [1e-4, 1e-1]}, \"sharing\": {\"choice\": [\"up\", \"none\"]}}");
        SearchResults res = new SearchResults(dir, "demo", "accuracy", space, "header line\n", new PrintStream(OutputStream.nullOutputStream()));
        Path c = dir.resolve("candidates");
        double[] lrs = {1e-4, 1e-3, 1e-2, 1e-1};
        double[] scores = {0.6, 0.8, 0.7, 0.0};
        for (int i = 0; i < 3; i++) {
            Map<String, Object> k = Map.of("learning_rate", lrs[i], "sharing", i % 2 == 0 ? "up" : "none");
            res.started(CandidateRow.running(i + 1, k, c.resolve("c" + i)));
            res.finished(new CandidateRow(i + 1, CandidateRow.Status.COMPLETE, scores[i], i + 1, 10, 500, k, "", c.resolve("c" + i)),
                    config(lrs[i]));
        }
        res.started(CandidateRow.running(4, Map.of("learning_rate", 1e-1, "sharing", "up"), c.resolve("c3")));
        res.finished(new CandidateRow(4, CandidateRow.Status.FAILED, null, 0, 2, 0, Map.of("learning_rate", 1e-1, "sharing", "up"),
                "loss NaN, \"diverged\"\nat step 3", c.resolve("c3")), null);
        res.started(CandidateRow.running(5, Map.of("learning_rate", 5e-4, "sharing", "none"), c.resolve("c4")));
        res.interrupt("interrupted (Ctrl-C or shutdown)");

        List<String> csv = Files.readAllLines(dir.resolve(SearchResults.CSV));
        assertEquals("candidate,status,accuracy,best_epoch,seconds,peak_rss_mb,learning_rate,sharing,reason,run_dir", csv.get(0));
        assertEquals(6, csv.size());
        assertEquals("2,complete,0.8,2,10.0,500,0.001,none,,candidates/c1", csv.get(2));
        assertEquals("4,failed,,,2.0,0,0.1,up,\"loss NaN, \"\"diverged\"\" at step 3\",candidates/c3", csv.get(4),
                "RFC 4180 quoting, one line per candidate");
        assertTrue(csv.get(5).startsWith("5,interrupted,") && csv.get(5).contains("interrupted (Ctrl-C or shutdown)"), csv.get(5));

        assertEquals(config(1e-3), TrainConfig.fromJson(new ObjectMapper().readTree(dir.resolve(SearchResults.BEST).toFile())),
                "best.json is the run config of the best candidate (2)");
        String md = Files.readString(dir.resolve(SearchResults.MARKDOWN));
        assertTrue(md.contains("| 2 | **complete (best)** | 0.8000 | 2 |"), md);
        assertTrue(md.contains("| 4 | failed |") && md.contains("Stopped: interrupted (Ctrl-C or shutdown)."), md);
        assertTrue(md.contains("5 candidates: 3 complete, 1 failed, 1 running or interrupted"), md);

        BufferedImage png = ImageIO.read(dir.resolve(SearchResults.PLOT).toFile());
        assertEquals(800, png.getWidth());
        assertEquals(500, png.getHeight());
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void csvFieldsAreQuotedOnlyWhenNeeded() {
        assertEquals("plain", SearchResults.csvField("plain"));
        assertEquals("\"a,b\"", SearchResults.csvField("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", SearchResults.csvField("say \"hi\""));
    }
}
