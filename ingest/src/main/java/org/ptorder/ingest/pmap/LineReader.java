package org.ptorder.ingest.pmap;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines without decoding it: the current line is
 * {@code buf[start, end)}, with the {@code \n} and any {@code \r} before it removed. Lines may be
 * as long as {@link #MAX_LINE}; the buffer grows to fit them.
 */
final class LineReader {
    static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    byte[] buf = new byte[1 << 16];
    int start;
    int end;
    long lineNo;
    private int pos;
    private int lim;
    private int scanned;
    private boolean eof;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Thrown for a line longer than {@link #MAX_LINE}; the caller names the file and line. */
    static final class LineTooLong extends IOException {
        LineTooLong() {
            super("line longer than " + MAX_LINE + " bytes");
        }
    }

    boolean next() throws IOException {
        while (true) {
            for (int i = scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    take(i, i + 1);
                    return true;
                }
            }
            scanned = lim;
            if (eof) {
                if (pos < lim) {
                    take(lim, lim);
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void take(int newline, int resume) {
        start = pos;
        end = newline > start && buf[newline - 1] == '\r' ? newline - 1 : newline;
        pos = resume;
        scanned = resume;
        lineNo++;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            scanned -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            if (buf.length >= MAX_LINE) {
                lineNo++;
                throw new LineTooLong();
            }
            byte[] bigger = new byte[Math.min(buf.length * 2, MAX_LINE)];
            System.arraycopy(buf, 0, bigger, 0, lim);
            buf = bigger;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
        } else {
            lim += n;
        }
    }
}
