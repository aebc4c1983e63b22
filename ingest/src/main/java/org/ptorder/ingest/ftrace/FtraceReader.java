package org.ptorder.ingest.ftrace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ptorder.ingest.common.TraceInput;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.common.WarningSink;

/**
 * Streams the event lines of an ftrace text (kernel {@code trace}, {@code trace-cmd report} or
 * {@code perf script}; plain or gzip). Memory is one buffer, whatever the file size. Header
 * lines go to {@link #header()}; {@code CPU:N [LOST M EVENTS]} lines go to the loss
 * listener. A line that is not an event is fatal when it is the first content line (the file
 * is not ftrace text at all) and a warning anywhere later (local damage: the rest is read).
 */
public final class FtraceReader implements AutoCloseable {
    /** Told about {@code [LOST n EVENTS]} markers, so state spanning the gap can be dropped. */
    @FunctionalInterface
    public interface LossListener {
        void lost(long line, int cpu, long count);
    }

    private static final int MAX_LINE = 1 << 24;
    /** Bytes kept ahead of the parse position, so that nearly every line is whole in the buffer. */
    private static final int SLACK = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final InputStream in;
    private final TraceInput counted;
    private final Path path;
    private final WarningSink warnings;
    private final LineParser parser = new LineParser();
    private final FtraceLine line = new FtraceLine();
    private final TraceHeader header = new TraceHeader();
    private LossListener losses = (l, c, n) -> { };

    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int lim;
    private boolean eof;
    private long lineNo;
    private long events;
    private long unparsed;
    private long lost;
    private int clock = -1; // -1 unknown, 0 seconds.fraction, 1 cycles

    public FtraceReader(InputStream in, Path path, WarningSink warnings) {
        this.counted = null;
        this.in = in;
        this.path = path;
        this.warnings = warnings;
    }

    private FtraceReader(TraceInput counted, InputStream in, Path path, WarningSink warnings) {
        this.counted = counted;
        this.in = in;
        this.path = path;
        this.warnings = warnings;
    }

    /** Opens a file, decompressing gzip (recognised by its magic, not its name). */
    public static FtraceReader open(Path path, WarningSink warnings) {
        try {
            TraceInput in = TraceInput.open(path);
            return new FtraceReader(in, in, path, warnings);
        } catch (IOException e) {
            throw TraceInputException.whole(path, "cannot read: " + e.getMessage());
        }
    }

    public FtraceReader onLoss(LossListener l) {
        this.losses = l;
        return this;
    }

    /** Advances to the next event line; false at the end of the file. */
    public boolean next() {
        while (true) {
            if (lim - pos < SLACK && !eof) {
                fill();
            }
            if (pos >= lim) {
                return false;
            }
            // Fast path: parse the line in place; its end is found on the way.
            int s = pos;
            int e = parser.parseUpTo(line, buf, s, lim);
            if (e >= 0 && (e < lim || eof) && buf[line.commStart] != '#') {
                pos = e + 1;
                lineNo++;
                if (e > s && buf[e - 1] == '\r') {
                    line.end = e - 1;
                }
                if (accept()) {
                    return true;
                }
                continue;
            }
            // Anything else (headers, markers, damage, very long lines): find the end first.
            int nl = findNewline();
            if (nl < 0) {
                return false;
            }
            s = pos;
            e = nl;
            pos = nl + 1;
            lineNo++;
            if (e > s && buf[e - 1] == '\r') {
                e--;
            }
            if (event(s, e)) {
                return true;
            }
        }
    }

    public FtraceLine line() {
        return line;
    }

    public TraceHeader header() {
        return header;
    }

    public long lines() {
        return lineNo;
    }

    public long events() {
        return events;
    }

    /** Content lines that were neither events nor header lines (each also a warning). */
    public long unparsed() {
        return unparsed;
    }

    /** Sum of the {@code [LOST n EVENTS]} markers. */
    public long lostEvents() {
        return lost;
    }

    /** Bytes consumed from the file itself (compressed bytes for gzip), for progress. */
    public long fileBytesRead() {
        return counted == null ? 0 : counted.fileBytesRead();
    }

    /** True if timestamps are clock cycles (x86-tsc, counter), false for seconds; null before the first event. */
    public Boolean cycles() {
        return clock < 0 ? null : clock == 1;
    }

    private boolean event(int s, int e) {
        int p = s;
        while (p < e && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        if (p == e) {
            return false;
        }
        byte c = buf[p];
        if (c == '#') {
            header.comment(new String(buf, p, e - p, StandardCharsets.UTF_8));
            return false;
        }
        if (c == 'C' && lostMarker(p, e)) {
            return false;
        }
        if (parser.parse(line, buf, s, e)) {
            return accept();
        }
        if (events == 0 && unparsed == 0) {
            String text = new String(buf, p, e - p, StandardCharsets.UTF_8);
            if (header.preamble(text, lineNo == 1)) {
                return false;
            }
        }
        return damaged(s, e, parser.column, parser.expected);
    }

    /** Checks a parsed event line against the file's clock; false (with a warning) if it does not fit. */
    private boolean accept() {
        line.lineNo = lineNo;
        int kindOfClock = line.cycles ? 1 : 0;
        if (clock != kindOfClock) {
            if (clock >= 0) {
                return damaged(line.start, line.end, line.timeStart - line.start + 1, clock == 1
                    ? "a cycle-count timestamp like the earlier lines (this one has a fraction)"
                    : "a seconds.fraction timestamp like the earlier lines (this one is a bare integer)");
            }
            clock = kindOfClock;
        }
        events++;
        return true;
    }

    private boolean damaged(int s, int e, int column, String expected) {
        // An excerpt for people: control characters (NULs of a torn write) are shown as '?'.
        String found = new String(buf, s, Math.min(e - s, 80), StandardCharsets.UTF_8)
            .replaceAll("[\\p{Cntrl}&&[^\t]]", "?");
        if (events == 0 && unparsed == 0) {
            throw TraceInputException.atLine(path, lineNo, column, "not ftrace text: expected " + expected
                + "; found '" + found.strip() + "'");
        }
        unparsed++;
        warnings.warn(lineNo, -1, "unparsed_line", "line " + lineNo + ", column " + column + ": expected "
            + expected + "; found '" + found + "'");
        return false;
    }

    /** {@code CPU:1 [LOST 123 EVENTS]}, printed by both the kernel and trace-cmd. */
    private boolean lostMarker(int p, int e) {
        String t = new String(buf, p, Math.min(e - p, 64), StandardCharsets.US_ASCII);
        if (!t.startsWith("CPU:") || !t.contains("[LOST ")) {
            return false;
        }
        try {
            int cpu = Integer.parseInt(t.substring(4, t.indexOf(' ')).trim());
            int a = t.indexOf("[LOST ") + 6;
            long n = Long.parseLong(t.substring(a, t.indexOf(' ', a)));
            lost += n;
            warnings.warn(lineNo, cpu, "lost_events", "the ring buffer of CPU " + cpu + " dropped " + n
                + " events before line " + lineNo + "; batches open across the gap are not lowered");
            losses.lost(lineNo, cpu, n);
            return true;
        } catch (RuntimeException ex) {
            return false;
        }
    }

    /** Index of the next '\n' at or after pos (refilling as needed), or of the end of a last unterminated line. */
    private int findNewline() {
        int i = pos;
        while (true) {
            byte[] b = buf;
            int l = lim;
            // Eight bytes at a time (SWAR): newline search is most of the work on long lines.
            while (i + 8 <= l) {
                long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
                long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                if (t != 0) {
                    return i + (Long.numberOfTrailingZeros(t) >>> 3);
                }
                i += 8;
            }
            while (i < l) {
                if (b[i] == '\n') {
                    return i;
                }
                i++;
            }
            if (eof) {
                if (pos < lim) {
                    // last line without a newline: pretend there is one
                    ensureRoom();
                    buf[lim] = '\n';
                    return lim++;
                }
                return -1;
            }
            int scanned = i - pos;
            fill();
            i = pos + scanned;
        }
    }

    private void ensureRoom() {
        if (lim == buf.length) {
            grow();
        }
    }

    private void fill() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            grow();
        }
        try {
            int n = in.readNBytes(buf, lim, buf.length - lim);
            if (n <= 0) {
                eof = true;
            }
            lim += Math.max(n, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": read failed at line " + lineNo, e);
        }
    }

    private void grow() {
        if (buf.length >= MAX_LINE) {
            throw TraceInputException.atLine(path, lineNo + 1, 0, "line longer than " + MAX_LINE
                + " bytes: expected ftrace text lines");
        }
        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
