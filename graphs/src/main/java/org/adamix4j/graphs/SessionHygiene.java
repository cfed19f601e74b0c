package org.adamix4j.graphs;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Clears what SameDiff's execution sessions keep from one execution to the next but never need again
 * ({@link #afterExecution}: the ids of freed arrays, and scalars and empty arrays in the array cache).
 *
 * <p>ND4J M2.1's {@code InferenceSession} records the id of every array it releases in a
 * {@code LinkedHashSet<Long> freedArrays}, to avoid releasing one twice within an execution, and never
 * empties it. Array ids are unique for the life of the process (a recycled buffer gets a new id), so the
 * ids of earlier executions can never match again; they only accumulate: about 1,460 per AdaMix training
 * step on MiniLM, ≈ 93 KB of heap per step, which was the whole growth of the live Java heap over a
 * 1,000-step run (docs/benchmarks.md). Emptying the set after an execution has returned is what the session
 * would do if it were scoped to one execution.
 *
 * <p>The field is protected and has no accessor, so it is reached by reflection; with an ND4J version
 * that no longer has it, {@link #clearFreedArrayIds} does nothing.
 */
public final class SessionHygiene {
    private static final Field FREED = freedField();

    private SessionHygiene() {
    }

    private static Field freedField() {
        try {
            Field f = InferenceSession.class.getDeclaredField("freedArrays");
            f.setAccessible(true);
            return Set.class.isAssignableFrom(f.getType()) ? f : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether this ND4J version has the set that {@link #clearFreedArrayIds} empties. */
    public static boolean supported() {
        return FREED != null;
    }

    /**
     * Empties the freed-array id sets of the graph's sessions (one per thread that executed it). Call it
     * only between executions, never from a listener while one runs.
     *
     * @return how many ids were dropped
     */
    public static int clearFreedArrayIds(SameDiff sd) {
        if (FREED == null) return 0;
        int dropped = 0;
        for (InferenceSession s : sd.getSessions().values()) {
            Set<?> ids = freedIds(s);
            if (ids == null) continue;
            dropped += ids.size();
            ids.clear();
        }
        return dropped;
    }

    /**
     * Drops the scalars and empty arrays the sessions' array caches hold. SameDiff's
     * {@code ArrayCacheMemoryMgr} caches every released array for reuse, but rank-0 and empty arrays are
     * not handed out again (ops allocate their scalars elsewhere), so each execution adds a few more: 8 per
     * AdaMix training step on MiniLM (the cache's entry count grows while its bytes stay constant), about
     * 1 MB of live heap per 100 steps. They hold at most one element; dropping them loses nothing.
     *
     * @return how many were dropped
     */
    public static int dropEmptyCachedArrays(SameDiff sd) {
        int dropped = 0;
        for (InferenceSession s : sd.getSessions().values()) {
            if (!(s.getMmgr() instanceof ArrayCacheMemoryMgr cache)) continue;
            for (List<INDArray> arrays : cache.getArrays().values()) {
                for (Iterator<INDArray> it = arrays.iterator(); it.hasNext(); ) {
                    INDArray a = it.next();
                    if (a.rank() != 0 && a.length() != 0) continue;
                    it.remove();
                    cache.getLruCache().remove(a.getId());
                    cache.getLruCacheValues().remove(a.getId());
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /** Arrays the sessions' caches hold for reuse. */
    public static int cachedArrays(SameDiff sd) {
        int n = 0;
        for (InferenceSession s : sd.getSessions().values()) {
            if (!(s.getMmgr() instanceof ArrayCacheMemoryMgr cache)) continue;
            for (List<INDArray> arrays : cache.getArrays().values()) n += arrays.size();
        }
        return n;
    }

    /**
     * Closes the intermediate arrays an execution left in its sessions, and forgets them. After a
     * gradient execution ND4J M2.1's sessions still reference about 200 arrays in
     * {@code nodeValueOutputs} (AdaMix at 32 × 128 on MiniLM: 1.2–1.6 GB) that were neither returned
     * nor released to the array cache; the next execution overwrites the references, and the buffers then
     * wait for the garbage collector while that execution allocates its own (measured: 1.1–1.4 GB of such
     * unreachable buffers at the peak of a step). Closing them frees the memory before the next step.
     *
     * <p>Only arrays of intermediate ({@code ARRAY}) variables are closed, never placeholders, constants
     * or parameters; never a buffer in the array cache or shared with one of {@code keep} (the outputs the
     * caller holds). Call it only between executions.
     *
     * @return the number of buffers closed and their bytes
     */
    public static long[] closeLeftovers(SameDiff sd, java.util.Collection<INDArray> keep) {
        java.util.Set<Long> spared = new java.util.HashSet<>();
        for (INDArray a : keep) if (open(a)) spared.add(a.data().address());
        long closed = 0;
        long bytes = 0;
        for (InferenceSession s : sd.getSessions().values()) {
            if (s.getMmgr() instanceof ArrayCacheMemoryMgr cache) {
                for (INDArray a : cache.getLruCacheValues().values()) if (open(a)) spared.add(a.data().address());
            }
        }
        for (InferenceSession s : sd.getSessions().values()) {
            for (var e : s.getNodeValueOutputs().entrySet()) {
                org.nd4j.autodiff.samediff.SDVariable v = sd.getVariable(e.getKey().getVariable());
                if (v == null || v.getVariableType() != org.nd4j.autodiff.samediff.VariableType.ARRAY) continue;
                INDArray a;
                try {
                    a = e.getValue().getTensorValue();
                } catch (RuntimeException notATensor) { // lists and other values hold no buffer of their own here
                    continue;
                }
                // One buffer can sit under several names (views, recycled arrays): close it once.
                if (!open(a) || !a.closeable() || !spared.add(a.data().address())) continue;
                bytes += a.data().length() * a.dataType().width();
                a.close();
                closed++;
            }
            s.getNodeValueOutputs().clear();
        }
        return new long[]{closed, bytes};
    }

    private static boolean open(INDArray a) {
        return a != null && !a.wasClosed() && a.data() != null;
    }

    /** Both clean-ups, between executions. */
    public static void afterExecution(SameDiff sd) {
        clearFreedArrayIds(sd);
        dropEmptyCachedArrays(sd);
    }

    /** All three clean-ups after an execution whose outputs {@code keep} the caller holds on to. */
    public static void afterExecution(SameDiff sd, java.util.Collection<INDArray> keep) {
        closeLeftovers(sd, keep);
        afterExecution(sd);
    }

    /**
     * Ends the graph's execution sessions: their array caches are closed and the next execution starts a
     * new session. For a graph that was rewritten after it ran; call it only between executions.
     *
     * @return how many sessions were discarded
     */
    public static int discardSessions(SameDiff sd) {
        int n = 0;
        for (InferenceSession s : sd.getSessions().values()) {
            if (s.getMmgr() != null) s.getMmgr().close();
            n++;
        }
        sd.getSessions().clear();
        return n;
    }

    /** The number of ids the graph's sessions hold (what {@link #clearFreedArrayIds} would drop). */
    public static int freedArrayIds(SameDiff sd) {
        int n = 0;
        for (InferenceSession s : sd.getSessions().values()) {
            Set<?> ids = freedIds(s);
            if (ids != null) n += ids.size();
        }
        return n;
    }

    private static Set<?> freedIds(InferenceSession s) {
        if (FREED == null || s == null) return null;
        try {
            return (Set<?>) FREED.get(s);
        } catch (IllegalAccessException e) {
            return null;
        }
    }
}
