package org.ptorder.ingest.sim;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.ptorder.ingest.xentrace.Hypercalls;
import org.ptorder.ingest.xentrace.XenEvents;
import org.ptorder.ingest.xentrace.XentraceWriter;

/**
 * The Xen side of a simulated trace: the records xentrace would hold for the hypercalls the guest
 * makes, written through {@link XentraceWriter} in the real on-disk format. vCPU {@code i} runs on
 * pCPU {@code i} for the whole trace; a runstate record at the start tells xenalyze (and
 * ptorder's SchedReplay) which domain and vCPU that is. TSC = {@link #TSC_BASE} + ts x hz / 1e9.
 *
 * <p>What Xen records (reference/xentrace.md §2.4): one {@code TRC_PV_HYPERCALL_V2} per hypercall,
 * with the request count (A1) for mmu_update, mmuext_op and multicall; for a multicall, one
 * {@code TRC_PV_HYPERCALL_SUBCALL} per entry after it; a {@code PTWR_EMULATION} for each trapped
 * PTE write (Linux PV's xchg/cmpxchg on pinned tables); a {@code PAGE_FAULT} for each fault
 * bounced to the guest. A null emitter ({@link #NONE}) makes all of this free when no xentrace
 * output was asked for.
 */
class HypercallEmitter implements AutoCloseable {
    /** TSC of simulated time 0. */
    static final long TSC_BASE = 1_000_000_000L;
    private static final int ARG1_32BIT = 1 << 22;
    private static final int PTWR64 = XenEvents.PV_PTWR_EMULATION | XenEvents.TRC_64_FLAG;
    private static final int PAGE_FAULT64 = XenEvents.PV_PAGE_FAULT | XenEvents.TRC_64_FLAG;
    private static final long POLL_RECORDS = 1 << 15;

    /** Emits nothing. */
    static final HypercallEmitter NONE = new HypercallEmitter();

    private final XentraceWriter w;
    private final long hz;
    private final int domid;
    private long sincePoll;

    private HypercallEmitter() {
        this.w = null;
        this.hz = 0;
        this.domid = 0;
    }

    HypercallEmitter(OutputStream out, int cpus, long hz, int domid) {
        this.w = new XentraceWriter(new BufferedOutputStream(out, 1 << 16));
        this.hz = hz;
        this.domid = domid;
        for (int cpu = 0; cpu < cpus; cpu++) {
            // runnable -> running of (domid, vcpu) on this pCPU, at TSC_BASE
            w.record(cpu, XenEvents.runstateEvent(1, 0), TSC_BASE, domid << 16 | cpu);
        }
    }

    /** The TSC of simulated time {@code ts} (ns): TSC_BASE + ts x hz / 1e9, exact for any ts. */
    long tsc(long ts) {
        long sec = ts / 1_000_000_000L;
        long rest = ts % 1_000_000_000L;
        return TSC_BASE + sec * hz + rest * hz / 1_000_000_000L;
    }

    /** A hypercall issued directly (not through a multicall); {@code count} < 0: none recorded. */
    void direct(int cpu, long ts, int op, int count) {
        if (w == null) {
            return;
        }
        if (count < 0) {
            w.record(cpu, XenEvents.PV_HYPERCALL_V2, tsc(ts), op);
        } else {
            w.record(cpu, XenEvents.PV_HYPERCALL_V2, tsc(ts), op | ARG1_32BIT, count);
        }
        tick(1);
    }

    /** A multicall of {@code n} entries: V2 op=13 count=n, then one SUBCALL per entry. */
    void multicall(int cpu, long ts, int[] ops, int[] counts, int n) {
        if (w == null) {
            return;
        }
        long t = tsc(ts);
        w.record(cpu, XenEvents.PV_HYPERCALL_V2, t, Hypercalls.MULTICALL | ARG1_32BIT, n);
        for (int i = 0; i < n; i++) {
            if (ops[i] == Hypercalls.UPDATE_VA_MAPPING) {
                w.record(cpu, XenEvents.PV_HYPERCALL_SUBCALL, t, ops[i]);
            } else {
                w.record(cpu, XenEvents.PV_HYPERCALL_SUBCALL, t, ops[i] | ARG1_32BIT, counts[i]);
            }
        }
        tick(n + 1);
    }

    /** Xen emulated a guest write to a read-only (pinned) page-table page. */
    void ptwr(int cpu, long ts, long newPte, long pteLinear, long rip) {
        if (w == null) {
            return;
        }
        w.record(cpu, PTWR64, tsc(ts), (int) newPte, (int) (newPte >>> 32), (int) pteLinear, (int) (pteLinear >>> 32),
            (int) rip, (int) (rip >>> 32));
        tick(1);
    }

    /** A page fault Xen bounced to the guest. */
    void pageFault(int cpu, long ts, long va, boolean write, long rip) {
        if (w == null) {
            return;
        }
        w.record(cpu, PAGE_FAULT64, tsc(ts), (int) rip, (int) (rip >>> 32), (int) va, (int) (va >>> 32),
            write ? 6 : 4);
        tick(1);
    }

    private void tick(int records) {
        sincePoll += records;
        if (sincePoll >= POLL_RECORDS) {
            sincePoll = 0;
            try {
                w.poll();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (w != null) {
            w.close();
        }
    }
}
