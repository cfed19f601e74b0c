package org.adamix4j.search;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One candidate of a search, as the results table shows it.
 *
 * @param number     1-based candidate number (the order Arbiter generated it in)
 * @param status     where it stands
 * @param score      the task's primary dev metric at the best epoch; null unless complete
 * @param bestEpoch  1-based epoch of that score; 0 unless complete
 * @param seconds    wall time so far (running) or in total
 * @param peakRssMb  the process's peak resident memory after the run, MB; 0 if unknown
 * @param knobs      knob id → value, every knob of the space
 * @param reason     why it failed or was interrupted; empty otherwise
 * @param runDir     the candidate's run directory
 */
public record CandidateRow(int number, Status status, Double score, int bestEpoch, double seconds, double peakRssMb,
                           Map<String, Object> knobs, String reason, Path runDir) {

    /** Where a candidate stands. */
    public enum Status {
        RUNNING, COMPLETE, FAILED, INTERRUPTED;

        /** Lower case, as the table shows it. */
        public String label() {
            return name().toLowerCase();
        }
    }

    public CandidateRow {
        if (number < 1) throw new IllegalArgumentException("candidate numbers start at 1, got " + number);
        if (status == null || knobs == null || runDir == null) throw new IllegalArgumentException("status, knobs and runDir must be given");
        if (status == Status.COMPLETE && (score == null || !Double.isFinite(score))) {
            throw new IllegalArgumentException("a complete candidate needs a finite score, got " + score);
        }
        knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        reason = reason == null ? "" : reason.replaceAll("\\s+", " ").strip();
    }

    /** A candidate that has started. */
    static CandidateRow running(int number, Map<String, Object> knobs, Path runDir) {
        return new CandidateRow(number, Status.RUNNING, null, 0, 0, 0, knobs, "", runDir);
    }

    /** This row with another status and reason (interrupting a running candidate). */
    CandidateRow withStatus(Status s, String why, double secondsSoFar) {
        return new CandidateRow(number, s, score, bestEpoch, secondsSoFar, peakRssMb, knobs, why, runDir);
    }
}
