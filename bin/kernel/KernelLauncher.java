import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.HashMap;

/**
 * Starts the rapaio Jupyter kernel (io.github.padreati:rapaio-jupyter-kernel 3.0.1) the way its MainApp
 * does, with one difference: the channels get an empty handler table before they bind.
 *
 * <p>Why: MainApp binds the ZeroMQ sockets first and installs the message handlers afterwards. A client
 * that connected while the kernel JVM was starting (nbclient, the notebook server) has kernel_info
 * requests queued; they arrive the instant the shell socket binds, the shell thread reads a null handler
 * table, dies with a NullPointerException, and the client waits until its startup timeout ("Kernel
 * didn't respond"). With a large RJK_CLASSPATH (ours: ~60 jars) the kernel starts slowly enough for this
 * to happen nearly every time. With an empty table an early request is logged as "Unhandled message" and
 * dropped; the client repeats it every second and the repeat is answered. The launcher also prints
 * {@link #READY} once the handlers are installed, and bin/run-notebooks connects its client only after it.
 *
 * <p>A second race in 3.0.1 silently killed channel threads (the shell's among them) at start-up; the
 * replacement {@link org.rapaio.jupyter.kernel.channels.LoopThread} in bin/kernel fixes it, and this launcher
 * checks that the replacement is the class loaded.
 *
 * <p>Tied to rapaio-jupyter-kernel 3.0.1's private fields (MainApp.kernel, Channels.handlers); a newer
 * kernel version must be checked against this class. Compiled by bin/setup-notebooks.
 */
public final class KernelLauncher {
    /** Printed to the kernel's stderr once every message handler is installed. */
    static final String READY = "KernelLauncher: kernel ready";

    private KernelLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            throw new IllegalArgumentException("usage: KernelLauncher <jupyter connection file>; got "
                    + String.join(" ", args));
        }
        // The kernel redirects System.err into the notebook; a channel thread that dies must still be reported
        // in the kernel's own log (the process's real stderr).
        PrintStream log = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            log.println("kernel thread " + t.getName() + " died:");
            e.printStackTrace(log);
        });
        // Our LoopThread (same package, bin/kernel) must shadow the kernel jar's racy one; fail loudly if the
        // classpath order changed.
        var loop = org.rapaio.jupyter.kernel.channels.LoopThread.class.getProtectionDomain().getCodeSource();
        if (loop == null || loop.getLocation().getPath().endsWith(".jar")) {
            throw new IllegalStateException("LoopThread comes from " + (loop == null ? "?" : loop.getLocation())
                    + ", not from bin/kernel: put the launcher directory before the kernel jar on the classpath");
        }
        java.util.logging.LogManager.getLogManager().readConfiguration(
                MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
        // The kernel instance that Global.display(...) talks to is MainApp's static one: use it, not a new one.
        Field kernelField = MainApp.class.getDeclaredField("kernel");
        kernelField.setAccessible(true);
        RapaioKernel kernel = (RapaioKernel) kernelField.get(null);

        ConnectionProperties connection = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        Channels channels = new Channels(connection);
        Field handlers = Channels.class.getDeclaredField("handlers");
        handlers.setAccessible(true);
        handlers.set(channels, new HashMap<>());
        channels.connect(kernel);
        // bin/run-notebooks waits for this line before its client sends the first request.
        log.println(READY);
        channels.joinUntilClose();
    }
}
