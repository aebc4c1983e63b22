package org.ptorder.ingest.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.sim.GuestModel.AddressSpace;
import org.ptorder.ingest.sim.GuestModel.Proc;
import org.ptorder.ingest.sim.GuestModel.SimThread;

/**
 * {@code ptorder simulate}: a multi-vCPU PV guest running a workload, lowered to canonical MMU ops
 * the way NetBSD or Linux does it, written as .pmt (and optionally the matching xentrace records),
 * with bugs planted on request and a truth file naming each.
 *
 * <p>Scheduling: every vCPU has a clock. The vCPU whose next step is due first runs one step: a
 * logical operation of its current thread (lowered and written at once, so operations of different
 * vCPUs never interleave inside one another), or a context switch when the thread sleeps, waits,
 * exits or used up its 3 ms slice while others are runnable, or an injected episode. Between steps a
 * thread spends user time the workload gives, during which other vCPUs run. Memory is bounded by the
 * guest's live state (processes, mapped pages), not by the number of events: events go straight to
 * the writers.
 */
public final class Simulator {
    static final long SLICE = 3_000_000;
    static final long IDLE_POLL = 200_000;
    static final long IDLE_TID_BASE = 1;

    final SimConfig cfg;
    final Rng rng;
    final GuestModel g = new GuestModel();
    final Emitter e;
    final Lowering low;
    final Injector inj;
    final int cpus;
    final SimThread[] current;
    private final long[] nextStep;
    private final List<SimThread> threads = new ArrayList<>();
    private long nextTid = 1000;
    private int nextPid = 1;
    private int nextAsId = 1;
    private final SimStats stats;
    private Progress progress = Progress.NONE;
    /** For the benchmark: runs once the simulation is done, while its state is still reachable. */
    static Runnable endHook;

    private Simulator(SimConfig cfg, PmtFastWriter pmt, HypercallEmitter hc, TruthWriter truth) {
        this.cfg = cfg;
        this.cpus = cfg.cpus();
        Rng root = new Rng(cfg.seed());
        this.rng = root.split();
        Rng injRng = root.split();
        this.stats = new SimStats();
        this.e = new Emitter(cpus, cfg.linux(), pmt, hc, stats);
        this.low = cfg.linux() ? new LinuxLowering(e, g) : new NetbsdLowering(e, g);
        this.current = new SimThread[cpus];
        this.nextStep = new long[cpus];
        for (int c = 0; c < cpus; c++) {
            e.thread[c] = idleTid(c);
        }
        this.inj = new Injector(this, injRng, truth, cfg.inject());
    }

    static long idleTid(int cpu) {
        return IDLE_TID_BASE + cpu;
    }

    /** What a run produced: counts, planted bugs per kind, and the first 1000 planted records (the truth file has all). */
    public record Result(SimStats stats, Map<InjectionKind, Long> planted, List<Planted> records) { }

    /**
     * Runs a simulation.
     *
     * @param pmt      where the .pmt text goes
     * @param xentrace where the xentrace records go, or null for none
     * @param truth    where the truth JSON goes, or null for none
     */
    public static Result run(SimConfig cfg, OutputStream pmt, OutputStream xentrace, OutputStream truth)
        throws IOException {
        return run(cfg, pmt, xentrace, truth, Progress.NONE);
    }

    /** {@link #run(SimConfig, OutputStream, OutputStream, OutputStream)}, reporting events written to {@code progress}. */
    public static Result run(SimConfig cfg, OutputStream pmt, OutputStream xentrace, OutputStream truth,
                             Progress progress) throws IOException {
        PmtFastWriter w = new PmtFastWriter(pmt, cfg.cpus(), cfg.system());
        w.comment("simulated by ptorder simulate: system=" + cfg.system() + " cpus=" + cfg.cpus() + " workload="
            + cfg.workload() + " seed=" + cfg.seed() + (cfg.maxEvents() > 0 ? " ops=" + cfg.maxEvents() : "")
            + (cfg.maxNs() > 0 ? " duration_ns=" + cfg.maxNs() : "") + injectText(cfg));
        if (xentrace != null) {
            w.comment("xentrace: vCPU i on pCPU i, domain " + DOMID + ", tsc = " + HypercallEmitter.TSC_BASE + " + ts * "
                + CPU_HZ + " / 1e9");
        }
        HypercallEmitter hc = xentrace == null ? HypercallEmitter.NONE
            : new HypercallEmitter(xentrace, cfg.cpus(), CPU_HZ, DOMID);
        TruthWriter tw = truth == null ? null : new TruthWriter(truth, header(cfg));
        Simulator s = new Simulator(cfg, w, hc, tw);
        s.progress = progress;
        try {
            progress.start("simulate", cfg.maxEvents() > 0 ? cfg.maxEvents() : cfg.maxNs());
            s.loop();
            progress.finish();
            if (endHook != null) {
                endHook.run();
            }
            w.flush();
            s.stats.bytes = w.bytesWritten();
            s.stats.simulatedNs = s.e.now;
        } finally {
            hc.close();
        }
        Map<InjectionKind, Long> planted = new LinkedHashMap<>();
        for (InjectionKind k : InjectionKind.values()) {
            if (s.inj.planted[k.ordinal()] > 0) {
                planted.put(k, s.inj.planted[k.ordinal()]);
            }
        }
        if (tw != null) {
            Map<String, Object> sum = new LinkedHashMap<>();
            sum.put("planted", s.stats.planted);
            sum.put("events", s.e.seq);
            Map<String, Object> byKind = new LinkedHashMap<>();
            planted.forEach((k, v) -> byKind.put(k.text(), v));
            sum.put("by_kind", byKind);
            tw.finish(sum);
            tw.close();
        }
        return new Result(s.stats, planted, s.inj.recent);
    }

    /** The TSC rate of the xentrace output. */
    public static final long CPU_HZ = 2_000_000_000L;
    /** The guest's domain id in the xentrace output. */
    public static final int DOMID = 1;

    private static String injectText(SimConfig cfg) {
        StringBuilder sb = new StringBuilder();
        cfg.inject().forEach((k, r) -> sb.append(" inject=").append(k.text()).append(':').append(r));
        return sb.toString();
    }

    private static Map<String, Object> header(SimConfig cfg) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("system", cfg.system());
        h.put("cpus", cfg.cpus());
        h.put("workload", cfg.workload());
        h.put("seed", cfg.seed());
        h.put("ops", cfg.maxEvents());
        h.put("duration_ns", cfg.maxNs());
        Map<String, Object> inj = new LinkedHashMap<>();
        cfg.inject().forEach((k, r) -> inj.put(k.text(), r));
        h.put("inject", inj);
        h.put("seq", "0-based index of the event lines of the .pmt, as PmtReader numbers them");
        return h;
    }

    // ------------------------------------------------------------------ the scheduler

    private void loop() {
        low.boot();
        Workload.start(cfg.workload(), this, cpus);
        long maxEvents = cfg.maxEvents() > 0 ? cfg.maxEvents() : Long.MAX_VALUE;
        long maxNs = cfg.maxNs() > 0 ? cfg.maxNs() : Long.MAX_VALUE;
        long report = 1 << 20;
        while (e.seq < maxEvents && e.now < maxNs) {
            if (e.seq >= report) {
                report = e.seq + (1 << 20);
                progress.update(cfg.maxEvents() > 0 ? e.seq : e.now);
            }
            int c = 0;
            for (int i = 1; i < cpus; i++) {
                if (nextStep[i] < nextStep[c]) {
                    c = i;
                }
            }
            if (e.busy[c] < nextStep[c]) {
                e.busy[c] = nextStep[c];
            }
            step(c);
        }
    }

    private boolean runnable(SimThread t, long now) {
        return !t.dead && !t.waiting && t.readyAt <= now;
    }

    private void step(int c) {
        long now = Math.max(e.busy[c], e.now);
        if (inj.maybePlant(c)) {
            nextStep[c] = e.busy[c] + Workload.SYSCALL;
            return;
        }
        SimThread t = current[c];
        if (t == null || !runnable(t, now) || now >= t.sliceEnd && otherRunnable(t, now)) {
            reschedule(c, now);
            t = current[c];
        }
        if (t == null) {
            nextStep[c] = idleUntil(now);
            return;
        }
        long think = t.behavior.step(this, t, c);
        nextStep[c] = Math.max(e.busy[c], e.now) + Math.max(think, 0);
    }

    private boolean otherRunnable(SimThread t, long now) {
        for (SimThread u : threads) {
            if (u != t && u.cpu < 0 && runnable(u, now)) {
                return true;
            }
        }
        return false;
    }

    private long idleUntil(long now) {
        long wake = now + IDLE_POLL;
        for (SimThread u : threads) {
            if (u.cpu < 0 && !u.dead && !u.waiting && u.readyAt < wake) {
                wake = Math.max(u.readyAt, now + 1_000);
            }
        }
        return wake;
    }

    private void reschedule(int c, long now) {
        SimThread prev = current[c];
        SimThread next = pick(c, prev, now);
        if (prev != null && prev != next) {
            prev.cpu = -1;
        }
        if (next == null) {
            current[c] = null;
            e.thread[c] = idleTid(c);
            low.goIdle(c);
            return;
        }
        next.sliceEnd = now + SLICE;
        if (next == prev) {
            return;
        }
        switchIn(c, next);
    }

    /** Makes {@code next} (not running anywhere) the thread of {@code c}: migration record, base switch. */
    private void switchIn(int c, SimThread next) {
        if (next.lastCpu >= 0 && next.lastCpu != c) {
            e.migrate(next.lastCpu, next.tid, c);
        }
        current[c] = next;
        next.cpu = c;
        next.lastCpu = c;
        e.thread[c] = next.tid;
        low.switchTo(c, next.proc.as);
    }

    private final List<SimThread> candidates = new ArrayList<>();

    private SimThread pick(int c, SimThread prev, long now) {
        candidates.clear();
        int affine = 0;
        for (SimThread u : threads) {
            if ((u.cpu < 0 || u == prev) && runnable(u, now)) {
                candidates.add(u);
            }
        }
        if (candidates.size() > 1 && prev != null) {
            candidates.remove(prev);
        }
        if (candidates.isEmpty()) {
            return null;
        }
        for (SimThread u : candidates) {
            if (u.lastCpu == c || u.lastCpu < 0) {
                affine++;
            }
        }
        if (affine > 0 && rng.chance(0.85)) {
            int k = rng.nextInt(affine);
            for (SimThread u : candidates) {
                if ((u.lastCpu == c || u.lastCpu < 0) && k-- == 0) {
                    return u;
                }
            }
        }
        return candidates.get(rng.nextInt(candidates.size()));
    }

    /** Takes {@code c}'s thread off it; the CPU idles. */
    void deschedule(int c) {
        SimThread u = current[c];
        if (u != null) {
            u.cpu = -1;
        }
        current[c] = null;
        e.thread[c] = idleTid(c);
        low.goIdle(c);
    }

    // ------------------------------------------------------------------ what behaviours and the injector call

    long now(int cpu) {
        return Math.max(e.busy[cpu], e.now);
    }

    private AddressSpace newAs(int cpu) {
        AddressSpace as = new AddressSpace(nextAsId++);
        low.createAs(cpu, as);
        return as;
    }

    /** A new process with one thread per behaviour (its address space created on CPU 0). */
    Proc spawnProcess(Workload.Behavior... behaviors) {
        Proc p = new Proc(nextPid++, newAs(0));
        for (Workload.Behavior b : behaviors) {
            addThread(p, b);
        }
        return p;
    }

    SimThread addThread(Proc p, Workload.Behavior b) {
        SimThread t = new SimThread(nextTid++, p, b);
        t.readyAt = e.now;
        p.threads.add(t);
        threads.add(t);
        p.as.threads++;
        return t;
    }

    /** Touches a page: faults if it is not present, or if it is a write to a write-protected page. */
    boolean touch(int cpu, SimThread t, int page, boolean write) {
        AddressSpace as = t.proc.as;
        if (!as.reserved(page)) {
            return false;
        }
        long pte = as.pte(page);
        boolean fault = pte == 0 || write && (pte & GuestModel.RW) == 0 && !as.readOnly(page);
        if (fault) {
            low.fault(cpu, as, page, write);
        }
        return fault;
    }

    /** A read of a file-backed page: faults with fault-around if it is not present. */
    void touchFile(int cpu, SimThread t, int page, int around) {
        AddressSpace as = t.proc.as;
        if (as.reserved(page) && as.pte(page) == 0) {
            low.faultAround(cpu, as, page, around);
        }
    }

    /** Maps {@code n} pages read-only (a file's text); -1 if there is no room. */
    int mmapText(SimThread t, int n) {
        int start = t.proc.as.mmap(n);
        if (start >= 0) {
            for (int p = start; p < start + n; p++) {
                t.proc.as.setReadOnly(p, true);
                t.proc.as.setFile(p);
            }
        }
        return start;
    }

    int mmap(SimThread t, int n) {
        return t.proc.as.mmap(n);
    }

    void munmap(int cpu, SimThread t, int start, int n) {
        low.zap(cpu, t.proc.as, start, n, true);
    }

    void madvise(int cpu, SimThread t, int start, int n) {
        low.zap(cpu, t.proc.as, start, n, false);
    }

    void mprotect(int cpu, SimThread t, int start, int n, boolean ro) {
        low.mprotect(cpu, t.proc.as, start, n, ro);
    }

    void extract(int cpu, SimThread t, int page) {
        if (t.proc.as.pte(page) != 0) {
            low.extract(cpu, t.proc.as, page);
        }
    }

    int kmap(int cpu, int n) {
        return low.kmap(cpu, n);
    }

    void kunmap(int cpu, int kp, int n) {
        low.kunmap(cpu, kp, n);
    }

    /** fork: a child process with a copy-on-write copy of the address space and one thread. */
    SimThread fork(int cpu, SimThread t, Workload.Behavior child) {
        Proc parent = t.proc;
        AddressSpace cas = newAs(cpu);
        cas.copyLayout(parent.as);
        low.forkCopy(cpu, parent.as, cas);
        Proc p = new Proc(nextPid++, cas);
        p.parent = parent;
        parent.liveChildren++;
        return addThread(p, child);
    }

    /** exec: a fresh address space replaces the process's (single-threaded) one. */
    void exec(int cpu, SimThread t) {
        AddressSpace old = t.proc.as;
        AddressSpace fresh = newAs(cpu);
        t.proc.as = fresh;
        fresh.threads = old.threads;
        old.threads = 0;
        low.switchTo(cpu, fresh);
        low.destroy(cpu, old);
    }

    void sleep(SimThread t, long ns) {
        t.readyAt = (t.cpu >= 0 ? now(t.cpu) : e.now) + ns;
    }

    void waitChild(SimThread t) {
        if (t.proc.liveChildren > 0) {
            t.waiting = true;
            t.proc.waiter = t;
        }
    }

    /** exit_group: every thread of the process ends, its address space is torn down. */
    void exit(int cpu, SimThread t) {
        Proc p = t.proc;
        p.exiting = true;
        for (SimThread u : p.threads) {
            if (u.dead) {
                continue;
            }
            u.dead = true;
            if (u.cpu >= 0 && u.cpu != cpu) {
                deschedule(u.cpu);
            }
            threads.remove(u);
        }
        low.destroy(cpu, p.as);
        p.as = null;
        if (current[cpu] == t) {
            current[cpu] = null;
            t.cpu = -1;
            e.thread[cpu] = idleTid(cpu);
        }
        if (p.parent != null) {
            p.parent.liveChildren--;
            SimThread w = p.parent.waiter;
            if (w != null && w.waiting && p.parent.liveChildren == 0) {
                w.waiting = false;
                w.readyAt = e.now;
                p.parent.waiter = null;
            }
        }
    }

    /**
     * Makes {@code cpu} run a thread of {@code p} (the injector's helper CPU): one that is not running
     * anywhere, else a new helper thread. Nothing happens if it already does.
     */
    void runOn(int cpu, Proc p) {
        SimThread cur = current[cpu];
        if (cur != null && cur.proc == p) {
            return;
        }
        SimThread pickT = null;
        for (SimThread u : p.threads) {
            if (!u.dead && u.cpu < 0 && !u.waiting && (u.helper || u.readyAt <= now(cpu))) {
                pickT = u;
                break;
            }
        }
        if (pickT == null) {
            pickT = addThread(p, new Workload.Idle());
            pickT.helper = true;
        }
        if (cur != null) {
            cur.cpu = -1;
        }
        pickT.sliceEnd = now(cpu) + SLICE;
        switchIn(cpu, pickT);
        if (nextStep[cpu] < e.busy[cpu]) {
            nextStep[cpu] = e.busy[cpu];
        }
    }

    /**
     * Moves running thread {@code t} from {@code from} to {@code to} (which runs the same address
     * space): the migration record on {@code from}, whose CPU then idles; {@code to}'s thread is
     * preempted. Returns the seq of the migration record.
     */
    long moveThread(SimThread t, int from, int to) {
        long seq = e.migrate(from, t.tid, to);
        current[from] = null;
        e.thread[from] = idleTid(from);
        SimThread victim = current[to];
        if (victim != null) {
            victim.cpu = -1;
        }
        current[to] = t;
        t.cpu = to;
        t.lastCpu = to;
        t.sliceEnd = now(to) + SLICE;
        e.thread[to] = t.tid;
        if (nextStep[to] < e.busy[to]) {
            nextStep[to] = e.busy[to];
        }
        return seq;
    }
}
