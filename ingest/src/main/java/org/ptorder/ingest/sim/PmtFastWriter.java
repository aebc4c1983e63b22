package org.ptorder.ingest.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.pmap.PmtWriter;

/**
 * Builds .pmt lines for the simulator straight into a byte buffer: no op objects, no per-line
 * allocation, no validation. {@link Emitter} writes each op's keys in the order and spelling
 * {@link PmtWriter} uses (required keys, optional keys, then {@code thread=}; addresses and values
 * in lower-case hex, counts and ids in decimal), so the output is byte for byte what
 * {@link PmtWriter} writes for the same ops: {@code PmtFastWriterTest} reads simulated traces back
 * with the reader, writes them again with {@link PmtWriter} and compares the bytes.
 *
 * <p>Full buffers go to a writer thread, so the simulation goes on while the kernel copies the last
 * megabyte into the page cache; the bytes and their order are the same as a plain write's.
 */
final class PmtFastWriter {
    /** 8 bytes at a time into a byte array: short, fixed pieces of a line go in with one or two stores. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A short constant piece of a line (" pte=", " enq"), kept as three little-endian words. */
    static final class Key {
        final long w0;
        final long w1;
        final long w2;
        final int len;

        Key(String text) {
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            if (b.length > 24) {
                throw new IllegalArgumentException("key too long: " + text);
            }
            byte[] p = java.util.Arrays.copyOf(b, 24);
            w0 = (long) LONGS.get(p, 0);
            w1 = (long) LONGS.get(p, 8);
            w2 = (long) LONGS.get(p, 16);
            len = b.length;
        }
    }

    private static final Key[] OP_TEXT = new Key[Op.values().length];
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Key THREAD = key("thread");
    private static final long[] POW10 = new long[19];
    /** "00" .. "99". */
    private static final byte[] DIGITS2 = new byte[200];
    /** Two hex digits per byte value. */
    private static final byte[] HEX2 = new byte[512];

    static {
        for (Op o : Op.values()) {
            OP_TEXT[o.ordinal()] = new Key(' ' + o.text());
        }
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
        for (int i = 0; i < 100; i++) {
            DIGITS2[2 * i] = (byte) ('0' + i / 10);
            DIGITS2[2 * i + 1] = (byte) ('0' + i % 10);
        }
        for (int i = 0; i < 256; i++) {
            HEX2[2 * i] = HEX[i >>> 4];
            HEX2[2 * i + 1] = HEX[i & 15];
        }
    }

    /** {@code " name="}. */
    static Key key(String name) {
        return new Key(' ' + name + '=');
    }

    private static final int BUFFER = 1 << 20;
    private static final byte[] END = new byte[0];

    private final OutputStream out;
    private byte[] buf = new byte[BUFFER];
    private final BlockingQueue<byte[]> full = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<Integer> fullLen = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(4);
    private Thread writer;
    private volatile IOException failure;
    /** The time column of the previous line, kept as text: the next one is that plus a small step. */
    private final byte[] tsText = new byte[32];
    private int tsLen = 1;
    private long tsVal;
    /** " thread=N\n" per thread id most recently written, per CPU (up to 24 bytes, as three words). */
    private long[] tail = new long[0];
    private int[] tailLen = new int[0];
    private long[] threadOf = new long[0];
    private int pos;
    private long drained;

    /** Writes the header {@link PmtWriter#PmtWriter(Appendable, int, String)} writes. */
    PmtFastWriter(OutputStream out, int cpus, String system) throws IOException {
        this.out = out;
        tsText[0] = '0';
        tail = new long[3 * Math.max(cpus, 1)];
        tailLen = new int[Math.max(cpus, 1)];
        threadOf = new long[Math.max(cpus, 1)];
        java.util.Arrays.fill(threadOf, -1);
        StringBuilder h = new StringBuilder();
        // The same header PmtWriter writes, taken from it so that the two cannot drift apart.
        new PmtWriter(h, cpus, system);
        ascii(h);
    }

    /** A comment line, {@code # text}. */
    void comment(String text) {
        ascii("# " + text + "\n");
    }

    private void ascii(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            room(1);
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    private void room(int n) {
        if (buf.length - pos < n) {
            handOff();
        }
    }

    /** Gives the buffer to the writer thread and carries on with a spare one. */
    private void handOff() {
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
        if (writer == null) {
            writer = new Thread(this::drainLoop, "pmt-writer");
            writer.setDaemon(true);
            writer.start();
            for (int i = 0; i < 2; i++) {
                spare.add(new byte[BUFFER]);
            }
        }
        try {
            fullLen.put(pos);
            full.put(buf);
            buf = spare.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while writing"));
        }
        drained += pos;
        pos = 0;
    }

    private void drainLoop() {
        try {
            while (true) {
                int len = fullLen.take();
                byte[] b = full.take();
                if (b == END) {
                    return;
                }
                if (failure == null) {
                    try {
                        out.write(b, 0, len);
                    } catch (IOException e) {
                        failure = e;
                    }
                }
                spare.put(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts an event line: {@code ts cpu op}. Lines are short; one call makes room for a whole one. */
    void begin(long ts, int cpu, Op op) {
        room(512);
        time(ts);
        buf[pos++] = ' ';
        dec(cpu);
        copy(OP_TEXT[op.ordinal()]);
    }

    void hex(Key key, long v) {
        copy(key);
        buf[pos++] = '0';
        buf[pos++] = 'x';
        int digits = v == 0 ? 1 : (67 - Long.numberOfLeadingZeros(v)) >> 2;
        int i = (digits - 1) << 2;
        if ((digits & 1) != 0) {
            buf[pos++] = HEX[(int) (v >>> i) & 15];
            i -= 4;
        }
        for (i -= 4; i >= 0; i -= 8) {
            int b2 = ((int) (v >>> i) & 255) << 1;
            buf[pos++] = HEX2[b2];
            buf[pos++] = HEX2[b2 + 1];
        }
    }

    /** A decimal key; {@code v} must be >= 0 (PmtWriter writes negative ones in hex). */
    void dec(Key key, long v) {
        copy(key);
        dec(v);
    }

    /** A name key (lock, purpose, reason, kind): ASCII without blanks. */
    void text(Key key, String s) {
        copy(key);
        int n = s.length();
        // Latin-1 strings: the low byte of each char, copied in one go.
        s.getBytes(0, n, buf, pos);
        pos += n;
    }

    /** A CPU set key as a list ({@code 0,2-3}), from a bit mask of at most 64 CPUs. */
    void cpus(Key key, long mask) {
        copy(key);
        if (mask == 0) {
            buf[pos++] = '0';
            buf[pos++] = 'x';
            buf[pos++] = '0';
            return;
        }
        boolean first = true;
        long m = mask;
        while (m != 0) {
            int i = Long.numberOfTrailingZeros(m);
            long rest = ~m >>> i;
            int j = rest == 0 ? 63 : i + Long.numberOfTrailingZeros(rest) - 1;
            if (!first) {
                buf[pos++] = ',';
            }
            first = false;
            dec(i);
            if (j > i) {
                buf[pos++] = '-';
                dec(j);
            }
            m = j == 63 ? 0 : m & (-1L << (j + 1));
        }
    }

    /** Ends {@code cpu}'s line with {@code thread=}. */
    void end(int cpu, long thread) {
        if (threadOf[cpu] != thread) {
            int start = pos;
            copy(THREAD);
            dec(thread);
            buf[pos++] = '\n';
            int n = pos - start;
            if (n <= 24) {
                byte[] p = java.util.Arrays.copyOf(java.util.Arrays.copyOfRange(buf, start, pos), 24);
                tail[3 * cpu] = (long) LONGS.get(p, 0);
                tail[3 * cpu + 1] = (long) LONGS.get(p, 8);
                tail[3 * cpu + 2] = (long) LONGS.get(p, 16);
                tailLen[cpu] = n;
                threadOf[cpu] = thread;
            }
            return;
        }
        LONGS.set(buf, pos, tail[3 * cpu]);
        LONGS.set(buf, pos + 8, tail[3 * cpu + 1]);
        LONGS.set(buf, pos + 16, tail[3 * cpu + 2]);
        pos += tailLen[cpu];
    }

    /**
     * Writes the time column. Times never go back, and mostly move by little, so the previous
     * line's digits plus the step (with carries) is cheaper than formatting the number anew.
     */
    private void time(long ts) {
        long d = ts - tsVal;
        if (d < 0 || d >= 1_000_000_000L) {
            int start = pos;
            dec(ts);
            tsLen = pos - start;
            System.arraycopy(buf, start, tsText, 0, tsLen);
            tsVal = ts;
            return;
        }
        if (d > 0) {
            int i = tsLen - 1;
            int carry = 0;
            while (d > 0 || carry > 0) {
                if (i < 0) {
                    System.arraycopy(tsText, 0, tsText, 1, tsLen);
                    tsText[0] = '0';
                    tsLen++;
                    i = 0;
                }
                long q = d / 10;
                int digit = tsText[i] - '0' + (int) (d - q * 10) + carry;
                d = q;
                carry = digit >= 10 ? 1 : 0;
                tsText[i--] = (byte) ('0' + digit - 10 * carry);
            }
            tsVal = ts;
        }
        LONGS.set(buf, pos, (long) LONGS.get(tsText, 0));
        LONGS.set(buf, pos + 8, (long) LONGS.get(tsText, 8));
        if (tsLen > 16) {
            System.arraycopy(tsText, 16, buf, pos + 16, tsLen - 16);
        }
        pos += tsLen;
    }

    /** Ends a line that carries no further key (migrate writes thread= among its required keys). */
    void end() {
        buf[pos++] = '\n';
    }

    private void copy(Key k) {
        LONGS.set(buf, pos, k.w0);
        LONGS.set(buf, pos + 8, k.w1);
        if (k.len > 16) {
            LONGS.set(buf, pos + 16, k.w2);
        }
        pos += k.len;
    }

    private void dec(long v) {
        if (v < 10) {
            buf[pos++] = (byte) ('0' + v);
            return;
        }
        int digits = 2;
        while (digits < 19 && v >= POW10[digits]) {
            digits++;
        }
        int end = pos + digits;
        int i = end;
        while (v >= 100) {
            long q = v / 100;
            int r = (int) (v - q * 100) << 1;
            buf[--i] = DIGITS2[r + 1];
            buf[--i] = DIGITS2[r];
            v = q;
        }
        if (v >= 10) {
            int r = (int) v << 1;
            buf[--i] = DIGITS2[r + 1];
            buf[--i] = DIGITS2[r];
        } else {
            buf[--i] = (byte) ('0' + v);
        }
        pos = end;
    }

    long bytesWritten() {
        return drained + pos;
    }

    /** Writes everything out (waiting for the writer thread) and flushes the stream. */
    void flush() throws IOException {
        if (writer != null) {
            handOff();
            try {
                fullLen.put(0);
                full.put(END);
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while writing");
            }
            writer = null;
            spare.clear();
            if (failure != null) {
                throw failure;
            }
        } else {
            out.write(buf, 0, pos);
            drained += pos;
            pos = 0;
        }
        out.flush();
    }
}
