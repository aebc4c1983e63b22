package org.ptorder.ingest.xentrace;

/**
 * The framing layer: a xentrace file is a chain of windows, each a 12-byte CPU-change record
 * ({@code 0x2001f003, cpu, bytes}) followed by that many bytes of one pCPU's records
 * (reference/xentrace.md §1.1). {@link #windowAt} is a pure function of the offset, so the
 * validating pre-pass and every per-CPU cursor walk the very same chain, including across
 * damaged stretches, without remembering the windows.
 */
final class WindowChain {
    /** The largest pCPU number we accept in a CPU-change record (xenalyze stops at 255). */
    static final int MAX_CPU = 65535;
    static final int HEADER_BYTES = 12;

    private final TraceFile file;

    WindowChain(TraceFile file) {
        this.file = file;
    }

    /** A window as found at some offset. {@code bytes} is clipped to the file end. */
    record Window(long offset, int cpu, long bytes, long claimed, long skippedBefore) {
        long dataStart() {
            return offset + HEADER_BYTES;
        }

        long end() {
            return offset + HEADER_BYTES + bytes;
        }

        boolean truncated() {
            return bytes < claimed;
        }
    }

    /**
     * The first window at or after {@code offset}. When the bytes at {@code offset} are not a valid
     * CPU-change record, scans forward (4-byte steps) for the next one that chains: its window
     * ends at end of file or at another valid header. Returns null at end of file.
     */
    Window windowAt(long offset) {
        long size = file.size();
        for (long at = offset; at + HEADER_BYTES <= size; at += 4) {
            if (plausibleHeader(at) && (at == offset || chains(at))) {
                long claimed = file.u32(at + 8) & 0xFFFFFFFFL;
                long bytes = Math.min(claimed, size - at - HEADER_BYTES);
                return new Window(at, file.u32(at + 4), bytes, claimed, at - offset);
            }
        }
        return null;
    }

    /** Bytes left after the last complete header, when fewer than 12 remain at {@code offset}. */
    boolean hasPartialHeader(long offset) {
        long left = file.size() - offset;
        return left > 0 && left < HEADER_BYTES;
    }

    private boolean plausibleHeader(long at) {
        if (file.u32(at) != XenEvents.CPU_CHANGE_HEADER) {
            return false;
        }
        int cpu = file.u32(at + 4);
        int bytes = file.u32(at + 8);
        return cpu >= 0 && cpu <= MAX_CPU && (bytes & 3) == 0;
    }

    /** A resynchronisation candidate must lead to end of file or to another plausible header. */
    private boolean chains(long at) {
        long next = at + HEADER_BYTES + (file.u32(at + 8) & 0xFFFFFFFFL);
        if (next >= file.size()) {
            return true;
        }
        return next + HEADER_BYTES <= file.size() && plausibleHeader(next);
    }
}
