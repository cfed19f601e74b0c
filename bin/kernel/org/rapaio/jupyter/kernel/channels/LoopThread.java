package org.rapaio.jupyter.kernel.channels;

/**
 * Replaces rapaio-jupyter-kernel 3.0.1's {@code LoopThread} (same name, constructor and methods) to fix a
 * start-up race that silently loses kernel channels.
 *
 * <p>Why: 3.0.1's {@code start()} calls {@code Thread.start()} first and sets {@code running = true} after it.
 * A new thread that reaches {@code run()} before that assignment sees {@code running == false} and ends at
 * once, without a log line. When that thread is the shell channel's, the kernel never answers a request and
 * the client waits until "Kernel didn't respond"; on this 2-core machine that happened on roughly one
 * headless start in three under load (a jstack of a hung kernel shows the heartbeat loop and no shell or
 * control loop). Here the flag is set before the thread starts.
 *
 * <p>bin/setup-notebooks compiles this next to {@code KernelLauncher} and puts that directory before the
 * kernel jar on the kernel JVM's classpath; {@code KernelLauncher} checks that this class is the one loaded.
 * Tied to 3.0.1's members (the channels call the constructor, {@code start}, {@code shutdown} and
 * {@code join}); a newer kernel version must be checked against it.
 */
public final class LoopThread extends Thread {
    private volatile boolean running;
    private final long sleep;
    private final Runnable loopBody;

    /**
     * @param name     the thread's name
     * @param sleep    pause between iterations of the body, ms
     * @param loopBody one poll of the channel
     */
    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;   // before the thread exists: the race this class fixes
        super.start();
    }

    /** Stops the loop after the current iteration. */
    public void shutdown() {
        running = false;
    }
}
