package org.ptorder.ingest.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.RealData;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.xentrace.Hypercalls;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.TraceFile;
import org.ptorder.ingest.xentrace.XenEvents;
import org.ptorder.ingest.xentrace.XenRecord;

/**
 * {@code --system linux --workload mixed} resembles the real capture run-a
 * (shared/data/real/qemu-tcg-xen417-pv-dom0, a Linux 6.1 PV dom0 running the same kind of
 * workload). Figures and tolerances:
 *
 * <ul>
 *   <li><b>mmu_update batch sizes</b>, from the xentrace records of both (real {@code xen.trace},
 *       and the simulator's own xentrace output), read with the same reader and decoder: the share
 *       of calls carrying one request (±0.01 absolute: it is the dominant mode, page faults issue
 *       one update each), the share carrying 16 or more (within a factor of 2: these are fork's
 *       copies, full batches of 31, and their number per fault depends on how much memory the
 *       workload's processes hold when they fork, which the README gives only roughly), and the mean
 *       (±15%).
 *   <li><b>set_pte : flush</b>, PTE writes per flush that issues at least one: real from the ftrace
 *       text ({@code xen_mmu_set_pte/pmd/pud/p4d} and {@code ptep_modify_prot_commit} per direct
 *       mmu_update or {@code xen_mc_flush} carrying mmu_update requests), simulated from the .pmt's
 *       {@code enq}s and the flushes that carry them (±15%).
 *   <li><b>remote flush rate</b>: {@code xen_mmu_flush_tlb_multi} per 1000 PTE writes, and as a share
 *       of it plus {@code xen_mmu_flush_tlb_one_user} (the .pmt's {@code *_multi} and {@code invlpg})
 *       (each within a factor of 2: it depends on how often mmwork's two threads run at the same
 *       time, and under TCG both vCPUs were busy 99% of the time, which a timing model of real
 *       hardware does not reproduce exactly).
 * </ul>
 */
class RunADistributionTest {
    @TempDir
    Path dir;

    record Figures(double one, double big, double mean, double perFlush, double remotePer1000, double remoteShare) {
        @Override
        public String toString() {
            return String.format("P(1)=%.4f P(>=16)=%.5f mean=%.3f set_pte:flush=%.3f remote/1000=%.2f remote share=%.4f",
                one, big, mean, perFlush, remotePer1000, remoteShare);
        }
    }

    /** mmu_update request counts per call (direct and multicall entries), from a xentrace file. */
    static long[] mmuUpdateSizes(Path xen) {
        long[] sizes = new long[64];
        Hypercalls.Call c = new Hypercalls.Call();
        try (RecordCursor cur = RecordCursor.open(TraceFile.open(xen), WarningSink.IGNORE)) {
            while (cur.next()) {
                XenRecord r = cur.record();
                if (r.event() != XenEvents.PV_HYPERCALL_V2 && r.event() != XenEvents.PV_HYPERCALL_SUBCALL) {
                    continue;
                }
                Hypercalls.decode(r, c);
                if (c.op == Hypercalls.MMU_UPDATE && c.count() > 0) {
                    sizes[(int) Math.min(c.count(), 63)]++;
                }
            }
        }
        return sizes;
    }

    static double[] batchFigures(long[] sizes) {
        long calls = 0;
        long reqs = 0;
        long big = 0;
        for (int i = 1; i < 64; i++) {
            calls += sizes[i];
            reqs += (long) i * sizes[i];
            if (i >= 16) {
                big += sizes[i];
            }
        }
        return new double[] {sizes[1] / (double) calls, big / (double) calls, reqs / (double) calls};
    }

    /** The real figures: xentrace for batch sizes, the guest's ftrace text for the rest. */
    static Figures real() throws Exception {
        double[] b = batchFigures(mmuUpdateSizes(RealData.run(RealData.RUN_A, "xen.trace")));
        Path ftrace = RealData.run(RealData.RUN_A, "ftrace-kernel-trace.txt.gz");
        long writes = 0;
        long flushes = 0;
        long remote = 0;
        long one = 0;
        // per CPU: a set_pte waiting to see whether it is batched; mmu_update requests in the open batch
        Map<String, Boolean> pendingSetPte = new java.util.HashMap<>();
        Map<String, Long> batchUpdates = new java.util.HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(ftrace), 1 << 16), StandardCharsets.US_ASCII), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                int lb = line.indexOf('[');
                int colon = line.indexOf(": ", lb);
                if (lb < 0 || colon < 0) {
                    continue;
                }
                String cpu = line.substring(lb + 1, line.indexOf(']', lb));
                int evEnd = line.indexOf(':', colon + 2);
                String ev = line.substring(colon + 2, evEnd);
                String text = line.substring(evEnd + 1);
                if (pendingSetPte.remove(cpu) != null && !ev.equals("xen_mc_batch")) {
                    flushes++; // a direct mmu_update of one request
                }
                switch (ev) {
                    case "xen_mmu_set_pte" -> {
                        writes++;
                        pendingSetPte.put(cpu, Boolean.TRUE);
                    }
                    case "xen_mmu_set_pmd", "xen_mmu_set_pud", "xen_mmu_set_p4d", "xen_mmu_ptep_modify_prot_commit" -> writes++;
                    case "xen_mc_entry" -> {
                        if (text.startsWith(" op 1(")) {
                            batchUpdates.merge(cpu, 1L, Long::sum);
                        }
                    }
                    case "xen_mc_extend_args" -> {
                        if (text.startsWith(" extending op 1(") && text.endsWith("res OK")) {
                            batchUpdates.merge(cpu, 1L, Long::sum);
                        }
                    }
                    case "xen_mc_flush" -> {
                        if (batchUpdates.getOrDefault(cpu, 0L) > 0) {
                            flushes++;
                        }
                        batchUpdates.put(cpu, 0L);
                    }
                    case "xen_mmu_flush_tlb_multi" -> remote++;
                    case "xen_mmu_flush_tlb_one_user" -> one++;
                    default -> { }
                }
            }
        }
        return new Figures(b[0], b[1], b[2], writes / (double) flushes, 1000.0 * remote / writes,
            remote / (double) (remote + one));
    }

    Figures simulated() throws Exception {
        Sims.Out out = Sims.run(SimConfig.clean("linux", 2, 1_500_000, "mixed", 1), true, false);
        Path xen = Files.write(dir.resolve("sim.xen"), out.xentrace());
        double[] b = batchFigures(mmuUpdateSizes(xen));
        SimStats s = out.result().stats();
        long remote = s.remoteInvalidations();
        return new Figures(b[0], b[1], b[2], s.queuedWrites() / (double) s.pteFlushes(),
            1000.0 * remote / s.queuedWrites(), remote / (double) (remote + s.count(Op.INVLPG)));
    }

    @Test
    void linuxMixedResemblesRunA() throws Exception {
        Figures real = real();
        Figures sim = simulated();
        String both = "\n  run-a:     " + real + "\n  simulated: " + sim;
        System.out.println("distribution vs run-a:" + both);
        assertTrue(Math.abs(sim.one() - real.one()) <= 0.01, "P(count=1)" + both);
        assertTrue(within(sim.big(), real.big(), 2), "P(count>=16)" + both);
        assertTrue(Math.abs(sim.mean() / real.mean() - 1) <= 0.15, "mean count" + both);
        assertTrue(Math.abs(sim.perFlush() / real.perFlush() - 1) <= 0.15, "set_pte:flush" + both);
        assertTrue(within(sim.remotePer1000(), real.remotePer1000(), 2), "remote flushes per 1000 writes" + both);
        assertTrue(within(sim.remoteShare(), real.remoteShare(), 2), "remote share" + both);
    }

    private static boolean within(double a, double b, double factor) {
        return a <= b * factor && b <= a * factor;
    }
}
