package org.ptorder.analyze.summary;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptorder.ingest.xentrace.Hypercalls;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.XenEvents;
import org.ptorder.ingest.xentrace.XenRecord;

/**
 * A re-implementation of {@code xenalyze --summary} for PV guests: the per-domain and per-vCPU
 * runstate counts, the "PV events" block with hypercalls by op, total time and log volume.
 * The attribution of records to vCPUs follows xenalyze's own state machine (p->current,
 * start-of-day, descheduling, lost vCPUs, end of a pCPU's stream), because the counts only
 * agree if records are dropped exactly where xenalyze drops them: PV records while no vCPU is
 * known on a pCPU, records of the idle domain, and records of the "default domain" 32768 that
 * stands for "not known yet".
 *
 * <p>Not reproduced: TSC-skew correction between pCPUs (skew shows up as warnings instead),
 * the cpu-affinity lines, HVM exit breakdowns, and xenalyze's sampled percentiles (ours are from
 * our own sample). Lost records are handled at their own TSC, where xenalyze also visits them at
 * the TSC of the first lost record.
 */
public final class XenalyzeSummary {
    static final int RUNNING = 0;
    static final int RUNNABLE = 1;
    static final int BLOCKED = 2;
    static final int OFFLINE = 3;
    static final int LOST = 4;
    static final int QUEUED = 5;
    static final int INIT = 6;
    static final String[] RUNSTATE_NAMES = {"running", "runnable", "blocked", "offline", "lost", "queued", "init"};
    static final String[] RUNNABLE_NAMES = {null, "wake", "preempt", "other"};
    static final String[] DOMAIN_RUNSTATE_NAMES = {"blocked", "partial run", "full run", "partial contention",
        "concurrency_hazard", "full_contention", "lost"};
    static final int IDLE_DOMAIN = 32767;
    static final int DEFAULT_DOMAIN = 32768;
    /** xenalyze's per-vCPU arrays stop here. */
    static final int MAX_VCPUS = 256;
    static final int PV_MAX = 15;
    static final int PV_HYPERCALL_MAX = 56;
    static final int PV_TRAP_MAX = 20;
    static final String[] PV_NAMES = {null, "hypercall", null, "trap", "page_fault", "forced_invalid_op",
        "emulate privop", "emulate 4g", "math state restore", "paging fixup", "gdt/ldt mapping fault", "ptwr",
        "ptwr(pae)", "hypercall", "hypercall (subcall)"};

    enum DataType { NONE, PV, HVM }

    /** One vCPU's state and counters. */
    public static final class Vcpu {
        final Domain d;
        final int vid;
        int state = INIT;
        long runstateTsc;
        int runnableState;
        Pcpu p;
        boolean activated;
        DataType dataType = DataType.NONE;
        final CycleStats[] runstates = newStats(7);
        final CycleStats[] runnableStates = newStats(4);
        boolean pvSeen;
        final long[] pvCount = new long[PV_MAX];
        final long[] hypercallCount = new long[PV_HYPERCALL_MAX];
        final long[] trapCount = new long[PV_TRAP_MAX];

        Vcpu(Domain d, int vid) {
            this.d = d;
            this.vid = vid;
        }

        public long pvCount(int minor) {
            return pvCount[minor];
        }

        public long hypercalls(int op) {
            return hypercallCount[op];
        }

        public CycleStats runstate(int state) {
            return runstates[state];
        }
    }

    /** One domain and its vCPUs. */
    public static final class Domain {
        final int did;
        final Map<Integer, Vcpu> vcpus = new TreeMap<>();
        int runstate;
        long runstateTsc;
        final CycleStats[] runstates = newStats(7);

        Domain(int did) {
            this.did = did;
        }

        public Map<Integer, Vcpu> vcpus() {
            return vcpus;
        }

        public CycleStats runstate(int state) {
            return runstates[state];
        }
    }

    static final class Pcpu {
        final int pid;
        Vcpu current;
        long firstTsc;
        long lastTsc;
        boolean summary;
        boolean active = true;
        boolean seenValidSchedule = true;
        final long[] volume = new long[8];

        Pcpu(int pid) {
            this.pid = pid;
        }
    }

    private final Map<Integer, Domain> domains = new TreeMap<>();
    private final Domain defaultDomain = new Domain(DEFAULT_DOMAIN);
    private final Map<Integer, Pcpu> pcpus = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private long firstTsc;
    private long lastTsc;
    private int lostCpus;

    private static CycleStats[] newStats(int n) {
        CycleStats[] a = new CycleStats[n];
        for (int i = 0; i < n; i++) {
            a[i] = new CycleStats();
        }
        return a;
    }

    /** Runs over a whole file. */
    public static XenalyzeSummary of(RecordCursor cursor) {
        XenalyzeSummary s = new XenalyzeSummary();
        while (cursor.next()) {
            if (cursor.endedCpu() >= 0) {
                s.endOfStream(cursor.endedCpu());
            }
            s.process(cursor.record());
        }
        if (cursor.endedCpu() >= 0) {
            s.endOfStream(cursor.endedCpu());
        }
        return s;
    }

    public Map<Integer, Domain> domains() {
        return domains;
    }

    public List<String> warnings() {
        return warnings;
    }

    public long totalCycles() {
        return lastTsc - firstTsc;
    }

    private Pcpu pcpu(int pid) {
        return pcpus.computeIfAbsent(pid, id -> {
            Pcpu p = new Pcpu(id);
            // The default vCPU, numbered like the pCPU, is "running" there until we know better.
            Vcpu v = vcpuIn(defaultDomain, id);
            v.activated = true;
            v.p = p;
            v.state = RUNNING;
            p.current = v;
            return p;
        });
    }

    private static Vcpu vcpuIn(Domain d, int vid) {
        return d.vcpus.computeIfAbsent(vid, id -> new Vcpu(d, id));
    }

    private Vcpu vcpuFind(int did, int vid) {
        Domain d = did == DEFAULT_DOMAIN ? defaultDomain : domains.computeIfAbsent(did, Domain::new);
        return vcpuIn(d, vid);
    }

    void process(XenRecord r) {
        Pcpu p = pcpu(r.cpu());
        int ev = r.event();
        long tsc = r.tsc();
        if (r.hasTsc() || tsc != 0) {
            if (p.firstTsc == 0) {
                p.firstTsc = tsc;
            }
            p.lastTsc = tsc;
        }
        p.summary = true;
        int cls = XenEvents.classOf(ev);
        if (tsc != 0 && tsc >= firstTsc) {
            if (firstTsc == 0) {
                firstTsc = tsc;
            }
            lastTsc = tsc;
        }
        switch (cls) {
            case XenEvents.CLASS_SCHED:
                if (((ev >> 12) & 0xF) == 1) {
                    runstateProcess(p, r);
                }
                break;
            case XenEvents.CLASS_PV:
                pvProcess(p, r);
                break;
            case XenEvents.CLASS_GEN:
                if (ev == XenEvents.LOST_RECORDS && r.words() >= 4) {
                    lostRecords(p, r);
                }
                break;
            default:
                break;
        }
        int bit = Integer.numberOfTrailingZeros(cls);
        if (Integer.bitCount(cls) == 1 && bit < 8) {
            p.volume[bit] += r.bytes() * (ev == XenEvents.LOST_RECORDS ? 2L : 1L);
        }
    }

    private void pvProcess(Pcpu p, XenRecord r) {
        Vcpu v = p.current;
        if (v == null || v.d.did == IDLE_DOMAIN) {
            return;
        }
        if (v.dataType != DataType.NONE && v.dataType != DataType.PV) {
            return;
        }
        v.dataType = DataType.PV;
        int ev = r.event();
        boolean x64 = (ev & XenEvents.TRC_64_FLAG) != 0;
        int minor = ev & 0xFF;
        if (minor >= PV_MAX) {
            return;
        }
        v.pvSeen = true;
        v.pvCount[minor == 12 ? 11 : minor]++;
        switch (minor) {
            case 1: {
                int idx = x64 ? 2 : 1;
                if (r.words() > idx) {
                    long eax = r.word(idx) & 0xFFFFFFFFL;
                    if (eax < PV_HYPERCALL_MAX) {
                        v.hypercallCount[(int) eax]++;
                    }
                }
                break;
            }
            case 13:
            case 14: {
                if (r.words() >= 1) {
                    int op = r.word(0) & 0x000FFFFF;
                    if (op < PV_HYPERCALL_MAX) {
                        v.hypercallCount[op]++;
                    }
                }
                break;
            }
            case 3: {
                int idx = x64 ? 2 : 1;
                if (r.words() > idx) {
                    int trap = r.word(idx) & 0x7FFF;
                    if (trap < PV_TRAP_MAX) {
                        v.trapCount[trap]++;
                    }
                }
                break;
            }
            default:
                break;
        }
    }

    private void runstateProcess(Pcpu p, XenRecord r) {
        int ev = r.event();
        int kind = ev & 0xF;
        if (kind != 1 && kind != 2 || r.words() < 1) {
            return;
        }
        boolean cont = kind == 2;
        int oldState = cont ? RUNNING : (ev >> 8) & 0xF;
        int newState = cont ? RUNNING : (ev >> 4) & 0xF;
        int w = r.word(0);
        int vid = w & 0xFFFF;
        int did = w >>> 16;
        if (vid > MAX_VCPUS) {
            return;
        }
        long tsc = r.tsc();
        Vcpu v = vcpuFind(did, vid);
        if (v.state == INIT) {
            vcpuStart(p, v, oldState, newState, tsc);
            return;
        }
        if (v.state != oldState) {
            if (v.state == LOST) {
                if (newState != RUNNING) {
                    return;
                }
            } else {
                warn(String.format("pcpu %d: d%dv%d recorded as leaving %s but was %s", p.pid, did, vid,
                    RUNSTATE_NAMES[oldState], RUNSTATE_NAMES[v.state]));
                if (v.state == RUNNING) {
                    return;
                }
            }
        }
        if (cont) {
            if (v.state == LOST) {
                if (p.current != null) {
                    vcpuPrevUpdate(p, p.current, tsc, LOST);
                }
                vcpuNextUpdate(p, v, tsc);
            }
            runstateUpdate(v, RUNNING, tsc);
        } else if (oldState == RUNNING || v.state == RUNNING) {
            vcpuPrevUpdate(oldState == RUNNING ? p : v.p, v, tsc, newState);
            if (lostCpus > 0 && v.d.did != IDLE_DOMAIN) {
                runstateUpdate(v, LOST, tsc);
            }
        } else if (newState == RUNNING) {
            vcpuNextUpdate(p, v, tsc);
        } else {
            runstateUpdate(v, newState, tsc);
        }
    }

    private void vcpuStart(Pcpu p, Vcpu v, int oldState, int newState, long tsc) {
        if (oldState == RUNNING) {
            if (p.current != null && p.current.d == defaultDomain) {
                runstateUpdate(p.current, QUEUED, p.firstTsc);
            } else {
                warn(String.format("pcpu %d: start of d%dv%d from running, but pcpu is not on the default vcpu",
                    p.pid, v.d.did, v.vid));
            }
            p.current = null;
        }
        if (newState != RUNNING) {
            return;
        }
        long t = oldState == RUNNING ? p.firstTsc : tsc;
        runstateUpdate(v, RUNNING, t);
        p.current = v;
        v.p = p;
    }

    private void vcpuPrevUpdate(Pcpu p, Vcpu prev, long tsc, int newState) {
        if (p == null || prev.p != p || p.current != prev || prev.state != RUNNING) {
            prev.runstateTsc = 0;
        }
        if (p != null) {
            p.current = null;
        }
        runstateUpdate(prev, newState, tsc);
    }

    private void vcpuNextUpdate(Pcpu p, Vcpu next, long tsc) {
        if (p.current != null) {
            if (p.current.d != defaultDomain && p.seenValidSchedule) {
                warn(String.format("pcpu %d: d%dv%d scheduled while d%dv%d still current", p.pid, next.d.did,
                    next.vid, p.current.d.did, p.current.vid));
            }
            runstateUpdate(p.current, LOST, tsc);
            p.current = null;
        }
        if (next.activated && next.state == RUNNING && next.d != defaultDomain) {
            next.runstateTsc = 0;
        }
        next.activated = true;
        runstateUpdate(next, RUNNING, tsc);
        next.p = p;
        p.current = next;
        p.seenValidSchedule = true;
    }

    private void lostRecords(Pcpu p, XenRecord r) {
        long first = r.word64(2);
        if (p.current != null) {
            vcpuPrevUpdate(p, p.current, first, LOST);
        }
        for (Domain d : domains.values()) {
            for (Vcpu v : d.vcpus.values()) {
                if (v.state != RUNNING) {
                    runstateUpdate(v, LOST, first);
                }
            }
        }
        int who = r.word(1);
        Vcpu v = vcpuFind(who & 0xFFFF, who >>> 16);
        if (r.tsc() > first) {
            vcpuNextUpdate(p, v, r.tsc());
        }
        p.seenValidSchedule = false;
    }

    private void endOfStream(int cpu) {
        Pcpu p = pcpus.get(cpu);
        if (p != null && p.active) {
            p.active = false;
            if (p.current != null) {
                runstateUpdate(p.current, LOST, p.lastTsc);
            }
        }
    }

    private void runstateUpdate(Vcpu v, int newState, long tsc) {
        if (v.runstateTsc > 0 && v.runstateTsc < tsc) {
            long c = tsc - v.runstateTsc;
            v.runstates[v.state].add(c);
            if (v.state == RUNNABLE) {
                v.runnableStates[v.runnableState].add(c);
            }
        }
        if (newState == RUNNABLE) {
            v.runnableState = v.state == RUNNING ? 2 : v.state == BLOCKED || v.state == OFFLINE ? 1 : 3;
        } else {
            v.runnableState = 0;
        }
        v.state = newState;
        v.runstateTsc = tsc;
        Domain d = v.d;
        if (d == defaultDomain) {
            return;
        }
        if (d.runstateTsc > 0 && d.runstateTsc < tsc) {
            d.runstates[d.runstate].add(tsc - d.runstateTsc);
        }
        d.runstate = domainRunstate(d);
        d.runstateTsc = tsc;
    }

    private static int domainRunstate(Domain d) {
        int running = 0, runnable = 0, blocked = 0, lost = 0, considered = 0;
        for (Vcpu v : d.vcpus.values()) {
            if (v.state == INIT) {
                continue;
            }
            considered++;
            switch (v.state) {
                case RUNNING: running++; break;
                case RUNNABLE: runnable++; break;
                case BLOCKED: case OFFLINE: blocked++; break;
                case LOST: lost++; break;
                default: break;
            }
        }
        if (lost == considered) {
            return 6;
        }
        if (running > 0) {
            return runnable > 0 ? 4 : blocked > 0 ? 1 : 2;
        }
        if (runnable > 0) {
            return blocked > 0 ? 3 : 5;
        }
        return 0;
    }

    private void warn(String s) {
        if (warnings.size() < 1000) {
            warnings.add(s);
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
        String[] classes = {"gen", "sched", "dom0op", "hvm", "mem", "pv", "shadow", "hw"};
        for (Pcpu p : pcpus.values()) {
            if (!p.summary) {
                continue;
            }
            out.printf(" - cpu %d -%n", p.pid);
            for (int j = 0; j < 8; j++) {
                if (p.volume[j] != 0) {
                    out.printf(" %-6s: %10d%n", classes[j], p.volume[j]);
                }
            }
        }
        for (Domain d : domains.values()) {
            out.printf("|-- Domain %d --|%n", d.did);
            out.println(" Runstates:");
            for (int i = 0; i < DOMAIN_RUNSTATE_NAMES.length; i++) {
                cycleLine(out, String.format("  %8s", DOMAIN_RUNSTATE_NAMES[i]), d.runstates[i], hz);
            }
            out.println(" Grant table ops:\n  Done by:\n  Done for:");
            out.println(" Populate-on-demand:\n  Populated:\n  Reclaim order:\n  Reclaim contexts:");
            for (Vcpu v : d.vcpus.values()) {
                out.printf("-- v%d --%n", v.vid);
                out.println(" Runstates:");
                for (int i = 0; i < 7; i++) {
                    cycleLine(out, String.format("  %8s", RUNSTATE_NAMES[i]), v.runstates[i], hz);
                    if (i == RUNNABLE) {
                        for (int j = 1; j <= 3; j++) {
                            cycleLine(out, String.format("    %8s", RUNNABLE_NAMES[j]), v.runnableStates[j], hz);
                        }
                    }
                }
                if (v.dataType == DataType.PV && v.pvSeen) {
                    printPv(out, v);
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

    private static void printPv(PrintWriter out, Vcpu v) {
        out.println("PV events:");
        for (int i = 0; i < PV_MAX; i++) {
            long count = v.pvCount[i] + (i == 13 ? v.pvCount[14] : 0);
            if (count == 0 || PV_NAMES[i] == null) {
                continue;
            }
            out.printf("  %s  %d%n", PV_NAMES[i], count);
            if (i == 1 || i == 13) {
                for (int j = 0; j < PV_HYPERCALL_MAX; j++) {
                    if (v.hypercallCount[j] != 0) {
                        out.printf("    %-29s[%2d]: %6d%n", xenalyzeOpName(j), j, v.hypercallCount[j]);
                    }
                }
            } else if (i == 3) {
                for (int j = 0; j < PV_TRAP_MAX; j++) {
                    if (v.trapCount[j] != 0) {
                        out.printf("    [%d] %d%n", j, v.trapCount[j]);
                    }
                }
            }
        }
    }

    /** xenalyze's own spellings where they differ from ours (compat ops, op 27 'acm_op'). */
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
