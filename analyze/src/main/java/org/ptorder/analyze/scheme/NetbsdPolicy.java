package org.ptorder.analyze.scheme;

import org.ptorder.ingest.mmu.MmuOp;

/**
 * SN, NetBSD 2012+ as built: S0, plus the own queue flushed before every mmuext op (and
 * update_va_mapping), and an RMW is pte_lock + flush + read + one-entry update, so it flushes the
 * own queue first (ordering-model §4.2: SN prevents V3-local and V4-local for RMWs). Also the base
 * of Sa, Sa' and Sb.
 */
class NetbsdPolicy extends Policy {
    NetbsdPolicy(Replay r) {
        super(r);
    }

    @Override
    void beforeOp(int c, MmuOp o) {
        if (mmuext(o.op)) {
            r.flushOwn(c, "mmuext", true);
        }
    }

    @Override
    void beforeRmw(int c, MmuOp o) {
        r.flushOwn(c, "mmuext", true);
    }
}
