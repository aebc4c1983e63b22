package org.ptorder.analyze.check;

import java.util.ArrayList;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * One entry of a CPU's queue: a PTE update (or, in a Linux lazy batch, a deferred mmuext op),
 * from its enqueue until nothing can depend on it any more. Applied entries stay in the queue's
 * applied prefix while some happens-before carrier could still order their enqueue, but not
 * their apply, before a later event (see {@link CpuState}).
 */
final class Entry {
    static final byte PT = 0;
    static final byte AD = 1;
    static final byte M2P = 2;
    static final byte DEFERRED = 3;
    static final byte RMW = 4;

    /** Something waiting for this entry's apply (a label that the flush's time decides). */
    interface Waiter {
        void applied(Entry u, EventRef flush);

        void end(Entry u);
    }

    final int cpu;
    long seq;
    long ts;
    long line;
    long offset;
    String at;
    long thread;
    long enqEpoch;
    byte kind;

    long pte = MmuOp.NONE;
    long val = MmuOp.NONE;
    long va = MmuOp.NONE;
    /** The value u replaces as the writer saw it: old=, else its own earlier queued value, else applied memory. */
    long v0 = MmuOp.NONE;
    /** The frame the update unmaps (V6), or NONE. */
    long unmapFrame = MmuOp.NONE;
    boolean v6Done;
    /** The life of its table page it was enqueued in (see {@link Tables#lifeRef}). */
    long life;
    /** V5-pending already reported for its table page (bit 0) / for the page its value points to (bit 1). */
    byte v5Done;

    /** VA range the entry maps: [lo, lo + span); range == null when unknown. */
    long lo;
    long span;
    Coverage range;
    /** Declared level of its table at enqueue, 0 if unknown. */
    int level;

    PteState ps;
    MmuOp deferred;
    EventRef deferredRef;

    boolean applied;
    long applyEpoch;
    EventRef flush;
    ArrayList<Waiter> waiters;
    ArrayList<Entry> v2;
    /** For each V2 candidate: the hb path by which this entry's enqueue learned of it. */
    ArrayList<HbPath> v2Paths;
    EventRef orphanedBy;
    private EventRef ref;

    Entry(int cpu) {
        this.cpu = cpu;
    }

    boolean isData() {
        return kind == PT || kind == AD;
    }

    void addWaiter(Waiter w) {
        if (waiters == null) {
            waiters = new ArrayList<>(2);
        }
        waiters.add(w);
    }

    boolean inRange(long x) {
        return range != null && Long.compareUnsigned(x - lo, span) < 0;
    }

    /** The event that applied it, for order comparisons: the rmw itself for an rmw write. */
    EventRef applyRef() {
        return kind == RMW ? ref() : flush;
    }

    EventRef ref() {
        if (ref == null) {
            String d;
            if (kind == DEFERRED) {
                ref = deferredRef;
                return ref;
            }
            StringBuilder sb = new StringBuilder(kind == RMW ? "rmw" : "enq");
            if (pte != MmuOp.NONE) {
                sb.append(" pte=").append(EventRef.hex(pte));
            }
            if (val != MmuOp.NONE) {
                sb.append(kind == RMW ? " new=" : " val=").append(EventRef.hex(val));
            }
            if (va != MmuOp.NONE) {
                sb.append(" va=").append(EventRef.hex(va));
            }
            if (kind == AD) {
                sb.append(" kind=ad");
            }
            d = sb.toString();
            ref = new EventRef(seq, cpu, ts, line, offset, at, kind == RMW ? Op.RMW : Op.ENQ, d);
        }
        return ref;
    }
}
