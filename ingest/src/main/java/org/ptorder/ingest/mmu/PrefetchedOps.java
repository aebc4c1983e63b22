package org.ptorder.ingest.mmu;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import org.ptorder.ingest.common.Threads;

/**
 * Reads another source on its own thread, a few batches ahead of the consumer: decoding rows from
 * DuckDB or parsing text then runs beside the checker instead of before each op, on a second core.
 * Memory is bounded by a fixed pool of reused batches. The thread owns the inner source from
 * construction on (it is closed there); a failure there is rethrown to the consumer, in order,
 * after the ops read before it.
 */
public final class PrefetchedOps implements MmuOpSource {
    static final int BATCH_OPS = 4096;
    static final int POOL = 4;

    private final BlockingQueue<OpBatch> free = new ArrayBlockingQueue<>(POOL);
    private final BlockingQueue<OpBatch> full = new ArrayBlockingQueue<>(POOL + 1);
    private final Thread thread;
    private volatile RuntimeException error;
    private OpBatch cur;
    private int pos;
    private boolean ended;

    public PrefetchedOps(MmuOpSource inner, String name) {
        for (int i = 0; i < POOL; i++) {
            free.add(new OpBatch(BATCH_OPS));
        }
        thread = new Thread(() -> produce(inner), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(MmuOpSource inner) {
        OpBatch b = null;
        try (inner) {
            boolean more = true;
            while (more) {
                b = free.take();
                b.size = 0;
                boolean filled = false;
                while (!filled && (more = inner.next())) {
                    filled = b.add(inner.op());
                }
                full.put(b);
                b = null;
            }
        } catch (InterruptedException e) {
            return; // closed by the consumer: nobody waits for the rest
        } catch (RuntimeException e) {
            error = e;
        } catch (Error e) {
            error = new IllegalStateException("reading the trace failed: " + e, e);
        }
        if (b != null && b.size > 0) {
            full.add(b); // the ops read before the failure come first
        }
        full.add(OpBatch.END); // room: at most POOL batches are ever out
    }

    @Override
    public boolean next() {
        if (ended) {
            return false;
        }
        while (cur == null || pos == cur.size) {
            if (cur != null) {
                free.add(cur);
            }
            try {
                cur = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while reading the trace");
            }
            pos = 0;
            if (cur == OpBatch.END) {
                ended = true;
                cur = null;
                if (error != null) {
                    throw error;
                }
                return false;
            }
        }
        pos++;
        return true;
    }

    @Override
    public MmuOp op() {
        return cur.ops[pos - 1];
    }

    /** Stops the reading thread (if it is still reading) and waits until it has closed the inner source. */
    @Override
    public void close() {
        thread.interrupt();
        Threads.joinUninterruptibly(thread);
    }
}
