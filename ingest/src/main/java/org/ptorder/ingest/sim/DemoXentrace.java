package org.ptorder.ingest.sim;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.ptorder.ingest.xentrace.Hypercalls;
import org.ptorder.ingest.xentrace.XenEvents;
import org.ptorder.ingest.xentrace.XentraceWriter;

/**
 * A small, realistic xentrace capture of a 2-vCPU PV dom0 of our own making, for the demo and
 * for end-to-end tests: scheduling (start of day, block, idle, wake), PV hypercalls with
 * multicall entries, PTWR emulations, page faults, wrap padding and one lost-records record,
 * written window by window like xentrace's poll loop. Deterministic for a seed.
 */
public final class DemoXentrace {
    /** The cycle rate the generated TSCs assume. */
    public static final long CPU_HZ = 2_000_000_000L;
    private static final int ARG1_32BIT = 1 << 22;
    private static final int ARG0_32BIT = 1 << 20;
    private static final int PTWR64 = XenEvents.PV_PTWR_EMULATION | XenEvents.TRC_64_FLAG;
    private static final int PAGE_FAULT64 = XenEvents.PV_PAGE_FAULT | XenEvents.TRC_64_FLAG;
    private static final int IDLE = 32767;

    private final XentraceWriter w;
    private final Random rnd;
    private final long[] tsc = {10_000_000_000L, 10_000_150_000L};

    private DemoXentrace(XentraceWriter w, long seed) {
        this.w = w;
        this.rnd = new Random(seed);
    }

    /** Writes about {@code bursts} bursts of guest activity per pCPU to {@code file}. */
    public static void write(Path file, int bursts, long seed) throws IOException {
        try (XentraceWriter w = new XentraceWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            new DemoXentrace(w, seed).run(bursts);
        }
    }

    private long tick(int cpu, int max) {
        tsc[cpu] += 200 + rnd.nextInt(max);
        return tsc[cpu];
    }

    private static int domVcpu(int dom, int vcpu) {
        return dom << 16 | vcpu;
    }

    private void run(int bursts) throws IOException {
        for (int cpu = 0; cpu < 2; cpu++) {
            w.record(cpu, XenEvents.runstateEvent(1, 0), tick(cpu, 1000), domVcpu(0, cpu));
        }
        w.poll();
        for (int b = 0; b < bursts; b++) {
            for (int cpu = 0; cpu < 2; cpu++) {
                burst(cpu);
                if (rnd.nextInt(6) == 0) {
                    sleepAndWake(cpu);
                }
            }
            if (b == bursts / 3) {
                w.wrap(1, 12);
            }
            if (b == bursts / 2) {
                // The ring of pCPU 1 overflowed for a while: 17 records dropped.
                long first = tick(1, 1000);
                // Payload: count; dom (low half) and vCPU (high half) current at the end; first TSC.
                w.record(1, XenEvents.LOST_RECORDS, tick(1, 400_000), 17, 1 << 16,
                    (int) first, (int) (first >>> 32));
            }
            if (b % 4 == 3) {
                w.poll();
            }
        }
    }

    private void hypercall(int cpu, int op, Integer count, boolean sub) {
        int ev = sub ? XenEvents.PV_HYPERCALL_SUBCALL : XenEvents.PV_HYPERCALL_V2;
        if (count == null) {
            w.record(cpu, ev, tick(cpu, 3000), op);
        } else {
            w.record(cpu, ev, tick(cpu, 3000), op | ARG1_32BIT, count);
        }
    }

    /** Mostly single updates, a tail of larger batches up to 31 (Linux's limit per entry). */
    private int batchSize() {
        int n = 1;
        while (n < 31 && rnd.nextInt(100) < 55) {
            n += 1 + rnd.nextInt(3);
        }
        return Math.min(n, 31);
    }

    private void burst(int cpu) {
        int n = 5 + rnd.nextInt(20);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(10)) {
                case 0, 1, 2 -> hypercall(cpu, Hypercalls.MMU_UPDATE, batchSize(), false);
                case 3 -> hypercall(cpu, Hypercalls.MMUEXT_OP, 1 + rnd.nextInt(2), false);
                case 4 -> {
                    int entries = 2 + rnd.nextInt(4);
                    hypercall(cpu, Hypercalls.MULTICALL, entries, false);
                    for (int e = 0; e < entries; e++) {
                        if (rnd.nextBoolean()) {
                            hypercall(cpu, Hypercalls.MMU_UPDATE, batchSize(), true);
                        } else {
                            hypercall(cpu, Hypercalls.MMUEXT_OP, 1, true);
                        }
                    }
                }
                case 5 -> {
                    long pte = 0x8000000100000067L | (long) rnd.nextInt(1 << 20) << 12;
                    long addr = 0xffff888000000000L | (long) rnd.nextInt(1 << 24) << 3;
                    long rip = 0xffffffff81000000L + rnd.nextInt(1 << 20);
                    w.record(cpu, PTWR64, tick(cpu, 3000), (int) pte, (int) (pte >>> 32), (int) addr,
                        (int) (addr >>> 32), (int) rip, (int) (rip >>> 32));
                }
                case 6 -> {
                    long rip = 0x400000L + rnd.nextInt(1 << 16);
                    long addr = 0x7f0000000000L + ((long) rnd.nextInt(1 << 20) << 12);
                    w.record(cpu, PAGE_FAULT64, tick(cpu, 3000), (int) rip, (int) (rip >>> 32), (int) addr,
                        (int) (addr >>> 32), 6);
                }
                case 7 -> hypercall(cpu, 23, null, false); // iret
                case 8 -> w.record(cpu, XenEvents.PV_HYPERCALL_V2, tick(cpu, 3000), 24 | ARG0_32BIT | ARG1_32BIT, 1, cpu);
                default -> hypercall(cpu, Hypercalls.UPDATE_VA_MAPPING, null, false);
            }
        }
    }

    /** dom0's vCPU blocks, the idle vCPU runs, then dom0 is woken and switched back in. */
    private void sleepAndWake(int cpu) {
        w.record(cpu, XenEvents.SCHED_SWITCH, tick(cpu, 2000), 0, cpu, IDLE, cpu);
        w.record(cpu, XenEvents.runstateEvent(0, 2), tick(cpu, 100), domVcpu(0, cpu));
        w.record(cpu, XenEvents.runstateEvent(1, 0), tick(cpu, 100), domVcpu(IDLE, cpu));
        tick(cpu, 2_000_000);
        w.record(cpu, XenEvents.runstateEvent(2, 1), tick(cpu, 100), domVcpu(0, cpu));
        w.record(cpu, XenEvents.SCHED_SWITCH, tick(cpu, 2000), IDLE, cpu, 0, cpu);
        w.record(cpu, XenEvents.runstateEvent(0, 1), tick(cpu, 100), domVcpu(IDLE, cpu));
        w.record(cpu, XenEvents.runstateEvent(1, 0), tick(cpu, 100), domVcpu(0, cpu));
        w.recordNoTsc(cpu, 0x0002220B, 0, 0, domVcpu(0, cpu)); // credit2 load update, no TSC
    }
}
