package org.ptorder.ingest.xentrace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.common.WarningSink;

/**
 * Builds large xentrace files out of a real one for benchmarks: the source's windows are
 * written again and again, each copy's TSCs shifted past the previous copy's, so the result is
 * a valid, time-ordered capture with the real record mix and window structure.
 */
public final class TraceReplicator {
    private TraceReplicator() { }

    /** Writes copies of {@code source} to {@code out} until it holds at least {@code minBytes}. */
    public static long replicate(Path source, Path out, long minBytes) throws IOException {
        try (TraceFile src = TraceFile.open(source);
             OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            long first;
            long last;
            try (RecordCursor c = RecordCursor.open(TraceFile.open(source), WarningSink.IGNORE)) {
                first = c.firstTsc();
                last = first;
                while (c.next()) {
                    last = Math.max(last, c.record().tsc());
                }
            }
            long span = last - first + 1_000_000;
            WindowChain chain = new WindowChain(src);
            long written = 0;
            byte[] buf = new byte[1 << 16];
            for (long copy = 0; written < minBytes; copy++) {
                long shift = copy * span;
                long before = written;
                for (WindowChain.Window w = chain.windowAt(0); w != null; w = chain.windowAt(w.end())) {
                    if (w.truncated()) {
                        continue; // cut off by the end of the file: not a whole window to copy
                    }
                    int len = (int) w.bytes();
                    if (buf.length < len + 12) {
                        buf = new byte[len + 12];
                    }
                    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
                    b.putInt(XenEvents.CPU_CHANGE_HEADER).putInt(w.cpu()).putInt(len);
                    for (long p = w.dataStart(); p < w.end(); p += 4) {
                        b.putInt(src.u32(p));
                    }
                    shiftTscs(b, 12, 12 + len, shift);
                    o.write(buf, 0, 12 + len);
                    written += 12 + len;
                }
                if (written == before) {
                    throw TraceInputException.whole(source, "no whole CPU window to replicate: expected a xentrace"
                        + " capture with at least one window that the file does not cut off");
                }
            }
            return written;
        }
    }

    private static void shiftTscs(ByteBuffer b, int from, int to, long shift) {
        for (int p = from; p + 4 <= to; ) {
            int h = b.getInt(p);
            int size = CpuStream.recordSize(h);
            if (p + size > to) {
                return;
            }
            if (h < 0) {
                b.putLong(p + 4, b.getLong(p + 4) + shift);
                if ((h & 0x0FFFFFFF) == XenEvents.LOST_RECORDS && size == 28) {
                    b.putLong(p + 20, b.getLong(p + 20) + shift); // first_tsc in the payload
                }
            }
            p += size;
        }
    }
}
