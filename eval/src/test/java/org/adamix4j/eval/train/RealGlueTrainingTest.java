package org.adamix4j.eval.train;

import org.adamix4j.onnx.EmbeddedModel;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TransformerTokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AdaMix on a slice of real SST-2 (needs ../shared/data/glue; skipped with the reason printed when it is
 * absent). Train on the first 512 training sentences for 2 epochs, evaluate on the first 200 dev
 * sentences, and beat the majority class of that dev slice by 10 points: with 200 examples the standard
 * error of an accuracy near 0.5 is about 0.035, so +0.10 is about 3 standard errors — a model that
 * learned nothing does not pass by chance.
 */
class RealGlueTrainingTest {

    static Path glue() {
        String prop = System.getProperty("adamix4j.glue", System.getenv("ADAMIX4J_GLUE"));
        Path p = prop != null ? Path.of(prop) : Path.of("../../shared/data/glue");
        return Files.isDirectory(p.resolve("SST-2")) ? p : null;
    }

    @Test
    void adamixBeatsTheMajorityClassOnSst2(@TempDir Path dir) throws Exception {
        Path glue = glue();
        Assumptions.assumeTrue(glue != null, "SKIPPED: no GLUE data at ../../shared/data/glue (set -Dadamix4j.glue=<dir>)");
        TrainConfig c = new TrainConfig("sst2", MethodSpec.defaults("adamix"), new TrainConfig.Optim(2e-3, 0.1, 0.06, 1.0),
                2, 16, 64, 42, true, 512, 200);
        Trainer.Result r;
        try (TransformerTokenizer tok = TransformerTokenizer.load(EmbeddedModel.ALL_MINILM_L6_V2.tokenizer(), 64)) {
            r = Trainer.run(c, glue, TestModels::miniLm, tok, dir.resolve("run"), false, new PrintStream(System.out));
        }
        List<String> dev = Files.readAllLines(glue.resolve("SST-2/dev.tsv")).subList(1, 201);
        long positives = dev.stream().filter(l -> l.endsWith("\t1")).count();
        double majority = Math.max(positives, 200 - positives) / 200.0;
        double best = r.best().get("accuracy");
        System.out.printf("SST-2 slice: best dev accuracy %.3f (epoch %d), majority %.3f, %.0f s%n", best, r.bestEpoch(),
                majority, r.seconds());
        assertTrue(best >= majority + 0.10, "accuracy " + best + " vs majority " + majority);
    }
}
