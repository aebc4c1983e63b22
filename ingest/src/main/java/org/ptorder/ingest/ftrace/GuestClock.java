package org.ptorder.ingest.ftrace;

import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * Turns a line's timestamp into ns since the trace's first event. Seconds-based clocks
 * (local, global, mono, boot) convert exactly; cycle clocks (x86-tsc, counter) need the rate,
 * and without one the ns are unknown (NULL) while the cycles are kept as {@code tsc}.
 */
public final class GuestClock {
    private final long origin;
    private final boolean cycles;
    private final TimeBase tsc;

    public GuestClock(long firstTime, boolean cycles, long cpuHz) {
        this.origin = firstTime;
        this.cycles = cycles;
        this.tsc = new TimeBase(firstTime, cycles ? cpuHz : 0);
    }

    public boolean cycles() {
        return cycles;
    }

    /** ns since the first event, or {@link MmuOp#NONE} for a cycle clock without a known rate. */
    public long ns(long time) {
        return cycles ? tsc.nsOrMin(time) : time - origin;
    }

    /** The raw cycle count for a cycle clock, else NONE. */
    public long tsc(long time) {
        return cycles ? time : MmuOp.NONE;
    }

    /** True when {@link #ns} gives numbers. */
    public boolean nsKnown() {
        return !cycles || tsc.known();
    }
}
