package org.ptorder.analyze.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * The ordering-model checker (ordering-model.md §3; README-check.md states every modelling
 * choice). It re-executes a stream of canonical MMU ops once, in recorded order, against the
 * model: per-CPU FIFO queues whose entries become visible one by one when a flush applies them,
 * applied memory per PTE, per-CPU roots, page-table knowledge, and happens-before as vector
 * clocks (program order, unlock to next lock, IPI send to receive and ack to done, condvar
 * broadcast to wake, migration). Every event gets an epoch (its CPU's clock after it); an entry's
 * apply is a micro-step with its own epoch inside the flush, so {@code a ⇝ b} is one comparison.
 *
 * <p>The central test of V1, V3, V4, V2-stale-RMW, V5-pending and V6 is "the writer's enqueue is
 * happens-before the reader but its apply is not": some interleaving the model allows then has the
 * reader see the entry still queued. Whether the recorded run showed it (timestamps, recorded
 * values) only decides the label. Memory: pending entries, applied entries that some
 * happens-before carrier could still order wrongly, page-table state, per-lock/IPI/condvar
 * clocks, and open findings; never the trace.
 */
public final class Checker {
    private static final long NONE = MmuOp.NONE;
    static final int RECORD_CAP = 1 << 16;
    static final int ROOT_HIST_CAP = 16;
    private static final long PRESENT = 1;
    private static final long PS = 0x80;
    private static final long AD_BITS = 0x60;
    private static final long FRAME_MASK = 0x000F_FFFF_FFFF_F000L;
    /** A base switch whose root the trace does not give. */
    private static final long BASE_UNKNOWN = Long.MIN_VALUE + 7;

    private final CheckOptions opt;
    private final TraceFacts facts;
    private final boolean sync;
    private final boolean evidenceOn;
    private final boolean framesOn;
    private final int fileId;

    private int cap;
    private int ncpu;
    private CpuState[] cpus = new CpuState[0];

    private final Map<String, Carrier> locks = new HashMap<>();
    private final Map<String, Carrier> cvs = new HashMap<>();
    private final LongMap<Carrier[]> ipis = new LongMap<>();
    private final ArrayList<Migration> migrations = new ArrayList<>();
    private final LongMap<PteState[]> ptes = new LongMap<>(1 << 10);
    private long lastTableMfn = Long.MIN_VALUE;
    private PteState[] lastTable;
    private long pteCount;
    private final Tables tables = new Tables();

    private final UnmapRecords records = new UnmapRecords();
    private final ArrayList<UnmapRecord> recordsOfFrame = new ArrayList<>();
    private int sweepAt = 1024;
    private long frameEvents;
    static final int HIST = 2;
    private final boolean[] truncated = new boolean[1];
    /** What every CPU knows of each CPU's clock, as of the last refresh (a lower bound of now). */
    private long[] minKnownCache;
    private BitSet allCpus;
    private long nextPteSweep = 1 << 20;
    /**
     * The PTE states written in this refresh period and in the one before. Every CPU usually learns
     * of a write within a few thousand ops, so pruning the states written a period ago lets almost
     * every entry die young, instead of being held (and copied by the garbage collector, again and
     * again) until the next full sweep.
     */
    private PteState[] written = new PteState[1024];
    private int nWritten;
    /** Counts the pruning periods, from 1 (see {@link PteState#notedIn}). */
    private long period = 1;
    private PteState[] writtenBefore = new PteState[1024];
    private int nWrittenBefore;

    private final ArrayList<Finding> findings = new ArrayList<>();
    private final ArrayList<Finding> open = new ArrayList<>();

    private MmuOp cur;
    private EventRef curRef;
    private boolean finished;

    // counters for the summary
    private long ops;
    private long enqNoPte;
    private long enqNoRange;
    private long flushBeyond;
    private long v2Truncated;
    private long recordsEvicted;
    private long v6Suppressed;
    private long rootHistEvicted;
    private long fullFlushes;
    private long peakState;
    /** Applied entries a CPU keeps before the next garbage collection of its queue (tests set it low). */
    private int gcMin = 256;
    private long stateCheckAt = 1 << 16;
    /** Ops between refreshes of the peak state and of minKnownCache, and at least between full PTE sweeps. */
    private int refreshEvery = 1 << 16;
    private int pteSweepMin = 1 << 20;
    /**
     * Ops per pruning period: the states written in one are pruned at the end of the next. Longer
     * periods hold a few more applied writes but prune each PTE once for many rewrites.
     */
    private int pruneEvery = 1 << 18;
    private long nextPruneAt;

    private record Migration(int to, long thread, Carrier carrier) { }

    public Checker(CheckOptions opt, TraceFacts facts, int fileId) {
        this.opt = opt;
        this.facts = facts;
        this.fileId = fileId;
        this.sync = facts.hasSync();
        this.evidenceOn = facts.hasAccesses();
        this.framesOn = facts.hasFrameEvents();
        this.ncpu = facts.cpus();
        this.cap = Math.max(ncpu, 2);
    }

    public Checker(CheckOptions opt, TraceFacts facts) {
        this(opt, facts, 0);
    }

    // =======================================================================================
    // the stream
    // =======================================================================================

    /** Checks one op; ops must come in recorded order. The op may be reused by the caller afterwards. */
    public void accept(MmuOp o) {
        ops++;
        cur = o;
        if ((o.op == Op.LOCK || o.op == Op.UNLOCK) && o.lock == null) {
            o.lock = ""; // a nameless lock (not from a .pmt, whose grammar requires lock=): one lock
        }
        curRef = null;
        CpuState cs = cpu(o.cpu);
        if (!migrations.isEmpty()) {
            takeMigrations(cs, o);
        }
        switch (o.op) {
            case FLUSH -> {
                issue(cs, flushCount(o));
                if ("full".equals(o.reason) && cs.group != null && cs.group.first != null) {
                    cs.group.fulls.add(ref());
                }
            }
            case LAZY_LEAVE -> {
                if (opt.linuxLazy()) {
                    issue(cs, Integer.MAX_VALUE);
                } else {
                    tick(cs);
                }
                cs.lazy = false;
            }
            case LAZY_ENTER -> {
                tick(cs);
                cs.lazy = true;
            }
            case ENQ -> {
                tick(cs);
                enq(cs, o);
            }
            case TLB_FLUSH, INVLPG, TLB_FLUSH_MULTI, INVLPG_MULTI, TLB_FLUSH_ALL, INVLPG_ALL, NEW_BASEPTR, PIN, UNPIN,
                 UPDATE_VA_MAPPING -> {
                tick(cs);
                if (opt.linuxLazy() && cs.lazy) {
                    defer(cs, o);
                } else {
                    mmuext(cs, o, null, null); // refs made only if something needs them
                }
            }
            case MAP_TABLE -> {
                tick(cs);
                if (MmuOp.has(o.mfn) && o.level >= 1 && MmuOp.has(o.va)) {
                    tables.declare(o.mfn, o.level, o.va);
                }
            }
            case OOB_READ -> {
                tick(cs);
                oobRead(cs, o);
            }
            case RMW -> {
                tick(cs);
                rmw(cs, o);
            }
            case ACCESS -> {
                tick(cs);
                access(cs, o);
            }
            case FRAME_FREE, FRAME_ALLOC -> {
                tick(cs);
                if (MmuOp.has(o.mfn)) {
                    pageEvent(cs, o.op, o.mfn, ref(), ref());
                    tables.newLife(o.mfn);
                    frameEvents++;
                    if (o.op == Op.FRAME_ALLOC && isPtPurpose(o.purpose)) {
                        tables.markPt(o.mfn);
                    } else {
                        tables.remove(o.mfn);
                    }
                }
            }
            case LOCK -> {
                tick(cs);
                Carrier l = locks.get(o.lock);
                if (l != null) {
                    join(cs, l);
                }
                if (opt.lockMap() != null && opt.lockMap().held()) {
                    if (cs.heldSince == null) {
                        cs.heldSince = CpuState.newHeld();
                    }
                    cs.heldSince.put(o.lock, cs.vc[cs.id]);
                }
                if (opt.atomicLocks().contains(o.lock)) {
                    cs.group = new CpuState.Group(o.lock);
                }
            }
            case UNLOCK -> {
                tick(cs);
                if (opt.lockMap() != null) {
                    lint(cs, o);
                }
                if (cs.group != null && cs.group.lock.equals(o.lock)) {
                    cs.group = null;
                }
                Carrier prev = locks.get(o.lock);
                Carrier now = snapshot(cs, ref(), prev);
                if (now != prev) {
                    locks.put(o.lock, now);
                }
            }
            case IPI_SEND -> {
                tick(cs);
                Carrier[] st = ipi(o.ipi);
                st[0] = snapshot(cs, ref(), st[0]);
                st[1] = null;
            }
            case IPI_RECV -> {
                tick(cs);
                Carrier[] st = ipi(o.ipi);
                if (st[0] != null) {
                    join(cs, st[0]);
                }
            }
            case IPI_ACK -> {
                tick(cs);
                Carrier[] st = ipi(o.ipi);
                st[1] = accumulate(st[1], cs, ref());
            }
            case IPI_DONE -> {
                tick(cs);
                Carrier[] st = ipi(o.ipi);
                if (st[1] != null) {
                    join(cs, st[1]);
                }
            }
            case CV_BROADCAST -> {
                tick(cs);
                cvs.put(o.cv, accumulate(cvs.get(o.cv), cs, ref()));
            }
            case CV_WAKE -> {
                tick(cs);
                Carrier c = cvs.get(o.cv);
                if (c != null) {
                    join(cs, c);
                }
            }
            case MIGRATE -> {
                tick(cs);
                migrate(cs, o);
            }
            default -> tick(cs); // cv_wait, hypercall: no effect on the model
        }
        if (ops >= stateCheckAt) {
            stateCheckAt = ops + refreshEvery;
            peakState = Math.max(peakState, stateSize());
            if (sync) {
                long[] mk = new long[ncpu];
                for (int c = 0; c < ncpu; c++) {
                    mk[c] = minKnown(c);
                }
                minKnownCache = mk;
                if (ops >= nextPruneAt) {
                    pruneWrittenBefore(mk);
                    nextPruneAt = ops + pruneEvery;
                }
            }
            if (sync && ops >= nextPteSweep) {
                sweepPtes();
                nextPteSweep = ops + (pteSweepMin == 0 ? 0 : Math.max(pteSweepMin, 4L * pteCount));
            }
        }
    }

    /** {@code r}, or (null) the current op's ref, made now. */
    private EventRef orRef(EventRef r) {
        return r != null ? r : ref();
    }

    private long effSeq(EventRef eff) {
        return eff != null ? eff.seq() : cur.seq;
    }

    private int effCpu(EventRef eff) {
        return eff != null ? eff.cpu() : cur.cpu;
    }

    private long effTs(EventRef eff) {
        return eff != null ? eff.ts() : cur.ts;
    }

    private EventRef ref() {
        if (curRef == null) {
            curRef = EventRef.of(cur);
        }
        return curRef;
    }

    private CpuState cpu(int c) {
        if (c >= cpus.length) {
            cpus = Arrays.copyOf(cpus, Math.max(c + 1, cpus.length * 2));
        }
        if (c >= cap) {
            cap = Math.max(c + 1, cap * 2);
            for (CpuState s : cpus) {
                if (s != null) {
                    s.ensure(cap);
                }
            }
        }
        if (c >= ncpu) {
            ncpu = c + 1;
        }
        CpuState s = cpus[c];
        if (s == null) {
            s = cpus[c] = new CpuState(c, cap);
            s.gcAt = gcMin;
            if (framesOn) {
                s.iv = new long[cap][];
            }
        }
        return s;
    }

    private long tick(CpuState cs) {
        return ++cs.vc[cs.id];
    }

    private static long flushCount(MmuOp o) {
        if (MmuOp.has(o.done)) {
            return o.done;
        }
        return MmuOp.has(o.n) ? o.n : Integer.MAX_VALUE;
    }

    private static boolean isPtPurpose(String p) {
        return p != null && (p.equals("pagetable") || p.equals("pt") || p.startsWith("pt_") || p.equals("ptp"));
    }

    private static boolean present(long v) {
        return v != NONE && (v & PRESENT) != 0;
    }

    private static long frameOf(long v) {
        return (v & FRAME_MASK) >>> 12;
    }

    private static int levelOf(long span) {
        return span == 4096 ? 1 : span == 1L << 21 ? 2 : span == 1L << 30 ? 3 : 4;
    }

    /** Sign-extends bit 47 (amd64 canonical addresses). */
    private static long canon(long va) {
        return (va << 16) >> 16;
    }

    // =======================================================================================
    // happens-before
    // =======================================================================================

    private Carrier[] ipi(long id) {
        Carrier[] st = ipis.get(id);
        if (st == null) {
            st = new Carrier[2];
            ipis.put(id, st);
        }
        return st;
    }

    /**
     * A release: the CPU's clock as it is now, each component remembering this event as its hop.
     * {@code reuse} (the lock's previous carrier, which nothing else holds) is overwritten if given.
     */
    private Carrier snapshot(CpuState cs, EventRef rel, Carrier reuse) {
        Carrier c = reuse != null && reuse.vc.length == cap ? reuse : new Carrier(cap);
        System.arraycopy(cs.vc, 0, c.vc, 0, cs.vc.length);
        Arrays.fill(c.src, rel);
        System.arraycopy(cs.path, 0, c.prev, 0, cs.path.length);
        c.prev[cs.id] = null;
        if (cs.iv != null) {
            if (c.iv == null || c.iv.length != cap) {
                c.iv = new long[cap][];
            }
            for (int d = 0; d < cs.iv.length; d++) {
                if (cs.iv[d] == null) {
                    c.iv[d] = null;
                } else if (c.iv[d] != null && c.iv[d].length == cs.iv[d].length) {
                    System.arraycopy(cs.iv[d], 0, c.iv[d], 0, cs.iv[d].length);
                } else {
                    c.iv[d] = cs.iv[d].clone();
                }
            }
        }
        return c;
    }

    private Carrier snapshot(CpuState cs, EventRef rel) {
        return snapshot(cs, rel, null);
    }

    /** A release into an accumulating carrier (IPI acks, condvar broadcasts): the join of all of them. */
    private Carrier accumulate(Carrier into, CpuState cs, EventRef rel) {
        if (into == null) {
            return snapshot(cs, rel);
        }
        into.ensure(cap);
        for (int k = 0; k < cs.vc.length; k++) {
            if (cs.vc[k] > into.vc[k]) {
                into.vc[k] = cs.vc[k];
                into.src[k] = rel;
                into.prev[k] = k == cs.id ? null : cs.path[k];
            }
        }
        if (cs.iv != null) {
            if (into.iv == null) {
                into.iv = new long[cap][];
            }
            joinIv(into.iv, cs.iv);
        }
        return into;
    }

    /** An acquire: the carrier's clock joined into the CPU's, with the hops that brought each component. */
    private void join(CpuState cs, Carrier c) {
        EventRef acq = null;
        int n = Math.min(c.vc.length, cs.vc.length);
        for (int k = 0; k < n; k++) {
            if (k != cs.id && c.vc[k] > cs.vc[k]) {
                cs.vc[k] = c.vc[k];
                if (acq == null) {
                    acq = ref();
                }
                cs.path[k] = new HbPath(c.src[k], acq, c.prev[k]);
            }
        }
        if (cs.iv != null && c.iv != null) {
            joinIv(cs.iv, c.iv);
        }
    }

    private void joinIv(long[][] into, long[][] from) {
        for (int d = 0; d < from.length && d < into.length; d++) {
            long[] f = from[d];
            if (f == null) {
                continue;
            }
            long[] t = into[d];
            if (t == null) {
                into[d] = f.clone();
                continue;
            }
            for (int k = 0; k < f.length && k < t.length; k++) {
                if (f[k] > t[k]) {
                    t[k] = f[k];
                }
            }
        }
    }

    private void migrate(CpuState cs, MmuOp o) {
        EventRef m = ref();
        if (MmuOp.has(o.thread)) {
            for (int i = cs.applied; i < cs.size; i++) {
                Entry u = cs.at(i);
                if (u.isData() && u.thread == o.thread && u.orphanedBy == null) {
                    u.orphanedBy = m;
                    Finding f = newFinding(ViolationClass.V8, Coverage.THREAD, u, m);
                    f.missing = "flush cpu" + cs.id + "'s queue before " + m.shortText();
                    f.missingSeq = m.seq();
                    f.interleaving = List.of(
                        "cpu" + cs.id + ": " + u.ref().shortText() + " by thread " + u.thread,
                        "cpu" + cs.id + ": " + m.shortText() + " with the entry still queued on cpu" + cs.id,
                        "cpu" + o.to + ": thread " + o.thread + " flushes cpu" + o.to
                            + "'s queue, believing it publishes the entry; it stays queued on cpu" + cs.id);
                    // LATENT: the orphan is a cause, its bad outcome the dependent read-op's stale use
                    // (ordering-model §3.5 V8: "report as V3 or V1 on the dependent read-op"); it
                    // becomes OBSERVED in finish() when such a finding on the entry is OBSERVED.
                    emit(f);
                }
            }
        }
        if (o.to >= 0) {
            cpu(o.to);
            migrations.add(new Migration(o.to, o.thread, snapshot(cs, m)));
        }
    }

    private void takeMigrations(CpuState cs, MmuOp o) {
        for (int i = 0; i < migrations.size(); i++) {
            Migration m = migrations.get(i);
            if (m.to == cs.id && (o.thread == NONE || m.thread == NONE || m.thread == o.thread)) {
                join(cs, m.carrier);
                migrations.remove(i--);
            }
        }
    }

    /** Whether event (cpu c, epoch e) happens-before the current point of {@code cs}. */
    private static boolean hb(int c, long epoch, CpuState cs) {
        return epoch <= cs.get(c);
    }

    // =======================================================================================
    // queue: enqueue, deferral, flush
    // =======================================================================================

    private void enq(CpuState cs, MmuOp o) {
        Entry u = new Entry(cs.id);
        fillIdentity(u, o);
        u.enqEpoch = cs.vc[cs.id];
        u.kind = "ad".equals(o.kind) ? Entry.AD : "m2p".equals(o.kind) ? Entry.M2P : Entry.PT;
        u.pte = o.pte;
        u.val = o.val;
        u.va = o.va;
        if (u.kind != Entry.M2P) {
            if (u.pte == NONE) {
                enqNoPte++;
            } else {
                PteState ps = pte(u.pte);
                u.ps = ps;
                u.life = ps.life;
                if (MmuOp.has(o.old)) {
                    u.v0 = o.old;
                    if (!ps.known) {
                        ps.m = o.old; // the initial M[p], as the writer saw it
                        ps.known = true;
                    }
                } else {
                    Entry own = ps.last(cs.id);
                    if (own != null && !own.applied && own.kind != Entry.RMW) {
                        u.v0 = own.val;
                    } else if (ps.known) {
                        u.v0 = ps.m;
                    }
                }
                if (present(u.v0) && !(present(u.val) && frameOf(u.val) == frameOf(u.v0))) {
                    u.unmapFrame = frameOf(u.v0);
                }
                if (sync) {
                    writeOrder(cs, u, ps);
                }
                ps.push(cs.id, u, cap, sync ? HIST : 1, minKnownCache);
                if (sync) {
                    noteWritten(ps);
                }
            }
            range(u);
            if (u.range == null) {
                enqNoRange++;
            }
        }
        cs.push(u);
        if (cs.group != null) {
            if (cs.group.first == null) {
                cs.group.first = u;
            } else if (!cs.group.fulls.isEmpty()) {
                for (EventRef full : cs.group.fulls) {
                    Finding f = newFinding(ViolationClass.V9, Coverage.GROUP, cs.group.first, full);
                    f.label = Label.OBSERVED;
                    f.missing = "keep the group of " + cs.group.lock + " below the queue's capacity, or flush before it";
                    f.missingSeq = cs.group.first.seq;
                    f.evidenceText = "the group continues with " + u.ref().shortText();
                    f.evidence = u.ref();
                    f.interleaving = List.of("cpu" + cs.id + ": " + cs.group.first.ref().shortText() + " (group of "
                        + cs.group.lock + " starts)", "cpu" + cs.id + ": " + full.shortText()
                        + " hands Xen the first part of the group", "cpu" + cs.id + ": " + u.ref().shortText()
                        + " (the rest follows in a later batch: Xen validated an intermediate state)");
                    emit(f);
                }
                cs.group.fulls.clear();
            }
        }
    }

    private void fillIdentity(Entry u, MmuOp o) {
        u.seq = o.seq;
        u.ts = o.ts;
        u.line = o.srcLine;
        u.offset = o.srcOffset;
        u.at = o.at;
        u.thread = o.thread;
    }

    /**
     * The state of PTE p in the current life of its table page. Page-table state is kept by table
     * page: one array of entry states per page (indexed by the entry's offset / 4, which serves
     * 4- and 8-byte entries), found through the table's frame with a one-entry cache, so that the
     * runs of updates to one table a kernel makes stay in cache.
     */
    private PteState pte(long p) {
        long mfn = p >>> 12;
        PteState[] t;
        if (mfn == lastTableMfn) {
            t = lastTable;
        } else {
            t = ptes.get(mfn);
            if (t == null) {
                t = new PteState[1024];
                ptes.put(mfn, t);
            }
            lastTableMfn = mfn;
            lastTable = t;
        }
        int i = (int) (p & 0xFFF) >>> 2;
        PteState ps = t[i];
        if (ps == null) {
            ps = new PteState();
            ps.lifeRef = tables.lifeRef(mfn);
            ps.life = ps.lifeRef[0];
            t[i] = ps;
            pteCount++;
            return ps;
        }
        return ps.current();
    }

    /**
     * Every so often (amortised over the ops since the last time), drops from the PTE states the
     * writes every CPU already knows about; the states themselves are page-table state and stay.
     */
    private void sweepPtes() {
        long[] mk = new long[ncpu];
        for (int c = 0; c < ncpu; c++) {
            mk[c] = minKnown(c);
        }
        ptes.forEachValue(t -> {
            for (PteState ps : t) {
                if (ps != null) {
                    ps.prune(mk);
                }
            }
        });
    }

    private void noteWritten(PteState ps) {
        if (ps.notedIn == period) {
            return; // once per period: a PTE is often rewritten many times within one
        }
        ps.notedIn = period;
        if (nWritten == written.length) {
            written = Arrays.copyOf(written, nWritten * 2);
        }
        written[nWritten++] = ps;
    }

    /** Prunes the states written in the period before this one (what is left waits for the full sweep). */
    private void pruneWrittenBefore(long[] mk) {
        for (int i = 0; i < nWrittenBefore; i++) {
            writtenBefore[i].prune(mk);
            writtenBefore[i] = null;
        }
        PteState[] t = writtenBefore;
        writtenBefore = written;
        nWrittenBefore = nWritten;
        written = t.length >= writtenBefore.length ? t : new PteState[writtenBefore.length];
        nWritten = 0;
        period++;
    }

    /** The VA range the entry maps, from its own va=, its table's declaration, or nothing. */
    private void range(Entry u) {
        Tables.Info ti = u.pte == NONE ? null : tables.get(u.pte >>> 12);
        int level = ti == null ? 0 : ti.level;
        u.level = level;
        long span = Tables.span(level);
        if (u.va != NONE) {
            u.span = span;
            u.lo = u.va & -span;
            u.range = Coverage.VA;
            if (ti == null || ti.base == NONE) {
                learn(u);
            }
        } else if (ti != null && ti.base != NONE && level > 0) {
            long idx = (u.pte & 0xFFF) >>> 3;
            u.span = span;
            u.lo = canon(ti.base + idx * span);
            u.range = ti.kind;
        }
    }

    /** An entry whose VA is given teaches its table's range when the index fits a level-1 table. */
    private void learn(Entry u) {
        if (u.pte == NONE || u.level > 1) {
            return;
        }
        long idx = (u.pte & 0xFFF) >>> 3;
        if (idx == ((u.va >>> 12) & 511)) {
            tables.derive(u.pte >>> 12, 1, u.va & -Tables.span(2), Coverage.LEARNED);
        }
    }

    /** V2 and V2-unsync bookkeeping of a new write {@code u} to a PTE (only with cross-CPU sync in the trace). */
    private void writeOrder(CpuState cs, Entry u, PteState ps) {
        int n = ps.cpus();
        for (int c1 = 0; c1 < n; c1++) {
            if (c1 == cs.id || ps.count(c1) == 0) {
                continue;
            }
            long known = cs.get(c1);
            if (ps.lastEnq(c1) > known) {
                unsync(cs, ps.last(c1), u);
            }
            if (u.kind == Entry.RMW) {
                continue;
            }
            truncated[0] = false;
            Entry cand = ps.v2Candidate(c1, known, truncated);
            if (cand == null) {
                if (truncated[0]) {
                    v2Truncated++;
                }
                continue;
            }
            if (u.v2 == null) {
                u.v2 = new ArrayList<>(1);
                u.v2Paths = new ArrayList<>(1);
            }
            u.v2.add(cand);
            u.v2Paths.add(cs.path[c1]);
        }
    }

    private void unsync(CpuState cs, Entry u1, Entry u2) {
        Finding f = newFinding(ViolationClass.V2_UNSYNC, Coverage.PTE, u1, u2.ref());
        f.missing = "order the two writers with the lock that protects the PTE";
        f.interleaving = List.of("cpu" + u1.cpu + ": " + u1.ref().shortText(),
            "cpu" + u2.cpu + ": " + u2.ref().shortText() + " with nothing ordering it after cpu" + u1.cpu + "'s write",
            "either write may be applied last: M[p] ends as " + EventRef.hex(u1.val) + " or " + EventRef.hex(u2.val));
        f.note = "no happens-before relation between the two writes";
        Entry.Waiter w = new Entry.Waiter() {
            int left = (u1.applied ? 0 : 1) + (u2.applied ? 0 : 1);

            @Override
            public void applied(Entry e, EventRef flush) {
                if (e == null || --left == 0) {
                    decide();
                }
            }

            @Override
            public void end(Entry e) {
                resolve(f);
            }

            void decide() {
                if (EventRef.sb(u1.ref(), u2.ref()) && EventRef.sb(u2.applyRef(), u1.applyRef())) {
                    f.label = Label.OBSERVED;
                    f.evidence = u1.applyRef();
                    f.evidenceText = "applied after the later write: M[p] ends as " + EventRef.hex(u1.val);
                }
                resolve(f);
            }
        };
        if (u1.applied && u2.applied) {
            f.waits = 1;
            w.applied(null, null); // left == 0 already: decide now
            return;
        }
        f.waits = 1;
        open.add(f);
        if (!u1.applied) {
            u1.addWaiter(w);
        }
        if (!u2.applied) {
            u2.addWaiter(w);
        }
    }

    /** Linux lazy batch: the op becomes an entry of the CPU's batch, effective when issued. */
    private void defer(CpuState cs, MmuOp o) {
        Entry u = new Entry(cs.id);
        fillIdentity(u, o);
        u.enqEpoch = cs.vc[cs.id];
        u.kind = Entry.DEFERRED;
        u.deferred = o.copy();
        u.deferredRef = ref();
        cs.push(u);
    }

    /** A flush (or a lazy_leave that issues the batch): applies up to {@code k} entries, then the event itself. */
    private void issue(CpuState cs, long k) {
        int pend = cs.pending();
        if (k != Integer.MAX_VALUE && k > pend) {
            flushBeyond++;
        }
        long n = Math.min(k, pend);
        EventRef fr = n > 0 ? ref() : null;
        for (long i = 0; i < n; i++) {
            apply(cs, cs.firstPending(), fr);
        }
        tick(cs);
        if (cs.applied > cs.gcAt) {
            gc(cs);
        }
    }

    private void apply(CpuState cs, Entry u, EventRef fr) {
        long ep = tick(cs);
        u.applied = true;
        u.applyEpoch = ep;
        u.flush = fr;
        cs.markApplied(ep);
        if (u.kind == Entry.DEFERRED) {
            mmuext(cs, u.deferred, u.deferredRef, fr);
        } else if (u.ps != null) {
            PteState ps = u.ps.current();
            ps.m = u.kind == Entry.AD && ps.known ? u.val | (ps.m & AD_BITS) : u.val;
            ps.known = true;
            if (sync) {
                ps.applied(u.cpu, u, ep);
            } else {
                ps.dropIfApplied(u.cpu, u); // only a queued own write matters for what the next one replaces
            }
            walk(u);
            if (u.v2 != null) {
                for (int i = 0; i < u.v2.size(); i++) {
                    v2(cs, u.v2.get(i), u, u.v2Paths.get(i));
                }
                u.v2 = null;
                u.v2Paths = null;
            }
            if (framesOn && u.unmapFrame != NONE && !u.v6Done) {
                record(u);
            }
        }
        if (u.waiters != null) {
            ArrayList<Entry.Waiter> ws = u.waiters;
            u.waiters = null;
            for (Entry.Waiter w : ws) {
                w.applied(u, fr);
            }
        }
    }

    /** Replayed structure: an applied entry of a table at level >= 2 with a known range makes its child known. */
    private void walk(Entry u) {
        link(u);
        if (u.level < 2 || u.range == null || !present(u.val) || (u.val & PS) != 0) {
            return;
        }
        long child = frameOf(u.val);
        if (tables.get(child) == null || tables.get(child).base == NONE) {
            tables.derive(child, u.level - 1, u.lo, Coverage.WALK);
        }
    }

    /** Replayed links (for covers and {@link #cannotHold}): an applied level >= 2 entry points to a child. */
    private void link(Entry u) {
        if (u.level >= 2 && present(u.val) && (u.val & PS) == 0) {
            tables.link(frameOf(u.val), u.pte >>> 12);
        }
    }

    /** V2 at apply(u2): u1 (another CPU's latest enqueue hb-before u2's) is not applied hb-before it. */
    private void v2(CpuState cs, Entry u1, Entry u2, HbPath path) {
        if (u1.applied && hb(u1.cpu, u1.applyEpoch, cs)) {
            return;
        }
        Finding f = newFinding(ViolationClass.V2, Coverage.PTE, u1, u2.ref());
        f.hbPath = pathText(u1.ref(), u2.ref(), path);
        f.missing = missingFlush(u1, u2.ref(), path);
        f.missingSeq = path == null ? u2.seq : path.first().release.seq();
        f.interleaving = List.of("cpu" + u1.cpu + ": " + u1.ref().shortText() + " (queued)",
            (path == null ? "" : "cpu" + path.first().release.cpu() + ": " + path.first().release.shortText()
                + " ... ") + "cpu" + u2.cpu + ": " + u2.ref().shortText(),
            "cpu" + u2.cpu + ": " + u2.flush.shortText() + " applies " + EventRef.hex(u2.val),
            "cpu" + u1.cpu + ": a later flush applies " + EventRef.hex(u1.val) + ": M[p] resurrects the older value");
        if (u1.applied) {
            resolve(f); // applied earlier in the recorded run: the run did not show it
            return;
        }
        f.waits = 1;
        open.add(f);
        u1.addWaiter(new Entry.Waiter() {
            @Override
            public void applied(Entry e, EventRef flush) {
                if (EventRef.sb(u2.flush, flush)) {
                    f.label = Label.OBSERVED;
                    f.evidence = flush;
                    f.evidenceText = "applied " + EventRef.hex(u1.val) + " after cpu" + u2.cpu + "'s "
                        + EventRef.hex(u2.val) + ": M[p] ends as the older value";
                }
                resolve(f);
            }

            @Override
            public void end(Entry e) {
                f.note = "cpu" + u1.cpu + "'s update is still queued at the end of the trace";
                resolve(f);
            }
        });
    }

    // =======================================================================================
    // read-ops and invalidations
    // =======================================================================================

    /**
     * An mmuext-level op taking effect now: {@code r} names the op, {@code eff} the event whose
     * recorded position is its effect (itself, or the flush that issued it from a lazy batch).
     */
    private void mmuext(CpuState cs, MmuOp o, EventRef r, EventRef eff) {
        switch (o.op) {
            case TLB_FLUSH -> readOp(cs, o, r, eff, local(cs), true, NONE, NONE, false);
            case INVLPG -> readOp(cs, o, r, eff, local(cs), false, o.va, NONE, false);
            case TLB_FLUSH_MULTI -> readOp(cs, o, r, eff, multi(cs, o.mask), true, NONE, NONE, true);
            case INVLPG_MULTI -> readOp(cs, o, r, eff, multi(cs, o.mask), false, o.va, NONE, true);
            case TLB_FLUSH_ALL -> readOp(cs, o, r, eff, all(), true, NONE, NONE, true);
            case INVLPG_ALL -> readOp(cs, o, r, eff, all(), false, o.va, NONE, true);
            case NEW_BASEPTR -> {
                readOp(cs, o, r, eff, local(cs), true, NONE, MmuOp.has(o.root) ? o.root : BASE_UNKNOWN, false);
                // a switch to a root the trace does not name still leaves the old root
                switchRoot(cs, o.user == 1 ? 1 : 0, o.root, orRef(r), orRef(eff));
            }
            case PIN -> {
                if (MmuOp.has(o.mfn)) {
                    tables.pin(o.mfn, o.level);
                    tables.newLife(o.mfn); // a page starting typed use may be a reused one
                }
            }
            case UNPIN -> {
                if (MmuOp.has(o.mfn)) {
                    pageEvent(cs, Op.UNPIN, o.mfn, orRef(r), orRef(eff));
                    // its contents are no longer Xen-validated: may be freed and reused untraced (Linux
                    // frees pgd pages with no tracepoint after the unpin at exit)
                    tables.newLife(o.mfn);
                }
            }
            case UPDATE_VA_MAPPING -> {
                if (!MmuOp.has(o.flags)) {
                    return;
                }
                long type = o.flags & 3;
                if (type == 0) {
                    return;
                }
                BitSet targets = (o.flags & 4) != 0 || o.flags > 7 ? all() : local(cs);
                boolean shoot = (o.flags & 4) != 0 || o.flags > 7;
                readOp(cs, o, r, eff, targets, type == 1, type == 2 ? o.va : NONE, NONE, shoot);
            }
            default -> { }
        }
    }

    /** {cs}: a shared set, never modified. */
    private BitSet local(CpuState cs) {
        if (cs.self == null) {
            cs.self = new BitSet();
            cs.self.set(cs.id);
        }
        return cs.self;
    }

    /** A *_MULTI reaches its mask and (ordering-model §3.5 V6) the initiator itself; no mask = every CPU. */
    private BitSet multi(CpuState cs, BitSet mask) {
        if (mask == null) {
            return all();
        }
        if (mask.equals(cs.lastMask)) {
            return cs.lastTargets;
        }
        BitSet b = (BitSet) mask.clone();
        b.set(cs.id);
        cs.lastMask = (BitSet) mask.clone();
        cs.lastTargets = b;
        for (int d = b.nextSetBit(0); d >= 0; d = b.nextSetBit(d + 1)) {
            cpu(d);
        }
        return b;
    }

    /** Every CPU: a shared set, never modified. */
    private BitSet all() {
        if (allCpus == null || allCpus.length() != ncpu) {
            allCpus = new BitSet();
            allCpus.set(0, ncpu);
        }
        return allCpus;
    }

    private void readOp(CpuState cs, MmuOp o, EventRef r, EventRef eff, BitSet targets, boolean full, long va,
                        long root, boolean shootdown) {
        invalidate(cs, targets, full, va, eff);
        // V1 / V3: entries whose enqueue is hb-before r but whose apply is not
        for (int c2 = 0; c2 < cpus.length; c2++) {
            CpuState q = cpus[c2];
            if (q == null || q.size == 0) {
                continue;
            }
            long known = c2 == cs.id ? Long.MAX_VALUE : cs.get(c2);
            int i = q.firstAppliedAfter(known);
            for (; i < q.size; i++) {
                Entry u = q.at(i);
                if (u.enqEpoch > known) {
                    break;
                }
                if (!u.isData()) {
                    continue;
                }
                Coverage cov = covers(u, full, va, root, targets);
                if (cov != null) {
                    readFinding(cs, u, orRef(r), orRef(eff), targets, cov, shootdown, false, va);
                }
            }
            if (evidenceOn && c2 != cs.id) {
                for (int j = Math.max(i, q.applied); j < q.size; j++) {
                    Entry u = q.at(j);
                    if (!u.isData() || !EventRef.sb(u.seq, u.cpu, u.ts, effSeq(eff), effCpu(eff), effTs(eff))) {
                        continue;
                    }
                    Coverage cov = covers(u, full, va, root, targets);
                    if (cov != null && cov != Coverage.UNKNOWN) {
                        readFinding(cs, u, orRef(r), orRef(eff), targets, cov, shootdown, true, va);
                    }
                }
            }
        }
    }

    /** covers(r, tgt(u)) of §3.5, with how it is known; null when r does not concern u. */
    private Coverage covers(Entry u, boolean full, long va, long root, BitSet targets) {
        if (u.ps != null && u.ps.lifeRef[0] != u.life) {
            // u's table page was freed, reused, pinned or unpinned since u was enqueued: its entries
            // were rewritten (untraced), so what r's CPUs load through p no longer depends on u (a
            // page freed with u still queued is V5-pending)
            return null;
        }
        if (root == BASE_UNKNOWN) {
            return Coverage.UNKNOWN;
        }
        // "p is on walk(R[c'], va) / reachable from R[c'] for some target c'" (from root): when the
        // replayed links name the roots above p's table, an invalidation on CPUs running other
        // address spaces (the same VA elsewhere) or a switch to another root does not concern p
        long[] tops = u.pte == NONE ? null : tables.rootsOf(u.pte >>> 12);
        if (tops != null && (root != NONE ? !reaches(root, tops) : !anyRuns(targets, tops))) {
            return null;
        }
        if (root != NONE) {
            if (u.pte != NONE && (u.pte >>> 12) == root) {
                return Coverage.ROOT;
            }
            Tables.Info ri = tables.get(root);
            if (ri == null || ri.base == NONE || ri.level == 0) {
                return Coverage.UNKNOWN;
            }
            if (ri.level >= 4) {
                return ri.kind; // an amd64 root reaches every address
            }
            if (u.range == null) {
                return Coverage.UNKNOWN;
            }
            long rspan = Tables.span(ri.level + 1);
            boolean inside = Long.compareUnsigned(u.lo - ri.base, rspan) < 0
                && Long.compareUnsigned(u.lo + u.span - 1 - ri.base, rspan) < 0;
            return inside ? ri.kind : null;
        }
        if (full) {
            return Coverage.FULL;
        }
        if (u.range == null) {
            return Coverage.UNKNOWN;
        }
        return u.inRange(va) ? u.range : null;
    }

    private void readFinding(CpuState cs, Entry u, EventRef r, EventRef eff, BitSet targets, Coverage cov,
                             boolean shootdown, boolean race, long readerVa) {
        ViolationClass cls = shootdown ? (u.cpu == cs.id ? ViolationClass.V3_LOCAL : ViolationClass.V3)
            : ViolationClass.V1;
        Finding f = newFinding(cls, cov, u, r);
        f.race = race;
        if (f.va == NONE) {
            f.va = readerVa;
        }
        if (race) {
            f.note = "no happens-before relation orders the update before the read-op";
        } else {
            f.hbPath = pathText(u.ref(), r, u.cpu == cs.id ? null : cs.path[u.cpu]);
            f.missing = missingFlush(u, r, u.cpu == cs.id ? null : cs.path[u.cpu]);
            f.missingSeq = u.cpu == cs.id ? r.seq() : cs.path[u.cpu].first().release.seq();
        }
        List<String> il = new ArrayList<>();
        il.add("cpu" + u.cpu + ": " + u.ref().shortText() + " (queued, not applied)");
        if (!race && u.cpu != cs.id) {
            for (HbPath h : cs.path[u.cpu].hops(4)) {
                il.add("cpu" + h.release.cpu() + ": " + h.release.shortText() + " -> cpu" + h.acquire.cpu() + ": "
                    + h.acquire.shortText());
            }
        }
        il.add("cpu" + cs.id + ": " + r.shortText() + (eff != r ? " (issued by " + eff.shortText() + ")" : "")
            + " while the update is still queued");
        il.add("cpu" + targetsText(targets) + ": a TLB fill (speculative, or the next access) reads M[p] = "
            + (u.v0 == NONE ? "the old value" : EventRef.hex(u.v0)));
        il.add("cpu" + u.cpu + ": " + (u.applied ? u.flush.shortText() : "a later flush") + " applies "
            + EventRef.hex(u.val) + "; the stale translation stays until the next invalidation");
        f.interleaving = il;
        if (evidenceOn && u.range != null) {
            for (int d = targets.nextSetBit(0); d >= 0; d = targets.nextSetBit(d + 1)) {
                Window w = new Window(this, f, u, d, eff, NONE, false);
                cpu(d).windows.add(w);
                f.waits++;
            }
        }
        if (f.waits == 0) {
            resolve(f);
        } else {
            open.add(f);
        }
    }

    private static String targetsText(BitSet t) {
        return t.cardinality() == 1 ? String.valueOf(t.nextSetBit(0)) : "{" + MmuOp.cpuList(t) + "}";
    }

    /** The effects of an invalidation on its targets: windows, recorded positions, V6 knowledge. */
    private void invalidate(CpuState cs, BitSet targets, boolean full, long va, EventRef eff) {
        long effSeq = effSeq(eff);
        if (full) {
            fullFlushes++;
        }
        for (int d = targets.nextSetBit(0); d >= 0; d = targets.nextSetBit(d + 1)) {
            CpuState t = cpu(d);
            if (full) {
                t.lastFullInvSeq = effSeq;
                t.invlpgSeq = null; // every page's last invalidation is now this one
                if (cs.iv != null) {
                    long[] iv = cs.iv[d];
                    if (iv == null) {
                        cs.iv[d] = cs.vc.clone();
                    } else {
                        for (int k = 0; k < cs.vc.length; k++) {
                            if (cs.vc[k] > iv[k]) {
                                iv[k] = cs.vc[k];
                            }
                        }
                    }
                }
            } else if (va != NONE && (evidenceOn || framesOn)) {
                if (t.invlpgSeq == null) {
                    t.invlpgSeq = new LongMap<>();
                }
                long page = va & -4096L;
                long[] s = t.invlpgSeq.get(page);
                if (s == null) {
                    t.invlpgSeq.put(page, new long[] {effSeq});
                } else {
                    s[0] = effSeq;
                }
            }
            if (!t.windows.isEmpty()) {
                for (Window w : t.windows) {
                    if (w.closed || !w.u.applied || w.u.flush.seq() >= effSeq) {
                        continue;
                    }
                    if (full || (w.u.span == 4096 && (va & -4096L) == w.u.lo)) {
                        closeWindow(w);
                    }
                }
                t.compactWindows();
            }
        }
        if (!full && va != NONE && records.size() > 0) {
            for (int lvl = 1; lvl <= 4; lvl++) {
                long key = (va & -Tables.span(lvl)) | lvl;
                UnmapRecord first = records.firstInRange(key);
                if (first == null) {
                    continue;
                }
                UnmapRecord rec = first;
                do {
                    UnmapRecord next = rec.rangeNext;
                    if (rec.span != Tables.span(lvl)) {
                        rec = next;
                        continue;
                    }
                    boolean hbApply = rec.applyEpoch <= cs.get(rec.cpu);
                    rec.ensure(cap);
                    for (int d = targets.nextSetBit(0); d >= 0; d = targets.nextSetBit(d + 1)) {
                        rec.invSeq[d] = effSeq;
                        if (hbApply) {
                            if (rec.hbInv[d] == null) {
                                rec.hbInv[d] = new ArrayList<>(1);
                            }
                            boolean have = false;
                            for (long[] x : rec.hbInv[d]) {
                                if (x[0] == cs.id) {
                                    have = true;
                                    break;
                                }
                            }
                            if (!have) {
                                rec.hbInv[d].add(new long[] {cs.id, cs.vc[cs.id]});
                            }
                        }
                    }
                    rec = next;
                } while (rec != first);
            }
        }
    }

    private void closeWindow(Window w) {
        if (w.closed) {
            return;
        }
        w.closed = true;
        cpus[w.d].closedWindows++;
        w.candidate = null;
        resolve(w.f);
    }

    private void switchRoot(CpuState cs, int slot, long root, EventRef r, EventRef eff) {
        CpuState.RootLoad old = cs.root[slot];
        if (old != null) {
            old.switchRef = r;
            old.switchEpoch = cs.vc[cs.id];
            if (sync) {
                if (cs.rootHist.size() >= ROOT_HIST_CAP) {
                    long min = minKnown(cs.id);
                    cs.rootHist.removeIf(h -> h.switchEpoch <= min);
                    if (cs.rootHist.size() >= ROOT_HIST_CAP) {
                        cs.rootHistLost = Math.max(cs.rootHistLost, cs.rootHist.remove(0).switchEpoch);
                        rootHistEvicted++;
                    }
                }
                cs.rootHist.add(old);
            }
        }
        cs.root[slot] = new CpuState.RootLoad(root, r, slot);
    }

    // =======================================================================================
    // out-of-band reads, rmw, accesses
    // =======================================================================================

    private void oobRead(CpuState cs, MmuOp o) {
        if (!MmuOp.has(o.pte)) {
            return;
        }
        EventRef e = ref();
        scanPte(cs, o.pte, e, false, o.val);
        PteState ps = pte(o.pte);
        if (MmuOp.has(o.val) && !ps.known) {
            ps.m = o.val;
            ps.known = true;
        }
    }

    private void rmw(CpuState cs, MmuOp o) {
        if (!MmuOp.has(o.pte)) {
            return;
        }
        EventRef e = ref();
        scanPte(cs, o.pte, e, true, NONE);
        PteState ps = pte(o.pte);
        if (o.ok == 1 && MmuOp.has(o.expect) && !ps.known) {
            ps.m = o.expect;
            ps.known = true;
        }
        if (o.ok != 0 && MmuOp.has(o.newVal)) {
            Entry w = new Entry(cs.id);
            fillIdentity(w, o);
            w.kind = Entry.RMW;
            w.pte = o.pte;
            w.val = o.newVal;
            w.enqEpoch = cs.vc[cs.id];
            w.applied = true;
            w.applyEpoch = cs.vc[cs.id];
            w.flush = e;
            w.ps = ps;
            // An rmw is an update applied at once (ordering-model §3.2: its enqueue and flush), so
            // one that takes a frame out of a PTE is an unmap for V6 / V5-pwc like a queued one:
            // NetBSD's pmap and Linux's PTE clears unmap with nothing else.
            w.v0 = o.ok == 1 && MmuOp.has(o.expect) ? o.expect : ps.known ? ps.m : NONE;
            if (present(w.v0) && !(present(w.val) && frameOf(w.val) == frameOf(w.v0))) {
                w.unmapFrame = frameOf(w.v0);
            }
            range(w);
            ps.m = o.newVal;
            ps.known = true;
            if (sync) {
                writeOrder(cs, w, ps);
            }
            ps.push(cs.id, w, cap, sync ? HIST : 1, minKnownCache);
            if (sync) {
                noteWritten(ps);
            }
            link(w);
            if (framesOn && w.unmapFrame != NONE) {
                record(w);
            }
        }
    }

    /** V4 (oob_read) and V2-stale-RMW (rmw): queued updates of this PTE. */
    private void scanPte(CpuState cs, long p, EventRef e, boolean rmw, long readVal) {
        for (int c2 = 0; c2 < cpus.length; c2++) {
            CpuState q = cpus[c2];
            if (q == null || q.size == 0) {
                continue;
            }
            long known = c2 == cs.id ? Long.MAX_VALUE : cs.get(c2);
            int i = q.firstAppliedAfter(known);
            for (; i < q.size; i++) {
                Entry u = q.at(i);
                if (u.enqEpoch > known) {
                    break;
                }
                if (u.isData() && u.pte == p) {
                    readPteFinding(cs, u, e, rmw, readVal, false);
                }
            }
            if (c2 != cs.id) {
                for (int j = Math.max(i, q.applied); j < q.size; j++) {
                    Entry u = q.at(j);
                    if (u.isData() && u.pte == p && EventRef.sb(u.seq, u.cpu, u.ts, e.seq(), e.cpu(), e.ts())) {
                        readPteFinding(cs, u, e, rmw, readVal, true);
                    }
                }
            }
        }
    }

    private void readPteFinding(CpuState cs, Entry u, EventRef e, boolean rmw, long readVal, boolean race) {
        ViolationClass cls = rmw ? ViolationClass.V2_STALE_RMW
            : u.cpu == cs.id ? ViolationClass.V4_LOCAL : ViolationClass.V4_REMOTE;
        Finding f = newFinding(cls, Coverage.PTE, u, e);
        f.race = race;
        HbPath path = u.cpu == cs.id ? null : cs.path[u.cpu];
        if (race) {
            f.note = "no happens-before relation orders the update before the read";
        } else {
            f.hbPath = pathText(u.ref(), e, path);
            f.missing = missingFlush(u, e, path);
            f.missingSeq = path == null ? e.seq() : path.first().release.seq();
        }
        List<String> il = new ArrayList<>();
        il.add("cpu" + u.cpu + ": " + u.ref().shortText() + " (queued, not applied)");
        if (path != null && !race) {
            for (HbPath h : path.hops(4)) {
                il.add("cpu" + h.release.cpu() + ": " + h.release.shortText() + " -> cpu" + h.acquire.cpu() + ": "
                    + h.acquire.shortText());
            }
        }
        il.add("cpu" + cs.id + ": " + e.shortText() + " reads M[p] = " + (u.v0 == NONE ? "the old value"
            : EventRef.hex(u.v0)) + ", not " + EventRef.hex(u.val));
        if (rmw) {
            il.add("cpu" + u.cpu + ": a later flush applies " + EventRef.hex(u.val) + " over the rmw's result");
        }
        f.interleaving = il;
        if (!rmw && readVal != NONE) {
            if (readVal != u.val && (u.v0 == NONE || readVal == u.v0)) {
                observe0(f, e, "read " + EventRef.hex(readVal) + " while " + EventRef.hex(u.val) + " was queued");
            }
            resolve(f);
            return;
        }
        pendingEvidence(f, u, e, (rmw ? "read M[p]" : "read") + " with the update still queued");
    }

    /** Evidence "the update was still queued at e": never applied, or applied surely after e. */
    private void pendingEvidence(Finding f, Entry u, EventRef e, String text) {
        if (u.applied) {
            resolve(f);
            return;
        }
        f.waits++;
        open.add(f);
        u.addWaiter(new Entry.Waiter() {
            @Override
            public void applied(Entry x, EventRef flush) {
                if (EventRef.sb(e, flush)) {
                    observe0(f, e, text + " (applied later by " + flush.shortText() + ")");
                }
                resolve(f);
            }

            @Override
            public void end(Entry x) {
                observe0(f, e, text + " (never applied)");
                resolve(f);
            }
        });
    }

    private void access(CpuState cs, MmuOp o) {
        if (cs.windows.isEmpty() || !MmuOp.has(o.va)) {
            return;
        }
        EventRef a = null;
        for (int i = 0; i < cs.windows.size(); i++) {
            Window w = cs.windows.get(i);
            if (w.closed || w.f.emitted) {
                continue;
            }
            Entry u = w.u;
            if (!u.inRange(o.va)) {
                continue;
            }
            if (a == null) {
                a = ref();
            }
            if (!EventRef.sb(w.start, a) || closedFor(u, cs, o.va)) {
                continue;
            }
            if (w.v6()) {
                boolean hit = w.pwc ? MmuOp.has(o.frame) : o.frame == w.frame;
                if (hit) {
                    observe(w.f, a, w.pwc ? "translated va " + EventRef.hex(o.va) + " (to frame "
                        + EventRef.hex(o.frame) + ") through the freed page-table page"
                        : "used va " + EventRef.hex(o.va) + " -> freed frame " + EventRef.hex(o.frame));
                }
                continue;
            }
            long oldF = present(u.v0) ? frameOf(u.v0) : NONE;
            long newF = present(u.val) ? frameOf(u.val) : NONE;
            boolean frameOk = !MmuOp.has(o.frame) || oldF == NONE || o.frame == oldF;
            if (!frameOk) {
                continue;
            }
            if (MmuOp.has(o.frame) && oldF != NONE && o.frame == oldF && newF != oldF) {
                observe(w.f, a, "used va " + EventRef.hex(o.va) + " -> old frame " + EventRef.hex(oldF));
            } else if (!u.applied && w.candidate == null) {
                w.candidate = a;
                u.addWaiter(w);
            }
        }
    }

    /** Whether CPU t invalidated va after u was applied (recorded order): then t cannot still hold the old value. */
    private static boolean closedFor(Entry u, CpuState t, long va) {
        if (!u.applied) {
            return false;
        }
        long fs = u.flush.seq();
        if (t.lastFullInvSeq > fs) {
            return true;
        }
        if (t.invlpgSeq != null) {
            long[] s = t.invlpgSeq.get(va & -4096L);
            return s != null && s[0] > fs;
        }
        return false;
    }

    // =======================================================================================
    // unpin, free, reuse: V5, V6
    // =======================================================================================

    private void pageEvent(CpuState cs, Op kind, long m, EventRef e, EventRef eff) {
        boolean pt = tables.knownPt(m);
        // V5-pending (and V6 for queued unmaps)
        for (int c2 = 0; c2 < cpus.length; c2++) {
            CpuState q = cpus[c2];
            if (q == null || q.size == 0) {
                continue;
            }
            long known = c2 == cs.id ? Long.MAX_VALUE : cs.get(c2);
            int i = q.firstAppliedAfter(known);
            for (; i < q.size; i++) {
                Entry u = q.at(i);
                if (u.enqEpoch > known) {
                    break;
                }
                if (!u.isData()) {
                    continue;
                }
                Coverage cov = v5cov(u, m, pt);
                if (cov != null) {
                    v5pending(cs, u, e, eff, cov, false);
                }
                if (kind != Op.UNPIN && u.unmapFrame == m && !u.v6Done) {
                    u.v6Done = true;
                    v6(cs, u, e, eff, false);
                }
            }
            if (c2 != cs.id) {
                for (int j = Math.max(i, q.applied); j < q.size; j++) {
                    Entry u = q.at(j);
                    if (!u.isData() || !EventRef.sb(u.seq, u.cpu, u.ts, eff.seq(), eff.cpu(), eff.ts())) {
                        continue;
                    }
                    Coverage cov = v5cov(u, m, pt);
                    if (cov != null) {
                        v5pending(cs, u, e, eff, cov, true);
                    }
                    if (kind != Op.UNPIN && u.unmapFrame == m && !u.v6Done) {
                        u.v6Done = true;
                        if (evidenceOn && u.range != null) {
                            v6(cs, u, e, eff, true);
                        }
                    }
                }
            }
        }
        // entries of other CPUs not ordered before e at all still have their one reuse consumed
        if (kind != Op.UNPIN) {
            for (int c2 = 0; c2 < cpus.length; c2++) {
                CpuState q = cpus[c2];
                if (q == null) {
                    continue;
                }
                for (int j = q.applied; j < q.size; j++) {
                    Entry u = q.at(j);
                    if (u.unmapFrame == m && !u.v6Done && u.seq < eff.seq()) {
                        u.v6Done = true;
                    }
                }
            }
            records(cs, m, e, eff);
        }
        liveRoot(cs, m, e, eff);
    }

    private Coverage v5cov(Entry u, long m, boolean pt) {
        if ((u.pte >>> 12) == m) {
            return Coverage.TABLE;
        }
        if (pt && present(u.val) && frameOf(u.val) == m) {
            return Coverage.VALUE;
        }
        return null;
    }

    private void v5pending(CpuState cs, Entry u, EventRef e, EventRef eff, Coverage cov, boolean race) {
        // One finding per pending update and page, at the page's first unpin, free or reuse: Linux
        // unpins then frees T with the same update pending, one missing flush (LT-9: "either event
        // is the V5 event e"), as V6 is reported at the first free or reuse only.
        int bit = cov == Coverage.TABLE ? 1 : 2;
        if (!race) {
            if ((u.v5Done & bit) != 0) {
                return;
            }
            u.v5Done |= (byte) bit;
        }
        Finding f = newFinding(ViolationClass.V5_PENDING, cov, u, e);
        f.race = race;
        f.frame = cov == Coverage.TABLE ? u.pte >>> 12 : frameOf(u.val);
        HbPath path = u.cpu == cs.id ? null : cs.path[u.cpu];
        if (race) {
            f.note = "no happens-before relation orders the update before the " + e.op().text();
        } else {
            f.hbPath = pathText(u.ref(), e, path);
            f.missing = missingFlush(u, e, path);
            f.missingSeq = path == null ? e.seq() : path.first().release.seq();
        }
        f.interleaving = List.of("cpu" + u.cpu + ": " + u.ref().shortText() + " (queued, "
                + (cov == Coverage.TABLE ? "an entry of" : "pointing to") + " page " + EventRef.hex(f.frame) + ")",
            "cpu" + cs.id + ": " + e.shortText() + (eff != e ? " (issued by " + eff.shortText() + ")" : "")
                + " while it is queued",
            "cpu" + u.cpu + ": a later flush hands Xen the update: rejected (done < n, a guest panic) or "
                + "written into a page that is no longer that table");
        pendingEvidence(f, u, eff, "the update was still queued at the " + e.op().text());
    }

    /** V6 / V5-pwc for an update whose apply is not hb-before the free (or that is still queued). */
    private void v6(CpuState cs, Entry u, EventRef e, EventRef eff, boolean race) {
        boolean pwc = tables.knownPt(u.unmapFrame) || u.level >= 2;
        Finding f = newFinding(pwc ? ViolationClass.V5_PWC : ViolationClass.V6,
            u.range == null ? Coverage.UNKNOWN : u.range, u, e);
        f.race = race;
        f.frame = u.unmapFrame;
        HbPath path = u.cpu == cs.id ? null : cs.path[u.cpu];
        if (race) {
            f.note = "no happens-before relation orders the unmap before the " + e.op().text();
        } else {
            f.hbPath = pathText(u.ref(), e, path);
            f.missing = "apply the unmap and invalidate every CPU that may hold va " + vaText(u) + " before "
                + e.shortText();
            f.missingSeq = e.seq();
        }
        f.interleaving = v6Steps(u, cs, e, "the update is not applied yet (or not ordered before the "
            + e.op().text() + ")");
        v6windows(f, u, eff, pwc);
    }

    private List<String> v6Steps(Entry u, CpuState cs, EventRef e, String why) {
        return List.of("cpu" + u.cpu + ": " + u.ref().shortText() + " unmaps frame " + EventRef.hex(u.unmapFrame)
                + " from va " + vaText(u),
            "cpu" + cs.id + ": " + e.shortText() + ": " + why,
            "some CPU still translates va " + vaText(u) + " to frame " + EventRef.hex(u.unmapFrame)
                + " (TLB or paging-structure cache) and uses the reused page");
    }

    private static String vaText(Entry u) {
        return u.va != NONE ? EventRef.hex(u.va) : u.range != null ? EventRef.hex(u.lo) : "?";
    }

    private void v6windows(Finding f, Entry u, EventRef eff, boolean pwc) {
        if (evidenceOn && u.range != null) {
            for (int d = 0; d < ncpu; d++) {
                CpuState t = cpu(d);
                if (u.applied && u.span == 4096 && closedFor(u, t, u.lo)) {
                    continue;
                }
                if (u.applied && t.lastFullInvSeq > u.flush.seq()) {
                    continue;
                }
                t.windows.add(new Window(this, f, u, d, eff, u.unmapFrame, pwc));
                f.waits++;
            }
        }
        if (f.waits == 0) {
            resolve(f);
        } else {
            open.add(f);
        }
    }

    private void record(Entry u) {
        long rangeKey = u.range != null ? u.lo | levelOf(u.span) : UnmapRecord.NO_RANGE;
        records.add(new UnmapRecord(u, u.unmapFrame, rangeKey));
        if (records.size() > sweepAt) {
            sweep();
        }
        while (records.size() > RECORD_CAP) {
            records.kill(records.oldest());
            recordsEvicted++;
        }
    }

    /**
     * Drops the records that can never give a finding again: every CPU has invalidated the whole
     * range after the apply in recorded order (so no access can show it, and without cross-CPU
     * synchronisation no free can be reported), and, when the trace has synchronisation, an
     * invalidation of every CPU ordered after the apply is known to every happens-before carrier
     * (so every later free is ordered after it).
     */
    private void sweep() {
        long[] minVc = new long[ncpu];
        long[][] minIv = new long[ncpu][];
        if (sync) {
            for (int k = 0; k < ncpu; k++) {
                minVc[k] = minKnown(k);
            }
            for (int d = 0; d < ncpu; d++) {
                long[] mn = new long[ncpu];
                Arrays.fill(mn, Long.MAX_VALUE);
                for (int x = 0; x < ncpu; x++) {
                    CpuState t = x < cpus.length ? cpus[x] : null;
                    long[] row = t == null || t.iv == null || d >= t.iv.length ? null : t.iv[d];
                    for (int k = 0; k < ncpu; k++) {
                        mn[k] = Math.min(mn[k], row == null || k >= row.length ? 0 : row[k]);
                    }
                }
                minIv[d] = mn;
            }
        }
        for (UnmapRecord rec = records.oldest(); rec != null; ) {
            UnmapRecord next = records.newer(rec);
            if (finished(rec, minVc, minIv)) {
                records.kill(rec);
            }
            rec = next;
        }
        sweepAt = gcMin == 0 ? 0 : Math.max(1024, 2 * records.size());
    }

    private boolean finished(UnmapRecord rec, long[] minVc, long[][] minIv) {
        long fs = rec.flushSeq;
        for (int d = 0; d < ncpu; d++) {
            CpuState t = d < cpus.length ? cpus[d] : null;
            if (t == null) {
                return false;
            }
            if (t.lastFullInvSeq <= fs) {
                // not closed by a full invalidation: look up the page's last invlpg (a map probe, so second)
                long[] inv = !rec.page || t.invlpgSeq == null ? null : t.invlpgSeq.get(rec.lo);
                if (inv == null || inv[0] <= fs) {
                    return false;
                }
            }
            if (sync) {
                boolean known = minIv[d] != null && rec.cpu < minIv[d].length && minIv[d][rec.cpu] >= rec.applyEpoch;
                if (!known && rec.hbInv != null && d < rec.hbInv.length && rec.hbInv[d] != null) {
                    for (long[] x : rec.hbInv[d]) {
                        if (x[1] <= minVc[(int) x[0]]) {
                            known = true;
                            break;
                        }
                    }
                }
                if (!known) {
                    return false;
                }
            }
        }
        return true;
    }

    /** V6 / V5-pwc for applied unmaps of frame m whose apply is hb-before the free (or not ordered at all). */
    private void records(CpuState cs, long m, EventRef e, EventRef eff) {
        ArrayList<UnmapRecord> l = recordsOfFrame;
        records.ofFrame(m, l);
        for (int k = 0; k < l.size(); k++) {
            UnmapRecord rec = l.get(k);
            Entry u = rec.u;
            if (rec.dead || u.seq >= eff.seq()) {
                continue;
            }
            records.kill(rec);
            boolean hbEnq = u.cpu == cs.id || hb(u.cpu, u.enqEpoch, cs);
            boolean hbApply = u.cpu == cs.id || hb(u.cpu, u.applyEpoch, cs);
            if (hbEnq && !hbApply) {
                continue; // handled with the queue (the entry is still alive there)
            }
            if (!hbEnq) {
                if (evidenceOn && u.range != null && EventRef.sb(u.seq, u.cpu, u.ts, eff.seq(), eff.cpu(), eff.ts())) {
                    boolean pwc = tables.knownPt(m) || u.level >= 2;
                    Finding f = newFinding(pwc ? ViolationClass.V5_PWC : ViolationClass.V6, u.range, u, e);
                    f.race = true;
                    f.frame = m;
                    f.note = "no happens-before relation orders the unmap before the " + e.op().text();
                    f.interleaving = v6Steps(u, cs, e, "nothing orders it after the unmap");
                    v6windows(f, u, eff, pwc);
                }
                continue;
            }
            List<Integer> bad = new ArrayList<>();
            boolean reportable = false;
            for (int d = 0; d < ncpu; d++) {
                if (cleanHb(rec, d, cs) || cannotHold(u, d, cs)) {
                    continue;
                }
                bad.add(d);
                if (sync || !cleanRecorded(rec, d)) {
                    reportable = true;
                }
            }
            if (bad.isEmpty()) {
                continue;
            }
            if (!reportable) {
                v6Suppressed++;
                continue;
            }
            boolean pwc = tables.knownPt(m) || u.level >= 2;
            Finding f = newFinding(pwc ? ViolationClass.V5_PWC : ViolationClass.V6,
                u.range == null ? Coverage.UNKNOWN : u.range, u, e);
            f.frame = m;
            f.hbPath = pathText(u.ref(), e, u.cpu == cs.id ? null : cs.path[u.cpu]);
            StringBuilder cpusText = new StringBuilder();
            for (int d : bad) {
                cpusText.append(cpusText.length() > 0 ? "," : "").append(d);
            }
            f.missing = "invalidate va " + vaText(u) + " on cpu " + cpusText + " after " + u.flush.shortText()
                + " and before " + e.shortText();
            f.missingSeq = e.seq();
            f.interleaving = v6Steps(u, cs, e, "no invalidation of cpu " + cpusText
                + " is ordered between the apply and the " + e.op().text());
            v6windows(f, u, eff, pwc);
        }
        l.clear();
    }

    /** Some invalidation of d covering u's range is hb-after apply(u) and hb-before the current event of cs. */
    private boolean cleanHb(UnmapRecord rec, int d, CpuState cs) {
        Entry u = rec.u;
        if (cs.iv != null && d < cs.iv.length && cs.iv[d] != null && u.cpu < cs.iv[d].length
            && cs.iv[d][u.cpu] >= u.applyEpoch) {
            return true;
        }
        if (rec.hbInv != null && d < rec.hbInv.length && rec.hbInv[d] != null) {
            for (long[] x : rec.hbInv[d]) {
                if (x[1] <= (x[0] == cs.id ? Long.MAX_VALUE : cs.get((int) x[0]))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Rule R4 (ordering-model §3.3): a CPU's TLB may hold a translation only while the VA is
     * reachable from its root, and a base switch drops the old root's (non-global) entries. So V6's
     * "every CPU d whose TLB may hold va -> f" leaves out d when the replayed links place u's table
     * under a known root, d's current roots are other known roots, and every earlier root of d that
     * was that one was switched away happens-before now (the switch is then an invalidation between
     * the apply and the free, or came before the apply). A CPU that never ran on the address space
     * needs no shootdown (Linux and NetBSD send it none). Without cross-CPU synchronisation in the
     * trace the switches are not ordered, and nothing is left out.
     */
    private boolean cannotHold(Entry u, int d, CpuState cs) {
        if (!sync || u.pte == NONE || d >= cpus.length || cpus[d] == null
            || (d != cs.id && cpus[d].rootHistLost > cs.get(d))) {
            return false; // (or d's history lost a switch-away not known here)
        }
        long[] tops = tables.rootsOf(u.pte >>> 12);
        if (tops == null) {
            return false;
        }
        if (runsOn(d, tops)) {
            return false;
        }
        for (CpuState.RootLoad h : cpus[d].rootHist) {
            if (reaches(h.root, tops) && d != cs.id && h.switchEpoch > cs.get(d)) {
                return false;
            }
        }
        return true;
    }

    /** Whether some CPU of {@code targets} runs on one of {@code tops}, or on a root not known. */
    private boolean anyRuns(BitSet targets, long[] tops) {
        for (int d = targets.nextSetBit(0); d >= 0; d = targets.nextSetBit(d + 1)) {
            if (runsOn(d, tops)) {
                return true;
            }
        }
        return false;
    }

    /** Whether CPU d's current roots (kernel, user) include one of {@code tops}, or one not known. */
    private boolean runsOn(int d, long[] tops) {
        CpuState t = d < cpus.length ? cpus[d] : null;
        if (t == null || t.root[0] == null) {
            return true;
        }
        return reaches(t.root[0].root, tops) || (t.root[1] != null && reaches(t.root[1].root, tops));
    }

    private static boolean reaches(long root, long[] tops) {
        if (root == NONE) {
            return true;
        }
        for (long x : tops) {
            if (x == root) {
                return true;
            }
        }
        return false;
    }

    /** Some invalidation of d covering u's range was recorded between u's flush and now. */
    private boolean cleanRecorded(UnmapRecord rec, int d) {
        long fs = rec.flushSeq;
        CpuState t = d < cpus.length ? cpus[d] : null;
        if (t != null && t.lastFullInvSeq > fs) {
            return true;
        }
        return rec.invSeq(d) > fs;
    }

    /** V5-live-root: some CPU still runs, or may still run, on the page being unpinned, freed or reused. */
    private void liveRoot(CpuState cs, long m, EventRef e, EventRef eff) {
        for (int d = 0; d < cpus.length; d++) {
            CpuState t = cpus[d];
            if (t == null) {
                continue;
            }
            for (int slot = 0; slot < 2; slot++) {
                CpuState.RootLoad cur = t.root[slot];
                if (cur != null && cur.root == m) {
                    liveRootFinding(cs, t, cur, e, eff, slot, true);
                }
            }
            for (CpuState.RootLoad h : t.rootHist) {
                if (h.root == m && d != cs.id && h.switchEpoch > cs.get(d)) {
                    liveRootFinding(cs, t, h, e, eff, h.slot, false);
                }
            }
        }
    }

    private void liveRootFinding(CpuState cs, CpuState t, CpuState.RootLoad load, EventRef e, EventRef eff, int slot,
                                 boolean current) {
        Finding f = new Finding(ViolationClass.V5_LIVE_ROOT, Coverage.ROOT);
        f.fileId = fileId;
        f.writer = load.load;
        f.reader = e;
        f.frame = load.root;
        f.label = current ? Label.OBSERVED : Label.LATENT;
        if (current) {
            f.evidence = e;
            f.evidenceText = "cpu" + t.id + "'s " + (slot == 1 ? "user " : "") + "root is still "
                + EventRef.hex(load.root) + " at the " + e.op().text();
        } else {
            f.note = "cpu" + t.id + " switched away at " + load.switchRef.shortText()
                + ", but nothing orders that switch before the " + e.op().text();
        }
        f.missing = "switch cpu" + t.id + " away from root " + EventRef.hex(load.root) + " (or IPI it and wait) before "
            + e.shortText();
        f.missingSeq = e.seq();
        f.interleaving = List.of("cpu" + t.id + ": " + load.load.shortText() + " runs on root " + EventRef.hex(load.root),
            "cpu" + cs.id + ": " + e.shortText() + (eff != e ? " (issued by " + eff.shortText() + ")" : "")
                + (current ? " while cpu" + t.id + " still runs on it" : " before cpu" + t.id + "'s switch away"
                + " becomes visible"),
            "cpu" + t.id + " walks a page table Xen no longer treats as one (or that is reused)");
        resolve(f);
    }

    // =======================================================================================
    // V7 lint
    // =======================================================================================

    private void lint(CpuState cs, MmuOp o) {
        CheckOptions.LockMap lm = opt.lockMap();
        Long since = null;
        if (lm.held()) {
            since = cs.heldSince == null ? null : cs.heldSince.remove(o.lock);
            if (since == null) {
                return;
            }
        }
        EventRef un = ref();
        for (int i = cs.applied; i < cs.size; i++) {
            Entry u = cs.at(i);
            if (!u.isData()) {
                continue;
            }
            boolean prot = lm.held() ? u.enqEpoch > since : u.pte != NONE && lm.protects(o.lock, u.pte >>> 12);
            if (!prot) {
                continue;
            }
            Finding f = newFinding(ViolationClass.V7, Coverage.LOCK, u, un);
            f.missing = "flush cpu" + cs.id + "'s queue before " + un.shortText();
            f.missingSeq = un.seq();
            f.interleaving = List.of("cpu" + cs.id + ": " + u.ref().shortText() + " under " + o.lock,
                "cpu" + cs.id + ": " + un.shortText() + " with it still queued",
                "any CPU that takes " + o.lock + " next may read or rewrite the PTE before it is applied (V1, V2, V4)");
            resolve(f);
        }
    }

    // =======================================================================================
    // findings
    // =======================================================================================

    private Finding newFinding(ViolationClass cls, Coverage cov, Entry u, EventRef reader) {
        Finding f = new Finding(cls, cov);
        f.fileId = fileId;
        f.writer = u.ref();
        f.reader = reader;
        f.pte = u.pte;
        f.va = u.va;
        f.oldVal = u.v0;
        f.newVal = u.val;
        if (u.orphanedBy != null && cls != ViolationClass.V8) {
            f.rootCause = "V8: the entry was orphaned by " + u.orphanedBy.shortText();
        }
        return f;
    }

    private void observe0(Finding f, EventRef ev, String text) {
        if (f.evidence == null) {
            f.evidence = ev;
            f.evidenceText = text;
        }
        f.label = f.race ? Label.BENIGN_RACE : Label.OBSERVED;
    }

    /** Evidence of the bad outcome: the label becomes OBSERVED (BENIGN-RACE for a race) and its windows close. */
    void observe(Finding f, EventRef ev, String text) {
        observe0(f, ev, text);
        // close the finding's windows on every CPU
        for (int d = 0; d < cpus.length; d++) {
            CpuState t = cpus[d];
            if (t == null || t.windows.isEmpty()) {
                continue;
            }
            for (Window w : t.windows) {
                if (w.f == f && !w.closed) {
                    closeWindow(w);
                }
            }
        }
    }

    /** One of the finding's pending resolutions is done; emits it when none are left. */
    private void resolve(Finding f) {
        if (f.waits > 0) {
            f.waits--;
        }
        if (f.waits > 0 || f.emitted) {
            return;
        }
        emit(f);
    }

    private void emit(Finding f) {
        if (f.emitted) {
            return;
        }
        f.emitted = true;
        if (f.race && f.label != Label.BENIGN_RACE) {
            return; // a race without evidence is not a finding
        }
        if (!sync && f.race) {
            f.note = "the trace records no lock, IPI or condvar events: whether anything ordered these events is unknown";
        }
        findings.add(f);
    }

    private String pathText(EventRef w, EventRef r, HbPath path) {
        StringBuilder sb = new StringBuilder();
        sb.append(w.detail().split(" ")[0]).append(" #").append(w.seq()).append(" (cpu").append(w.cpu()).append(')');
        if (path == null) {
            sb.append(" -> [program order on cpu").append(r.cpu()).append("] -> ");
        } else {
            List<HbPath> hops = path.hops(8);
            int total = path.length();
            if (total > hops.size()) {
                sb.append(" -> ... ").append(total - hops.size()).append(" more hops");
            }
            for (HbPath h : hops) {
                sb.append(" -> ").append(h.release.shortText()).append(" -> ").append(h.acquire.shortText());
            }
            sb.append(" -> ");
        }
        sb.append(r.detail().split(" ")[0]).append(" #").append(r.seq()).append(" (cpu").append(r.cpu()).append(')');
        return sb.toString();
    }

    private static String missingFlush(Entry u, EventRef r, HbPath path) {
        if (path == null) {
            return "flush cpu" + u.cpu + "'s queue before " + r.shortText();
        }
        return "flush cpu" + u.cpu + "'s queue before " + path.first().release.shortText();
    }

    // =======================================================================================
    // memory: dropping applied entries nothing can order wrongly any more
    // =======================================================================================

    /** Every value some carrier (another CPU, a lock, an IPI, a condvar, a migration) holds for CPU c. */
    private long[] carrierValues(int c) {
        long[] v = new long[16];
        int n = 0;
        for (CpuState s : cpus) {
            if (s != null && s.id != c) {
                v = add(v, n++, s.get(c));
            }
        }
        for (Carrier k : locks.values()) {
            v = add(v, n++, k.get(c));
        }
        for (Carrier k : cvs.values()) {
            v = add(v, n++, k.get(c));
        }
        final long[][] holder = {v};
        final int[] cnt = {n};
        ipis.forEach((id, st) -> {
            for (Carrier k : st) {
                if (k != null) {
                    holder[0] = add(holder[0], cnt[0]++, k.get(c));
                }
            }
        });
        v = holder[0];
        n = cnt[0];
        for (Migration m : migrations) {
            v = add(v, n++, m.carrier.get(c));
        }
        long[] out = Arrays.copyOf(v, n);
        Arrays.sort(out);
        return out;
    }

    private static long[] add(long[] a, int i, long x) {
        if (i == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[i] = x;
        return a;
    }

    /**
     * The least any CPU knows of CPU c's clock. Joins only add knowledge, so an event of c at or
     * below this is happens-before every event still to come (a CPU with no state yet knows nothing).
     */
    private long minKnown(int c) {
        long min = Long.MAX_VALUE;
        for (int d = 0; d < ncpu; d++) {
            CpuState t = d < cpus.length ? cpus[d] : null;
            min = Math.min(min, t == null ? 0 : t.get(c));
        }
        return min;
    }

    private void gc(CpuState cs) {
        long[] vals = carrierValues(cs.id);
        cs.compactApplied(u -> {
            // alive iff some carrier value lies in [enqEpoch, applyEpoch)
            int i = Arrays.binarySearch(vals, u.enqEpoch);
            if (i >= 0) {
                return true;
            }
            i = -i - 1;
            return i < vals.length && vals[i] < u.applyEpoch;
        });
        cs.gcAt = gcMin == 0 ? 0 : Math.max(gcMin, Math.max(2 * cs.applied, (locks.size() + cvs.size() + ipis.size()) / 4));
    }

    /**
     * Collects garbage whenever more than {@code n} applied entries are kept (0: at every flush, and
     * the PTE states pruned at every op; tests).
     */
    void gcThreshold(int n) {
        gcMin = n;
        if (n == 0) {
            sweepAt = 0;
            // and prune the PTE states at every op, both ways
            refreshEvery = 1;
            stateCheckAt = 0;
            pruneEvery = 0;
            nextPruneAt = 0;
            pteSweepMin = 0;
            nextPteSweep = 0;
        }
        for (CpuState s : cpus) {
            if (s != null) {
                s.gcAt = n;
            }
        }
    }

    /** Entries, PTEs, tables, records, windows, carriers and open findings held now. */
    public long stateSize() {
        long n = pteCount + tables.size() + records.size() + locks.size() + cvs.size() + ipis.size() + open.size();
        for (CpuState s : cpus) {
            if (s != null) {
                n += s.size + s.windows.size() + s.rootHist.size() + (s.invlpgSeq == null ? 0 : s.invlpgSeq.size());
            }
        }
        return n;
    }

    // =======================================================================================
    // the end
    // =======================================================================================

    /** Resolves everything still open (entries never applied, windows never closed) and reports. */
    public CheckResult finish() {
        if (finished) {
            throw new IllegalStateException("finish() called twice");
        }
        finished = true;
        peakState = Math.max(peakState, stateSize());
        for (CpuState s : cpus) {
            if (s == null) {
                continue;
            }
            for (int i = s.applied; i < s.size; i++) {
                Entry u = s.at(i);
                if (u.waiters != null) {
                    ArrayList<Entry.Waiter> ws = u.waiters;
                    u.waiters = null;
                    for (Entry.Waiter w : ws) {
                        w.end(u);
                    }
                }
            }
        }
        for (CpuState s : cpus) {
            if (s == null) {
                continue;
            }
            for (Window w : s.windows) {
                if (!w.closed) {
                    if (w.candidate != null && !w.u.applied) {
                        observe0(w.f, w.candidate, "used the translation while the update was never applied");
                    }
                    w.closed = true;
                    resolve(w.f);
                }
            }
        }
        for (Finding f : open) {
            if (!f.emitted) {
                f.waits = 0;
                emit(f);
            }
        }
        observedOrphans();
        findings.sort((a, b) -> a.reader.seq() != b.reader.seq() ? Long.compare(a.reader.seq(), b.reader.seq())
            : a.writer.seq() != b.writer.seq() ? Long.compare(a.writer.seq(), b.writer.seq())
            : a.cls.compareTo(b.cls));
        return new CheckResult(List.copyOf(findings), undecided(), ops, ncpu, peakState);
    }

    /**
     * §3.4: OBSERVED means the trace shows the stale value used. For an orphaned entry (V8) that is
     * an OBSERVED V1 or V3 on the same entry: the V8 takes its label and evidence.
     */
    private void observedOrphans() {
        Map<Long, Finding> v8 = new HashMap<>();
        for (Finding f : findings) {
            if (f.cls == ViolationClass.V8) {
                v8.put(f.writer.seq(), f);
            }
        }
        if (v8.isEmpty()) {
            return;
        }
        for (Finding f : findings) {
            Finding o = f.label == Label.OBSERVED && f.rootCause != null && (f.cls == ViolationClass.V1
                || f.cls == ViolationClass.V3 || f.cls == ViolationClass.V3_LOCAL) ? v8.get(f.writer.seq()) : null;
            if (o != null && o.label != Label.OBSERVED) {
                o.label = Label.OBSERVED;
                o.evidence = f.evidence;
                o.evidenceText = "the orphaned entry's stale translation was used (" + f.cls.text() + "): "
                    + f.evidenceText;
            }
        }
    }

    private List<Undecided> undecided() {
        List<Undecided> u = new ArrayList<>();
        if (!sync) {
            u.add(new Undecided("V1, V3, V4-remote, V2-stale-RMW, V5-pending, V6, V5-pwc",
                "no lock, IPI, condvar or migrate events recorded: cross-CPU happens-before is unknown, so no "
                    + "cross-CPU LATENT or OBSERVED finding is possible; a cross-CPU stale use the trace shows is "
                    + "reported as BENIGN-RACE", -1));
            u.add(new Undecided("V2, V2-unsync",
                "no lock, IPI, condvar or migrate events recorded: writers of one PTE on two CPUs cannot be told "
                    + "ordered from unsynchronised", -1));
            if (facts.hasPageEvents() && facts.count(Op.NEW_BASEPTR) > 0 && ncpu > 1) {
                u.add(new Undecided("V5-live-root",
                    "no IPI or lock events recorded: whether another CPU's switch away from a root is ordered "
                        + "before the root's unpin or free is unknown, so only CPUs still running on it are reported",
                    -1));
            }
            if (v6Suppressed > 0) {
                u.add(new Undecided("V5-pwc, V6", "frees where every CPU lacking an ordered invalidation did "
                    + "invalidate between the unmap and the free in recorded order: not decidable without "
                    + "cross-CPU happens-before", v6Suppressed));
            }
        }
        if (!evidenceOn) {
            u.add(new Undecided("V1, V3, V3-local, V5-pwc, V6",
                "no access events: a stale translation's use cannot be observed, so these are at most LATENT "
                    + "(and no BENIGN-RACE is possible)", -1));
        }
        if (!facts.hasPageEvents()) {
            u.add(new Undecided("V5-pending, V5-live-root, V5-pwc, V6", "no unpin, frame_free or frame_alloc "
                + "events recorded", -1));
        } else if (!framesOn) {
            u.add(new Undecided("V5-pwc, V6", "no frame_free or frame_alloc events recorded", -1));
        }
        if (enqNoPte > 0) {
            u.add(new Undecided("V2, V2-unsync, V2-stale-RMW, V4-local, V4-remote, V5-pending, V6, V5-pwc",
                "enqueues without a PTE address (e.g. hashed kernel pointers): checked only through their VA",
                enqNoPte));
        }
        if (enqNoRange > 0) {
            u.add(new Undecided("V1, V3, V3-local", "enqueues with no VA and no known table range: an invlpg's or "
                + "base switch's coverage of them is unknown (such findings carry coverage=unknown)", enqNoRange));
        }
        if (opt.lockMap() == null) {
            u.add(new Undecided("V7", facts.count(Op.UNLOCK) == 0 ? "no lock events recorded"
                : "not checked: no lock->PTE map given (--lock-map held, or --lock-map FILE)", -1));
        }
        if (facts.count(Op.MIGRATE) == 0) {
            u.add(new Undecided("V8", "no migrate events recorded: a migration between an enqueue and its flush "
                + "would be invisible (thread ids alone are not taken as evidence of migration)", -1));
        }
        if (opt.atomicLocks().isEmpty()) {
            u.add(new Undecided("V9", "no atomic groups marked (--atomic-lock NAME); "
                + "the op vocabulary has no marker for them", -1));
        }
        if (flushBeyond > 0) {
            u.add(new Undecided("V1, V3, V3-local, V4-local, V4-remote, V2-stale-RMW, V5-pending", "flushes that applied more entries than were queued: updates enqueued "
                + "before the trace started are unknown to the checker", flushBeyond));
        }
        if (v2Truncated > 0) {
            u.add(new Undecided("V2", "lookups past the per-PTE history kept (" + HIST
                + " enqueues per CPU): not checked", v2Truncated));
        }
        if (recordsEvicted > 0) {
            u.add(new Undecided("V5-pwc, V6", "unmap records evicted (cap " + RECORD_CAP
                + "): later frees of those frames were not checked against them", recordsEvicted));
        }
        if (rootHistEvicted > 0) {
            u.add(new Undecided("V5-live-root", "root switches evicted from the history kept per CPU (cap "
                + ROOT_HIST_CAP + ")", rootHistEvicted));
        }
        return u;
    }
}
