package org.ptorder.ingest.mmu;

import java.util.HashMap;
import java.util.Map;

/** The canonical MMU operations (DESIGN.md "The canonical event vocabulary"). */
public enum Op {
    ENQ, FLUSH, TLB_FLUSH, INVLPG, TLB_FLUSH_MULTI, INVLPG_MULTI, TLB_FLUSH_ALL, INVLPG_ALL, NEW_BASEPTR,
    PIN, UNPIN, MAP_TABLE, UPDATE_VA_MAPPING, OOB_READ, RMW, ACCESS, FRAME_FREE, FRAME_ALLOC, LOCK, UNLOCK,
    IPI_SEND, IPI_RECV, IPI_ACK, IPI_DONE, CV_WAIT, CV_WAKE, CV_BROADCAST, LAZY_ENTER, LAZY_LEAVE, MIGRATE,
    HYPERCALL;

    private static final Map<String, Op> BY_NAME = new HashMap<>();

    static {
        for (Op o : values()) {
            BY_NAME.put(o.text(), o);
        }
    }

    /** The spelling used in traces and tables: lower case, e.g. {@code tlb_flush_multi}. */
    public String text() {
        return name().toLowerCase();
    }

    /** The op spelled {@code text}, or null. */
    public static Op parse(String text) {
        return BY_NAME.get(text);
    }

    /** Ops that read page tables through the TLB or invalidate it ("read-ops" of the model). */
    public boolean isTlbOp() {
        return this == TLB_FLUSH || this == INVLPG || this == TLB_FLUSH_MULTI || this == INVLPG_MULTI
            || this == TLB_FLUSH_ALL || this == INVLPG_ALL;
    }
}
