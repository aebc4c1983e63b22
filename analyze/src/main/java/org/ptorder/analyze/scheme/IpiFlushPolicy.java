package org.ptorder.analyze.scheme;

import java.util.BitSet;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * Sa and Sa': SN, plus before every read-op an IPI round: the targets flush their queues and ack,
 * the initiator waits for the last ack. Sa targets every other CPU ({@code sa.targets=all}) or
 * those with a non-empty queue (a shared bitmap, one line update per first enqueue); Sa' targets
 * only CPUs whose scoreboard overlaps the read-op ({@code sa_prime.granularity}), paying one
 * shared-line update per enqueue to publish it. Unpin and frame_free count as read-ops when
 * {@code sa.page_ops} is on.
 */
final class IpiFlushPolicy extends NetbsdPolicy {
    private final boolean scoreboard;
    private final boolean nonEmptyOnly;
    private final boolean pageOps;
    private final String granularity;
    private final int maxTracked;

    IpiFlushPolicy(Replay r, boolean scoreboard) {
        super(r);
        this.scoreboard = scoreboard;
        nonEmptyOnly = r.params.knob("sa.targets").equals("nonempty");
        pageOps = r.params.on("sa.page_ops");
        granularity = r.params.knob("sa_prime.granularity");
        maxTracked = (int) r.params.num("sa_prime.max_tracked");
        r.publish = scoreboard || nonEmptyOnly;
    }

    @Override
    void onEnq(int c, MmuOp o) {
        boolean wasEmpty = r.queues[c].size == 0;
        super.onEnq(c, o);
        if (scoreboard || nonEmptyOnly && wasEmpty) {
            r.cost.sharedLineUpdates++;
            r.t[c] += r.lineNs;
        }
    }

    @Override
    void beforeOp(int c, MmuOp o) {
        if (readOp(o) || pageOps && pageOp(o.op)) {
            r.flushOwn(c, "mmuext", true);
            round(c, o);
        } else {
            super.beforeOp(c, o);
        }
    }

    @Override
    void beforeIssue(int c) {
        round(c, BATCH);
    }

    private void round(int c, MmuOp o) {
        if (r.publish) {
            r.readPublished(c);
        }
        BitSet targets = new BitSet();
        for (int d = 0; d < r.ncpu; d++) {
            if (d == c) {
                continue;
            }
            boolean hit = scoreboard ? r.overlaps(d, o, granularity, maxTracked)
                : !nonEmptyOnly || r.queues[d].size > 0;
            if (hit) {
                targets.set(d);
            }
        }
        if (!targets.isEmpty()) {
            long t0 = r.t[c];
            r.waited(c, t0, r.ipiRound(c, targets));
        }
    }
}
