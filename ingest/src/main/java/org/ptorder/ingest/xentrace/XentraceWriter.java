package org.ptorder.ingest.xentrace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the xentrace on-disk format byte for byte: records are buffered per pCPU and written
 * as windows (a CPU-change record and that CPU's bytes), the way xentrace's poll loop does, so
 * files of our own making exercise the same framing and merge paths as real captures.
 */
public final class XentraceWriter implements AutoCloseable {
    private final OutputStream out;
    private final Map<Integer, ByteBuffer> pending = new TreeMap<>();
    private final Map<Integer, Long> lastTsc = new HashMap<>();
    private final ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    private long bytes;

    public XentraceWriter(OutputStream out) {
        this.out = out;
    }

    private ByteBuffer buf(int cpu) {
        return pending.computeIfAbsent(cpu, c -> ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Appends a record with a TSC to pCPU {@code cpu}'s pending window. */
    public void record(int cpu, int event, long tsc, int... words) {
        append(cpu, event, true, tsc, words);
    }

    /** Appends a record without a TSC (it will inherit the CPU's previous one). */
    public void recordNoTsc(int cpu, int event, int... words) {
        append(cpu, event, false, 0, words);
    }

    private void append(int cpu, int event, boolean withTsc, long tsc, int[] words) {
        if (words.length > 7) {
            throw new IllegalArgumentException("a record holds at most 7 data words");
        }
        if ((event & ~0x0FFFFFFF) != 0) {
            throw new IllegalArgumentException("event ids are 28 bits");
        }
        ByteBuffer b = buf(cpu);
        if (b.remaining() < 40) {
            ByteBuffer bigger = ByteBuffer.allocate(b.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.flip();
            bigger.put(b);
            pending.put(cpu, bigger);
            b = bigger;
        }
        b.putInt(event | words.length << 28 | (withTsc ? 1 << 31 : 0));
        if (withTsc) {
            b.putLong(tsc);
            lastTsc.put(cpu, tsc);
        }
        for (int w : words) {
            b.putInt(w);
        }
    }

    /** Pads pCPU {@code cpu}'s window with a wrap-buffer record of {@code size} bytes (4..36). */
    public void wrap(int cpu, int size) {
        if (size < 4 || size > 36 || size % 4 != 0) {
            throw new IllegalArgumentException("wrap records are 4..36 bytes");
        }
        int payload = (size - 4) / 4;
        if (payload <= 7) {
            int[] junk = new int[payload];
            java.util.Arrays.fill(junk, 0xDEADBEEF);
            append(cpu, XenEvents.WRAP_BUFFER, false, 0, junk);
        } else {
            append(cpu, XenEvents.WRAP_BUFFER, true, lastTsc.getOrDefault(cpu, 0L), new int[] {0, 0, 0, 0, 0, 0});
        }
    }

    /** Writes every pCPU's pending records as one window each, in ascending CPU order. */
    public void poll() throws IOException {
        for (Map.Entry<Integer, ByteBuffer> e : pending.entrySet()) {
            ByteBuffer b = e.getValue();
            if (b.position() == 0) {
                continue;
            }
            window(e.getKey(), b.array(), 0, b.position());
            b.clear();
        }
    }

    /** Writes one window of raw record bytes. */
    public void window(int cpu, byte[] records, int off, int len) throws IOException {
        header.clear();
        header.putInt(XenEvents.CPU_CHANGE_HEADER).putInt(cpu).putInt(len);
        out.write(header.array(), 0, 12);
        out.write(records, off, len);
        bytes += 12L + len;
    }

    public long bytesWritten() {
        return bytes;
    }

    @Override
    public void close() throws IOException {
        poll();
        out.close();
    }
}
