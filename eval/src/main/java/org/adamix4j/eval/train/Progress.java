package org.adamix4j.eval.train;

import java.io.PrintStream;

/** Training progress on the terminal: step/total, loss, examples/s, ETA; at most every few seconds. */
final class Progress {
    private final PrintStream out;
    private final int total;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long examples;
    private double lossSum;
    private int lossCount;

    Progress(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    void step(int step, int epoch, double loss, int batchExamples, double lr) {
        examples += batchExamples;
        lossSum += loss;
        lossCount++;
        long now = System.nanoTime();
        if (now - lastPrint < 5_000_000_000L && step != total && step != 1) return;
        lastPrint = now;
        double secs = (now - start) / 1e9;
        double eta = secs / step * (total - step);
        out.printf("epoch %d  step %d/%d  loss %.4f  lr %.2e  %.1f ex/s  elapsed %s  ETA %s%n", epoch, step, total,
                lossSum / lossCount, lr, examples / secs, time(secs), time(eta));
        lossSum = 0;
        lossCount = 0;
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
