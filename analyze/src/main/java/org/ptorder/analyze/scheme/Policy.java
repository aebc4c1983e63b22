package org.ptorder.analyze.scheme;

import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * A scheme as a policy (ordering-model §4.1): hooks called for each logical operation, which
 * insert the flushes, IPI rounds, waits and lock operations the scheme performs, through the
 * {@link Replay}'s primitives. The base class is S0: per-CPU queues, flushed when full or where
 * the trace flushes explicitly.
 *
 * <p>What is intent and what is mechanism: a trace's {@code flush reason=explicit} (or without a
 * reason) is the kernel's own {@code xpq_flush_queue}/{@code xen_mc_flush} call and stays; the
 * other flushes ({@code mmuext}, {@code unlock}, {@code lazy_leave}, {@code full}) are what the
 * recorded scheme did, and each policy decides its own instead.
 */
abstract class Policy {
    final Replay r;

    Policy(Replay r) {
        this.r = r;
    }

    static Policy of(Scheme s, Replay r) {
        return switch (s) {
            case S0 -> new NonePolicy(r);
            case SN -> new NetbsdPolicy(r);
            case S1 -> new GlobalQueuePolicy(r);
            case SA -> new IpiFlushPolicy(r, false);
            case SA_PRIME -> new IpiFlushPolicy(r, true);
            case SB -> new CondvarPolicy(r);
            case SSH -> new ShadowPolicy(r);
            case SL -> new LinuxPolicy(r);
        };
    }

    static boolean intentFlush(MmuOp o) {
        return o.reason == null || "explicit".equals(o.reason);
    }

    /** A read-op (§3.5): a TLB operation, a base switch, or an update_va_mapping that flushes (flags bit 0 or 1). */
    static boolean readOp(MmuOp o) {
        return o.op.isTlbOp() || o.op == Op.NEW_BASEPTR
            || o.op == Op.UPDATE_VA_MAPPING && MmuOp.has(o.flags) && (o.flags & 3) != 0;
    }

    static boolean pageOp(Op op) {
        return op == Op.UNPIN || op == Op.FRAME_FREE;
    }

    void op(int c, MmuOp o) {
        switch (o.op) {
            case ENQ -> onEnq(c, o);
            case FLUSH -> {
                if (intentFlush(o)) {
                    issuing(c);
                    onExplicitFlush(c, o);
                }
            }
            case TLB_FLUSH, INVLPG, TLB_FLUSH_MULTI, INVLPG_MULTI, TLB_FLUSH_ALL, INVLPG_ALL, NEW_BASEPTR, PIN, UNPIN,
                 UPDATE_VA_MAPPING, FRAME_FREE -> {
                if (r.linuxLazy && r.lazy[c] && o.op != Op.FRAME_FREE) {
                    deferOp(c, o);
                    if (o.op == Op.NEW_BASEPTR) {
                        r.pendingRoot[c] = o.root;
                    }
                    return;
                }
                beforeOp(c, o);
                r.pass(c, o);
                if (o.op == Op.NEW_BASEPTR) {
                    r.actualRoot[c] = o.root;
                }
                afterOp(c, o);
            }
            case OOB_READ -> {
                beforeOobRead(c, o);
                r.pass(c, o);
                afterOobRead(c, o);
            }
            case RMW -> {
                beforeRmw(c, o);
                r.pass(c, o);
                afterRmw(c, o);
            }
            case LOCK -> {
                r.pass(c, o);
                r.held[c]++;
            }
            case UNLOCK -> {
                beforeUnlock(c, o);
                r.pass(c, o);
                r.held[c] = Math.max(0, r.held[c] - 1);
            }
            case LAZY_ENTER -> {
                r.pass(c, o);
                r.lazy[c] = true;
            }
            case LAZY_LEAVE -> {
                issuing(c);
                beforeLazyLeave(c, o);
                r.pass(c, o);
                r.lazy[c] = false;
                if (r.linuxLazy && MmuOp.has(r.pendingRoot[c])) {
                    r.actualRoot[c] = r.pendingRoot[c];
                    r.pendingRoot[c] = MmuOp.NONE;
                }
            }
            default -> r.pass(c, o);
        }
    }

    // ---- hooks (S0 behaviour)

    void onEnq(int c, MmuOp o) {
        if (r.queues[c].size >= r.xpqCap) {
            r.flushOwn(c, "full", false);
        }
        r.enqueue(c, o);
    }

    /** An mmuext op inside a Linux lazy section of an intent trace: it joins the batch. */
    void deferOp(int c, MmuOp o) {
        if (readOp(o) || pageOp(o.op)) {
            r.deferredReads[c]++;
        }
        r.defer(c, o);
    }

    /** c is about to issue its batch; read-ops in it take effect now, so their hook runs now. */
    private void issuing(int c) {
        if (r.deferredReads[c] > 0) {
            r.deferredReads[c] = 0;
            beforeIssue(c);
        }
    }

    /** A full flush's coverage: what a batch of read-ops concerns when the hook cannot tell which. */
    static final MmuOp BATCH = new MmuOp(0, Op.TLB_FLUSH);

    /** Before a batch with read-ops in it is issued (Linux intent traces). */
    void beforeIssue(int c) { }

    /** The trace's own flush: flushes what this scheme has queued (a Linux batch issue even when empty). */
    void onExplicitFlush(int c, MmuOp o) {
        int n = r.queues[c].size;
        if (n > 0 || r.linuxLazy) {
            r.passFlush(c, o, n);
            r.t[c] += r.flushCost(n);
        }
    }

    /** Before an mmuext op, update_va_mapping or frame_free. */
    void beforeOp(int c, MmuOp o) { }

    void afterOp(int c, MmuOp o) { }

    void beforeOobRead(int c, MmuOp o) { }

    void afterOobRead(int c, MmuOp o) { }

    void beforeRmw(int c, MmuOp o) { }

    void afterRmw(int c, MmuOp o) { }

    void beforeUnlock(int c, MmuOp o) { }

    void beforeLazyLeave(int c, MmuOp o) { }

    /** Whether o is a hypercall op that NetBSD's wrappers precede with a flush of the own queue. */
    static boolean mmuext(Op op) {
        return op != Op.FRAME_FREE;
    }
}
