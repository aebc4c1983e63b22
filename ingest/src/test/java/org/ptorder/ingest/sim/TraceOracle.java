package org.ptorder.ingest.sim;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.pmap.PmtReader;

/**
 * An independent, deliberately simple checker for the tests: it replays a .pmt against
 * reference/ordering-model.md §3 (vector clocks for happens-before over program order, locks,
 * IPIs and migrations; per-CPU queues with Linux's lazy-mode batching; applied memory; which CPUs'
 * roots reach which tables; per-CPU invalidation histories) and reports the §3.5 classes the
 * simulator plants: V1, V2, V2-unsync, V2-stale-RMW, V3, V3-local, V4-local, V4-remote, V5-pending,
 * V5-live-root, V5-pwc, V6, V8. It is conservative where the model lets a checker choose (a full
 * flush or base switch covers every PTE), so "nothing found" on a clean trace is a strong statement.
 * It is not the product's checker (issue 4); it exists so that the simulator's promises can be
 * tested before that checker lands.
 */
final class TraceOracle {
    record Finding(String cls, String label, long[] events) {
        @Override
        public String toString() {
            return cls + " " + label + " " + Arrays.toString(events);
        }
    }

    private static final class Entry {
        final long seq;
        final int cpu;
        final long k;          // the line's local clock on its CPU
        final long[] vc;       // the line's vector clock
        final Op op;
        final long pte;
        final long val;
        final long va;
        final long thread;
        final long mask;
        final long root;
        final int user;
        boolean applied;
        long appliedSeq = -1;

        Entry(MmuOp o, long k, long[] vc) {
            this.seq = o.seq;
            this.cpu = o.cpu;
            this.k = k;
            this.vc = vc;
            this.op = o.op;
            this.pte = o.op == Op.ENQ ? o.pte : -1;
            this.val = o.val;
            this.va = o.va;
            this.thread = o.thread;
            this.mask = bits(o.mask);
            this.root = o.root;
            this.user = o.user;
        }
    }

    /** An invalidation that took effect on {@code target}: by event (cpu, k, vc, seq). */
    private record Inval(int target, long va, int cpu, long k, long[] vc, long seq) { }

    /** An applied update that took va -> frame away (V6), or unlinked a table (V5-pwc). */
    private record Gone(long frame, long va, boolean table, long lo, long hi, int cpu, long k, long seq, long cpus,
                        long enqSeq) { }

    final List<Finding> findings = new ArrayList<>();
    private final int cpus;
    private final boolean linux;
    private final long[][] vc;
    private final long[][] pendingJoin;
    private final Map<String, long[]> lockRel = new HashMap<>();
    private final Map<Long, long[]> ipiSend = new HashMap<>();
    private final Map<Long, long[]> ipiAck = new HashMap<>();
    private final List<ArrayDeque<Entry>> q = new ArrayList<>();
    private final boolean[] lazy;
    private final Map<Long, Long> mem = new HashMap<>();
    private final Map<Long, Entry> lastWriter = new HashMap<>();
    private final Map<Long, Integer> level = new HashMap<>();
    private final Map<Long, Long> tableVa = new HashMap<>();
    private final Map<Long, Set<Long>> parents = new HashMap<>();
    private final long[] root;
    private final long[] userRoot;
    private final List<List<Inval>> history = new ArrayList<>();
    private final Map<Long, List<Gone>> gone = new HashMap<>();
    private final Map<Long, Entry> v5Entries = new HashMap<>();
    private long seq;

    private TraceOracle(int cpus, boolean linux) {
        this.cpus = cpus;
        this.linux = linux;
        vc = new long[cpus][cpus];
        pendingJoin = new long[cpus][];
        lazy = new boolean[cpus];
        root = new long[cpus];
        userRoot = new long[cpus];
        for (int c = 0; c < cpus; c++) {
            q.add(new ArrayDeque<>());
            history.add(new ArrayList<>());
        }
    }

    static TraceOracle check(Path file) throws java.io.IOException {
        return check(java.nio.file.Files.readAllBytes(file));
    }

    static TraceOracle check(byte[] pmt) {
        WarningList w = new WarningList();
        try (PmtReader r = new PmtReader(Path.of("sim.pmt"), new ByteArrayInputStream(pmt), 0, w)) {
            TraceOracle o = null;
            while (r.next()) {
                if (o == null) {
                    o = new TraceOracle(Math.max(r.header().cpus(), 1), "linux".equals(r.header().system()));
                }
                o.event(r.op());
            }
            if (!w.isEmpty()) {
                throw new AssertionError("reader warnings: " + w.rows());
            }
            o.finish();
            return o;
        }
    }

    private static long bits(java.util.BitSet s) {
        return s == null || s.isEmpty() ? 0 : s.toLongArray()[0];
    }

    private static void join(long[] into, long[] from) {
        if (from != null) {
            for (int i = 0; i < into.length; i++) {
                into[i] = Math.max(into[i], from[i]);
            }
        }
    }

    /** a (on cpu ca at local clock ka) happens before an event whose vector clock is vcb. */
    private static boolean hb(int ca, long ka, long[] vcb) {
        return vcb[ca] >= ka;
    }

    private void find(String cls, String label, long... events) {
        findings.add(new Finding(cls, label, events));
    }

    private void event(MmuOp o) {
        int c = o.cpu;
        seq = o.seq;
        if (pendingJoin[c] != null) {
            join(vc[c], pendingJoin[c]);
            pendingJoin[c] = null;
        }
        long k = ++vc[c][c];
        switch (o.op) {
            case LOCK -> join(vc[c], lockRel.get(o.lock));
            case UNLOCK -> lockRel.put(o.lock, vc[c].clone());
            case IPI_SEND -> ipiSend.put(o.ipi, vc[c].clone());
            case IPI_RECV -> join(vc[c], ipiSend.get(o.ipi));
            case IPI_ACK -> ipiAck.merge(o.ipi, vc[c].clone(), (a, b) -> {
                join(a, b);
                return a;
            });
            case IPI_DONE -> join(vc[c], ipiAck.get(o.ipi));
            case MIGRATE -> {
                for (Entry u : q.get(c)) {
                    if (u.op == Op.ENQ && u.thread == o.thread) {
                        find("V8", "LATENT", u.seq, o.seq);
                    }
                }
                long[] snap = vc[c].clone();
                if (pendingJoin[o.to] == null) {
                    pendingJoin[o.to] = snap;
                } else {
                    join(pendingJoin[o.to], snap);
                }
            }
            case LAZY_ENTER -> lazy[c] = true;
            case LAZY_LEAVE -> {
                issue(c, q.get(c).size(), k);
                lazy[c] = false;
            }
            case ENQ -> {
                if (o.old != MmuOp.NONE && !mem.containsKey(o.pte)) {
                    mem.put(o.pte, o.old); // what the writer believed was there: the initial state (litmus files)
                }
                q.get(c).add(new Entry(o, k, vc[c].clone()));
            }
            case FLUSH -> issue(c, (int) Math.min(o.n, Integer.MAX_VALUE), k);
            case TLB_FLUSH, INVLPG, TLB_FLUSH_MULTI, INVLPG_MULTI, TLB_FLUSH_ALL, INVLPG_ALL, NEW_BASEPTR -> {
                Entry e = new Entry(o, k, vc[c].clone());
                if (linux && lazy[c]) {
                    q.get(c).add(e);
                } else {
                    perform(e, c, k, vc[c].clone(), o.seq);
                }
            }
            case RMW -> {
                Entry self = new Entry(o, k, vc[c].clone());
                read(o.pte, c, vc[c], o.seq, true, o.ok == 1 ? o.expect : MmuOp.NONE);
                issue(c, q.get(c).size(), k);
                write(o.pte, o.newVal, MmuOp.NONE, self, c, k, o.seq);
            }
            case OOB_READ -> read(o.pte, c, vc[c], o.seq, false, o.val);
            case MAP_TABLE -> {
                level.put(o.mfn, o.level);
                tableVa.put(o.mfn, o.va);
                // a new page-table page starts out zeroed (the guest clears it before linking it)
                for (long i = 0; i < 512; i++) {
                    mem.remove(o.mfn << 12 | i << 3);
                    lastWriter.remove(o.mfn << 12 | i << 3);
                }
            }
            case PIN -> { }
            case UNPIN -> release(o.mfn, c, vc[c], o.seq, true);
            case FRAME_FREE -> release(o.mfn, c, vc[c], o.seq, false);
            default -> { }
        }
    }

    /** Issues the first {@code n} entries of {@code c}'s queue, in order, at the current event. */
    private void issue(int c, int n, long k) {
        ArrayDeque<Entry> dq = q.get(c);
        for (int i = 0; i < n && !dq.isEmpty(); i++) {
            Entry u = dq.poll();
            if (u.op == Op.ENQ) {
                write(u.pte, u.val, u.va, u, c, k, seq);
                u.applied = true;
                u.appliedSeq = seq;
            } else {
                perform(u, c, k, vc[c].clone(), seq);
            }
        }
    }

    private static int spanShift(int lvl) {
        return 12 + 9 * (lvl - 1);
    }

    /** Whether an op with {@code va} (or a full flush when va is absent) covers update {@code u}. */
    private boolean covers(Entry op, Entry u) {
        if (op.va == MmuOp.NONE || op.op == Op.NEW_BASEPTR) {
            return true;
        }
        if (u.va == MmuOp.NONE) {
            return true;
        }
        int lvl = level.getOrDefault(u.pte >>> 12, 1);
        long mask = ~((1L << spanShift(lvl)) - 1);
        return (op.va & mask) == (u.va & mask);
    }

    /** A TLB op or base switch takes effect at event (c, k, vcNow, at). */
    private void perform(Entry e, int c, long k, long[] vcNow, long at) {
        boolean remote = e.op == Op.TLB_FLUSH_MULTI || e.op == Op.INVLPG_MULTI || e.op == Op.TLB_FLUSH_ALL
            || e.op == Op.INVLPG_ALL;
        for (int d = 0; d < cpus; d++) {
            for (Entry u : q.get(d)) {
                if (u.op != Op.ENQ || u.applied || !hb(u.cpu, u.k, e.vc) || u == e) {
                    continue;
                }
                if (d == c && u.seq > e.seq) {
                    continue; // queued after the op in the same buffer
                }
                if (!covers(e, u)) {
                    continue;
                }
                String cls = !remote ? "V1" : u.cpu == c ? "V3-local" : "V3";
                find(cls, "LATENT", u.seq, e.seq);
            }
        }
        long va = e.op == Op.INVLPG || e.op == Op.INVLPG_MULTI || e.op == Op.INVLPG_ALL ? e.va : MmuOp.NONE;
        long targets = switch (e.op) {
            case TLB_FLUSH_MULTI, INVLPG_MULTI -> e.mask;
            case TLB_FLUSH_ALL, INVLPG_ALL -> cpus == 64 ? -1L : (1L << cpus) - 1;
            default -> 1L << c;
        };
        for (long m = targets; m != 0; m &= m - 1) {
            int d = Long.numberOfTrailingZeros(m);
            history.get(d).add(new Inval(d, va, c, k, vcNow, at));
        }
        if (e.op == Op.NEW_BASEPTR) {
            if (e.user == 1) {
                userRoot[c] = e.root;
            } else {
                root[c] = e.root;
            }
        }
    }

    private static boolean present(long v) {
        return v != MmuOp.NONE && (v & 1) != 0;
    }

    private static long frame(long v) {
        return (v & 0x000ffffffffff000L) >>> 12;
    }

    /** Tables that reach {@code t} by applied links (t itself included). */
    private Set<Long> ancestors(long t) {
        Set<Long> seen = new HashSet<>();
        ArrayDeque<Long> work = new ArrayDeque<>();
        work.add(t);
        while (!work.isEmpty()) {
            long x = work.poll();
            if (!seen.add(x)) {
                continue;
            }
            for (long p : parents.getOrDefault(x, Set.of())) {
                work.add(p >>> 12);
            }
        }
        return seen;
    }

    /** CPUs whose current roots reach table {@code t}. */
    private long cpusReaching(long t) {
        Set<Long> anc = ancestors(t);
        long m = 0;
        for (int c = 0; c < cpus; c++) {
            if (anc.contains(root[c]) || userRoot[c] != 0 && anc.contains(userRoot[c])) {
                m |= 1L << c;
            }
        }
        return m;
    }

    private void write(long pte, long val, long va, Entry u, int c, long k, long at) {
        long old = mem.getOrDefault(pte, 0L);
        mem.put(pte, val);
        // V2: apply order against happens-before order of the enqueues
        Entry last = lastWriter.get(pte);
        if (last != null && last.cpu != u.cpu) {
            boolean uBeforeLast = hb(u.cpu, u.k, last.vc);
            boolean lastBeforeU = hb(last.cpu, last.k, u.vc);
            if (uBeforeLast) {
                find("V2", "OBSERVED", u.seq, last.seq);
            } else if (!lastBeforeU) {
                find("V2-unsync", "OBSERVED", last.seq, u.seq);
            }
        }
        lastWriter.put(pte, u);
        long table = pte >>> 12;
        Integer lvl = level.get(table);
        if (present(old) && level.containsKey(frame(old)) && lvl != null && lvl > 1) {
            long t = frame(old);
            long reach = cpusReaching(t);
            parents.getOrDefault(t, new HashSet<>()).remove(pte);
            long lo = tableVa.getOrDefault(t, 0L);
            long hi = lo + (1L << spanShift(level.get(t) + 1));
            gone.computeIfAbsent(t, x -> new ArrayList<>()).add(new Gone(t, MmuOp.NONE, true, lo, hi, c, k, at, reach, u.seq));
        }
        if (present(val) && level.containsKey(frame(val)) && lvl != null && lvl > 1) {
            parents.computeIfAbsent(frame(val), x -> new HashSet<>()).add(pte);
        }
        if ((lvl == null || lvl == 1) && present(old) && !level.containsKey(frame(old))
            && (!present(val) || frame(val) != frame(old))) {
            long pageVa = va != MmuOp.NONE ? va
                : tableVa.getOrDefault(table, 0L) + ((pte & 0xfff) >>> 3 << 12);
            long reach = cpusReaching(table);
            gone.computeIfAbsent(frame(old), x -> new ArrayList<>())
                .add(new Gone(frame(old), pageVa, false, 0, 0, c, k, at, reach, u.seq));
        }
    }

    /** An out-of-band read (or the read of an RMW) of {@code pte} returning {@code seen}. */
    private void read(long pte, int c, long[] vcNow, long at, boolean rmw, long seen) {
        long applied = mem.getOrDefault(pte, 0L);
        for (int d = 0; d < cpus; d++) {
            for (Entry u : q.get(d)) {
                if (u.op != Op.ENQ || u.pte != pte || !hb(u.cpu, u.k, vcNow)) {
                    continue;
                }
                String label = seen != MmuOp.NONE && seen == applied && seen != u.val ? "OBSERVED" : "LATENT";
                find(u.cpu == c ? "V4-local" : "V4-remote", label, u.seq, at);
                if (rmw) {
                    find("V2-stale-RMW", label, u.seq, at);
                }
            }
        }
    }

    /** unpin (or free) of frame {@code m}. */
    private void release(long m, int c, long[] vcNow, long at, boolean unpin) {
        for (int d = 0; d < cpus; d++) {
            for (Entry u : q.get(d)) {
                if (u.op == Op.ENQ && hb(u.cpu, u.k, vcNow)
                    && ((u.pte >>> 12) == m || present(u.val) && frame(u.val) == m)) {
                    find("V5-pending", "LATENT", u.seq, at);
                    v5Entries.put(u.seq, u);
                }
            }
        }
        boolean live = level.containsKey(m) && cpusReaching(m) != 0;
        for (int d = 0; d < cpus; d++) {
            live |= root[d] == m || userRoot[d] == m;
        }
        if (live) {
            find("V5-live-root", "LATENT", at);
        }
        List<Gone> gs = gone.get(m);
        if (gs != null) {
            for (Gone gn : gs) {
                for (long mm = gn.cpus(); mm != 0; mm &= mm - 1) {
                    int d = Long.numberOfTrailingZeros(mm);
                    if (!invalidated(d, gn, vcNow)) {
                        find(gn.table() ? "V5-pwc" : "V6", "LATENT", gn.enqSeq(), at);
                        break;
                    }
                }
            }
            if (!unpin) {
                gone.remove(m);
            }
        }
        if (!unpin) {
            level.remove(m);
            parents.remove(m);
        }
    }

    /** An invalidation on {@code d} covering the record, after its update and before the event. */
    private boolean invalidated(int d, Gone gn, long[] vcNow) {
        for (Inval i : history.get(d)) {
            if (i.seq() < gn.seq()) {
                continue;
            }
            boolean cov = i.va() == MmuOp.NONE
                || (gn.table() ? i.va() >= gn.lo() && i.va() < gn.hi() : (i.va() >> 12) == (gn.va() >> 12));
            if (cov && hb(gn.cpu(), gn.k(), i.vc()) && hb(i.cpu(), i.k(), vcNow)) {
                return true;
            }
        }
        return false;
    }

    /** V5-pending is OBSERVED when the pending update was flushed after the unpin/free (LT-9). */
    private void finish() {
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            Entry u = f.cls().equals("V5-pending") ? v5Entries.get(f.events()[0]) : null;
            if (u != null && u.applied) {
                findings.set(i, new Finding(f.cls(), "OBSERVED", f.events()));
            }
        }
    }
}
