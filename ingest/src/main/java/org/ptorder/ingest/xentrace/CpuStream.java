package org.ptorder.ingest.xentrace;

import org.ptorder.ingest.common.WarningSink;

/**
 * The records of one pCPU in file order: walks the window chain, stops at this CPU's windows
 * and steps through their records with the size formula {@code 4 + (tsc ? 8 : 0) + 4n}.
 * Holds one decoded "head" record at a time, which the merge compares by TSC.
 * Records without a TSC take the CPU's last TSC (xenalyze does the same).
 * <p>
 * The window's words are copied into {@link #words} a chunk at a time (a bulk copy from the
 * mapping), and records are read from there: one mapped-buffer read per word, with its bounds
 * and segment checks, cost more than the rest of the merge. Records are multiples of four bytes
 * from a four-byte-aligned window start, so a record is always whole words of the chunk.
 */
final class CpuStream {
    /** Largest record: header, TSC and seven data words. */
    private static final int MAX_RECORD = 4 + 8 + 4 * 7;
    private static final int CHUNK_WORDS = 1 << 14;

    final int cpu;
    private final TraceFile file;
    private final WindowChain chain;
    private final WarningSink warnings;

    private long pos;        // next record to read
    private long windowEnd;  // end of the current window's data
    private long lastTsc;
    private boolean sawTsc;

    /** File bytes [chunkStart, chunkEnd) of the current window, as little-endian words. */
    final int[] words = new int[CHUNK_WORDS];
    private long chunkStart;
    private long chunkEnd;

    // The head record.
    long headOffset;
    int headHeader;
    /** Index of the head record's header in {@link #words}. */
    int headIndex;
    long headTsc;
    boolean headInherited;

    long records;
    private long backwardsTsc;

    CpuStream(TraceFile file, WindowChain chain, int cpu, long firstWindowOffset, WarningSink warnings) {
        this.file = file;
        this.chain = chain;
        this.cpu = cpu;
        this.warnings = warnings;
        WindowChain.Window w = chain.windowAt(firstWindowOffset);
        enter(w);
        lastTsc = firstTscOfWindow(w);
    }

    private void enter(WindowChain.Window w) {
        pos = w.dataStart();
        windowEnd = w.end();
        chunkStart = pos;
        chunkEnd = pos;
    }

    /** Copies the window's words from {@code pos} on into {@link #words}. */
    private void refill() {
        int n = (int) Math.min(CHUNK_WORDS, (windowEnd - pos) >>> 2);
        file.readInts(pos, words, n);
        chunkStart = pos;
        chunkEnd = pos + 4L * n;
    }

    /**
     * Leading records without a TSC get the first TSC of the window (rather than 0), so they
     * merge next to the records they were written with.
     */
    private long firstTscOfWindow(WindowChain.Window w) {
        for (long p = w.dataStart(); p + 4 <= w.end(); ) {
            int h = file.u32(p);
            int size = recordSize(h);
            if (p + size > w.end()) {
                break;
            }
            if (h < 0) {
                return file.u64(p + 4);
            }
            p += size;
        }
        return 0;
    }

    static int recordSize(int header) {
        return 4 + (header < 0 ? 8 : 0) + 4 * ((header >>> 28) & 7);
    }

    /** Reads the next record of this CPU into the head fields; false when the CPU has no more. */
    boolean advance() {
        while (true) {
            if (pos + 4 <= windowEnd) {
                if (pos + MAX_RECORD > chunkEnd && chunkEnd < windowEnd) {
                    refill();
                }
                int i = (int) (pos - chunkStart) >>> 2;
                int h = words[i];
                int size = recordSize(h);
                if (pos + size > windowEnd) {
                    warnings.warn(pos, cpu, "record_past_window",
                        String.format("record header 0x%08x needs %d bytes but the window ends after %d;"
                            + " rest of window skipped", h, size, windowEnd - pos));
                    pos = windowEnd;
                    continue;
                }
                headOffset = pos;
                headHeader = h;
                headIndex = i;
                if (h < 0) {
                    long tsc = (words[i + 1] & 0xFFFFFFFFL) | ((long) words[i + 2] << 32);
                    if (sawTsc && tsc < lastTsc) {
                        noteBackwards(tsc);
                    }
                    lastTsc = tsc;
                    sawTsc = true;
                    headInherited = false;
                } else {
                    headInherited = true;
                }
                headTsc = lastTsc;
                pos += size;
                records++;
                return true;
            }
            if (pos < windowEnd) {
                warnings.warn(pos, cpu, "record_past_window",
                    (windowEnd - pos) + " stray bytes at the end of a window; skipped");
            }
            if (!nextWindow()) {
                return false;
            }
        }
    }

    private void noteBackwards(long tsc) {
        backwardsTsc++;
        if (backwardsTsc <= 100) {
            warnings.warn(pos, cpu, "tsc_backwards", String.format(
                "TSC went backwards on pCPU %d: %d after %d", cpu, tsc, lastTsc));
        }
    }

    private boolean nextWindow() {
        long at = windowEnd;
        while (true) {
            WindowChain.Window w = chain.windowAt(at);
            if (w == null) {
                return false;
            }
            if (w.cpu() == cpu) {
                enter(w);
                return true;
            }
            at = w.end();
        }
    }

    long backwardsTsc() {
        return backwardsTsc;
    }
}
