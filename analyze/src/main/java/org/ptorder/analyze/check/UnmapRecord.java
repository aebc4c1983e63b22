package org.ptorder.analyze.check;

import java.util.ArrayList;

/**
 * An applied update that unmapped (or remapped) a frame, kept until the frame's next free or
 * reuse (V5-pwc, V6) or until evicted: which invalidations of each CPU covered its VA range
 * after the apply. Full invalidations are not recorded here; they travel as {@link CpuState#iv}.
 */
final class UnmapRecord {
    final Entry u;
    final long frame;
    /** Per CPU: (issuer, epoch) pairs of the earliest covering invlpg per issuer with apply(u) hb-before it. */
    ArrayList<long[]>[] hbInv;
    /** Per CPU: recorded position of the latest covering invlpg. */
    long[] invSeq;
    boolean dead;

    UnmapRecord(Entry u, long frame) {
        this.u = u;
        this.frame = frame;
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
