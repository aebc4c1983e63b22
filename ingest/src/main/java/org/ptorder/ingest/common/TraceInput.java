package org.ptorder.ingest.common;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A text input's bytes, decompressed when the file is gzip (recognised by its magic, not its
 * name), counting the bytes read from the file itself so progress compares with its size.
 */
public final class TraceInput extends FilterInputStream {
    private final Counting raw;

    private TraceInput(InputStream decoded, Counting raw) {
        super(decoded);
        this.raw = raw;
    }

    public static TraceInput open(Path path) throws IOException {
        Counting raw = new Counting(Files.newInputStream(path));
        BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
        b.mark(2);
        int m0 = b.read();
        int m1 = b.read();
        b.reset();
        InputStream in = m0 == 0x1f && m1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16) : b;
        return new TraceInput(in, raw);
    }

    /** Bytes read from the file so far (compressed bytes for a gzip file). */
    public long fileBytesRead() {
        return raw.count;
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
