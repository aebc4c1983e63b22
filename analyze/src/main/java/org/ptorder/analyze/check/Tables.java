package org.ptorder.analyze.check;

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
