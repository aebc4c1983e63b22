package org.ptorder.analyze.scheme;

import java.util.BitSet;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * Sb: SN, plus writers publish their pending writes (one shared-line update per enqueue, one per
 * flush that clears them) and a
 * read-op waits on a condvar until no overlapping pending write of another CPU remains. In a
 * recorded-order replay a holder's natural flush lies in the future, so the waiter waits the
 * timeout tau and then, with {@code sb.nudge}, IPIs the holders, which flush and broadcast;
 * without the nudge it gives up after tau and reads anyway (the liveness hole the reference
 * notes). Out-of-band reads and RMWs wait too when {@code sb.oob_wait}/{@code sb.rmw_wait} say so.
 * A CPU never waits for its own queue (it would wait for itself: LT-7).
 */
final class CondvarPolicy extends NetbsdPolicy {
    private final boolean pageOps;
    private final boolean global;
    private final boolean nudge;
    private final boolean oobWait;
    private final boolean rmwWait;
    private final String granularity;
    private final int maxTracked;
    private final long timeout;

    CondvarPolicy(Replay r) {
        super(r);
        pageOps = r.params.on("sa.page_ops");
        global = r.params.knob("sb.scope").equals("global");
        nudge = r.params.on("sb.nudge");
        oobWait = r.params.on("sb.oob_wait");
        rmwWait = r.params.on("sb.rmw_wait");
        granularity = r.params.knob("sa_prime.granularity");
        maxTracked = (int) r.params.num("sa_prime.max_tracked");
        timeout = Math.round(r.params.num("sb.timeout_ns"));
        r.publish = true;
    }

    @Override
    void onEnq(int c, MmuOp o) {
        super.onEnq(c, o);
        r.cost.sharedLineUpdates++;
        r.t[c] += r.lineNs;
    }

    @Override
    void beforeOp(int c, MmuOp o) {
        super.beforeOp(c, o);
        if (readOp(o) || pageOps && pageOp(o.op)) {
            r.flushOwn(c, "mmuext", true);
            waitFor(c, o);
        }
    }

    @Override
    void beforeOobRead(int c, MmuOp o) {
        if (oobWait) {
            waitFor(c, o);
        }
    }

    @Override
    void beforeRmw(int c, MmuOp o) {
        super.beforeRmw(c, o);
        if (rmwWait) {
            waitFor(c, o);
        }
    }

    @Override
    void beforeIssue(int c) {
        waitFor(c, BATCH);
    }

    private void waitFor(int c, MmuOp o) {
        r.readPublished(c);
        BitSet holders = new BitSet();
        for (int d = 0; d < r.ncpu; d++) {
            if (d != c && (global ? r.queues[d].size > 0 : r.overlaps(d, o, granularity, maxTracked))) {
                holders.set(d);
            }
        }
        if (holders.isEmpty()) {
            return;
        }
        r.cost.condvarWaits++;
        long t0 = r.t[c];
        if (!nudge) {
            r.waited(c, t0, t0 + timeout);
            return;
        }
        r.emitCv(c, Op.CV_WAIT, Replay.PENDING_CV, t0);
        r.t[c] = t0 + timeout;
        long acked = r.ipiRound(c, holders); // the holders' flushes broadcast
        long woken = acked + r.cvNs;
        r.cost.condvarWakeups++;
        r.emitCv(c, Op.CV_WAKE, Replay.PENDING_CV, woken);
        r.waited(c, t0, woken);
    }
}
