package org.adamix4j.bench;

import org.adamix4j.onnx.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch peer: {@code eval/bench/peer/adamix_peer.py}, shipped on the classpath, run with Debian's
 * python3 and python3-torch, python3-onnx, python3-numpy.
 */
public final class PythonPeer {
    /** Where the script sits on the classpath (copied there from eval/bench/peer/ by the build). */
    public static final String RESOURCE = "org/adamix4j/bench/peer/adamix_peer.py";
    static final List<String> PACKAGES = List.of("python3-torch", "python3-onnx", "python3-numpy");

    private PythonPeer() {
    }

    /** The torch version {@code python} can import with onnx and numpy, or null if it cannot. */
    public static String torchVersion(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, onnx, numpy; print(torch.__version__)")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            String[] lines = text.split("\n");
            return lines[lines.length - 1].trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Makes sure {@code python} can run the peer: if it cannot import torch, onnx and numpy and
     * {@code install} is set, runs {@code apt-get update} and {@code apt-get install -y} of the Debian
     * packages (this needs root). Returns the torch version.
     *
     * @throws IllegalStateException if the peer still cannot run, saying what to install
     */
    public static String ensure(String python, boolean install, PrintStream log) {
        String v = torchVersion(python);
        if (v != null) return v;
        String how = "apt-get install -y " + String.join(" ", PACKAGES);
        if (!install) {
            throw new IllegalStateException(python + " cannot import torch, onnx and numpy; install them with `" + how
                    + "` or run with --no-peer");
        }
        log.println("bench peers: " + python + " lacks torch/onnx/numpy; installing Debian's " + PACKAGES + " (~3 min)");
        run(List.of("apt-get", "update"), log);
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y"));
        cmd.addAll(PACKAGES);
        run(cmd, log);
        v = torchVersion(python);
        if (v == null) throw new IllegalStateException(python + " still cannot import torch after `" + how + "`");
        return v;
    }

    private static void run(List<String> cmd, PrintStream log) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().transferTo(log);
            if (p.waitFor() != 0) throw new IllegalStateException("`" + String.join(" ", cmd) + "` failed with exit code " + p.exitValue());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run `" + String.join(" ", cmd) + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        }
    }

    /** Copies the peer script from the classpath to {@code target} and returns it. */
    public static Path extract(Path target) {
        try (InputStream in = PythonPeer.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the PyTorch peer " + RESOURCE + " is not on the classpath");
            AtomicFiles.write(target, tmp -> Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the PyTorch peer to " + target, e);
        }
    }
}
