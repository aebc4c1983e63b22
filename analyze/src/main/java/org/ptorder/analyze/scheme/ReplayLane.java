package org.ptorder.analyze.scheme;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import org.ptorder.analyze.check.CheckResult;
import org.ptorder.analyze.check.Checker;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.OpBatch;

/**
 * A fixed subset of a {@link Scorer}'s replays and the batches of input ops they are fed. Each
 * replay (with its checker) runs over a whole batch before the next one starts, so its state can
 * stay in cache instead of being evicted by the other replays between consecutive ops.
 *
 * <p>Inline, the lane runs on the caller's thread whenever a batch fills. Threaded, it runs on its
 * own thread, fed through a small pool of reused batches: the reader copies ops into a free batch,
 * hands it over when full, and waits for a free one when the lane is {@link #POOL} batches behind,
 * so memory stays bounded. A failure on the lane's thread is rethrown to the reader at its next
 * hand-over or at {@link #finish}; until then the lane keeps returning batches unprocessed, so the
 * reader never waits for a batch that will not come back.
 */
final class ReplayLane {
    /** Ops per batch: enough to amortise a replay's cache warm-up, few enough to stay in cache. */
    static final int BATCH_OPS = 2048;
    /** Batches per threaded lane: the reader may run this far ahead. */
    static final int POOL = 4;

    /** One replay (and its checker, for the checked parameter set) with what finishing it gave. */
    static final class Unit {
        final Scheme scheme;
        final Replay replay;
        final Checker checker;
        CostVector cost;
        CheckResult check;

        Unit(Scheme scheme, Replay replay, Checker checker) {
            this.scheme = scheme;
            this.replay = replay;
            this.checker = checker;
        }

        void finish() {
            cost = replay.finish(); // first: it may still emit (S1's last unlock) to the checker
            check = checker == null ? null : checker.finish();
        }
    }


    private final List<Unit> units;
    private final Thread thread;                 // null: inline
    private final BlockingQueue<OpBatch> full;     // reader -> lane (END last)
    private final BlockingQueue<OpBatch> free;     // lane -> reader
    private OpBatch cur = new OpBatch(BATCH_OPS);
    private volatile Throwable error;
    private volatile long cpuNanos;

    /** @param name the thread's name, or null to run inline on the caller's thread */
    ReplayLane(List<Unit> units, String name) {
        this.units = units;
        if (name == null) {
            thread = null;
            full = null;
            free = null;
            return;
        }
        full = new ArrayBlockingQueue<>(POOL + 1);
        free = new ArrayBlockingQueue<>(POOL);
        for (int i = 1; i < POOL; i++) {
            free.add(new OpBatch(BATCH_OPS));
        }
        thread = new Thread(this::work, name);
        thread.setDaemon(true); // never keeps the JVM alive (Ctrl-C, a caller that did not close)
        thread.start();
    }

    /** Adds a copy of one input op (the source may reuse {@code o}). */
    void add(MmuOp o) {
        if (cur.add(o)) {
            if (thread == null) {
                run(cur);
                cur.size = 0;
            } else {
                full.add(cur); // never blocks: at most POOL batches exist
                cur = take(free);
                rethrowIfFailed();
            }
        }
    }

    /** Replays what is left and finishes every unit; the units then hold their results. */
    void finish() {
        if (thread == null) {
            run(cur);
            for (Unit u : units) {
                u.finish();
            }
            return;
        }
        full.add(cur);
        full.add(OpBatch.END);
        cur = null;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("scoring interrupted");
        }
        rethrowIfFailed();
    }

    /** Stops the lane's thread if it still runs (after a failure or interruption of the reader). */
    void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** CPU time of the lane's own thread once finished; 0 inline (it is the caller's). */
    long cpuNanos() {
        return cpuNanos;
    }

    private void run(OpBatch b) {
        for (Unit u : units) {
            Replay r = u.replay;
            for (int i = 0; i < b.size; i++) {
                r.accept(b.ops[i]);
            }
        }
    }

    private void work() {
        try {
            for (OpBatch b = full.take(); b != OpBatch.END; b = full.take()) {
                if (error == null) {
                    try {
                        run(b);
                    } catch (Throwable t) {
                        error = t;
                    }
                }
                b.size = 0;
                free.add(b);
            }
            if (error == null) {
                for (Unit u : units) {
                    u.finish();
                }
            }
        } catch (InterruptedException e) {
            // closed by the scorer: the reader has given up
        } catch (Throwable t) {
            error = t;
        } finally {
            cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    }

    private void rethrowIfFailed() {
        Throwable t = error;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("a scoring thread failed", t);
        }
    }

    private static OpBatch take(BlockingQueue<OpBatch> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("scoring interrupted");
        }
    }
}
