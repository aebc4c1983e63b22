package org.ptorder.analyze.scheme;

import org.ptorder.ingest.mmu.MmuOp;

/**
 * Ssh: shadow page tables updated with CAS, every update propagated at once as a one-entry
 * hypercall; nothing is ever queued, so read-ops, out-of-band reads and RMWs need nothing before
 * them. Each update's CAS on the shadow counts as a shared-line update.
 */
final class ShadowPolicy extends Policy {
    ShadowPolicy(Replay r) {
        super(r);
    }

    @Override
    void onEnq(int c, MmuOp o) {
        r.cost.sharedLineUpdates++;
        r.enqueue(c, o);
        r.flushOwn(c, "explicit", true);
    }
}
