package org.adamix4j.graphs;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionHygieneTest {

    /** A chain of element-wise ops: each intermediate is released (and its id recorded) once read. */
    private static SameDiff chain() {
        SameDiff sd = SameDiff.create();
        SDVariable h = sd.placeHolder("x", DataType.FLOAT, -1, 8);
        for (int i = 0; i < 10; i++) h = sd.math.tanh(h.mul(1.5).add(0.1));
        h.rename("y");
        return sd;
    }

    @Test
    void freedArrayIdsPileUpAcrossExecutionsUntilCleared() {
        assertTrue(SessionHygiene.supported(), "ND4J M2.1's InferenceSession has the freedArrays set");
        Nd4j.getRandom().setSeed(4);
        SameDiff sd = chain();
        Map<String, INDArray> in = Map.of("x", Nd4j.rand(DataType.FLOAT, 4, 8));
        INDArray first = sd.output(in, "y").get("y").dup();
        int afterOne = SessionHygiene.freedArrayIds(sd);
        sd.output(in, "y");
        int afterTwo = SessionHygiene.freedArrayIds(sd);
        // What ND4J does on its own: every execution adds the ids it freed and nothing removes them.
        assertTrue(afterOne > 0, "one execution frees intermediates: " + afterOne);
        int perExecution = afterTwo - afterOne; // the first execution also frees a one-off array or so
        assertTrue(perExecution > 0 && perExecution >= afterOne - 2, "the second execution adds about as many again: "
                + afterOne + " then " + afterTwo);

        assertEquals(afterTwo, SessionHygiene.clearFreedArrayIds(sd));
        assertEquals(0, SessionHygiene.freedArrayIds(sd));
        for (int i = 0; i < 3; i++) {
            INDArray again = sd.output(in, "y").get("y");
            assertEquals(first, again, "same output after clearing, execution " + i);
            assertEquals(perExecution, SessionHygiene.clearFreedArrayIds(sd), "one execution's ids, no more");
        }
    }

    @Test
    void discardedSessionsCloseTheirCachedArraysAndTheNextRunStartsAFreshOne() {
        Nd4j.getRandom().setSeed(5);
        SameDiff sd = chain();
        Map<String, INDArray> in = Map.of("x", Nd4j.rand(DataType.FLOAT, 4, 8));
        INDArray first = sd.output(in, "y").get("y").dup();
        var session = sd.getSessions().values().iterator().next();
        var cache = (org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr) session.getMmgr();
        List<INDArray> cached = new java.util.ArrayList<>(cache.getLruCacheValues().values());
        assertFalse(cached.isEmpty(), "the run left released intermediates in the session's cache");

        assertEquals(1, SessionHygiene.discardSessions(sd));
        assertTrue(sd.getSessions().isEmpty());
        assertTrue(cached.stream().allMatch(INDArray::wasClosed), "their buffers are freed, not left to the GC");
        assertEquals(first, sd.output(in, "y").get("y"), "a new session computes the same");
        assertEquals(1, sd.getSessions().size());
        assertNotSame(session, sd.getSessions().values().iterator().next());
    }
}
