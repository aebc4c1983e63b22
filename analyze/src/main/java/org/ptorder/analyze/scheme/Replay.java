package org.ptorder.analyze.scheme;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * Re-runs a trace's logical operations under one scheme as a discrete-event simulation, and emits
 * the resulting op stream (with the flushes, IPI rounds, waits and lock operations the scheme adds)
 * to a consumer, normally a {@link org.ptorder.analyze.check.Checker}.
 *
 * <p>Time: each CPU has a clock. An input op starts after the CPU's previous op ended plus the
 * recorded gap between the two (compute time; the modelled cost of a recorded flush is taken out
 * of the gap after it, because the scheme decides its own flushes). Locks, IPIs and condvars make
 * CPUs really wait: a lock is taken when its previous holder released it in the replay, an IPI's
 * handler runs on the target when it arrives (or after the target's current op), the initiator
 * waits for the last ack. The interleaving of synchronisation is the recorded one (who got a lock
 * first, which CPU sent first); what changes is when things happen, and what the scheme inserts.
 *
 * <p>Memory: per-CPU queues (bounded by the queue capacity), one time per lock and condvar, the
 * IPIs in flight. Nothing grows with trace length.
 */
public final class Replay {
    /** Checker input op names for the scheme's own synchronisation (distinct from any trace's). */
    static final String XPQ_LOCK = "ptorder.S1.xpq_lock";
    static final String PENDING_CV = "ptorder.pending";
    private static final long SYN_IPI_BASE = 1L << 48;

    final ScoreParams params;
    final boolean linuxLazy;
    private final Policy policy;
    private final Consumer<MmuOp> sink;
    final CostVector cost = new CostVector();

    // parameters, read once
    final long h;
    final long u;
    final long mcEntry;
    final long ipiNs;
    final long lockNs;
    final long lineNs;
    final long cvNs;
    final long invlpgNs;
    final long tlbFlushNs;
    final int xpqCap;
    final int slCap;
    private final double deschedFraction;
    private final long deschedDelay;
    private double deschedAcc;

    // per CPU
    int ncpu;
    long[] t = new long[0];          // the CPU's clock: end of what it did last
    private long[] recPrev = new long[0];  // recorded ts of its previous input op
    private long[] recDebt = new long[0];  // modelled cost of recorded flushes not yet taken out of gaps
    private long[] steal = new long[0];    // handler time that lands in the next gap
    private long[] floor = new long[0];    // the next op starts no earlier (a handler ran until then)
    private long[] recLast = new long[0];  // recorded ts of the last input op
    private long[] lastTs = new long[0];   // ts of the last op emitted on the CPU (kept monotonic)
    private boolean[] started = new boolean[0];
    Queue[] queues = new Queue[0];
    boolean[] lazy = new boolean[0];       // inside the trace's lazy_enter..lazy_leave
    int[] held = new int[0];               // trace locks held
    long[] actualRoot = new long[0];       // SL: the root Xen has loaded
    long[] pendingRoot = new long[0];      // SL: a base switch still in the batch
    int[] deferredReads = new int[0];      // read-ops waiting in a Linux lazy batch

    // synchronisation
    private final Map<String, Long> lockFree = new HashMap<>();
    private final Map<String, Long> cvBroadcast = new HashMap<>();
    private final Map<Long, long[]> ipis = new HashMap<>(); // id -> {send time, last ack}
    final ArrayDeque<long[]> globalRuns = new ArrayDeque<>(); // S1: FIFO runs {cpu, entries}
    int globalCount;
    long xpqFree;          // S1: when the global lock is free
    int xpqHolder = -1;    // S1: the CPU whose lock op was emitted last (its unlock is emitted lazily)

    /** Page-table levels declared by map_table and pin (Sa', Sb: the range an entry maps). */
    private final Map<Long, Integer> levels = new HashMap<>();
    private static final long FRAME_MASK = 0x000f_ffff_ffff_f000L;

    /**
     * Sa (non-empty targets), Sa', Sb: CPUs publish what they have pending in shared memory. A
     * flush clears it (a release: emitted as a broadcast of {@link #PENDING_CV}, one shared-line
     * update) and a read-op reads every CPU's summary (an acquire: a wake on it), so a reader that
     * finds a CPU clear is ordered after that CPU's flush, as the shared line orders it.
     */
    boolean publish;

    private final MmuOp syn = new MmuOp();
    private long seq;

    /** A CPU's pending entries, FIFO: PTE, VA and value of each (NONE when unknown). */
    static final class Queue {
        long[] pte = new long[16];
        long[] va = new long[16];
        long[] val = new long[16];
        int head;
        int size;

        void push(long p, long v, long x) {
            if (size == pte.length) {
                long[] np = new long[size * 2];
                long[] nv = new long[size * 2];
                long[] nx = new long[size * 2];
                for (int i = 0; i < size; i++) {
                    np[i] = pte[(head + i) % pte.length];
                    nv[i] = va[(head + i) % va.length];
                    nx[i] = val[(head + i) % val.length];
                }
                pte = np;
                va = nv;
                val = nx;
                head = 0;
            }
            int i = (head + size) % pte.length;
            pte[i] = p;
            va[i] = v;
            val[i] = x;
            size++;
        }

        void pop(int n) {
            int k = Math.min(n, size);
            head = (head + k) % pte.length;
            size -= k;
        }

        long pteAt(int i) {
            return pte[(head + i) % pte.length];
        }

        long vaAt(int i) {
            return va[(head + i) % va.length];
        }

        long valAt(int i) {
            return val[(head + i) % val.length];
        }
    }

    public Replay(Scheme scheme, ScoreParams p, boolean linuxLazy, int cpus, Consumer<MmuOp> sink) {
        this.params = p;
        this.linuxLazy = linuxLazy;
        this.sink = sink;
        this.policy = Policy.of(scheme, this);
        h = Math.round(p.num("hypercall_ns"));
        u = Math.round(p.num("mmu_update_entry_ns"));
        mcEntry = Math.round(p.num("multicall_entry_ns"));
        ipiNs = Math.round(p.num("ipi_ns"));
        lockNs = Math.round(p.num("lock_ns"));
        lineNs = Math.round(p.num("line_transfer_ns"));
        cvNs = Math.round(p.num("cv_wake_ns"));
        invlpgNs = Math.round(p.num("invlpg_ns"));
        tlbFlushNs = Math.round(p.num("tlb_flush_ns"));
        xpqCap = (int) Math.max(1, p.num("xpq_entries"));
        slCap = (int) Math.max(1, p.num("sl_batch_entries"));
        deschedFraction = p.num("desched_fraction");
        deschedDelay = Math.round(p.num("desched_delay_ns"));
        grow(Math.max(cpus, 1));
    }

    private void grow(int n) {
        if (n <= ncpu) {
            return;
        }
        int old = ncpu;
        t = Arrays.copyOf(t, n);
        recPrev = Arrays.copyOf(recPrev, n);
        recDebt = Arrays.copyOf(recDebt, n);
        steal = Arrays.copyOf(steal, n);
        floor = Arrays.copyOf(floor, n);
        recLast = Arrays.copyOf(recLast, n);
        lastTs = Arrays.copyOf(lastTs, n);
        started = Arrays.copyOf(started, n);
        queues = Arrays.copyOf(queues, n);
        lazy = Arrays.copyOf(lazy, n);
        held = Arrays.copyOf(held, n);
        actualRoot = Arrays.copyOf(actualRoot, n);
        pendingRoot = Arrays.copyOf(pendingRoot, n);
        deferredReads = Arrays.copyOf(deferredReads, n);
        for (int c = old; c < n; c++) {
            recPrev[c] = MmuOp.NONE;
            recLast[c] = MmuOp.NONE;
            lastTs[c] = Long.MIN_VALUE;
            queues[c] = new Queue();
            actualRoot[c] = MmuOp.NONE;
            pendingRoot[c] = MmuOp.NONE;
        }
        ncpu = n;
    }

    /** Replays one input op (in recorded order). The op is restored before this returns. */
    public void accept(MmuOp o) {
        int c = o.cpu;
        grow(Math.max(c, o.op == Op.MIGRATE ? o.to : 0) + 1);
        begin(c, o);
        if ((o.op == Op.MAP_TABLE || o.op == Op.PIN) && MmuOp.has(o.mfn) && o.level >= 1) {
            levels.put(o.mfn, o.level);
        }
        policy.op(c, o);
        if (o.op == Op.FLUSH) {
            recDebt[c] += flushCost(MmuOp.has(o.done) ? o.done : MmuOp.has(o.n) ? o.n : 0);
        }
    }

    private void begin(int c, MmuOp o) {
        long start;
        if (!started[c]) {
            started[c] = true;
            start = MmuOp.has(o.ts) ? Math.max(o.ts, t[c]) : t[c];
        } else {
            long recGap = MmuOp.has(o.ts) && MmuOp.has(recPrev[c]) ? Math.max(0, o.ts - recPrev[c]) : 0;
            // the recorded flushes' modelled cost comes out of the following gaps, carried over
            // while a gap is shorter, so that a replay of the recorded flushes ends where the trace did
            long gap = Math.max(0, recGap - recDebt[c]);
            recDebt[c] = Math.max(0, recDebt[c] - recGap);
            start = t[c] + gap + steal[c];
        }
        t[c] = Math.max(start, floor[c]);
        steal[c] = 0;
        if (MmuOp.has(o.ts)) {
            recPrev[c] = o.ts;
            recLast[c] = o.ts;
        }
    }

    /** Ends the replay: each CPU's completion time against the recording. */
    public CostVector finish() {
        releaseXpq();
        cost.completionDelta = new long[ncpu];
        for (int c = 0; c < ncpu; c++) {
            cost.completionDelta[c] = started[c] && MmuOp.has(recLast[c]) ? t[c] - recLast[c] : 0;
        }
        cost.replayedOps = seq;
        return cost;
    }

    // ---- costs

    long flushCost(long n) {
        return h + n * u;
    }

    /** Direct cost of an mmuext op (held under S1's lock; an op's own cost is in the recorded gaps). */
    long opCost(MmuOp o) {
        return switch (o.op) {
            case INVLPG, INVLPG_MULTI, INVLPG_ALL -> h + invlpgNs;
            case TLB_FLUSH, TLB_FLUSH_MULTI, TLB_FLUSH_ALL -> h + tlbFlushNs;
            default -> h;
        };
    }

    // ---- emission

    /** Emits the input op itself on its CPU at the CPU's clock, with its time-keeping effects. */
    void pass(int c, MmuOp o) {
        syncTiming(c, o);
        count(o);
        long s = o.seq;
        long ts = o.ts;
        o.seq = seq++;
        o.ts = stamp(c, t[c]);
        if (sink != null) {
            sink.accept(o);
        }
        o.seq = s;
        o.ts = ts;
    }

    /** Emits the input flush with another entry count (its recorded failure, done < n, kept). */
    void passFlush(int c, MmuOp o, int n) {
        long rn = o.n;
        long rd = o.done;
        int failed = MmuOp.has(rn) && MmuOp.has(rd) && rd < rn ? (int) (rn - rd) : 0;
        int applied = Math.max(0, n - failed);
        o.n = n;
        o.done = failed > 0 ? applied : MmuOp.NONE;
        flushed(c, n, applied);
        pass(c, o);
        o.n = rn;
        o.done = rd;
        if (applied > 0) {
            published(c);
        }
    }

    /** A flush cleared c's published summary (see {@link #publish}). */
    private void published(int c) {
        if (publish) {
            cost.sharedLineUpdates++;
            emitCv(c, Op.CV_BROADCAST, PENDING_CV, t[c]);
        }
    }

    /** c reads every CPU's published summary before deciding whom to wait for (see {@link #publish}). */
    void readPublished(int c) {
        emitCv(c, Op.CV_WAKE, PENDING_CV, t[c]);
    }

    private long stamp(int c, long time) {
        long ts = Math.max(time, lastTs[c]);
        lastTs[c] = ts;
        return ts;
    }

    private MmuOp syn(int c, Op op) {
        syn.clear();
        syn.cpu = c;
        syn.op = op;
        return syn;
    }

    private void emit(MmuOp o, long time) {
        o.seq = seq++;
        o.ts = stamp(o.cpu, time);
        if (sink != null) {
            sink.accept(o);
        }
    }

    private void count(MmuOp o) {
        switch (o.op) {
            case TLB_FLUSH, INVLPG, TLB_FLUSH_MULTI, INVLPG_MULTI, TLB_FLUSH_ALL, INVLPG_ALL, NEW_BASEPTR, PIN, UNPIN ->
                cost.mmuextOp++;
            case UPDATE_VA_MAPPING -> cost.updateVaMapping++;
            case RMW -> {
                cost.mmuUpdate++;
                cost.mmuEntries++;
            }
            case IPI_SEND -> {
                int k = o.dst == null ? 1 : Math.max(1, o.dst.cardinality());
                cost.ipisSent += k;
                cost.eventChannelOp += k;
            }
            case IPI_RECV -> cost.ipisHandled++;
            case LOCK -> cost.lockAcquisitions++;
            default -> { }
        }
    }

    /** Locks, IPIs and condvars of the trace: the CPU waits for what it synchronises with. */
    private void syncTiming(int c, MmuOp o) {
        switch (o.op) {
            case LOCK -> {
                // the acquire itself is in the recorded gaps; what the replay adds is waiting for the holder
                String l = o.lock == null ? "" : o.lock;
                Long free = lockFree.get(l);
                if (free != null && free > t[c]) {
                    cost.lockContended++;
                    cost.lockContendedWait += free - t[c];
                    t[c] = free;
                }
                lockFree.put(l, Long.MAX_VALUE);
            }
            case UNLOCK -> lockFree.put(o.lock == null ? "" : o.lock, t[c]);
            case IPI_SEND -> {
                if (MmuOp.has(o.ipi)) {
                    ipis.put(o.ipi, new long[] {t[c], 0});
                }
            }
            case IPI_RECV -> {
                long[] s = MmuOp.has(o.ipi) ? ipis.get(o.ipi) : null;
                if (s != null) {
                    t[c] = Math.max(t[c], s[0] + deliver());
                }
            }
            case IPI_ACK -> {
                long[] s = MmuOp.has(o.ipi) ? ipis.get(o.ipi) : null;
                if (s != null) {
                    s[1] = Math.max(s[1], t[c]);
                }
            }
            case IPI_DONE -> {
                long[] s = MmuOp.has(o.ipi) ? ipis.remove(o.ipi) : null;
                if (s != null && s[1] > 0) {
                    t[c] = Math.max(t[c], s[1] + ipiNs / 2);
                }
            }
            case CV_BROADCAST -> cvBroadcast.put(o.cv == null ? "" : o.cv, t[c]);
            case CV_WAKE -> {
                Long b = cvBroadcast.get(o.cv == null ? "" : o.cv);
                if (b != null) {
                    t[c] = Math.max(t[c], b);
                }
            }
            default -> { }
        }
    }

    /**
     * The IPI id of c's own rounds. One per initiator: a round is emitted whole (send, receipts,
     * acks, done) before c's next, and the checker keeps state per id, so ids are reused rather
     * than made fresh (which would grow its state with the trace).
     */
    private static long synIpi(int c) {
        return SYN_IPI_BASE + c;
    }

    /** One-way IPI delivery: half the round trip, plus a descheduled target's delay for the chosen share. */
    private long deliver() {
        long d = ipiNs / 2;
        if (deschedFraction > 0) {
            deschedAcc += deschedFraction;
            if (deschedAcc >= 1) {
                deschedAcc -= 1;
                d += deschedDelay;
            }
        }
        return d;
    }

    // ---- queues

    void enqueue(int c, MmuOp o) {
        queues[c].push(o.pte, o.va, o.val);
        pass(c, o);
    }

    /**
     * An mmuext op inside a Linux lazy section of an intent trace: an entry of the batch (the
     * checker defers it the same way), taking effect when the batch is issued.
     */
    void defer(int c, MmuOp o) {
        queues[c].push(MmuOp.NONE, o.va, MmuOp.NONE);
        pass(c, o);
    }

    /** Bookkeeping of a flush of {@code n} entries of which {@code applied} were applied. */
    private void flushed(int c, int n, int applied) {
        queues[c].pop(applied);
        cost.mmuUpdate++;
        cost.mmuEntries += n;
        if (MmuOp.has(pendingRoot[c])) {
            actualRoot[c] = pendingRoot[c];
            pendingRoot[c] = MmuOp.NONE;
        }
    }

    /**
     * Flushes CPU c's own queue as one mmu_update (nothing when empty) at its clock, which advances
     * by the hypercall. {@code inserted}: the scheme added it (counted as an extra flush).
     */
    void flushOwn(int c, String reason, boolean inserted) {
        int n = queues[c].size;
        if (n == 0) {
            return;
        }
        emitFlush(c, n, reason, t[c]);
        t[c] += flushCost(n);
        if (inserted) {
            cost.extraFlushes++;
        }
    }

    private void emitFlush(int c, int n, String reason, long time) {
        flushed(c, n, n);
        MmuOp f = syn(c, Op.FLUSH);
        f.n = n;
        f.reason = reason;
        emit(f, time);
        published(c);
    }

    /**
     * An IPI round from c to {@code targets} (ordering-model §5.1 T_Sa): each target's handler
     * flushes its queue (when non-empty) and acks; c waits for the last ack. Returns when c resumes.
     */
    long ipiRound(int c, BitSet targets) {
        long id = synIpi(c);
        long t0 = t[c];
        MmuOp s = syn(c, Op.IPI_SEND);
        s.ipi = id;
        s.dst = (BitSet) targets.clone();
        emit(s, t0);
        int k = targets.cardinality();
        cost.ipisSent += k;
        cost.eventChannelOp += k;
        long done = t0;
        for (int d = targets.nextSetBit(0); d >= 0; d = targets.nextSetBit(d + 1)) {
            long hs = Math.max(t0 + deliver(), t[d]);
            MmuOp r = syn(d, Op.IPI_RECV);
            r.ipi = id;
            emit(r, hs);
            cost.ipisHandled++;
            long he = hs;
            int n = queues[d].size;
            if (n > 0) {
                emitFlush(d, n, "explicit", hs);
                he += flushCost(n);
                cost.extraFlushes++;
            }
            MmuOp a = syn(d, Op.IPI_ACK);
            a.ipi = id;
            emit(a, he);
            steal[d] += he - hs;
            floor[d] = Math.max(floor[d], he);
            done = Math.max(done, he + ipiNs / 2);
        }
        MmuOp w = syn(c, Op.IPI_DONE);
        w.ipi = id;
        emit(w, done);
        return done;
    }

    void emitCv(int c, Op op, String cv, long time) {
        MmuOp o = syn(c, op);
        o.cv = cv;
        emit(o, time);
    }

    /** Records one initiator wait from {@code from} until c resumes at {@code until}. */
    void waited(int c, long from, long until) {
        cost.waits.add(until - from);
        t[c] = Math.max(t[c], until);
    }

    // ---- S1: the global queue under the global lock

    /** Takes the global lock at c's clock (counted; waits for the holder); emits it when another CPU had it. */
    void takeXpq(int c) {
        cost.lockAcquisitions++;
        long at = t[c] + lockNs;
        if (xpqFree > t[c]) {
            cost.lockContended++;
            cost.lockContendedWait += xpqFree - t[c];
            at = xpqFree + lineNs;
        }
        t[c] = at;
        if (xpqHolder != c) {
            releaseXpq();
            MmuOp l = syn(c, Op.LOCK);
            l.lock = XPQ_LOCK;
            emit(l, t[c]);
            xpqHolder = c;
        }
    }

    /**
     * Releases the global lock; {@code hold}: how long after c's clock it is still held (an op
     * running under it whose own time is already in the recorded gaps).
     */
    void dropXpq(int c, long hold) {
        xpqFree = t[c] + hold;
    }

    /** The emitted unlock of the last holder, placed when another CPU takes the lock. */
    private void releaseXpq() {
        if (xpqHolder >= 0) {
            MmuOp r = syn(xpqHolder, Op.UNLOCK);
            r.lock = XPQ_LOCK;
            emit(r, t[xpqHolder]);
            xpqHolder = -1;
        }
    }

    /** An enqueue into the global FIFO ({@code deferred}: a Linux lazy-section op, as {@link #defer}). */
    void enqueueGlobal(int c, MmuOp o, boolean deferred) {
        long[] last = globalRuns.peekLast();
        if (last != null && last[0] == c) {
            last[1]++;
        } else {
            globalRuns.addLast(new long[] {c, 1});
        }
        globalCount++;
        if (deferred) {
            defer(c, o);
        } else {
            enqueue(c, o);
        }
    }

    /**
     * Flushes the global queue from CPU c (holding the global lock) as one mmu_update. The
     * checker has per-CPU queues, so the flush is emitted as each CPU's run of entries in FIFO
     * order; each other CPU's run is applied inside a synthetic IPI handshake, which orders it after
     * c's past and before c's future as the single hypercall does. Not counted as IPIs.
     */
    void flushGlobal(int c, String reason) {
        if (globalCount == 0) {
            return;
        }
        int total = globalCount;
        for (long[] run : globalRuns) {
            int d = (int) run[0];
            queues[d].pop((int) run[1]);
            if (d == c) {
                MmuOp f = syn(c, Op.FLUSH);
                f.n = run[1];
                f.reason = reason;
                emit(f, t[c]);
                continue;
            }
            // another CPU's run: applied inside c's hypercall, so ordered after c's past and before its future
            long id = synIpi(c);
            MmuOp s = syn(c, Op.IPI_SEND);
            s.ipi = id;
            s.dst = new BitSet();
            s.dst.set(d);
            emit(s, t[c]);
            MmuOp x = syn(d, Op.IPI_RECV);
            x.ipi = id;
            emit(x, t[c]);
            MmuOp f = syn(d, Op.FLUSH);
            f.n = run[1];
            f.reason = reason;
            emit(f, t[c]);
            MmuOp a = syn(d, Op.IPI_ACK);
            a.ipi = id;
            emit(a, t[c]);
            MmuOp w = syn(c, Op.IPI_DONE);
            w.ipi = id;
            emit(w, t[c]);
        }
        globalRuns.clear();
        globalCount = 0;
        cost.mmuUpdate++;
        cost.mmuEntries += total;
        t[c] += flushCost(total);
    }

    // ---- scoreboard (Sa', Sb): does CPU d's pending set overlap what the op concerns?

    /**
     * Whether CPU d's pending entries may concern op o, with the scoreboard's granularity. A
     * summary is conservative: an entry whose VA or table level is unknown, or more entries than
     * tracked, overlaps everything; so do full flushes and base switches (any non-empty queue). An
     * entry of a level-L table maps 2^(12+9(L-1)) bytes from its VA: 'pte' compares that range,
     * 'table' the table's whole range (2^(12+9L)), 'va' 2 MiB buckets (or the entry's range if larger).
     * An unpin or free concerns entries in the page and entries pointing to it.
     */
    boolean overlaps(int d, MmuOp o, String granularity, int maxTracked) {
        Queue q = queues[d];
        if (q.size == 0) {
            return false;
        }
        if (q.size > maxTracked) {
            return true;
        }
        switch (o.op) {
            case INVLPG, INVLPG_MULTI, INVLPG_ALL -> {
                if (!MmuOp.has(o.va)) {
                    return true;
                }
                for (int i = 0; i < q.size; i++) {
                    long v = q.vaAt(i);
                    long p = q.pteAt(i);
                    Integer lvl = MmuOp.has(p) ? levels.get(p >>> 12) : null;
                    if (!MmuOp.has(v) || lvl == null || lvl >= 4) {
                        return true;
                    }
                    int shift = switch (granularity) {
                        case "pte" -> 12 + 9 * (lvl - 1);
                        case "table" -> 12 + 9 * lvl;
                        default -> Math.max(21, 12 + 9 * (lvl - 1));
                    };
                    if ((v >>> shift) == (o.va >>> shift)) {
                        return true;
                    }
                }
                return false;
            }
            case UNPIN, PIN, FRAME_FREE, FRAME_ALLOC -> {
                if (granularity.equals("va") || !MmuOp.has(o.mfn)) {
                    return true;
                }
                for (int i = 0; i < q.size; i++) {
                    long p = q.pteAt(i);
                    long x = q.valAt(i);
                    if (!MmuOp.has(p) || (p >>> 12) == o.mfn || MmuOp.has(x) && ((x & FRAME_MASK) >>> 12) == o.mfn) {
                        return true;
                    }
                }
                return false;
            }
            case OOB_READ, RMW -> {
                if (granularity.equals("va") || !MmuOp.has(o.pte)) {
                    return true;
                }
                for (int i = 0; i < q.size; i++) {
                    long p = q.pteAt(i);
                    if (!MmuOp.has(p) || (granularity.equals("pte") ? p == o.pte : (p >>> 12) == (o.pte >>> 12))) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                return true;
            }
        }
    }
}
