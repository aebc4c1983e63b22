package org.ptorder.analyze.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One vCPU: its vector clock (with the happens-before path of each component), its queue, its
 * roots, the evidence windows that target it and what it has recently invalidated.
 *
 * <p>The queue {@code Q[c]} is a FIFO deque whose first {@code applied} entries have been applied
 * but are kept while they are "alive": some happens-before carrier (a CPU's clock, a released
 * lock, an IPI or condvar) holds this CPU's component at a value in {@code [enqEpoch,
 * applyEpoch)}, so a later event could still have the enqueue but not the apply before it. Both
 * parts are ordered by enqueue epoch and by apply epoch.
 */
final class CpuState {
    final int id;
    long[] vc;
    HbPath[] path;
    /** iv[d]: join of the clocks of the full invalidations of CPU d known here (V6); null when off. */
    long[][] iv;

    private Entry[] q = new Entry[16];
    /** The apply epoch of the entry in the same slot of {@code q} once applied: searched without touching entries. */
    private long[] applyEp = new long[16];
    private int head;
    int size;
    int applied;
    int gcAt = 256;

    boolean lazy;
    /** Current effective root per slot (0 kernel, 1 user). */
    final RootLoad[] root = new RootLoad[2];
    /** Loads of earlier roots whose switch-away is not yet known everywhere (V5-live-root). */
    final ArrayList<RootLoad> rootHist = new ArrayList<>();
    /** The latest switch-away among loads dropped from {@link #rootHist} at its cap (its own epoch). */
    long rootHistLost;

    final ArrayList<Window> windows = new ArrayList<>();
    int closedWindows;

    /** Recorded position of the last full invalidation of this CPU, and per page of the last invlpg. */
    long lastFullInvSeq = -1;
    LongMap<long[]> invlpgSeq;

    Map<String, Long> heldSince;
    java.util.BitSet self;
    /** The last *_MULTI mask issued here and the targets it gave (shared, never modified). */
    java.util.BitSet lastMask;
    java.util.BitSet lastTargets;
    Group group;

    CpuState(int id, int cap) {
        this.id = id;
        vc = new long[cap];
        path = new HbPath[cap];
    }

    void ensure(int cap) {
        if (vc.length < cap) {
            vc = Arrays.copyOf(vc, cap);
            path = Arrays.copyOf(path, cap);
            if (iv != null) {
                long[][] n = new long[cap][];
                for (int i = 0; i < iv.length; i++) {
                    n[i] = iv[i] == null ? null : Arrays.copyOf(iv[i], cap);
                }
                iv = n;
            }
        }
    }

    long get(int k) {
        return k < vc.length ? vc[k] : 0;
    }

    // ---- the queue ------------------------------------------------------------------------

    Entry at(int i) {
        return q[(head + i) & (q.length - 1)];
    }

    void push(Entry e) {
        if (size == q.length) {
            Entry[] n = new Entry[q.length * 2];
            long[] ne = new long[n.length];
            for (int i = 0; i < size; i++) {
                n[i] = at(i);
                ne[i] = applyEp[(head + i) & (q.length - 1)];
            }
            q = n;
            applyEp = ne;
            head = 0;
        }
        q[(head + size) & (q.length - 1)] = e;
        size++;
    }

    int pending() {
        return size - applied;
    }

    Entry firstPending() {
        return applied < size ? at(applied) : null;
    }

    /** The first pending entry was applied at {@code epoch}. */
    void markApplied(long epoch) {
        applyEp[(head + applied) & (q.length - 1)] = epoch;
        applied++;
    }

    /** Index of the first applied entry whose apply is not known at {@code known}; {@code applied} if none. */
    int firstAppliedAfter(long known) {
        int lo = 0;
        int hi = applied;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (applyEp[(head + mid) & (q.length - 1)] > known) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Keeps the applied entries {@code alive} says so, and every pending one. Returns how many went. */
    int compactApplied(java.util.function.Predicate<Entry> alive) {
        // in place: slot w is never ahead of slot i
        int w = 0;
        int removed = 0;
        int mask = q.length - 1;
        for (int i = 0; i < size; i++) {
            Entry e = at(i);
            if (i < applied && !alive.test(e)) {
                removed++;
                continue;
            }
            applyEp[(head + w) & mask] = applyEp[(head + i) & mask];
            q[(head + w++) & mask] = e;
        }
        for (int i = w; i < size; i++) {
            q[(head + i) & mask] = null;
        }
        size = w;
        applied -= removed;
        return removed;
    }

    void compactWindows() {
        if (closedWindows > 16 && closedWindows * 2 > windows.size()) {
            windows.removeIf(w -> w.closed);
            closedWindows = 0;
        }
    }

    /** An effective base-pointer load (V5-live-root). */
    static final class RootLoad {
        final long root;
        final EventRef load;
        final int slot;
        EventRef switchRef;
        long switchEpoch;

        RootLoad(long root, EventRef load, int slot) {
            this.root = root;
            this.load = load;
            this.slot = slot;
        }
    }

    /** An open critical section of an --atomic-lock lock (V9). */
    static final class Group {
        final String lock;
        Entry first;
        final ArrayList<EventRef> fulls = new ArrayList<>();

        Group(String lock) {
            this.lock = lock;
        }
    }

    static Map<String, Long> newHeld() {
        return new HashMap<>();
    }
}
