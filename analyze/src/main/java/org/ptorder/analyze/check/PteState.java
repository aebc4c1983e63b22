package org.ptorder.analyze.check;

import org.ptorder.ingest.mmu.MmuOp;

/**
 * What the checker knows of one PTE: its applied value {@code M[p]} (once known), each CPU's
 * latest write to it, and (when the trace has cross-CPU synchronisation) a short history of each
 * CPU's enqueues for V2.
 */
final class PteState {
    static final int HIST = 4;

    long m = MmuOp.NONE;
    boolean known;
    /** The life of its table page this knowledge belongs to (see Tables#life). */
    long life;
    /** Per CPU: its latest write (enqueue or rmw). */
    Entry[] last;
    /** Per CPU: its latest enqueues, newest last (V2). */
    Entry[][] hist;
    int[] histLen;
    /** Per CPU: the largest apply epoch among enqueues dropped from hist. */
    long[] evictedApply;

    /** Forgets everything: the table page was freed or reused, its old contents mean nothing now. */
    void reset(long newLife) {
        m = MmuOp.NONE;
        known = false;
        last = null;
        hist = null;
        histLen = null;
        evictedApply = null;
        life = newLife;
    }

    Entry last(int c) {
        return last == null || c >= last.length ? null : last[c];
    }

    void setLast(int c, Entry e, int cap) {
        if (last == null || last.length <= c) {
            last = last == null ? new Entry[Math.max(cap, c + 1)] : java.util.Arrays.copyOf(last, Math.max(cap, c + 1));
        }
        last[c] = e;
    }

    void push(int c, Entry e, int cap) {
        int n = Math.max(cap, c + 1);
        if (hist == null || hist.length < n) {
            hist = hist == null ? new Entry[n][] : java.util.Arrays.copyOf(hist, n);
            histLen = histLen == null ? new int[n] : java.util.Arrays.copyOf(histLen, n);
            evictedApply = evictedApply == null ? new long[n] : java.util.Arrays.copyOf(evictedApply, n);
        }
        Entry[] h = hist[c];
        if (h == null) {
            h = hist[c] = new Entry[HIST];
        }
        int len = histLen[c];
        if (len == h.length) {
            // drop the oldest applied one; keep everything still queued
            int drop = -1;
            for (int i = 0; i < len; i++) {
                if (h[i].applied) {
                    drop = i;
                    break;
                }
            }
            if (drop < 0) {
                h = hist[c] = java.util.Arrays.copyOf(h, h.length * 2);
            } else {
                evictedApply[c] = Math.max(evictedApply[c], h[drop].applyEpoch);
                System.arraycopy(h, drop + 1, h, drop, len - drop - 1);
                len--;
            }
        }
        h[len] = e;
        histLen[c] = len + 1;
    }

    /** CPU c's latest enqueue with enqEpoch <= bound, or null. */
    Entry latestAtMost(int c, long bound) {
        if (hist == null || c >= hist.length || hist[c] == null) {
            return null;
        }
        Entry[] h = hist[c];
        for (int i = histLen[c] - 1; i >= 0; i--) {
            if (h[i].enqEpoch <= bound) {
                return h[i];
            }
        }
        return null;
    }

    /** Whether a lookup with {@code bound} may have needed an enqueue dropped from hist and still unordered. */
    boolean truncated(int c, long bound) {
        return evictedApply != null && c < evictedApply.length && evictedApply[c] > 0 && evictedApply[c] > bound;
    }
}
