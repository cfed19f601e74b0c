package org.adamix4j.modules;

import org.adamix4j.graphs.SessionHygiene;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.onnx.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What SameDiff keeps between executions must not grow with the number of steps: the live Java heap grew
 * ~10 MB per 100 AdaMix steps on MiniLM through the session's freed-array ids and the scalars its array cache kept
 * (docs/benchmarks.md). After every step and every inference call both are back to their steady size.
 */
class StepBookkeepingTest {

    @Test
    void sessionBookkeepingStaysFlatOverSteps() {
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(MixtureConfig.standard())
                .setHead(TaskHead.classification(2)).optSeed(3).build();
        INDArray labels = Nd4j.createFromArray(0L, 1L, 1L, 0L);
        List<Integer> cached = new ArrayList<>();
        for (int step = 0; step < 8; step++) {
            var batch = TestModels.randomBatch(4, 9, 1000, 40 + step);
            m.step(batch, labels, new SplittableRandom(step));
            SameDiff gradFn = m.sameDiff().getFunction("grad");
            assertEquals(0, SessionHygiene.freedArrayIds(gradFn), "freed-array ids after step " + step);
            cached.add(SessionHygiene.cachedArrays(gradFn));
            for (var session : gradFn.getSessions().values()) {
                assertEquals(0, session.getNodeValueOutputs().size(), "arrays left referenced after step " + step);
            }
            m.logits(batch);
            assertEquals(0, SessionHygiene.freedArrayIds(m.sameDiff()), "freed-array ids after inference " + step);
        }
        // Steps 0-1 fill the cache. Before SessionHygiene: 205 -> 233 over steps 3..7 (scalars piling up).
        // Now it settles in a band (which arrays come back first varies by one or two between steps).
        int band = java.util.Collections.max(cached.subList(1, 4));
        for (int step = 4; step < 8; step++) {
            assertTrue(cached.get(step) <= band, "arrays held by the cache must not grow, steps 0..7: " + cached);
        }
    }

    @Test
    void leftoverArraysAreClosedButNothingReturnedIs() {
        PeftModel m = PeftModel.builder().setBase(TestModels.bertTiny()).setMethod(MixtureConfig.standard())
                .setHead(TaskHead.classification(2)).optSeed(3).build();
        INDArray labels = Nd4j.createFromArray(0L, 1L, 1L, 0L);
        var batch = TestModels.randomBatch(4, 9, 1000, 7);
        m.step(batch, labels, new SplittableRandom(1)); // records shapes, prunes
        // One execution by hand, as step() runs it, to see what closeLeftovers finds.
        SameDiff gradFn = m.sameDiff().getFunction("grad");
        List<String> wanted = new ArrayList<>();
        for (String p : m.trainableParameters()) wanted.add(m.sameDiff().getVariable(p).getGradient().name());
        var in = m.feeds(batch.repeated(2), Pass.train(2), new SplittableRandom(2));
        in.put(org.adamix4j.graphs.Heads.LABELS, labels);
        var out = gradFn.output(in, wanted);
        INDArray copy = out.get(wanted.get(0)).dup();
        long[] closed = SessionHygiene.closeLeftovers(gradFn, out.values());
        System.out.printf("closeLeftovers after one AdaMix execution on tiny BERT: %d arrays, %d bytes%n", closed[0], closed[1]);
        assertTrue(closed[0] > 0, "the session leaves intermediate arrays referenced after an execution");
        for (INDArray g : out.values()) assertTrue(!g.wasClosed(), "a returned array was closed");
        assertEquals(copy, out.get(wanted.get(0)), "returned values are intact");
        for (var session : gradFn.getSessions().values()) assertEquals(0, session.getNodeValueOutputs().size());
        // The graph still runs, and gives the same gradients as SameDiff's own path.
        var a = m.step(batch, labels, new SplittableRandom(3));
        var b = m.referenceStep(batch, labels, new SplittableRandom(3));
        for (String p : m.trainableParameters()) {
            double d = a.gradients().get(p).sub(b.gradients().get(p)).amaxNumber().doubleValue();
            assertTrue(d <= 1e-5, p + ": |step - reference| = " + d);
        }
    }
}
