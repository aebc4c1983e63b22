package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.CountDownLatch;

/**
 * Replaces rapaio-jupyter-kernel 3.0.1's class of the same name (it comes first on the kernel's
 * class path; notebooks/README.md, "Kernel start-up", tells why). Same constructor and methods,
 * two start-up races removed:
 * <ul>
 * <li>the original sets {@code running} only after {@code Thread.start()}, so a thread that runs
 *     before its starter continues sees {@code running == false} and ends at once: that channel
 *     (shell, control or heartbeat) is dead;</li>
 * <li>the channels start reading while the kernel has not yet installed its message handlers, so
 *     a kernel_info_request that arrives then is dropped or kills the shell thread with a
 *     NullPointerException. {@link #holdAll()} / {@link #releaseAll()} let the launcher
 *     ({@code org.ptorder.notebook.KernelMain}) keep every loop waiting until the handlers are in
 *     place; requests wait in ZeroMQ's queues meanwhile.</li>
 * </ul>
 */
public final class LoopThread extends Thread {
    private static volatile CountDownLatch gate;

    private volatile boolean running = true;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    /** Loops started from now on wait for {@link #releaseAll()} before their first iteration. */
    public static void holdAll() {
        gate = new CountDownLatch(1);
    }

    public static void releaseAll() {
        CountDownLatch g = gate;
        if (g != null) {
            g.countDown();
        }
    }

    @Override
    public void run() {
        try {
            CountDownLatch g = gate;
            if (g != null) {
                g.await();
            }
            while (running) {
                loopBody.run();
                Thread.sleep(sleep);
            }
        } catch (InterruptedException e) {
            running = false;
        }
    }

    public void shutdown() {
        running = false;
    }
}
