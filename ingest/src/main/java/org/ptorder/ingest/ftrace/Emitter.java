package org.ptorder.ingest.ftrace;

import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/** Makes ops stamped with a line's time, pid and source line, and hands them to {@link OpOrder}. */
final class Emitter {
    private final GuestClock clock;
    private final OpOrder order;

    Emitter(GuestClock clock, OpOrder order) {
        this.clock = clock;
        this.order = order;
    }

    /** A new op read from line {@code l}, taking effect at its time. */
    MmuOp make(int cpu, Op kind, FtraceLine l) {
        return stamp(new MmuOp(cpu, kind), l.lineNo, l.time, l.pid);
    }

    /** Sets where an op was read from ({@code srcLine}) and when it takes effect ({@code time}). */
    MmuOp stamp(MmuOp op, long srcLine, long time, int pid) {
        op.srcLine = srcLine;
        op.ts = clock.ns(time);
        op.tsc = clock.tsc(time);
        op.thread = pid;
        return op;
    }

    /** Queues an op at the line where it takes effect. */
    void emit(long effectLine, MmuOp op) {
        order.add(effectLine, op);
    }
}
