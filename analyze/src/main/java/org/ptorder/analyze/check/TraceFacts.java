package org.ptorder.analyze.check;

import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpSource;
import org.ptorder.ingest.mmu.Op;

/**
 * What a trace contains, known before the checking pass: op counts and CPUs. The checker uses it
 * to know up front what it can decide (a trace without lock, IPI or condvar events has no
 * cross-CPU happens-before at all) and what state it need not keep.
 */
public final class TraceFacts {
    private final long[] counts = new long[Op.values().length];
    private int maxCpu = -1;
    private int declaredCpus = -1;

    public void add(MmuOp o) {
        counts[o.op.ordinal()]++;
        if (o.cpu > maxCpu) {
            maxCpu = o.cpu;
        }
        if (o.op == Op.MIGRATE && o.to > maxCpu) {
            maxCpu = o.to;
        }
    }

    public void add(Op op, long n) {
        counts[op.ordinal()] += n;
    }

    public void seeCpu(int cpu) {
        maxCpu = Math.max(maxCpu, cpu);
    }

    /** The trace's own statement of its CPU count (a .pmt cpus=, trace_files.pcpus), or -1. */
    public void declareCpus(int n) {
        declaredCpus = n;
    }

    /** Counts every op of {@code src} (a first pass over a file). */
    public static TraceFacts scan(MmuOpSource src) {
        TraceFacts f = new TraceFacts();
        while (src.next()) {
            f.add(src.op());
        }
        return f;
    }

    public long count(Op op) {
        return counts[op.ordinal()];
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** CPUs in the trace: the declared count, else the highest CPU seen plus one (at least 1). */
    public int cpus() {
        return Math.max(Math.max(declaredCpus, maxCpu + 1), 1);
    }

    /** Whether any op creates a cross-CPU happens-before edge. */
    public boolean hasSync() {
        return count(Op.LOCK) + count(Op.UNLOCK) + count(Op.IPI_SEND) + count(Op.IPI_RECV) + count(Op.IPI_ACK)
            + count(Op.IPI_DONE) + count(Op.CV_BROADCAST) + count(Op.CV_WAKE) + count(Op.MIGRATE) > 0;
    }

    public boolean hasAccesses() {
        return count(Op.ACCESS) > 0;
    }

    /** Frees or reuses of frames (V5, V6). */
    public boolean hasFrameEvents() {
        return count(Op.FRAME_FREE) + count(Op.FRAME_ALLOC) > 0;
    }

    public boolean hasPageEvents() {
        return hasFrameEvents() || count(Op.UNPIN) > 0;
    }
}
