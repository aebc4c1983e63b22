package org.ptorder.ingest.ftrace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ptorder.ingest.common.TraceInput;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.common.WarningSink;

/**
 * Streams the event lines of an ftrace text (kernel {@code trace}, {@code trace-cmd report} or
 * {@code perf script}; plain or gzip). Memory is a fixed pool of chunks ({@link LineChunks}),
 * whatever the file size. Header lines go to {@link #header()}; {@code CPU:N [LOST M EVENTS]}
 * lines go to the loss listener. A line that is not an event is fatal when it is the first
 * content line (the file is not ftrace text at all) and a warning anywhere later (local
 * damage: the rest is read).
 */
public final class FtraceReader implements AutoCloseable {
    /** Told about {@code [LOST n EVENTS]} markers, so state spanning the gap can be dropped. */
    @FunctionalInterface
    public interface LossListener {
        void lost(long line, int cpu, long count);
    }

    private final LineChunks chunks;
    private final TraceInput counted;
    private final Path path;
    private final WarningSink warnings;
    private final LineParser parser = new LineParser();
    private final TraceHeader header = new TraceHeader();
    private LossListener losses = (l, c, n) -> { };

    private LineChunk chunk;
    private int next;            // index in chunk of the next line
    private FtraceLine line = new FtraceLine();
    private byte[] buf;          // chunk.data
    private boolean done;
    private long lineNo;
    private long events;
    private long unparsed;
    private long lost;
    private int clock = -1; // -1 unknown, 0 seconds.fraction, 1 cycles

    public FtraceReader(InputStream in, Path path, WarningSink warnings) {
        this(null, in, path, warnings);
    }

    private FtraceReader(TraceInput counted, InputStream in, Path path, WarningSink warnings) {
        this.counted = counted;
        this.chunks = new LineChunks(in, String.valueOf(path.getFileName()));
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

    /**
     * Advances to the next event line; false at the end of the file. The lines were split on
     * worker threads ({@link LineChunks}); what depends on the lines before (line numbers, the
     * clock check, headers, markers, damage) is decided here, in file order.
     */
    public boolean next() {
        while (true) {
            if (chunk == null || next == chunk.count) {
                if (!nextChunk()) {
                    return false;
                }
                continue;
            }
            line = chunk.lines[next++];
            lineNo++;
            if (line.kind != null) {
                if (accept()) {
                    return true;
                }
            } else if (event(line.start, line.end)) {
                return true;
            }
        }
    }

    private boolean nextChunk() {
        if (chunk != null) {
            boolean last = chunk.last;
            chunks.release(chunk);
            chunk = null;
            if (last) {
                done = true;
            }
        }
        if (done) {
            return false;
        }
        chunk = chunks.take();
        buf = chunk.data;
        next = 0;
        switch (chunk.failure) {
            case LINE_TOO_LONG -> throw TraceInputException.atLine(path, lineNo + 1, 0, "line longer than "
                + LineChunks.MAX_LINE + " bytes: expected ftrace text lines");
            case ERROR -> {
                if (chunk.cause instanceof IOException io) {
                    throw TraceInputException.readError(path, lineNo, io);
                }
                if (chunk.cause instanceof RuntimeException re) {
                    throw re;
                }
                throw (Error) chunk.cause;
            }
            default -> {
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
        // An excerpt for people: control characters (NULs of a torn write) and bytes that are not
        // UTF-8 (binary garbage) are shown as '?'.
        String found = new String(buf, s, Math.min(e - s, 80), StandardCharsets.UTF_8)
            .replaceAll("[\\p{Cntrl}\\uFFFD&&[^\t]]", "?");
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

    @Override
    public void close() {
        try {
            chunks.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
