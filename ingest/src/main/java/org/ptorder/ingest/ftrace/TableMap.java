package org.ptorder.ingest.ftrace;

import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * Which 2 MiB of virtual addresses each L1 page-table page maps, learned where an event names
 * both an entry and the address it maps (ptep_modify_prot_*); announced as map_table ops, and
 * used to give later writes to the same table their va. A released table is forgotten, since
 * its frame may come back mapping something else.
 */
final class TableMap {
    private static final long TABLE_SPAN = 1L << 21; // an L1 table maps 2 MiB
    private static final long PAGE = 4096;

    private final Emitter out;
    private final LoweringStats stats;
    private final LongMap tableVa = new LongMap(); // L1 table mfn -> first va it maps

    TableMap(Emitter out, LoweringStats stats) {
        this.out = out;
        this.stats = stats;
    }

    /** A ptep_modify_prot event names both the entry and the address it maps: the table's va range. */
    void learn(int cpu, FtraceLine l, long ptr, long pte, long va) {
        if (pte == MmuOp.NONE || va == MmuOp.NONE) {
            return;
        }
        if (((ptr & 0xfff) >>> 3) != ((va >>> 12) & 511)) {
            stats.mapInconsistent++;
            return;
        }
        long mfn = pte >>> 12;
        long base = va & -TABLE_SPAN;
        if (tableVa.get(mfn) != base) {
            tableVa.put(mfn, base);
            MmuOp op = out.make(cpu, Op.MAP_TABLE, l);
            op.mfn = mfn;
            op.level = 1;
            op.va = base;
            out.emit(l.lineNo, op);
        }
    }

    /** The va an L1 entry maps, when its table's range is known. */
    long vaOf(long pte) {
        if (pte == MmuOp.NONE) {
            return MmuOp.NONE;
        }
        long base = tableVa.get(pte >>> 12);
        return base == MmuOp.NONE ? MmuOp.NONE : base + ((pte & 0xfff) >>> 3) * PAGE;
    }

    void forget(long mfn) {
        tableVa.remove(mfn);
    }
}
