package org.ptorder.analyze.scheme;

import java.util.BitSet;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * SL, Linux style: a per-CPU batch of at most {@code sl_batch_entries} updates. Inside a lazy
 * section (the trace's lazy_enter..lazy_leave; in a trace without them, while a lock is held, as
 * Linux enters lazy mode under the PTL; always with {@code sl.lazy=always}) updates wait in the
 * batch; outside they are issued at once. The batch is issued before a lock is released, at lazy
 * leave and when full; an mmuext op is a sub-op of the same batch (one multicall, own updates
 * first). Before an unpin, CPUs whose loaded root is the page get an IPI whose handler issues its
 * batch (xen_drop_mm_ref, LT-13).
 */
final class LinuxPolicy extends Policy {
    private final boolean always;

    LinuxPolicy(Replay r) {
        super(r);
        always = r.params.knob("sl.lazy").equals("always");
    }

    private boolean batched(int c) {
        return always || r.lazy[c] || r.held[c] > 0;
    }

    @Override
    void onEnq(int c, MmuOp o) {
        if (r.queues[c].size >= r.slCap) {
            r.flushOwn(c, "full", false);
        }
        r.enqueue(c, o);
        if (!batched(c)) {
            r.flushOwn(c, "explicit", true);
        }
    }

    @Override
    void beforeOp(int c, MmuOp o) {
        if (o.op == Op.UNPIN && MmuOp.has(o.mfn)) {
            BitSet live = new BitSet();
            for (int d = 0; d < r.ncpu; d++) {
                if (d != c && r.actualRoot[d] == o.mfn) {
                    live.set(d);
                }
            }
            if (!live.isEmpty()) {
                long t0 = r.t[c];
                r.waited(c, t0, r.ipiRound(c, live));
            }
        }
        if (mmuext(o.op) && r.queues[c].size > 0) {
            // the op rides in the same multicall as the batch: one hypercall, two entries
            r.flushOwn(c, "explicit", true);
            r.cost.mmuUpdate--;
            if (o.op == Op.UPDATE_VA_MAPPING) {
                r.cost.updateVaMapping--;
            } else {
                r.cost.mmuextOp--;
            }
            r.cost.multicall++;
            r.t[c] += 2 * r.mcEntry;
        }
    }

    @Override
    void beforeUnlock(int c, MmuOp o) {
        r.flushOwn(c, "unlock", true);
    }

    @Override
    void beforeLazyLeave(int c, MmuOp o) {
        r.flushOwn(c, "lazy_leave", true);
    }
}
