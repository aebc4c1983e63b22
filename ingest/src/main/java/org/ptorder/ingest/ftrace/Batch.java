package org.ptorder.ingest.ftrace;

import java.util.ArrayList;
import java.util.List;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * The multicall entries one CPU has queued since its last xen_mc_flush, as reconstructed from
 * xen_mc_entry / xen_mc_extend_args / xen_mc_callback. Checked against the counts the flush
 * itself prints (hypercalls, arg bytes, callbacks).
 */
final class Batch {
    /** One multicall slot. */
    static final class Entry {
        final int op;
        final long line;
        int requests;
        // update_va_mapping: the arguments
        long va = MmuOp.NONE;
        long val = MmuOp.NONE;
        long flags = MmuOp.NONE;
        int pid;
        /** mmuext_op: one per request, in order. */
        final List<Mmuext> mmuext = new ArrayList<>(2);

        Entry(int op, long line) {
            this.op = op;
            this.line = line;
        }
    }

    /**
     * One mmuext_op request and what it was for. {@code a}/{@code b}/{@code c} depend on the
     * intent: INVLPG va; FLUSH_MULTI start, end, ncpus; NEW_BASEPTR root, user; PIN/ALLOC mfn,
     * level; UNPIN/RELEASE mfn (NONE for UNPIN: the next update_va_mapping's page).
     */
    record Mmuext(Intent intent, long srcLine, int pid, long a, long b, long c) { }

    final List<Entry> entries = new ArrayList<>();
    long argBytes;
    long callbacks;
    /** An xen_mc_issue in this batch did not flush: a lazy mode held it. */
    boolean deferred;
    /** Ops to emit after this batch's flush (frame_free of a pinned page released in it). */
    final List<MmuOp> after = new ArrayList<>(1);

    Entry last() {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1);
    }

    boolean hasUpdates() {
        for (Entry e : entries) {
            if (e.op == Multicall.MMU_UPDATE) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return entries.isEmpty() && after.isEmpty();
    }

    void clear() {
        entries.clear();
        argBytes = 0;
        callbacks = 0;
        deferred = false;
        after.clear();
    }
}
