package org.adamix4j.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Median and spread against values computed by hand (numpy.percentile's linear method gives the same). */
class StatsTest {
    @Test
    void evenCountInterpolatesBetweenOrderStatistics() {
        // sorted 1 2 3 4: median at position 1.5 -> 2.5; p25 at 0.75 -> 1.75; p75 at 2.25 -> 3.25
        Stats s = Stats.of(new double[]{4, 1, 3, 2});
        assertEquals(4, s.n());
        assertEquals(2.5, s.median(), 1e-12);
        assertEquals(1.75, s.p25(), 1e-12);
        assertEquals(3.25, s.p75(), 1e-12);
        assertEquals(1, s.min());
        assertEquals(4, s.max());
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(1.5 / 2.5, s.relativeSpread(), 1e-12);
    }

    @Test
    void oddCountAndOutlierDoNotMoveTheMedian() {
        // sorted 0.9 1.0 1.1 1.2 9.0: median 1.1, p25 1.0, p75 1.2; the mean is pulled to 2.64
        Stats s = Stats.of(List.of(1.0, 9.0, 1.1, 0.9, 1.2));
        assertEquals(1.1, s.median(), 1e-12);
        assertEquals(1.0, s.p25(), 1e-12);
        assertEquals(1.2, s.p75(), 1e-12);
        assertEquals(2.64, s.mean(), 1e-12);
        assertEquals("1.100 ±9%", s.format(3));
    }

    @Test
    void singleSampleHasNoSpread() {
        Stats s = Stats.of(new double[]{0.25});
        assertEquals(0.25, s.median());
        assertEquals(0.25, s.p25());
        assertEquals(0.25, s.p75());
        assertEquals(0.0, s.relativeSpread());
    }

    @Test
    void rejectsNothingAndNonFinite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[0]));
        assertTrue(e.getMessage().contains("no samples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[]{1, Double.NaN}));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }

    @Test
    void memorySlopeIsFittedOverTheSecondHalf() {
        // RSS grows by 2 MB per 10 steps only in the second half: the slope is 20 MB / 100 steps there.
        List<double[]> grows = new ArrayList<>();
        for (int step = 10; step <= 100; step += 10) grows.add(new double[]{step, step <= 50 ? 500 : 500 + (step - 50) * 0.2});
        assertEquals(20.0, PeerBench.Flatness.slopePer100(grows), 1e-9);
        List<double[]> flat = new ArrayList<>();
        for (int step = 10; step <= 100; step += 10) flat.add(new double[]{step, step % 20 == 0 ? 700 : 702});
        // steps 60..100 read 700, 702, 700, 702, 700: symmetric about step 80, least-squares slope 0
        assertEquals(0.0, PeerBench.Flatness.slopePer100(flat), 1e-9);
        assertTrue(Double.isNaN(PeerBench.Flatness.slopePer100(List.of(new double[]{1, 1}))));
    }

    @Test
    void aKilledMemoryRunKeepsTheSamplesItStreamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path csv = dir.resolve("adamix4j-flat.json.rss.csv");
        java.nio.file.Files.writeString(csv, "5,1539.2\n10,2395.0\n15,31");
        List<double[]> s = PeerBench.partialSeries(csv);
        assertEquals(2, s.size()); // "15,31" has no newline: torn by the kill, dropped
        assertEquals(2395.0, s.get(1)[1]);
        java.nio.file.Files.writeString(csv, "5,1539.2\n10,2395.0\n");
        assertEquals(2, PeerBench.partialSeries(csv).size());
        assertEquals(0, PeerBench.partialSeries(dir.resolve("missing.csv")).size());
    }

    @Test
    void theMemoryBreakdownPlacesGrowthOnOrOffTheHeap(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path csv = dir.resolve("adamix4j-flat.json.jvm.csv");
        StringBuilder b = new StringBuilder();
        // heap committed fixed at 1024, used oscillating, the part outside the heap +0.1 MB per step, RSS following it
        for (int step = 10; step <= 100; step += 10) {
            b.append(String.format(java.util.Locale.ROOT, "%d,%.1f,1024.0,%.1f,%.1f%n", step, 600 + step * 0.1,
                    step % 20 == 0 ? 300.0 : 500.0, 200 + step * 0.1));
        }
        java.nio.file.Files.writeString(csv, b + "110,611.0,1024");   // torn last line
        List<double[]> rows = PeerBench.partialRows(csv, 5);
        assertEquals(10, rows.size());
        String md = PeerBench.jvmBreakdown(rows);
        assertTrue(md.contains("| heap committed | 1024 | 1024 | 0.0 |"), md);
        assertTrue(md.contains("| outside the heap | 201 | 210 | 10.0 |"), md);
        assertTrue(md.contains("| resident set (VmRSS) | 601 | 610 | 10.0 |"), md);
        assertTrue(PeerBench.jvmCsv(rows).startsWith("step,rss_mb,heap_committed_mb,heap_used_mb,outside_heap_mb\n10,601.0,1024.0,500.0,201.0\n"));
        assertEquals("", PeerBench.jvmBreakdown(List.of()));
    }
}
