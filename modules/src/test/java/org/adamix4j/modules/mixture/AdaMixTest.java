package org.adamix4j.modules.mixture;

import org.adamix4j.graphs.AdamW;
import org.adamix4j.graphs.Heads;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.Activation;
import org.adamix4j.modules.Pass;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.modules.checkpoint.Provenance;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.onnx.TestModels;
import org.adamix4j.tokenize.TokenizedBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AdaMix-adapter: routing, gradients, consistency loss, determinism, merging, parameter counts. */
class AdaMixTest {
    private static final TokenizedBatch BATCH = TestModels.randomBatch(4, 9, 1000, 5);
    private static final INDArray LABELS = Nd4j.createFromArray(0L, 1L, 1L, 0L);

    private static PeftModel tiny(MixtureConfig c, long seed) {
        return PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(c).setHead(TaskHead.classification(2))
                .optSeed(seed).build();
    }

    @Test
    void parameterCountsOnMiniLmAndTheMergedModelIsExactlyOneAdapter() {
        PeftModel m = PeftModel.builder().setBase(TestModels.miniLm()).setMethod(MixtureConfig.standard())
                .setHead(TaskHead.classification(2)).build();
        assertEquals(187_008, m.report().module(), "M·(d·r + r) + (r·d + d) per layer, r 16, M 4, up shared");
        assertEquals(187_008, MixtureConfig.standard().parameterCount(384, 6));
        PeftModel merged = m.mergeAndUnload(TestModels.miniLm());
        assertEquals(76_128, merged.report().module());
        assertEquals(76_128, MixtureConfig.standard().mergedParameterCount(384, 6));
        assertEquals(m.report().head(), merged.report().head());

        PeftModel single = PeftModel.builder().setBase(TestModels.miniLm())
                .setMethod(new AdapterConfig("adapter", 16, Activation.GELU, EnumSet.of(SiteKind.OUTPUT), 0.02))
                .setHead(TaskHead.classification(2)).build();
        assertEquals(single.report().module(), merged.report().module());
        assertEquals(single.sameDiff().getOps().size(), merged.sameDiff().getOps().size(), "same op count as one adapter");
        assertEquals(List.of(), merged.sameDiff().variables().stream().filter(v -> v.name().contains("route")).toList());
        System.out.printf("AdaMix MiniLM: trained %,d, merged %,d, ops %d (single adapter %d)%n", m.report().module(),
                merged.report().module(), merged.sameDiff().getOps().size(), single.sameDiff().getOps().size());
    }

    @Test
    void gradientReachesOnlyTheSelectedExperts() {
        PeftModel m = tiny(MixtureConfig.of(4, 8).withSharing(Sharing.NONE).withConsistencyWeight(0), 1);
        for (int trial = 0; trial < 3; trial++) {
            Map<String, INDArray> in = m.feeds(BATCH, Pass.train(1), new SplittableRandom(trial));
            in.put(Heads.LABELS, LABELS);
            Map<String, INDArray> g = m.sameDiff().calculateGradients(in, m.trainableParameters().toArray(String[]::new));
            for (int layer = 0; layer < 2; layer++) {
                for (String proj : List.of("down", "up")) {
                    INDArray route = in.get("adamix/layer." + layer + "/" + proj + "/route");
                    int chosen = route.getRow(0).argMax().getInt(0);
                    assertEquals(4.0, route.getColumn(chosen).sumNumber().doubleValue(), "one expert for the whole batch");
                    INDArray gw = g.get("adamix/layer." + layer + "/" + proj + "/W");
                    INDArray gb = g.get("adamix/layer." + layer + "/" + proj + "/b");
                    for (int e = 0; e < 4; e++) {
                        double w = gw.slice(e).amaxNumber().doubleValue();
                        double b = gb.getRow(e).amaxNumber().doubleValue();
                        if (e == chosen) assertTrue(w > 0, "selected expert gets a gradient");
                        else assertEquals(0.0, w + b, "expert " + e + " not selected: exactly zero gradient");
                    }
                }
            }
        }
    }

    @Test
    void routingDrawsDownAndUpIndependentlyPerLayer() {
        PeftModel m = tiny(MixtureConfig.of(4, 8).withSharing(Sharing.NONE), 1);
        Router router = (Router) m.injection().feeds().get(0);
        assertEquals(4, router.placeholders().size(), "2 layers x (down, up)");
        int[][] joint = new int[4][4];
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 400; i++) {
            Map<String, INDArray> f = router.feeds(2, 3, Pass.train(1), rng);
            int d = f.get("adamix/layer.0/down/route").getRow(0).argMax().getInt(0);
            int u = f.get("adamix/layer.0/up/route").getRow(0).argMax().getInt(0);
            joint[d][u]++;
        }
        for (int d = 0; d < 4; d++)
            for (int u = 0; u < 4; u++) assertTrue(joint[d][u] > 5, "every (down, up) pair occurs: " + joint[d][u]);
        long[] counts = router.trainingCounts().get("adamix/layer.1/up/route");
        assertEquals(400, java.util.Arrays.stream(counts).sum());
        for (long c : counts) assertTrue(c > 60 && c < 140, "uniform draws: " + c);
    }

    @Test
    void sameSeedSameRoutingAndWeightsDifferentSeedDifferent() {
        Map<String, INDArray> a = train(11, 11);
        Map<String, INDArray> b = train(11, 11);
        Map<String, INDArray> c = train(11, 12);
        for (String k : a.keySet()) assertEquals(a.get(k), b.get(k), "same seed, same " + k);
        assertTrue(a.keySet().stream().anyMatch(k -> !a.get(k).equals(c.get(k))), "a different routing seed changes the weights");
    }

    private static Map<String, INDArray> train(long initSeed, long routeSeed) {
        PeftModel m = tiny(MixtureConfig.of(4, 8), initSeed);
        AdamW opt = AdamW.standard(0.01, Set.of());
        SplittableRandom rng = new SplittableRandom(routeSeed);
        for (int i = 0; i < 3; i++) opt.step(m.parameters(), m.gradients(BATCH, LABELS, rng), 1e-2);
        Map<String, INDArray> out = new HashMap<>();
        m.parameters().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    @Test
    void consistencyTermIsZeroForIdenticalPassesAndPositiveOtherwise() {
        PeftModel m = tiny(MixtureConfig.of(4, 8).withSharing(Sharing.NONE), 2);
        // Away from the N(0, 0.02) init, where experts differ enough for the KL (second order) to show.
        for (String p : m.trainableParameters()) {
            if (!p.startsWith("head/")) m.sameDiff().getArrForVarName(p).assign(Nd4j.randn(p.hashCode(), m.sameDiff().getArrForVarName(p).shape()).muli(0.3));
        }
        TokenizedBatch twice = BATCH.repeated(2);
        Map<String, INDArray> same = m.feeds(twice, new Pass(true, 2, Pass.Routing.FIXED, 1), new SplittableRandom(0));
        same.put(Heads.LABELS, LABELS);
        assertEquals(0.0, m.sameDiff().output(same, Heads.CONSISTENCY).get(Heads.CONSISTENCY).getDouble(0), 1e-7);

        Map<String, INDArray> diff = m.feeds(twice, new Pass(true, 2, Pass.Routing.FIXED, 1), new SplittableRandom(0));
        // second half routed to another expert in every layer and projection
        for (String k : diff.keySet()) {
            if (!k.endsWith("route")) continue;
            INDArray r = diff.get(k);
            for (int i = 4; i < 8; i++) {
                r.putRow(i, Nd4j.create(new float[]{0, 0, 1, 0}));
            }
        }
        diff.put(Heads.LABELS, LABELS);
        double kl = m.sameDiff().output(diff, Heads.CONSISTENCY).get(Heads.CONSISTENCY).getDouble(0);
        assertTrue(kl > 1e-6, "different routings disagree: " + kl);
    }

    /**
     * The gradient of CE + w·½[KL(sg(p2)‖p1) + KL(sg(p1)‖p2)] against finite differences of the same
     * objective with the stop-gradient targets frozen at the current point, computed here in double
     * precision from the two halves' logits.
     */
    @Test
    void consistencyGradientMatchesFiniteDifferences() {
        double w = 3.0;
        PeftModel m = tiny(MixtureConfig.of(4, 8).withSharing(Sharing.NONE).withConsistencyWeight(w), 4);
        for (String p : m.trainableParameters()) {
            if (!p.startsWith("head/")) m.sameDiff().getArrForVarName(p).assign(Nd4j.randn(p.hashCode(), m.sameDiff().getArrForVarName(p).shape()).muli(0.3));
        }
        Map<String, INDArray> in = m.feeds(BATCH.repeated(2), Pass.train(2), new SplittableRandom(21));
        in.put(Heads.LABELS, LABELS);
        String param = "adamix/layer.1/down/W";
        INDArray g = m.sameDiff().calculateGradients(in, param).get(param);
        long idx = g.reshape(-1).argMax().getLong(0);
        double analytic = g.reshape(-1).getDouble(idx);

        double[][] l0 = logits(m, in);
        double[][] p1Fixed = softmax(l0, 0);
        double[][] p2Fixed = softmax(l0, 4);
        INDArray p = m.sameDiff().getArrForVarName(param).reshape(-1);
        double orig = p.getDouble(idx);
        double eps = 1e-2;
        p.putScalar(idx, orig + eps);
        double up = objective(logits(m, in), p1Fixed, p2Fixed, w);
        p.putScalar(idx, orig - eps);
        double down = objective(logits(m, in), p1Fixed, p2Fixed, w);
        p.putScalar(idx, orig);
        double numeric = (up - down) / (2 * eps);
        double rel = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric));
        System.out.printf("consistency gradcheck: analytic %.6g numeric %.6g rel %.2g%n", analytic, numeric, rel);
        assertTrue(Math.abs(analytic) > 1e-4);
        assertTrue(rel < 1e-2, analytic + " vs " + numeric);
        // and the graph's loss value equals the double-precision objective at the current point
        double graphLoss = m.sameDiff().output(in, Heads.TRAINING_LOSS).get(Heads.TRAINING_LOSS).getDouble(0);
        assertEquals(objective(l0, p1Fixed, p2Fixed, w), graphLoss, 1e-5);
    }

    private static double[][] logits(PeftModel m, Map<String, INDArray> in) {
        return m.sameDiff().output(in, Heads.LOGITS).get(Heads.LOGITS).toDoubleMatrix();
    }

    private static double[][] softmax(double[][] l, int from) {
        double[][] p = new double[4][];
        for (int i = 0; i < 4; i++) {
            double[] row = l[from + i];
            double max = Math.max(row[0], row[1]);
            double z = Math.exp(row[0] - max) + Math.exp(row[1] - max);
            p[i] = new double[]{Math.exp(row[0] - max) / z, Math.exp(row[1] - max) / z};
        }
        return p;
    }

    /** CE(pass 1) + w·½[KL(p2fix ‖ p1) + KL(p1fix ‖ p2)], batch means. */
    private static double objective(double[][] l, double[][] p1Fixed, double[][] p2Fixed, double w) {
        double[][] p1 = softmax(l, 0);
        double[][] p2 = softmax(l, 4);
        long[] y = {0, 1, 1, 0};
        double ce = 0;
        double kl12 = 0;
        double kl21 = 0;
        for (int i = 0; i < 4; i++) {
            ce -= Math.log(p1[i][(int) y[i]]);
            for (int c = 0; c < 2; c++) {
                kl12 += p2Fixed[i][c] * (Math.log(p2Fixed[i][c]) - Math.log(p1[i][c]));
                kl21 += p1Fixed[i][c] * (Math.log(p1Fixed[i][c]) - Math.log(p2[i][c]));
            }
        }
        return ce / 4 + w * 0.5 * (kl12 / 4 + kl21 / 4);
    }

    @Test
    void mergedWeightsAreTheExpertMeanAndComputeLikeAHandBuiltAdapter(@TempDir Path dir) throws Exception {
        PeftModel m = tiny(MixtureConfig.of(4, 8), 6);
        AdamW opt = AdamW.standard(0, Set.of());
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 4; i++) opt.step(m.parameters(), m.gradients(BATCH, LABELS, rng), 5e-2);
        PeftModel merged = m.mergeAndUnload(TestModels.bertTiny());

        // 1. The merged weights are the uniform mean of the experts (the shared up-projection as is).
        for (int layer = 0; layer < 2; layer++) {
            INDArray downW = m.sameDiff().getArrForVarName("adamix/layer." + layer + "/down/W");
            assertEquals(downW.mean(0), merged.sameDiff().getArrForVarName("adapter/layer." + layer + "/output/down/W"));
            assertEquals(m.sameDiff().getArrForVarName("adamix/layer." + layer + "/down/b").mean(0),
                    merged.sameDiff().getArrForVarName("adapter/layer." + layer + "/output/down/b"));
            assertEquals(m.sameDiff().getArrForVarName("adamix/layer." + layer + "/up/W"),
                    merged.sameDiff().getArrForVarName("adapter/layer." + layer + "/output/up/W"));
        }
        // 2. It computes exactly what a single adapter built by hand with those weights computes.
        PeftModel hand = PeftModel.builder().setBase(TestModels.bertTiny())
                .setMethod(new AdapterConfig("adapter", 8, Activation.GELU, EnumSet.of(SiteKind.OUTPUT), 0.02))
                .setHead(TaskHead.classification(2)).build();
        for (Map.Entry<String, INDArray> e : merged.parameters().entrySet()) {
            INDArray src = e.getKey().startsWith("head/") ? m.sameDiff().getArrForVarName(e.getKey()) : handMean(m, e.getKey());
            hand.sameDiff().getArrForVarName(e.getKey()).assign(src);
        }
        assertEquals(hand.logits(BATCH), merged.logits(BATCH));
        // 3. ... which is what the mixture computes with averaged routing.
        double diff = merged.logits(BATCH).sub(m.logits(BATCH, Pass.eval(), new SplittableRandom(0))).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "merged vs averaged routing: " + diff);
        // 4. A merged checkpoint is exactly the size of a single adapter's.
        AdapterCheckpoint.save(merged, dir.resolve("merged"), Provenance.of(6, "", ""));
        AdapterCheckpoint.save(hand, dir.resolve("single"), Provenance.of(6, "", ""));
        assertEquals(Files.size(dir.resolve("single").resolve(AdapterCheckpoint.WEIGHTS)),
                Files.size(dir.resolve("merged").resolve(AdapterCheckpoint.WEIGHTS)));
        assertThrows(UnsupportedOperationException.class, m::merge, "adapters cannot fold into W");
    }

    /** The expert mean computed independently from the mixture's arrays, by parameter name. */
    private static INDArray handMean(PeftModel m, String plainName) {
        // adapter/layer.L/output/{down,up}/{W,b} <- adamix/layer.L/{down,up}/{W,b}
        String[] parts = plainName.split("/");
        INDArray a = m.sameDiff().getArrForVarName("adamix/" + parts[1] + "/" + parts[3] + "/" + parts[4]);
        boolean stacked = parts[3].equals("down"); // up is shared in MixtureConfig.of
        if (!stacked) return a;
        INDArray sum = a.slice(0).dup();
        for (int e = 1; e < a.size(0); e++) sum.addi(a.slice(e));
        return sum.divi(a.size(0));
    }

    @Test
    void checkpointRoundTripKeepsTheMixture(@TempDir Path dir) {
        PeftModel m = tiny(MixtureConfig.of(3, 4).withSharing(Sharing.DOWN), 8);
        AdapterCheckpoint.save(m, dir.resolve("a"), Provenance.of(8, "", ""));
        PeftModel back = AdapterCheckpoint.load(TestModels.bertTiny(), dir.resolve("a"));
        assertEquals(m.config(), back.config());
        assertEquals(m.logits(BATCH), back.logits(BATCH));
        assertArrayEquals(new long[]{32, 4}, back.sameDiff().getArrForVarName("adamix/layer.0/down/W").shape(), "down shared");
        assertArrayEquals(new long[]{3, 4, 32}, back.sameDiff().getArrForVarName("adamix/layer.0/up/W").shape());
    }

    @Test
    void badMixtureSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> MixtureConfig.of(0, 16));
        assertThrows(IllegalArgumentException.class, () -> MixtureConfig.of(4, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MixtureConfig.standard().withConsistencyWeight(-1));
        assertTrue(e.getMessage().contains("consistency weight"), e.getMessage());
        PeftModel m = tiny(MixtureConfig.of(2, 4), 1);
        assertThrows(IllegalArgumentException.class, () -> m.logits(BATCH, Pass.fixedRouting(2), new SplittableRandom(0)));
        assertNotEquals(null, m);
    }
}
