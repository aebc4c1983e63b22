package org.ptorder.ingest.ftrace;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.ptorder.ingest.common.Threads;

/**
 * Reads a text in chunks of whole lines and splits the lines on worker threads, handing the
 * chunks out in file order. Splitting is most of the cost of reading ftrace text, and it is
 * independent per line, so it runs on every core while the consumer (lowering, the DuckDB
 * load) runs on its own. A fixed pool of chunks bounds memory whatever the file size: a
 * worker waits for a free chunk, the consumer for the next one in order.
 * <p>
 * Reading the input itself is serial (under one lock; gzip must be inflated in order): the
 * worker holding the lock copies the next bytes into its chunk, moves the partial last line
 * to the next chunk, and lets go before it parses.
 * <p>
 * Memory: {@code 2 * workers + 2} chunks of {@link #CHUNK} bytes (more only while a line is
 * longer), and one reused {@link FtraceLine} per line of a chunk.
 */
final class LineChunks implements AutoCloseable {
    static final int CHUNK = 1 << 18;
    static final int MAX_LINE = 1 << 24;

    private final InputStream in;
    private final Thread[] workers;
    private final BlockingQueue<LineChunk> free;
    private final LineChunk[] ready;
    private final Object readLock = new Object();
    private byte[] carry = new byte[1024];
    private int carryLen;
    private boolean inputDone;
    private long nextSeq;
    private long takeSeq;
    private volatile boolean closed;

    LineChunks(InputStream in, String name) {
        this.in = in;
        // one worker per core (the consumer's own work overlaps); past four the serial read bounds it
        int n = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        int pool = 2 * n + 2;
        // At most `pool` chunks are between read and release, and they are consecutive in file
        // order (the consumer releases in order), so slot seq % pool is never taken twice.
        free = new ArrayBlockingQueue<>(pool);
        ready = new LineChunk[pool];
        for (int i = 0; i < pool; i++) {
            free.add(new LineChunk(CHUNK));
        }
        workers = new Thread[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new Thread(this::work, "ftrace-split-" + i + " " + name);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /** The next chunk in file order (the last has {@code last} set); blocks until it is split. */
    LineChunk take() {
        synchronized (ready) {
            int slot = (int) (takeSeq % ready.length);
            try {
                while (ready[slot] == null || ready[slot].seq != takeSeq) {
                    ready.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading ftrace text", e);
            }
            LineChunk c = ready[slot];
            ready[slot] = null;
            takeSeq++;
            return c;
        }
    }

    /** Gives a chunk the consumer is done with back to the workers. */
    void release(LineChunk c) {
        c.reset();
        free.add(c);
    }

    private void work() {
        LineParser parser = new LineParser();
        try {
            while (!closed) {
                LineChunk c = free.take();
                synchronized (readLock) {
                    if (inputDone) {
                        free.add(c);
                        return;
                    }
                    c.seq = nextSeq++;
                    fill(c);
                }
                if (c.failure == LineChunk.Failure.NONE) {
                    try {
                        c.parse(parser);
                    } catch (RuntimeException | Error e) {
                        c.count = 0;
                        c.failure = LineChunk.Failure.ERROR;
                        c.cause = e;
                        c.last = true;
                    }
                }
                synchronized (ready) {
                    ready[(int) (c.seq % ready.length)] = c;
                    ready.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // closed: the consumer is gone
        }
    }

    /** Under the read lock: the carried partial line, then input up to the chunk's last newline. */
    private void fill(LineChunk c) {
        if (c.data.length < carryLen + CHUNK / 2) {
            c.data = new byte[Math.max(CHUNK, 2 * carryLen)];
        }
        System.arraycopy(carry, 0, c.data, 0, carryLen);
        int n = carryLen;
        carryLen = 0;
        try {
            while (true) {
                int want = c.data.length - n;
                int got = in.readNBytes(c.data, n, want);
                n += got;
                if (got < want) {
                    // end of input: whatever is left is the last line, newline or not
                    c.length = n;
                    c.last = true;
                    inputDone = true;
                    return;
                }
                int nl = lastNewline(c.data, n);
                if (nl >= 0) {
                    c.length = nl + 1;
                    carryLen = n - c.length;
                    if (carry.length < carryLen) {
                        carry = new byte[Math.max(carryLen, 2 * carry.length)];
                    }
                    System.arraycopy(c.data, c.length, carry, 0, carryLen);
                    return;
                }
                if (c.data.length >= MAX_LINE) {
                    fail(c, LineChunk.Failure.LINE_TOO_LONG, null);
                    return;
                }
                c.data = java.util.Arrays.copyOf(c.data, c.data.length * 2);
            }
        } catch (IOException | RuntimeException | Error e) {
            // handed to the consumer in order, so a failure never leaves it waiting
            fail(c, LineChunk.Failure.ERROR, e);
        }
    }

    private void fail(LineChunk c, LineChunk.Failure f, Throwable cause) {
        c.length = 0;
        c.failure = f;
        c.cause = cause;
        c.last = true;
        inputDone = true;
    }

    private static int lastNewline(byte[] b, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Stops the workers (also when the consumer stops early) and closes the input. */
    @Override
    public void close() throws IOException {
        closed = true;
        for (Thread w : workers) {
            w.interrupt();
        }
        Threads.joinUninterruptibly(workers);
        in.close();
    }
}
