package org.ptorder.ingest.ftrace;

/**
 * Why the next mmuext_op requests on a CPU were queued. The multicall entry does not show the
 * command (reference/xentrace.md §6.2), so it is taken from the xen_mmu_* event that precedes
 * it; it lasts until that operation's xen_mc_issue.
 */
enum Intent {
    /** No xen_mmu_* event announced it: on Linux 6.x that is xen_flush_tlb (TLB_FLUSH_LOCAL). */
    NONE,
    INVLPG,
    FLUSH_MULTI,
    TLB_FLUSH_LOCAL,
    TLB_FLUSH_ALL,
    NEW_BASEPTR,
    /** pgd_pin walk: each mmuext pins the page of the update_va_mapping before it. */
    PIN,
    /** pgd_unpin walk: the first request unpins the pgd, later ones the page of the next update_va_mapping. */
    UNPIN,
    /** alloc_ptpage of a pinned mm: pins the new page (L1) after making it read-only. */
    ALLOC,
    /** release_ptpage of a pinned page: unpins it. */
    RELEASE,
    /** The announced request was seen; further mmuext requests before the issue are not explained. */
    SPENT;

    /** Intents whose operation queues exactly one mmuext request. */
    boolean singleShot() {
        return this == INVLPG || this == FLUSH_MULTI || this == TLB_FLUSH_LOCAL || this == TLB_FLUSH_ALL
            || this == NEW_BASEPTR || this == ALLOC || this == RELEASE;
    }
}
