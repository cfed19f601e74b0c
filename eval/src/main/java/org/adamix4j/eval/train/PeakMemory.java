package org.adamix4j.eval.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set size, from /proc/self/status (VmHWM); NaN where there is no /proc. */
public final class PeakMemory {
    private PeakMemory() {
    }

    public static double rssMb() {
        return read("VmHWM:");
    }

    public static double currentRssMb() {
        return read("VmRSS:");
    }

    private static double read(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
