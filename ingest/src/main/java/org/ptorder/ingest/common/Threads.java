package org.ptorder.ingest.common;

/** Waiting for helper threads that have been told to stop. */
public final class Threads {
    private Threads() { }

    /**
     * Waits until every thread has ended, even if interrupted meanwhile: a closing reader must not
     * return while its threads still use what it is about to release. An interrupt is kept for the
     * caller.
     */
    public static void joinUninterruptibly(Thread... threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
