package org.ptorder.ingest.ftrace;

import java.util.Arrays;

/**
 * A piece of an ftrace text holding whole lines, and those lines split by a worker thread.
 * Each line is an {@link FtraceLine} over {@link #data}: an event line has its {@code kind}
 * set; any other line (header, marker, damage) has {@code kind == null} and only
 * {@code start}/{@code end}, for the reader to look at on its own thread. Chunks are pooled
 * and reused, objects included, so reading allocates nothing per line.
 */
final class LineChunk {
    /** Why a chunk holds no lines: set instead of throwing on a worker thread, thrown by the reader in order. */
    enum Failure { NONE, LINE_TOO_LONG, ERROR }

    /** Far more lines than a chunk of event text holds (about 100 bytes each). */
    private static final int MANY_LINES = 4 * LineChunks.CHUNK / 64;

    byte[] data;
    int length;
    FtraceLine[] lines = new FtraceLine[0];
    int count;
    /** No chunk follows this one. */
    boolean last;
    Failure failure = Failure.NONE;
    Throwable cause;
    long seq;

    LineChunk(int capacity) {
        data = new byte[capacity];
    }

    void reset() {
        // after a very long line, or a great many short ones, go back to the usual size
        if (data.length > 4 * LineChunks.CHUNK) {
            data = new byte[LineChunks.CHUNK];
        }
        if (lines.length > MANY_LINES) {
            lines = new FtraceLine[0];
        }
        length = 0;
        count = 0;
        last = false;
        failure = Failure.NONE;
        cause = null;
    }

    /** Splits every line of {@code data[0, length)}; the last one may lack its newline only at the end of the file. */
    void parse(LineParser parser) {
        byte[] b = data;
        int len = length;
        int n = 0;
        for (int pos = 0; pos < len; n++) {
            if (n == lines.length) {
                grow();
            }
            FtraceLine l = lines[n];
            int e = parser.parseUpTo(l, b, pos, len);
            if (e < 0 || b[l.commStart] == '#') {
                // not an event as it stands: the reader decides what it is (header, marker, damage)
                e = LineParser.indexOf(b, pos, len, Swar.NEWLINES);
                if (e < 0) {
                    e = len;
                }
                l.buf = b;
                l.start = pos;
                l.end = e;
                l.kind = null;
            }
            if (e > pos && b[e - 1] == '\r') {
                l.end = e - 1;
            }
            pos = e + 1;
        }
        count = n;
    }

    private void grow() {
        int old = lines.length;
        lines = Arrays.copyOf(lines, Math.max(1024, old * 2));
        for (int i = old; i < lines.length; i++) {
            lines[i] = new FtraceLine();
        }
    }
}
