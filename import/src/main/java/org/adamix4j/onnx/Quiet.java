package org.adamix4j.onnx;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Runs library code that prints to standard output with standard output silenced: the ONNX importer
 * prints the whole graph summary, and SameDiff prints a line per op ("Added differentiated op ...")
 * when it builds a gradient function — thousands of lines for one model.
 */
public final class Quiet {
    private static final Object LOCK = new Object();

    private Quiet() {
    }

    public static <T> T call(Supplier<T> action) {
        synchronized (LOCK) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                return action.get();
            } finally {
                System.setOut(out);
            }
        }
    }

    public static void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }
}
