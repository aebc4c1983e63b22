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
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

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

    private static final Op[] OPS = Op.values();
    private static final Key THREAD = key("thread");
    private static final long[] POW10 = new long[19];
    /** "00" .. "99", each as the two bytes of a little-endian short. */
    private static final short[] DIGITS2 = new short[100];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
        for (int i = 0; i < 100; i++) {
            DIGITS2[i] = (short) ('0' + i / 10 | '0' + i % 10 << 8);
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
    /** The time column's digits above the last four ({@link #time}): their value and text. */
    private long tsHigh = -1;
    private final byte[] tsHighText = new byte[16];
    private int tsHighLen;
    /** " thread=N\n" per thread id most recently written, per CPU (up to 24 bytes, as three words). */
    private long[] tail = new long[0];
    private int[] tailLen = new int[0];
    private long[] threadOf = new long[0];
    /** " cpu op" per CPU and op: what follows the time column. */
    private final Key[] heads;
    /**
     * Values of name keys, encoded once: they are a few names used over and over (locks, kinds,
     * reasons, purposes). Direct-mapped by hash code, so bounded; a collision only re-encodes.
     */
    private final String[] textOf = new String[256];
    private final Key[] textKey = new Key[256];
    private int pos;
    private long drained;

    /** Writes the header {@link PmtWriter#PmtWriter(Appendable, int, String)} writes. */
    PmtFastWriter(OutputStream out, int cpus, String system) throws IOException {
        this.out = out;
        tail = new long[3 * Math.max(cpus, 1)];
        tailLen = new int[Math.max(cpus, 1)];
        threadOf = new long[Math.max(cpus, 1)];
        java.util.Arrays.fill(threadOf, -1);
        heads = new Key[Math.max(cpus, 1) * OPS.length];
        for (int c = 0; c < Math.max(cpus, 1); c++) {
            for (Op o : OPS) {
                heads[c * OPS.length + o.ordinal()] = new Key(" " + c + " " + o.text());
            }
        }
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
        copy(heads[cpu * OPS.length + op.ordinal()]);
    }

    /** A hex key, {@code 0x} and the digits without leading zeros. */
    void hex(Key key, long v) {
        copy(key);
        int digits = v == 0 ? 1 : (67 - Long.numberOfLeadingZeros(v)) >> 2;
        long top = v << (64 - 4 * digits); // the first digit in the top nibble
        SHORTS.set(buf, pos, HEX_PREFIX);
        LONGS.set(buf, pos + 2, hex8((int) (top >>> 32)));
        if (digits > 8) {
            LONGS.set(buf, pos + 10, hex8((int) top));
        }
        pos += 2 + digits;
    }

    private static final short HEX_PREFIX = (short) ('0' | 'x' << 8);

    /**
     * The 8 hex digits of {@code x}, first digit in the lowest byte: each nibble spread to a byte,
     * then '0' added, and 'a' - '0' - 10 more where the nibble is 10 or above (all bytes at once).
     */
    private static long hex8(int x) {
        long n = x & 0xffffffffL;
        n = (n | n << 16) & 0x0000ffff0000ffffL;
        n = (n | n << 8) & 0x00ff00ff00ff00ffL;
        n = (n | n << 4) & 0x0f0f0f0f0f0f0f0fL;
        n = Long.reverseBytes(n);
        long letters = (n + 0x0606060606060606L) >>> 4 & 0x0101010101010101L;
        return n + 0x3030303030303030L + letters * ('a' - '0' - 10);
    }

    /** A decimal key; {@code v} must be >= 0 (PmtWriter writes negative ones in hex). */
    void dec(Key key, long v) {
        copy(key);
        dec(v);
    }

    /** A name key (lock, purpose, reason, kind): ASCII without blanks, up to 200 characters. */
    void text(Key key, String s) {
        copy(key);
        if (s.length() > 24) {
            s.getBytes(0, s.length(), buf, pos); // Latin-1: the low byte of each char
            pos += s.length();
            return;
        }
        int slot = s.hashCode() & (textOf.length - 1);
        String cached = textOf[slot];
        if (cached != s && !s.equals(cached)) {
            textOf[slot] = s;
            textKey[slot] = new Key(s);
        }
        copy(textKey[slot]);
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
     * Writes the time column: the digits above the last four, kept as text while they stay the same
     * (for about 10 µs of simulated time, dozens of lines), then the last four from a table.
     */
    private void time(long ts) {
        if (ts < 10_000) {
            dec(ts);
            return;
        }
        long high = ts / 10_000;
        int low = (int) (ts - high * 10_000);
        if (high != tsHigh) {
            int start = pos;
            dec(high);
            tsHighLen = pos - start;
            System.arraycopy(buf, start, tsHighText, 0, tsHighLen);
            tsHigh = high;
            pos = start;
        }
        LONGS.set(buf, pos, (long) LONGS.get(tsHighText, 0));
        LONGS.set(buf, pos + 8, (long) LONGS.get(tsHighText, 8));
        pos += tsHighLen;
        int hundreds = low / 100;
        SHORTS.set(buf, pos, DIGITS2[hundreds]);
        SHORTS.set(buf, pos + 2, DIGITS2[low - hundreds * 100]);
        pos += 4;
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
            i -= 2;
            SHORTS.set(buf, i, DIGITS2[(int) (v - q * 100)]);
            v = q;
        }
        if (v >= 10) {
            SHORTS.set(buf, i - 2, DIGITS2[(int) v]);
        } else {
            buf[i - 1] = (byte) ('0' + v);
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
