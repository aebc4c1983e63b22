package org.ptorder.analyze.scheme;

import org.ptorder.ingest.mmu.MmuOp;

/**
 * S1, the 2011 branch: one FIFO for all CPUs under one lock. Every enqueue and every flushing op
 * takes the lock; a read-op (and update_va_mapping) flushes the global queue first and runs under
 * the lock, so its hypercall lengthens the hold time others wait for. RMWs and out-of-band reads
 * do the same when the knobs say so ({@code s1.rmw_flush}, {@code s1.oob_flush}).
 */
final class GlobalQueuePolicy extends Policy {
    private final boolean rmwFlush;
    private final boolean oobFlush;

    GlobalQueuePolicy(Replay r) {
        super(r);
        rmwFlush = r.params.on("s1.rmw_flush");
        oobFlush = r.params.on("s1.oob_flush");
    }

    @Override
    void onEnq(int c, MmuOp o) {
        r.takeXpq(c);
        if (r.globalCount >= r.xpqCap) {
            r.flushGlobal(c, "full");
        }
        r.enqueueGlobal(c, o, false);
        r.dropXpq(c, 0);
    }

    @Override
    void deferOp(int c, MmuOp o) {
        r.takeXpq(c);
        r.enqueueGlobal(c, o, true);
        r.dropXpq(c, 0);
    }

    @Override
    void onExplicitFlush(int c, MmuOp o) {
        r.takeXpq(c);
        r.flushGlobal(c, "explicit");
        r.dropXpq(c, 0);
    }

    @Override
    void beforeOp(int c, MmuOp o) {
        if (mmuext(o.op)) {
            r.takeXpq(c);
            r.flushGlobal(c, "mmuext");
        }
    }

    @Override
    void afterOp(int c, MmuOp o) {
        if (mmuext(o.op)) {
            r.dropXpq(c, r.opCost(o));
        }
    }

    @Override
    void beforeRmw(int c, MmuOp o) {
        if (rmwFlush) {
            r.takeXpq(c);
            r.flushGlobal(c, "mmuext");
        }
    }

    @Override
    void afterRmw(int c, MmuOp o) {
        if (rmwFlush) {
            r.dropXpq(c, r.flushCost(1));
        }
    }

    @Override
    void beforeOobRead(int c, MmuOp o) {
        if (oobFlush) {
            r.takeXpq(c);
            r.flushGlobal(c, "explicit");
        }
    }

    @Override
    void afterOobRead(int c, MmuOp o) {
        if (oobFlush) {
            r.dropXpq(c, 0);
        }
    }
}
