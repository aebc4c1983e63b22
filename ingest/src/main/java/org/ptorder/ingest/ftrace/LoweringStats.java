package org.ptorder.ingest.ftrace;

import org.ptorder.ingest.common.WarningSink;

/**
 * Counts of how the lowering read the trace: the structure decisions it took and every place
 * where the trace did not fit the model of reference/xentrace.md §6.2. Real captures should
 * have zero in the "mismatch" counters; tests check that.
 */
public final class LoweringStats {
    /** set_pte / pte_clear not followed by a batch: direct one-entry mmu_update hypercalls. */
    public long directWrites;
    /** set_pmd/pud/p4d not followed by a batch: plain stores into a table Xen does not track (unpinned). */
    public long plainWrites;
    /** Entry writes carried by a batch. */
    public long batchedWrites;
    /** mmu_update requests in batches (entries plus successful extensions). */
    public long updateRequests;
    /** ... of which no preceding write announced (pte and val unknown). */
    public long unannouncedUpdates;
    /** Announced writes that no mmu_update request carried before the next write. */
    public long unboundWrites;
    /** mmuext requests with no announcing xen_mmu_* event: xen_flush_tlb (TLB_FLUSH_LOCAL). */
    public long bareMmuext;
    /** mmuext requests beyond what their announcing event explains. */
    public long unexplainedMmuext;
    /** Flushes whose hypercalls / arg bytes / callbacks disagree with the reconstructed batch. */
    public long batchMismatches;
    /** Kernel text only: extension outcomes where the 'res' label disagrees with the structure. */
    public long extendLabelDisagreements;
    /** Batches with an mmu_update after another kind of entry (the flush is split to keep order). */
    public long splitFlushes;
    /** Lazy-MMU evidence that contradicted the current mode (a direct set_pte while lazy). */
    public long lazyContradictions;
    /** Entries whose machine address could not be formed: pointer hashed. */
    public long hashedEntries;
    /** ... pointer real but its frame not in the learned P2M (or outside the direct map). */
    public long untranslatedEntries;
    /** ptep_modify_prot_* whose entry index does not match its address (no map_table from them). */
    public long mapInconsistent;
    /** Decisions taken without seeing the next event (trace end, lost events, buffer cap). */
    public long forcedDecisions;
    /** Batches still open at the end of the trace or dropped at a loss of events. */
    public long openBatches;
    /** pin/unpin requests whose frame could not be found. */
    public long unknownPinFrames;

    void explain(WarningSink w) {
        if (batchMismatches > 0) {
            w.warn(-1, -1, "batch_mismatch_total", batchMismatches + " flushes disagree with the batch rebuilt from"
                + " their entries (see the batch_mismatch rows)");
        }
        if (unannouncedUpdates > 0) {
            w.warn(-1, -1, "unannounced_updates", unannouncedUpdates + " mmu_update requests had no xen_mmu_set_*"
                + " event before them: their enq ops have no pte or val");
        }
        if (unboundWrites > 0) {
            w.warn(-1, -1, "unbound_writes", unboundWrites + " batched entry writes were never carried by an"
                + " mmu_update request before the next write; they produced no enq");
        }
        if (unexplainedMmuext > 0) {
            w.warn(-1, -1, "unexplained_mmuext", unexplainedMmuext + " mmuext_op requests were not explained by"
                + " the xen_mmu_* event before them; they produced no op");
        }
        if (lazyContradictions > 0) {
            w.warn(-1, -1, "lazy_contradiction", lazyContradictions + " direct set_pte events while lazy-MMU mode"
                + " was believed active; the mode was taken as left");
        }
        if (untranslatedEntries > 0) {
            w.warn(-1, -1, "untranslated_entries", untranslatedEntries + " entry pointers are real but their frame"
                + " is not in the P2M learned from the trace: pte is NULL for them");
        }
        if (mapInconsistent > 0) {
            w.warn(-1, -1, "map_inconsistent", mapInconsistent + " ptep_modify_prot events have an entry pointer"
                + " whose index does not match their address; no map_table was taken from them");
        }
        if (openBatches > 0) {
            w.warn(-1, -1, "open_batches", openBatches + " batches were never flushed within the trace (end of"
                + " trace or lost events): their enq ops stay queued");
        }
        if (extendLabelDisagreements > 0) {
            w.warn(-1, -1, "extend_label_disagrees", extendLabelDisagreements + " xen_mc_extend_args 'res' labels"
                + " disagree with what the next event shows; the structure was followed");
        }
        if (splitFlushes > 0) {
            w.warn(-1, -1, "split_flushes", splitFlushes + " batches had mmu_update entries after other entries;"
                + " each run of mmu_update entries got its own flush op to keep the order");
        }
        if (unknownPinFrames > 0) {
            w.warn(-1, -1, "unknown_pin_frames", unknownPinFrames + " pin/unpin ops have no mfn (frame not learned)");
        }
    }
}
