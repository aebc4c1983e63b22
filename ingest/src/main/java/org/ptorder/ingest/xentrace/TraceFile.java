package org.ptorder.ingest.xentrace;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ptorder.ingest.common.TraceInputException;

/**
 * A read-only, memory-mapped view of a trace file of any size. The file is mapped in 1 GiB
 * segments that overlap by {@link #OVERLAP} bytes, so any read of up to 64 bytes that starts in
 * a segment lies wholly inside it: the hot path never straddles two mappings.
 * Nothing is copied onto the heap; the OS pages the file in and out.
 */
public final class TraceFile implements AutoCloseable {
    private static final int SEGMENT_SHIFT = 30;
    private static final long SEGMENT = 1L << SEGMENT_SHIFT;
    private static final long OVERLAP = 64;

    private final Path path;
    private final long size;
    private final MappedByteBuffer[] segments;
    private final FileChannel channel;

    private TraceFile(Path path, FileChannel channel, long size, MappedByteBuffer[] segments) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.segments = segments;
    }

    /** Opens {@code path}, turning every way it can fail into a one-line input error. */
    public static TraceFile open(Path path) {
        if (!Files.exists(path)) {
            throw TraceInputException.whole(path, "no such file");
        }
        if (Files.isDirectory(path)) {
            throw TraceInputException.whole(path, "is a directory, expected a xentrace file");
        }
        if (!Files.isReadable(path)) {
            throw TraceInputException.whole(path, "not readable (permission denied)");
        }
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            int n = (int) ((size + SEGMENT - 1) >>> SEGMENT_SHIFT);
            MappedByteBuffer[] segs = new MappedByteBuffer[n];
            for (int i = 0; i < n; i++) {
                long start = (long) i << SEGMENT_SHIFT;
                long len = Math.min(SEGMENT + OVERLAP, size - start);
                segs[i] = ch.map(FileChannel.MapMode.READ_ONLY, start, len);
                segs[i].order(ByteOrder.LITTLE_ENDIAN);
            }
            return new TraceFile(path, ch, size, segs);
        } catch (IOException e) {
            throw TraceInputException.whole(path, "cannot read: " + e.getMessage());
        }
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    /** Little-endian 32-bit word at {@code offset}; the caller guarantees offset + 4 <= size. */
    public int u32(long offset) {
        return segments[(int) (offset >>> SEGMENT_SHIFT)].getInt((int) (offset & (SEGMENT - 1)));
    }

    /** Copies {@code n} little-endian 32-bit words from {@code offset} on into {@code dst[0, n)}. */
    public void readInts(long offset, int[] dst, int n) {
        int done = 0;
        while (done < n) {
            long at = offset + 4L * done;
            MappedByteBuffer seg = segments[(int) (at >>> SEGMENT_SHIFT)];
            int from = (int) (at & (SEGMENT - 1));
            int count = Math.min(n - done, (seg.capacity() - from) >>> 2);
            seg.slice(from, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(dst, done, count);
            done += count;
        }
    }

    /** Little-endian 64-bit value at a 4-byte-aligned {@code offset} (low word first). */
    public long u64(long offset) {
        return (u32(offset) & 0xFFFFFFFFL) | ((long) u32(offset + 4) << 32);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only; nothing to lose
        }
    }
}
