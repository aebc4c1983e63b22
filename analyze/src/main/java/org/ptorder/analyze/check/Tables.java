package org.ptorder.analyze.check;

import java.util.Arrays;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * What is known of page-table pages: level and the VA range each maps (from map_table
 * declarations, pins of roots, replayed parent entries, or learned from ops that name an entry
 * and its VA), and whether a frame is known to be a page-table page.
 */
final class Tables {
    static final class Info {
        int level;
        long base = MmuOp.NONE;
        Coverage kind;
        boolean pt;
    }

    private final LongMap<Info> byMfn = new LongMap<>(256);
    private final LongMap<long[]> lives = new LongMap<>(256);
    /** Replayed links: child table -> the tables whose entries point to it, or {SHARED}. */
    private final LongMap<long[]> parents = new LongMap<>(256);
    private static final long SHARED = -2;
    private static final int MAX_PARENTS = 4;

    /** Bytes of VA one entry of a level-{@code level} table maps. */
    static long span(int level) {
        return 4096L << (9 * (Math.max(level, 1) - 1));
    }

    Info get(long mfn) {
        return byMfn.get(mfn);
    }

    private Info info(long mfn) {
        Info i = byMfn.get(mfn);
        if (i == null) {
            i = new Info();
            byMfn.put(mfn, i);
        }
        return i;
    }

    /** A map_table declaration: authoritative, replaces earlier knowledge. */
    void declare(long mfn, int level, long base) {
        Info i = info(mfn);
        i.level = level;
        i.base = base & -span(level + 1);
        i.kind = Coverage.MAP_TABLE;
        i.pt = true;
    }

    /** Knowledge derived by the checker ({@code kind} WALK or LEARNED): only fills what is unknown. */
    void derive(long mfn, int level, long base, Coverage kind) {
        Info i = info(mfn);
        if (i.base != MmuOp.NONE) {
            return;
        }
        if (i.level != 0 && i.level != level) {
            return;
        }
        i.level = level;
        i.base = base;
        i.kind = kind;
        i.pt = true;
    }

    void pin(long mfn, int level) {
        Info i = info(mfn);
        i.pt = true;
        if (level >= 1 && i.level == 0) {
            i.level = level;
        }
        if (level == 4 && i.base == MmuOp.NONE) {
            i.base = 0; // an amd64 root maps the whole address space
            i.kind = Coverage.WALK;
        }
    }

    void markPt(long mfn) {
        info(mfn).pt = true;
    }

    void remove(long mfn) {
        byMfn.remove(mfn);
    }

    /**
     * Replayed structure: an applied entry of table {@code parent} points to table {@code child}. A
     * table with more than {@link #MAX_PARENTS} parents (the kernel's L3, linked from every root) is
     * taken as reachable from any root.
     */
    void link(long child, long parent) {
        long[] p = parents.get(child);
        if (p == null) {
            parents.put(child, new long[] {parent});
            return;
        }
        for (long x : p) {
            if (x == parent || x == SHARED) {
                return;
            }
        }
        long[] q = p.length >= MAX_PARENTS ? new long[] {SHARED} : Arrays.copyOf(p, p.length + 1);
        if (q.length > p.length) {
            q[p.length] = parent;
        }
        parents.put(child, q);
    }

    /**
     * The level-4 tables whose trees hold table {@code mfn}, following the replayed links up (a
     * 64-bit PV Linux process's user tables hang under its kernel and its user root); null when that
     * is not known (a table with no known parent, or too many, on the way up).
     */
    long[] rootsOf(long mfn) {
        return rootsOf(mfn, 0, new long[0]);
    }

    private long[] rootsOf(long t, int depth, long[] acc) {
        Info i = byMfn.get(t);
        if (i != null && i.level == 4) {
            for (long x : acc) {
                if (x == t) {
                    return acc;
                }
            }
            long[] a = Arrays.copyOf(acc, acc.length + 1);
            a[acc.length] = t;
            return a;
        }
        long[] p = parents.get(t);
        if (p == null || p[0] == SHARED || depth >= 3) {
            return null;
        }
        for (long x : p) {
            acc = rootsOf(x, depth + 1, acc);
            if (acc == null) {
                return null;
            }
        }
        return acc;
    }

    /**
     * A holder of how many times page {@code mfn} has been freed or reused, shared by the states of
     * its entries: what is known of a table page's entries holds only within one life (a reused
     * page is zeroed with plain stores no trace shows). Only pages with known entries have one.
     */
    long[] lifeRef(long mfn) {
        long[] l = lives.get(mfn);
        if (l == null) {
            l = new long[1];
            lives.put(mfn, l);
        }
        return l;
    }

    void newLife(long mfn) {
        parents.remove(mfn); // a reused page is linked afresh
        long[] l = lives.get(mfn);
        if (l != null) {
            l[0]++;
        }
    }

    boolean knownPt(long mfn) {
        Info i = byMfn.get(mfn);
        return i != null && i.pt;
    }

    int size() {
        return byMfn.size();
    }
}
