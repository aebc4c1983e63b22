package org.ptorder.ingest.ftrace;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * Puts ops into line order. Some ops are only decided by the next event of the same CPU (a
 * set_pte is a direct hypercall only if no batch follows; an extension succeeded only if no
 * new entry follows), while other CPUs' lines come in between. Ops wait here until no CPU
 * can still produce an op for an earlier line (the watermark), so {@code seq} follows the
 * effect lines, and within one line the order of emission.
 */
final class OpOrder {
    private record Slot(long line, long serial, MmuOp op) { }

    private final PriorityQueue<Slot> waiting = new PriorityQueue<>((a, b) -> a.line != b.line
        ? Long.compare(a.line, b.line) : Long.compare(a.serial, b.serial));
    private final ArrayDeque<MmuOp> ready = new ArrayDeque<>();
    private long serial;
    private long seq;

    void add(long effectLine, MmuOp op) {
        waiting.add(new Slot(effectLine, serial++, op));
    }

    /** Releases every op whose effect line is below {@code watermark}. */
    void release(long watermark) {
        while (!waiting.isEmpty() && waiting.peek().line < watermark) {
            MmuOp op = waiting.poll().op;
            op.seq = seq++;
            ready.add(op);
        }
    }

    int waiting() {
        return waiting.size();
    }

    MmuOp poll() {
        return ready.poll();
    }
}
