package org.ptorder.analyze.summary;

import java.io.PrintWriter;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.ptorder.ingest.xentrace.CycleStats;
import org.ptorder.ingest.xentrace.Hypercalls;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.SchedReplay;
import org.ptorder.ingest.xentrace.XenEvents;
import org.ptorder.ingest.xentrace.XenRecord;

/**
 * {@code xenalyze --summary} for PV guests: per-domain and per-vCPU runstate counts, the
 * "PV events" block with hypercalls by op, total time and log volume per pCPU and class. Records
 * are attributed by {@link SchedReplay}, xenalyze's own state machine, so the counts agree with
 * xenalyze's: PV records are dropped where no vCPU is known, for the idle domain, and counted
 * but hidden for the "default domain" 32768. Counting rules follow xenalyze's pv_process: the
 * key is {@code event & 0xff} (32/64-bit and subcall variants together, PAE folded into ptwr),
 * one breakdown array shared by v1, V2 and multicall entries.
 *
 * <p>Not reproduced: the cpu-affinity lines, HVM exit breakdowns, and xenalyze's sampled
 * percentiles (ours come from our own sample).
 */
public final class XenalyzeSummary {
    static final String[] RUNSTATE_NAMES = {"running", "runnable", "blocked", "offline", "lost", "queued", "init"};
    static final String[] RUNNABLE_NAMES = {null, "wake", "preempt", "other"};
    static final String[] DOMAIN_STATE_NAMES = {"blocked", "partial run", "full run", "partial contention",
        "concurrency_hazard", "full_contention", "lost"};
    static final String[] CLASS_NAMES = {"gen", "sched", "dom0op", "hvm", "mem", "pv", "shadow", "hw"};
    static final int PV_MAX = 15;
    static final int PV_HYPERCALL_MAX = 56;
    static final int PV_TRAP_MAX = 20;
    static final String[] PV_NAMES = {null, "hypercall", null, "trap", "page_fault", "forced_invalid_op",
        "emulate privop", "emulate 4g", "math state restore", "paging fixup", "gdt/ldt mapping fault", "ptwr",
        "ptwr(pae)", "hypercall", "hypercall (subcall)"};

    /** A vCPU's PV event counters. */
    public static final class PvCounts {
        final long[] count = new long[PV_MAX];
        final long[] hypercalls = new long[PV_HYPERCALL_MAX];
        final long[] traps = new long[PV_TRAP_MAX];

        /** Records of PV event {@code minor} (event & 0xff), e.g. 4 page_fault, 11 ptwr. */
        public long count(int minor) {
            return count[minor];
        }

        /** Hypercalls and multicall entries with op {@code op}. */
        public long hypercalls(int op) {
            return hypercalls[op];
        }
    }

    private final SchedReplay sched = new SchedReplay();
    private final Map<SchedReplay.Vcpu, PvCounts> pv = new IdentityHashMap<>();
    private final Map<Integer, long[]> volume = new TreeMap<>();
    private long firstTsc;
    private long lastTsc;

    /** Runs over a whole file. */
    public static XenalyzeSummary of(RecordCursor cursor) {
        XenalyzeSummary s = new XenalyzeSummary();
        while (cursor.next()) {
            if (cursor.endedCpu() >= 0) {
                s.sched.endOfStream(cursor.endedCpu());
            }
            s.process(cursor.record());
        }
        if (cursor.endedCpu() >= 0) {
            s.sched.endOfStream(cursor.endedCpu());
        }
        return s;
    }

    public SchedReplay sched() {
        return sched;
    }

    /** PV counters of dom {@code did} vCPU {@code vid}, or null if it had none. */
    public PvCounts pv(int did, int vid) {
        SchedReplay.Domain d = sched.domains().get(did);
        SchedReplay.Vcpu v = d == null ? null : d.vcpus().get(vid);
        return v == null ? null : pv.get(v);
    }

    public long totalCycles() {
        return lastTsc - firstTsc;
    }

    private void process(XenRecord r) {
        int ev = r.event();
        long tsc = r.tsc();
        if (tsc != 0 && tsc >= firstTsc) {
            if (firstTsc == 0) {
                firstTsc = tsc;
            }
            lastTsc = tsc;
        }
        int cls = XenEvents.classOf(ev);
        if (cls == XenEvents.CLASS_PV) {
            pvProcess(r);
        }
        sched.observe(r);
        int bit = Integer.numberOfTrailingZeros(cls);
        long[] vol = volume.computeIfAbsent(r.cpu(), k -> new long[8]);
        if (Integer.bitCount(cls) == 1 && bit < 8) {
            // xenalyze visits a lost-records record twice (start and end of the gap).
            vol[bit] += r.bytes() * (ev == XenEvents.LOST_RECORDS ? 2L : 1L);
        }
    }

    private void pvProcess(XenRecord r) {
        SchedReplay.Vcpu v = sched.claim(r.cpu(), SchedReplay.DataType.PV);
        if (v == null) {
            return;
        }
        int ev = r.event();
        int minor = ev & 0xFF;
        if (minor >= PV_MAX) {
            return;
        }
        PvCounts c = pv.computeIfAbsent(v, k -> new PvCounts());
        c.count[minor == 12 ? 11 : minor]++;
        int argWord = (ev & XenEvents.TRC_64_FLAG) != 0 ? 2 : 1; // after a 64- or 32-bit rip
        if (minor == 1 && r.words() > argWord) {
            long eax = r.word(argWord) & 0xFFFFFFFFL;
            if (eax < PV_HYPERCALL_MAX) {
                c.hypercalls[(int) eax]++;
            }
        } else if ((minor == 13 || minor == 14) && r.words() >= 1) {
            int op = r.word(0) & 0x000FFFFF;
            if (op < PV_HYPERCALL_MAX) {
                c.hypercalls[op]++;
            }
        } else if (minor == 3 && r.words() > argWord) {
            int trap = r.word(argWord) & 0x7FFF;
            if (trap < PV_TRAP_MAX) {
                c.traps[trap]++;
            }
        }
    }

    /** Prints the summary in xenalyze's layout. {@code hz} 0 means cycles only. */
    public void print(PrintWriter out, long hz) {
        if (hz > 0) {
            out.printf("Total time: %.2f seconds (using cpu speed %.2f GHz)%n", totalCycles() / (double) hz, hz / 1e9);
        } else {
            out.printf("Total time: %d cycles (no --cpu-hz given: times below are in cycles)%n", totalCycles());
        }
        out.println("--- Log volume summary ---");
        for (Map.Entry<Integer, long[]> e : volume.entrySet()) {
            out.printf(" - cpu %d -%n", e.getKey());
            for (int j = 0; j < 8; j++) {
                if (e.getValue()[j] != 0) {
                    out.printf(" %-6s: %10d%n", CLASS_NAMES[j], e.getValue()[j]);
                }
            }
        }
        for (SchedReplay.Domain d : sched.domains().values()) {
            out.printf("|-- Domain %d --|%n", d.did);
            out.println(" Runstates:");
            for (int i = 0; i < DOMAIN_STATE_NAMES.length; i++) {
                cycleLine(out, String.format("  %8s", DOMAIN_STATE_NAMES[i]), d.runstate(i), hz);
            }
            out.println(" Grant table ops:\n  Done by:\n  Done for:");
            out.println(" Populate-on-demand:\n  Populated:\n  Reclaim order:\n  Reclaim contexts:");
            for (SchedReplay.Vcpu v : d.vcpus().values()) {
                out.printf("-- v%d --%n", v.vid);
                out.println(" Runstates:");
                for (int i = 0; i < RUNSTATE_NAMES.length; i++) {
                    cycleLine(out, String.format("  %8s", RUNSTATE_NAMES[i]), v.runstate(i), hz);
                    if (i == SchedReplay.RUNNABLE) {
                        for (int j = 1; j <= 3; j++) {
                            cycleLine(out, String.format("    %8s", RUNNABLE_NAMES[j]), v.runnable(j), hz);
                        }
                    }
                }
                PvCounts c = pv.get(v);
                if (c != null) {
                    printPv(out, c);
                }
            }
            out.println("Emulate eip list");
        }
    }

    private static void cycleLine(PrintWriter out, String desc, CycleStats s, long hz) {
        if (s.count() == 0) {
            return;
        }
        String time = hz > 0 ? String.format("%5.2fs", s.cycles() / (double) hz) : s.cycles() + "c";
        out.printf("%s: %7d %s %6d {%6d|%6d|%6d}%n", desc, s.count(), time, s.cycles() / s.count(),
            s.percentile(5), s.percentile(50), s.percentile(95));
    }

    private static void printPv(PrintWriter out, PvCounts c) {
        out.println("PV events:");
        for (int i = 0; i < PV_MAX; i++) {
            long count = c.count[i] + (i == 13 ? c.count[14] : 0);
            if (count == 0 || PV_NAMES[i] == null) {
                continue;
            }
            out.printf("  %s  %d%n", PV_NAMES[i], count);
            if (i == 1 || i == 13) {
                for (int j = 0; j < PV_HYPERCALL_MAX; j++) {
                    if (c.hypercalls[j] != 0) {
                        out.printf("    %-29s[%2d]: %6d%n", xenalyzeOpName(j), j, c.hypercalls[j]);
                    }
                }
            } else if (i == 3) {
                for (int j = 0; j < PV_TRAP_MAX; j++) {
                    if (c.traps[j] != 0) {
                        out.printf("    [%d] %d%n", j, c.traps[j]);
                    }
                }
            }
        }
    }

    /**
     * xenalyze's spellings where they differ from ours. Its table stops at op 37; above that it
     * prints whatever memory follows, so we print our names there.
     */
    static String xenalyzeOpName(int op) {
        switch (op) {
            case 6: return "sched_op(compat)";
            case 16: return "evtchn_op(compat)";
            case 19: return "physdev_op(compat)";
            case 27: return "acm_op";
            default:
                String n = Hypercalls.name(op);
                return n == null ? "(null)" : n;
        }
    }
}
