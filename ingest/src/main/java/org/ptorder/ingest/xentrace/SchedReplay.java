package org.ptorder.ingest.xentrace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays Xen's scheduler records to know which vCPU runs on each pCPU, with xenalyze's own
 * state machine (reference/xentrace.md §4; tools/xentrace/xenalyze.c of Xen 4.17), so that
 * ptorder attributes records to vCPUs exactly where xenalyze does and per-vCPU counts agree:
 * a pCPU starts on the "default domain" vCPU 32768.pcpu (nothing known yet); a runstate change
 * into running makes that vCPU current ("start of day" for a vCPU never seen before); leaving
 * running clears it; a vCPU believed running elsewhere does not become current; lost records
 * make every idle vCPU "lost". It also keeps xenalyze's runstate interval statistics.
 *
 * <p>Not reproduced: xenalyze's TSC-skew correction between pCPUs and its fatal exits (we warn
 * and go on). Lost records are replayed at their own position, where xenalyze also visits them
 * at the TSC of the first lost record.
 */
public final class SchedReplay {
    public static final int RUNNING = 0;
    public static final int RUNNABLE = 1;
    public static final int BLOCKED = 2;
    public static final int OFFLINE = 3;
    public static final int LOST = 4;
    public static final int QUEUED = 5;
    public static final int INIT = 6;
    public static final int IDLE_DOMAIN = 32767;
    public static final int DEFAULT_DOMAIN = 32768;
    /** xenalyze ignores runstate records of vCPUs numbered above this. */
    private static final int MAX_VCPUS = 256;

    /** What kind of records a vCPU produces; the first kind seen wins, as in xenalyze. */
    public enum DataType { NONE, PV, HVM }

    /** One vCPU's scheduling state and runstate statistics. */
    public static final class Vcpu {
        public final Domain d;
        public final int vid;
        int state = INIT;
        long runstateTsc;
        int runnableState;
        Pcpu p;
        boolean activated;
        DataType dataType = DataType.NONE;
        final CycleStats[] runstates = CycleStats.array(7);
        final CycleStats[] runnableStates = CycleStats.array(4);

        Vcpu(Domain d, int vid) {
            this.d = d;
            this.vid = vid;
        }

        public CycleStats runstate(int state) {
            return runstates[state];
        }

        /** 1 wake, 2 preempt, 3 other. */
        public CycleStats runnable(int kind) {
            return runnableStates[kind];
        }

        public DataType dataType() {
            return dataType;
        }
    }

    /** One domain and its vCPUs. */
    public static final class Domain {
        public final int did;
        final Map<Integer, Vcpu> vcpus = new TreeMap<>();
        int runstate;
        long runstateTsc;
        final CycleStats[] runstates = CycleStats.array(7);

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
        boolean active = true;
        boolean seenValidSchedule = true;

        Pcpu(int pid) {
            this.pid = pid;
        }
    }

    private final Map<Integer, Domain> domains = new TreeMap<>();
    private final Domain defaultDomain = new Domain(DEFAULT_DOMAIN);
    private final Map<Integer, Pcpu> pcpus = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private Pcpu[] byId = new Pcpu[0];

    /** Domains in id order, the idle domain included, the default domain not. */
    public Map<Integer, Domain> domains() {
        return domains;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** The vCPU current on {@code cpu} (possibly of the default domain), or null when unknown. */
    public Vcpu current(int cpu) {
        return pcpu(cpu).current;
    }

    /**
     * Whether a record of kind {@code t} on {@code cpu} belongs to a guest vCPU, as xenalyze
     * decides it: a vCPU must be current, not idle, and not already of another kind.
     */
    public Vcpu claim(int cpu, DataType t) {
        Vcpu v = pcpu(cpu).current;
        if (v == null || v.d.did == IDLE_DOMAIN || v.dataType != DataType.NONE && v.dataType != t) {
            return null;
        }
        v.dataType = t;
        return v;
    }

    private Pcpu pcpu(int pid) {
        if (pid < byId.length && byId[pid] != null) {
            return byId[pid];
        }
        Pcpu p = new Pcpu(pid);
        // The default vCPU, numbered like the pCPU, is "running" there until we know better.
        Vcpu v = vcpuIn(defaultDomain, pid);
        v.activated = true;
        v.p = p;
        v.state = RUNNING;
        p.current = v;
        pcpus.put(pid, p);
        if (pid >= byId.length) {
            byId = java.util.Arrays.copyOf(byId, Math.max(pid + 1, byId.length * 2));
        }
        byId[pid] = p;
        return p;
    }

    private static Vcpu vcpuIn(Domain d, int vid) {
        return d.vcpus.computeIfAbsent(vid, id -> new Vcpu(d, id));
    }

    private Vcpu vcpuFind(int did, int vid) {
        Domain d = did == DEFAULT_DOMAIN ? defaultDomain : domains.computeIfAbsent(did, Domain::new);
        return vcpuIn(d, vid);
    }

    /** Feeds one record in merged order (attribute the record before calling this). */
    public void observe(XenRecord r) {
        Pcpu p = pcpu(r.cpu());
        long tsc = r.tsc();
        if (tsc != 0) {
            if (p.firstTsc == 0) {
                p.firstTsc = tsc;
            }
            p.lastTsc = tsc;
        }
        int ev = r.event();
        int cls = XenEvents.classOf(ev);
        if (cls == XenEvents.CLASS_SCHED && ((ev >> 12) & 0xF) == 1) {
            runstateProcess(p, r);
        } else if (ev == XenEvents.LOST_RECORDS && r.words() >= 4) {
            lostRecords(p, r);
        }
    }

    /** The stream of pCPU {@code cpu} ended: its last vCPU's running interval is closed. */
    public void endOfStream(int cpu) {
        Pcpu p = pcpus.get(cpu);
        if (p != null && p.active) {
            p.active = false;
            if (p.current != null) {
                runstateUpdate(p.current, LOST, p.lastTsc);
            }
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
                    stateName(oldState), stateName(v.state)));
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
        runstateUpdate(v, RUNNING, oldState == RUNNING ? p.firstTsc : tsc);
        p.current = v;
        v.p = p;
    }

    private void vcpuPrevUpdate(Pcpu p, Vcpu prev, long tsc, int newState) {
        if (p == null || prev.p != p || p.current != prev || prev.state != RUNNING) {
            prev.runstateTsc = 0; // an interval we cannot trust is not counted
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

    /** xenalyze's domain runstates: 0 blocked ... 6 lost (see DOMAIN_STATE_NAMES of the summary). */
    private static int domainRunstate(Domain d) {
        int running = 0, runnable = 0, blocked = 0, lost = 0, considered = 0;
        for (Vcpu v : d.vcpus.values()) {
            if (v.state == INIT) {
                continue;
            }
            considered++;
            switch (v.state) {
                case RUNNING -> running++;
                case RUNNABLE -> runnable++;
                case BLOCKED, OFFLINE -> blocked++;
                case LOST -> lost++;
                default -> { }
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

    private static String stateName(int s) {
        return new String[] {"running", "runnable", "blocked", "offline", "lost", "queued", "init"}[s];
    }

    private void warn(String s) {
        if (warnings.size() < 1000) {
            warnings.add(s);
        }
    }
}
