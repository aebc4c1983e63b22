package org.ptorder.analyze.check;

import java.util.ArrayList;

/**
 * An applied update that unmapped (or remapped) a frame, kept until the frame's next free or
 * reuse (V5-pwc, V6) or until evicted: which invalidations of each CPU covered its VA range
 * after the apply. Full invalidations are not recorded here; they travel as {@link CpuState#iv}.
 */
final class UnmapRecord {
    static final long NO_RANGE = -1;

    final Entry u;
    final long frame;
    /** Start | level of the entry's VA range, or NO_RANGE: its key in {@link UnmapRecords}. */
    final long rangeKey;
    // copies of the applied entry's fields the sweeps read, so that a sweep touches only the record
    final int cpu;
    final long applyEpoch;
    final long flushSeq;
    final long lo;
    final long span;
    /** The entry maps one 4 KiB page of a known range (an invlpg of it cleans it). */
    final boolean page;
    /** Per CPU: (issuer, epoch) pairs of the earliest covering invlpg per issuer with apply(u) hb-before it. */
    ArrayList<long[]>[] hbInv;
    /** Per CPU: recorded position of the latest covering invlpg. */
    long[] invSeq;
    boolean dead;
    // links of the lists of UnmapRecords: by age, by frame, by range
    UnmapRecord ageNext;
    UnmapRecord agePrev;
    UnmapRecord frameNext;
    UnmapRecord framePrev;
    UnmapRecord rangeNext;
    UnmapRecord rangePrev;

    /** The record of applied update {@code u} (null only for the list sentinel of {@link UnmapRecords}). */
    UnmapRecord(Entry u, long frame, long rangeKey) {
        this.u = u;
        this.frame = frame;
        this.rangeKey = rangeKey;
        this.cpu = u == null ? -1 : u.cpu;
        this.applyEpoch = u == null ? 0 : u.applyEpoch;
        this.flushSeq = u == null ? 0 : u.flush.seq();
        this.lo = u == null ? 0 : u.lo;
        this.span = u == null ? 0 : u.span;
        this.page = u != null && u.range != null && u.span == 4096;
    }

    /** Latest covering invlpg of CPU d recorded after the apply, or -1. */
    long invSeq(int d) {
        return invSeq == null || d >= invSeq.length ? -1 : invSeq[d];
    }

    @SuppressWarnings("unchecked")
    void ensure(int cap) {
        if (hbInv == null || hbInv.length < cap) {
            hbInv = hbInv == null ? new ArrayList[cap] : java.util.Arrays.copyOf(hbInv, cap);
            long[] n = new long[cap];
            java.util.Arrays.fill(n, -1);
            if (invSeq != null) {
                System.arraycopy(invSeq, 0, n, 0, invSeq.length);
            }
            invSeq = n;
        }
    }
}
