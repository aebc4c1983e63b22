package org.ptorder.analyze.check;

import org.ptorder.ingest.mmu.MmuOp;

/**
 * What the checker knows of one PTE: its applied value {@code M[p]} (once known) and, per CPU,
 * its latest writes (enqueues and rmw writes) for V2, V2-unsync and for what the next write
 * replaces. The writes' epochs are kept in primitive arrays so that the checks on every enqueue
 * touch no other objects; an {@link Entry} is only looked at when a finding is made.
 *
 * <p>Per CPU c the slots {@code [c*H, c*H + len[c])} hold its writes, oldest first. With no
 * cross-CPU synchronisation in the trace only the newest write per CPU is kept (H = 1).
 */
final class PteState {
    static final long RMW_MARK = 1L << 62;
    static final long QUEUED = Long.MAX_VALUE;

    long m = MmuOp.NONE;
    boolean known;
    /** The life of its table page this knowledge belongs to, and the page's life counter. */
    long life;
    long[] lifeRef;
    /** The checker's pruning period in which this state was last listed as written (listed once per period). */
    long notedIn;

    private int h;
    private int cpus;
    /** Writes held over all CPUs (kept beside the fields, so that a sweep can pass an empty state by). */
    private int held;
    private Entry[] w;
    /**
     * Per CPU its count of writes, then per CPU the largest apply epoch among dropped writes (first,
     * so that the counts every update reads share a cache line with the array's header); then for
     * slot k (CPU c's i-th write is slot c*h + i) a[2cpus + 2k] its enqueue epoch (RMW_MARK set for
     * an rmw write) and a[2cpus + 2k + 1] its apply epoch (QUEUED while queued).
     */
    private long[] a;

    /** This state, forgotten first if its table page has since been freed or reused. */
    PteState current() {
        if (life != lifeRef[0]) {
            reset(lifeRef[0]);
        }
        return this;
    }

    /** Forgets everything: the table page was freed or reused, its old contents mean nothing now. */
    void reset(long newLife) {
        m = MmuOp.NONE;
        known = false;
        w = null;
        a = null;
        cpus = 0;
        held = 0;
        life = newLife;
    }

    /** Index in {@code a} of slot k's enqueue epoch (its apply epoch follows). */
    private int slot(int k) {
        return 2 * cpus + 2 * k;
    }

    private int lenAt(int c) {
        return (int) a[c];
    }

    private void setLen(int c, int n) {
        held += n - lenAt(c);
        a[c] = n;
    }

    private long evicted(int c) {
        return a[cpus + c];
    }

    private void setEvicted(int c, long v) {
        a[cpus + c] = v;
    }

    private void ensure(int n, int hist) {
        if (w == null) {
            h = hist;
            cpus = n;
            w = new Entry[n * hist];
            a = new long[2 * n * hist + 2 * n];
        } else if (cpus < n) {
            relayout(n, h);
        }
    }

    /** Copies into a layout for {@code n} CPUs and {@code nh} writes each. */
    private void relayout(int n, int nh) {
        Entry[] nw = new Entry[n * nh];
        long[] na = new long[2 * n * nh + 2 * n];
        for (int c = 0; c < cpus; c++) {
            int len = lenAt(c);
            System.arraycopy(w, c * h, nw, c * nh, len);
            System.arraycopy(a, slot(c * h), na, 2 * n + 2 * c * nh, 2 * len);
            na[c] = len;
            na[n + c] = evicted(c);
        }
        w = nw;
        a = na;
        cpus = n;
        h = nh;
    }

    int cpus() {
        return cpus;
    }

    int count(int c) {
        return w == null || c >= cpus ? 0 : lenAt(c);
    }

    /** CPU c's newest write, or null. */
    Entry last(int c) {
        int n = count(c);
        return n == 0 ? null : w[c * h + n - 1];
    }

    long lastEnq(int c) {
        return a[slot(c * h + count(c) - 1)] & ~RMW_MARK;
    }

    /** Records a write of CPU c. {@code minKnown} (or null) lets applied writes everyone knows go first. */
    void push(int c, Entry e, int n, int hist, long[] minKnown) {
        ensure(Math.max(n, c + 1), hist);
        int len = lenAt(c);
        if (len == h) {
            // make room: writes every CPU knows were applied go first (no finding can involve them),
            // else the oldest applied one (a later lookup that would have needed it is counted)
            int base = c * h;
            int drop = -1;
            for (int i = 0; i < len - 1 && drop < 0; i++) {
                long ap = a[slot(base + i) + 1];
                if (ap != QUEUED && minKnown != null && c < minKnown.length && ap <= minKnown[c]) {
                    drop = i;
                }
            }
            for (int i = 0; i < len && drop < 0; i++) {
                if (a[slot(base + i) + 1] != QUEUED) {
                    drop = i;
                }
            }
            if (drop < 0) {
                relayout(cpus, h * 2);
            } else {
                setEvicted(c, Math.max(evicted(c), a[slot(base + drop) + 1]));
                System.arraycopy(w, base + drop + 1, w, base + drop, len - drop - 1);
                System.arraycopy(a, slot(base + drop + 1), a, slot(base + drop), 2 * (len - drop - 1));
                len--;
            }
        }
        int k = c * h + len;
        w[k] = e;
        a[slot(k)] = e.enqEpoch | (e.kind == Entry.RMW ? RMW_MARK : 0);
        a[slot(k) + 1] = e.applied ? e.applyEpoch : QUEUED;
        setLen(c, len + 1);
    }

    /** Write {@code e} of CPU c was applied at {@code epoch}. */
    void applied(int c, Entry e, long epoch) {
        int base = c * h;
        for (int i = count(c) - 1; i >= 0; i--) {
            if (w[base + i] == e) {
                a[slot(base + i) + 1] = epoch;
                return;
            }
        }
    }

    /** With one write kept per CPU: forget CPU c's write once applied (only a queued own write matters). */
    void dropIfApplied(int c, Entry e) {
        if (h == 1 && count(c) > 0 && w[c] == e) {
            w[c] = null;
            setLen(c, 0);
        }
    }

    /**
     * CPU c's latest enqueue (not rmw) with enqueue epoch at most {@code bound} whose apply is not
     * known at {@code bound}; null if there is none or if that enqueue was applied by then.
     * {@code truncated[0]} is set when the answer may lie among writes already dropped.
     */
    Entry v2Candidate(int c, long bound, boolean[] truncated) {
        int n = count(c);
        int base = c * h;
        for (int i = n - 1; i >= 0; i--) {
            long e = a[slot(base + i)];
            if ((e & RMW_MARK) != 0 || e > bound) {
                continue;
            }
            return a[slot(base + i) + 1] <= bound ? null : w[base + i];
        }
        truncated[0] = w != null && c < cpus && evicted(c) > bound;
        return null;
    }

    /** Drops writes that can no longer take part in a finding (applied, known to every CPU). */
    void prune(long[] minKnown) {
        if (held == 0) {
            return;
        }
        for (int c = 0; c < cpus; c++) {
            int base = c * h;
            int k = 0;
            int len = lenAt(c);
            for (int i = 0; i < len; i++) {
                long ap = a[slot(base + i) + 1];
                long e = a[slot(base + i)] & ~RMW_MARK;
                if (ap != QUEUED && c < minKnown.length && ap <= minKnown[c] && e <= minKnown[c]) {
                    setEvicted(c, Math.max(evicted(c), ap));
                    continue;
                }
                w[base + k] = w[base + i];
                a[slot(base + k)] = a[slot(base + i)];
                a[slot(base + k) + 1] = ap;
                k++;
            }
            for (int i = k; i < len; i++) {
                w[base + i] = null;
            }
            setLen(c, k);
        }
    }
}
