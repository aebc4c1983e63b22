package org.ptorder.analyze.check;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * An independent reference for the checker on small traces (≲ 12 events): it builds the model's
 * partial order explicitly (every event and every apply micro-step as an element, program order
 * per CPU, synchronisation edges), enumerates every linearization, and decides each class by
 * exhaustion: happens-before is "before in every linearization", and "the bad outcome is
 * reachable" is "some linearization shows it" (the reader placed before the apply, the later
 * writer's apply before the earlier one's, a free with no invalidation of some CPU between the
 * unmap's apply and it, a CPU's root still the page at its unpin). The recorded run is replayed
 * directly for everything the witness decides. Nothing here uses vector clocks, windows, epochs
 * or the checker's bookkeeping; the two share only the op vocabulary and the specification
 * (README-check.md).
 */
final class BruteForce {
    static final long NONE = MmuOp.NONE;

    /** What must agree between the checker and this reference. */
    record Key(String cls, String label, long writer, long reader, String coverage) implements Comparable<Key> {
        static Key of(Finding f) {
            return new Key(f.cls().text(), f.label().text(), f.writer().seq(), f.reader().seq(), f.coverage().text());
        }

        @Override
        public int compareTo(Key o) {
            int c = Long.compare(reader, o.reader);
            if (c == 0) {
                c = Long.compare(writer, o.writer);
            }
            if (c == 0) {
                c = cls.compareTo(o.cls);
            }
            if (c == 0) {
                c = label.compareTo(o.label);
            }
            return c == 0 ? coverage.compareTo(o.coverage) : c;
        }

        @Override
        public String toString() {
            return cls + " " + label + " w=" + writer + " r=" + reader + " cov=" + coverage;
        }
    }

    /** Thrown when a trace has too many linearizations to enumerate. */
    static final class TooBig extends RuntimeException {
        TooBig() {
            super(null, null, false, false);
        }
    }

    private final List<MmuOp> ev;
    private final int n;
    private final int ncpu;
    private final CheckOptions opt;
    private final boolean sync;
    private final boolean accesses;
    private final long leafLimit;

    // static structure
    private final int[] issuer;      // enq / deferred op -> the event that issued it, -1 never
    private final boolean[] deferred;
    private final int[] elemOf;      // event -> element, -1 when not an element
    private final int[] applyElem;   // enq / deferred op -> its micro-step element, -1 never applied
    private int m;                   // elements
    private long[] preds;            // element -> predecessor bitmask (direct edges)
    private final List<Integer> elemCpu = new ArrayList<>();

    // replayed recorded run
    private final long[] v0;
    private final long[] lo;
    private final long[] span;
    private final Coverage[] rangeKind;
    private final int[] level;
    private final long[] unmapFrame;
    private final boolean[] knownPtAt;   // page events: knownPt(mfn) before the event
    private final Object[] rootInfoAt;   // effective new_baseptr: table info of its root at the time

    // exhaustion
    private long[] hbBefore;     // element -> elements before it in every linearization
    private long[] everBefore;   // element -> elements before it in some linearization
    private final List<Triple> triples = new ArrayList<>();
    private long leaves;

    private BruteForce(List<MmuOp> trace, int ncpu, CheckOptions opt, long leafLimit) {
        this.ev = trace;
        this.n = trace.size();
        this.ncpu = ncpu;
        this.opt = opt;
        this.leafLimit = leafLimit;
        boolean s = false;
        boolean a = false;
        for (MmuOp o : trace) {
            switch (o.op) {
                case LOCK, UNLOCK, IPI_SEND, IPI_RECV, IPI_ACK, IPI_DONE, CV_BROADCAST, CV_WAKE, MIGRATE -> s = true;
                case ACCESS -> a = true;
                default -> { }
            }
        }
        sync = s;
        accesses = a;
        issuer = new int[n];
        deferred = new boolean[n];
        elemOf = new int[n];
        applyElem = new int[n];
        v0 = new long[n];
        lo = new long[n];
        span = new long[n];
        rangeKind = new Coverage[n];
        level = new int[n];
        unmapFrame = new long[n];
        knownPtAt = new boolean[n];
        rootInfoAt = new Object[n];
    }

    static List<Key> check(List<MmuOp> trace, int ncpu, CheckOptions opt, long leafLimit) {
        BruteForce b = new BruteForce(trace, ncpu, opt, leafLimit);
        b.queues();
        b.replay();
        b.order();
        List<Key> out = b.decide();
        out.sort(null);
        return out;
    }

    // =====================================================================================
    // queues: which flush issues which entry (per CPU, FIFO, independent of interleaving)
    // =====================================================================================

    private static boolean mmuext(Op op) {
        return switch (op) {
            case TLB_FLUSH, INVLPG, TLB_FLUSH_MULTI, INVLPG_MULTI, TLB_FLUSH_ALL, INVLPG_ALL, NEW_BASEPTR, PIN, UNPIN,
                 UPDATE_VA_MAPPING -> true;
            default -> false;
        };
    }

    private final Map<Integer, List<Integer>> issued = new HashMap<>(); // issuing event -> items in order

    private void queues() {
        java.util.Arrays.fill(issuer, -1);
        Map<Integer, List<Integer>> q = new HashMap<>();
        boolean[] lazy = new boolean[64];
        for (int i = 0; i < n; i++) {
            MmuOp o = ev.get(i);
            List<Integer> cq = q.computeIfAbsent(o.cpu, k -> new ArrayList<>());
            if (o.op == Op.ENQ) {
                cq.add(i);
            } else if (opt.linuxLazy() && lazy[o.cpu] && mmuext(o.op)) {
                deferred[i] = true;
                cq.add(i);
            } else if (o.op == Op.LAZY_ENTER) {
                lazy[o.cpu] = true;
            } else if (o.op == Op.LAZY_LEAVE) {
                if (opt.linuxLazy()) {
                    issue(i, cq, Long.MAX_VALUE);
                }
                lazy[o.cpu] = false;
            } else if (o.op == Op.FLUSH) {
                long k = MmuOp.has(o.done) ? o.done : MmuOp.has(o.n) ? o.n : Long.MAX_VALUE;
                issue(i, cq, k);
            }
        }
    }

    private void issue(int f, List<Integer> cq, long k) {
        List<Integer> items = new ArrayList<>();
        while (k-- > 0 && !cq.isEmpty()) {
            int it = cq.remove(0);
            issuer[it] = f;
            items.add(it);
        }
        issued.put(f, items);
    }

    private int eff(int i) {
        return deferred[i] ? issuer[i] : i;
    }

    private boolean effective(int i) {
        return !deferred[i] || issuer[i] >= 0;
    }

    // =====================================================================================
    // the recorded run, replayed: applied memory, tables, roots as they were at each event
    // =====================================================================================

    private static final class TInfo {
        int level;
        long base = NONE;
        Coverage kind;
        boolean pt;
    }

    private final Map<Long, TInfo> tbl = new HashMap<>();
    private final Map<Long, Long> mem = new HashMap<>();
    private final Map<Long, Map<Integer, Integer>> lastWrite = new HashMap<>(); // pte -> cpu -> event
    private final Map<Long, Integer> lifeOf = new HashMap<>();
    /** For each enqueue/rmw: the life of its table page when it was recorded. */
    private int[] life;
    /** Processing order of each event (effect order: a deferred op at the flush that issues it). */
    private int[] procPos;
    private int curPos;
    /** New lives of pages: {mfn, processing position}. */
    private final List<long[]> lifeEvents = new ArrayList<>();

    private static long spanOf(int lvl) {
        return 4096L << (9 * (Math.max(lvl, 1) - 1));
    }

    private static boolean present(long v) {
        return v != NONE && (v & 1) != 0;
    }

    private static long frame(long v) {
        return (v & 0x000F_FFFF_FFFF_F000L) >>> 12;
    }

    private TInfo t(long mfn) {
        return tbl.computeIfAbsent(mfn, k -> new TInfo());
    }

    private void replay() {
        life = new int[n];
        procPos = new int[n];
        int step = 0;
        java.util.Arrays.fill(v0, NONE);
        java.util.Arrays.fill(unmapFrame, NONE);
        boolean[] applied = new boolean[n];
        for (int i = 0; i < n; i++) {
            MmuOp o = ev.get(i);
            if (o.op == Op.FLUSH || o.op == Op.LAZY_LEAVE) {
                for (int it : issued.getOrDefault(i, List.of())) {
                    applied[it] = true;
                    if (deferred[it]) {
                        procPos[it] = curPos = step++;
                        effect(it, ev.get(it));
                    } else {
                        applyWrite(it, ev.get(it));
                    }
                }
                continue;
            }
            if (deferred[i]) {
                continue;
            }
            procPos[i] = curPos = step++;
            if (MmuOp.has(o.pte)) {
                life[i] = lifeOf.getOrDefault(o.pte >>> 12, 0);
            }
            switch (o.op) {
                case ENQ -> enqueue(i, o, applied);
                case MAP_TABLE -> {
                    if (MmuOp.has(o.mfn) && o.level >= 1 && MmuOp.has(o.va)) {
                        TInfo ti = t(o.mfn);
                        ti.level = o.level;
                        ti.base = o.va & -spanOf(o.level + 1);
                        ti.kind = Coverage.MAP_TABLE;
                        ti.pt = true;
                    }
                }
                case OOB_READ -> {
                    if (MmuOp.has(o.pte) && MmuOp.has(o.val) && !mem.containsKey(o.pte)) {
                        mem.put(o.pte, o.val);
                    }
                }
                case RMW -> {
                    if (MmuOp.has(o.pte)) {
                        if (o.ok == 1 && MmuOp.has(o.expect) && !mem.containsKey(o.pte)) {
                            mem.put(o.pte, o.expect);
                        }
                        if (o.ok != 0 && MmuOp.has(o.newVal)) {
                            // an update applied at once: an unmap for V6 / V5-pwc like a queued one
                            v0[i] = o.ok == 1 && MmuOp.has(o.expect) ? o.expect : mem.getOrDefault(o.pte, NONE);
                            if (present(v0[i]) && !(present(o.newVal) && frame(o.newVal) == frame(v0[i]))) {
                                unmapFrame[i] = frame(v0[i]);
                            }
                            range(i, o.pte, o.va);
                            mem.put(o.pte, o.newVal);
                            lastWrite.computeIfAbsent(o.pte, k -> new HashMap<>()).put(o.cpu, i);
                        }
                    }
                }
                case FRAME_FREE, FRAME_ALLOC -> {
                    if (MmuOp.has(o.mfn)) {
                        // a new life of the page: what its entries held is forgotten
                        newLife(o.mfn);
                        TInfo ti = tbl.get(o.mfn);
                        knownPtAt[i] = ti != null && ti.pt;
                        String p = o.purpose;
                        boolean pt = p != null && (p.equals("pagetable") || p.equals("pt") || p.startsWith("pt_")
                            || p.equals("ptp"));
                        if (o.op == Op.FRAME_ALLOC && pt) {
                            t(o.mfn).pt = true;
                        } else {
                            tbl.remove(o.mfn);
                        }
                    }
                }
                default -> effect(i, o);
            }
        }
    }

    private void newLife(long mfn) {
        mem.keySet().removeIf(p -> p >>> 12 == mfn);
        lastWrite.keySet().removeIf(p -> p >>> 12 == mfn);
        lifeOf.merge(mfn, 1, Integer::sum);
        lifeEvents.add(new long[] {mfn, curPos});
    }

    /** u's table page started a new life after u's enqueue and before read-op r took effect. */
    private boolean newLifeBetween(int u, int r) {
        long p = ev.get(u).pte;
        for (long[] le : lifeEvents) {
            if (p != NONE && le[0] == p >>> 12 && le[1] > procPos[u] && le[1] < procPos[r]) {
                return true;
            }
        }
        return false;
    }

    private void effect(int i, MmuOp o) {
        switch (o.op) {
            case PIN -> {
                if (MmuOp.has(o.mfn)) {
                    newLife(o.mfn);
                    TInfo ti = t(o.mfn);
                    ti.pt = true;
                    if (o.level >= 1 && ti.level == 0) {
                        ti.level = o.level;
                    }
                    if (o.level == 4 && ti.base == NONE) {
                        ti.base = 0;
                        ti.kind = Coverage.WALK;
                    }
                }
            }
            case UNPIN -> {
                if (MmuOp.has(o.mfn)) {
                    TInfo ti = tbl.get(o.mfn);
                    knownPtAt[i] = ti != null && ti.pt;
                    newLife(o.mfn);
                }
            }
            case NEW_BASEPTR -> {
                if (MmuOp.has(o.root)) {
                    TInfo ti = tbl.get(o.root);
                    if (ti != null) {
                        TInfo c = new TInfo();
                        c.level = ti.level;
                        c.base = ti.base;
                        c.kind = ti.kind;
                        rootInfoAt[i] = c;
                    }
                }
            }
            default -> { }
        }
    }

    private void enqueue(int i, MmuOp o, boolean[] applied) {
        if ("m2p".equals(o.kind) ) {
            return;
        }
        long p = o.pte;
        if (p != NONE) {
            if (MmuOp.has(o.old)) {
                v0[i] = o.old;
                mem.putIfAbsent(p, o.old);
            } else {
                Integer own = lastWrite.getOrDefault(p, Map.of()).get(o.cpu);
                if (own != null && ev.get(own).op == Op.ENQ && !applied[own]) {
                    v0[i] = ev.get(own).val;
                } else if (mem.containsKey(p)) {
                    v0[i] = mem.get(p);
                }
            }
            if (present(v0[i]) && !(present(o.val) && frame(o.val) == frame(v0[i]))) {
                unmapFrame[i] = frame(v0[i]);
            }
            lastWrite.computeIfAbsent(p, k -> new HashMap<>()).put(o.cpu, i);
        }
        range(i, p, o.va);
    }

    /** Level and VA range of write i to PTE p (its va=, else its table's range), learning a table from va=. */
    private void range(int i, long p, long va) {
        TInfo ti = p == NONE ? null : tbl.get(p >>> 12);
        int lvl = ti == null ? 0 : ti.level;
        level[i] = lvl;
        long sp = spanOf(lvl);
        if (MmuOp.has(va)) {
            span[i] = sp;
            lo[i] = va & -sp;
            rangeKind[i] = Coverage.VA;
            if ((ti == null || ti.base == NONE) && p != NONE && lvl <= 1
                && ((p & 0xFFF) >>> 3) == ((va >>> 12) & 511)) {
                TInfo x = t(p >>> 12);
                if (x.base == NONE && (x.level == 0 || x.level == 1)) {
                    x.level = 1;
                    x.base = va & -spanOf(2);
                    x.kind = Coverage.LEARNED;
                    x.pt = true;
                }
            }
        } else if (ti != null && ti.base != NONE && lvl > 0) {
            span[i] = sp;
            lo[i] = ((ti.base + ((p & 0xFFF) >>> 3) * sp) << 16) >> 16;
            rangeKind[i] = ti.kind;
        }
    }

    private void applyWrite(int i, MmuOp o) {
        if ("m2p".equals(o.kind) || o.pte == NONE) {
            return;
        }
        Long cur = mem.get(o.pte);
        long nv = "ad".equals(o.kind) && cur != null ? o.val | (cur & 0x60) : o.val;
        mem.put(o.pte, nv);
        // replayed structure
        if (level[i] >= 2 && rangeKind[i] != null && present(o.val) && (o.val & 0x80) == 0) {
            long child = frame(o.val);
            TInfo c = tbl.get(child);
            if (c == null || c.base == NONE) {
                TInfo x = t(child);
                if (x.base == NONE && (x.level == 0 || x.level == level[i] - 1)) {
                    x.level = level[i] - 1;
                    x.base = lo[i];
                    x.kind = Coverage.WALK;
                    x.pt = true;
                }
            }
        }
    }

    // =====================================================================================
    // the partial order and its linearizations
    // =====================================================================================

    private static boolean element(MmuOp o) {
        return o.op != Op.MAP_TABLE && o.op != Op.HYPERCALL;
    }

    private final List<long[]> chainSeq = new ArrayList<>(); // per element: {cpu, seq-position}

    private void order() {
        java.util.Arrays.fill(elemOf, -1);
        java.util.Arrays.fill(applyElem, -1);
        // per CPU chains: micro-steps of an issuing event just before it
        Map<Integer, List<Integer>> chains = new HashMap<>();
        List<Long> elemSeq = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MmuOp o = ev.get(i);
            List<Integer> ch = chains.computeIfAbsent(o.cpu, k -> new ArrayList<>());
            for (int it : issued.getOrDefault(i, List.of())) {
                applyElem[it] = m;
                ch.add(m);
                elemCpu.add(o.cpu);
                elemSeq.add((long) i);
                m++;
            }
            if (element(o) && !deferred[i]) {
                elemOf[i] = m;
                ch.add(m);
                elemCpu.add(o.cpu);
                elemSeq.add((long) i);
                m++;
            }
        }
        if (m > 62) {
            throw new TooBig();
        }
        preds = new long[m];
        for (List<Integer> ch : chains.values()) {
            for (int k = 1; k < ch.size(); k++) {
                preds[ch.get(k)] |= 1L << ch.get(k - 1);
            }
        }
        // synchronisation edges, paired in recorded order
        for (int j = 0; j < n; j++) {
            MmuOp o = ev.get(j);
            switch (o.op) {
                case LOCK -> {
                    for (int i = j - 1; i >= 0; i--) {
                        if (ev.get(i).op == Op.UNLOCK && ev.get(i).lock.equals(o.lock)) {
                            edge(i, j);
                            break;
                        }
                    }
                }
                case IPI_RECV -> {
                    for (int i = j - 1; i >= 0; i--) {
                        if (ev.get(i).op == Op.IPI_SEND && ev.get(i).ipi == o.ipi) {
                            edge(i, j);
                            break;
                        }
                    }
                }
                case IPI_DONE -> {
                    for (int i = j - 1; i >= 0; i--) {
                        MmuOp x = ev.get(i);
                        if (x.op == Op.IPI_SEND && x.ipi == o.ipi) {
                            break;
                        }
                        if (x.op == Op.IPI_ACK && x.ipi == o.ipi) {
                            edge(i, j);
                        }
                    }
                }
                case CV_WAKE -> {
                    for (int i = j - 1; i >= 0; i--) {
                        if (ev.get(i).op == Op.CV_BROADCAST && ev.get(i).cv.equals(o.cv)) {
                            edge(i, j);
                        }
                    }
                }
                case MIGRATE -> {
                    if (o.to >= 0) {
                        for (int k = j + 1; k < n; k++) {
                            MmuOp x = ev.get(k);
                            if (x.cpu == o.to && (x.thread == NONE || o.thread == NONE || x.thread == o.thread)) {
                                // the first element of that CPU at or after event k
                                int target = -1;
                                for (int e = 0; e < m; e++) {
                                    if (elemCpu.get(e) == o.to && elemSeq.get(e) >= k) {
                                        target = e;
                                        break;
                                    }
                                }
                                if (target >= 0) {
                                    preds[target] |= 1L << elemOf[j];
                                }
                                break;
                            }
                        }
                    }
                }
                default -> { }
            }
        }
        hbBefore = new long[m];
        everBefore = new long[m];
        java.util.Arrays.fill(hbBefore, -1L);
        triplesSetup();
        int[] pos = new int[m];
        dfs(0L, 0, pos);
    }

    private void edge(int i, int j) {
        preds[elemOf[j]] |= 1L << elemOf[i];
    }

    private void dfs(long placed, int depth, int[] pos) {
        if (depth == m) {
            if (++leaves > leafLimit) {
                throw new TooBig();
            }
            for (Triple t : triples) {
                if (!t.seen && t.bad(pos)) {
                    t.seen = true;
                }
            }
            return;
        }
        for (int x = 0; x < m; x++) {
            if ((placed >>> x & 1) != 0 || (preds[x] & ~placed) != 0) {
                continue;
            }
            hbBefore[x] &= placed;
            everBefore[x] |= placed;
            pos[x] = depth;
            dfs(placed | 1L << x, depth + 1, pos);
        }
    }

    /** x before y in every linearization. */
    private boolean hb(int ex, int ey) {
        return ex >= 0 && ey >= 0 && ex != ey && (hbBefore[ey] >>> ex & 1) != 0;
    }

    /** x before y in some linearization. */
    private boolean some(int ex, int ey) {
        return ex >= 0 && ey >= 0 && (everBefore[ey] >>> ex & 1) != 0;
    }

    /** The element where event i takes effect. */
    private int effElem(int i) {
        return deferred[i] ? applyElem[i] : elemOf[i];
    }

    // ---- conditions on three or more elements, checked at every leaf ----------------------

    private abstract static class Triple {
        boolean seen;

        abstract boolean bad(int[] pos);
    }

    /** V6: no invalidation of a CPU between the unmap's apply and the free. */
    private static final class NoInvBetween extends Triple {
        final int apply;
        final int free;
        final int[] invs;

        NoInvBetween(int apply, int free, int[] invs) {
            this.apply = apply;
            this.free = free;
            this.invs = invs;
        }

        @Override
        boolean bad(int[] pos) {
            if (apply < 0) {
                return true;
            }
            int a = pos[apply];
            int f = pos[free];
            for (int i : invs) {
                if (pos[i] > a && pos[i] < f) {
                    return false;
                }
            }
            return true;
        }
    }

    /** V5-live-root: the page event falls between a CPU's load of the root and its switch away. */
    private static final class Between extends Triple {
        final int load;
        final int e;
        final int sw;

        Between(int load, int e, int sw) {
            this.load = load;
            this.e = e;
            this.sw = sw;
        }

        @Override
        boolean bad(int[] pos) {
            return pos[load] < pos[e] && (sw < 0 || pos[e] < pos[sw]);
        }
    }

    private final Map<String, Triple> tripleBy = new HashMap<>();

    private void triplesSetup() {
        // V6 candidates
        for (int u = 0; u < n; u++) {
            int e = v6Event(u);
            if (e < 0) {
                continue;
            }
            for (int d = 0; d < ncpu; d++) {
                List<Integer> invs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (effective(i) && invalidates(i, d) && coversRange(i, u) && effElem(i) >= 0) {
                        invs.add(effElem(i));
                    }
                }
                int ae = ev.get(u).op == Op.RMW ? elemOf[u] : applyElem[u];
                Triple t = new NoInvBetween(ae, elemOf[e], invs.stream().mapToInt(Integer::intValue).toArray());
                triples.add(t);
                tripleBy.put("v6 " + u + " " + d, t);
            }
        }
        // V5-live-root candidates
        for (int e = 0; e < n; e++) {
            if (!pageEvent(e) || !effective(e)) {
                continue;
            }
            long mm = ev.get(e).mfn;
            for (int l = 0; l < n; l++) {
                if (ev.get(l).op != Op.NEW_BASEPTR || !effective(l) || ev.get(l).root != mm) {
                    continue;
                }
                if (eff(l) > eff(e) || (eff(l) == eff(e) && effElem(l) >= effElem(e))) {
                    continue;
                }
                int sw = switchAway(l);
                Triple t = new Between(effElem(l), effElem(e), sw < 0 ? -1 : effElem(sw));
                triples.add(t);
                tripleBy.put("root " + l + " " + e, t);
            }
        }
    }

    private boolean pageEvent(int e) {
        Op op = ev.get(e).op;
        return (op == Op.UNPIN || op == Op.FRAME_FREE || op == Op.FRAME_ALLOC) && MmuOp.has(ev.get(e).mfn);
    }

    /** The next effective base switch of the same slot on the same CPU after load l, or -1. */
    private int switchAway(int l) {
        MmuOp lo0 = ev.get(l);
        int slot = lo0.user == 1 ? 1 : 0;
        int best = -1;
        for (int s = 0; s < n; s++) {
            MmuOp x = ev.get(s);
            if (s == l || x.op != Op.NEW_BASEPTR || x.cpu != lo0.cpu || !effective(s) || (x.user == 1 ? 1 : 0) != slot) {
                continue;
            }
            if (effElem(s) > effElem(l) && (best < 0 || effElem(s) < effElem(best))) {
                best = s;
            }
        }
        return best;
    }

    /** The first free or reuse of the frame u (an enqueue or rmw) unmaps, recorded after u, or -1. */
    private int v6Event(int u) {
        if (unmapFrame[u] == NONE) {
            return -1;
        }
        for (int e = u + 1; e < n; e++) {
            MmuOp x = ev.get(e);
            if ((x.op == Op.FRAME_FREE || x.op == Op.FRAME_ALLOC) && x.mfn == unmapFrame[u]) {
                return e;
            }
        }
        return -1;
    }

    // =====================================================================================
    // invalidations and coverage
    // =====================================================================================

    /** The CPUs an effective op invalidates (a *_MULTI also its initiator; no mask: all). */
    private BitSet targets(int i) {
        MmuOp o = ev.get(i);
        BitSet b = new BitSet();
        switch (o.op) {
            case TLB_FLUSH, INVLPG, NEW_BASEPTR -> b.set(o.cpu);
            case TLB_FLUSH_MULTI, INVLPG_MULTI -> {
                if (o.mask == null) {
                    b.set(0, ncpu);
                } else {
                    b.or(o.mask);
                    b.set(o.cpu);
                }
            }
            case TLB_FLUSH_ALL, INVLPG_ALL -> b.set(0, ncpu);
            case UPDATE_VA_MAPPING -> {
                if (MmuOp.has(o.flags) && (o.flags & 3) != 0) {
                    if ((o.flags & 4) != 0 || o.flags > 7) {
                        b.set(0, ncpu);
                    } else {
                        b.set(o.cpu);
                    }
                }
            }
            default -> { }
        }
        return b;
    }

    private boolean invalidates(int i, int d) {
        return targets(i).get(d);
    }

    private boolean fullInv(int i) {
        MmuOp o = ev.get(i);
        return switch (o.op) {
            case TLB_FLUSH, TLB_FLUSH_MULTI, TLB_FLUSH_ALL, NEW_BASEPTR -> true;
            case UPDATE_VA_MAPPING -> MmuOp.has(o.flags) && (o.flags & 3) == 1;
            default -> false;
        };
    }

    private long invVa(int i) {
        MmuOp o = ev.get(i);
        return switch (o.op) {
            case INVLPG, INVLPG_MULTI, INVLPG_ALL -> o.va;
            case UPDATE_VA_MAPPING -> MmuOp.has(o.flags) && (o.flags & 3) == 2 ? o.va : NONE;
            default -> NONE;
        };
    }

    private boolean inRange(int u, long x) {
        return rangeKind[u] != null && x != NONE && Long.compareUnsigned(x - lo[u], span[u]) < 0;
    }

    /** Whether invalidation i reaches entry u's range (full ones always; invlpg by va). */
    private boolean coversRange(int i, int u) {
        if (fullInv(i)) {
            return true;
        }
        long va = invVa(i);
        return va != NONE && inRange(u, va);
    }

    /** Whether invalidation i removes d's translation of address x (a page). */
    private boolean coversPage(int i, long x) {
        if (fullInv(i)) {
            return true;
        }
        long va = invVa(i);
        return va != NONE && (va & -4096L) == (x & -4096L);
    }

    /** covers(r, tgt(u)) of §3.5 for a read-op r, null when it does not concern u. */
    private Coverage covers(int r, int u) {
        MmuOp o = ev.get(r);
        MmuOp w = ev.get(u);
        if (o.op == Op.NEW_BASEPTR) {
            if (!MmuOp.has(o.root)) {
                return Coverage.UNKNOWN;
            }
            if (w.pte != NONE && (w.pte >>> 12) == o.root) {
                return Coverage.ROOT;
            }
            TInfo ri = (TInfo) rootInfoAt[r];
            if (ri == null || ri.base == NONE || ri.level == 0) {
                return Coverage.UNKNOWN;
            }
            if (ri.level >= 4) {
                return ri.kind;
            }
            if (rangeKind[u] == null) {
                return Coverage.UNKNOWN;
            }
            long rs = spanOf(ri.level + 1);
            boolean in = Long.compareUnsigned(lo[u] - ri.base, rs) < 0
                && Long.compareUnsigned(lo[u] + span[u] - 1 - ri.base, rs) < 0;
            return in ? ri.kind : null;
        }
        if (fullInv(r)) {
            return Coverage.FULL;
        }
        if (rangeKind[u] == null) {
            return Coverage.UNKNOWN;
        }
        return inRange(u, invVa(r)) ? rangeKind[u] : null;
    }

    private boolean readOp(int r) {
        MmuOp o = ev.get(r);
        return switch (o.op) {
            case TLB_FLUSH, INVLPG, TLB_FLUSH_MULTI, INVLPG_MULTI, TLB_FLUSH_ALL, INVLPG_ALL, NEW_BASEPTR -> true;
            case UPDATE_VA_MAPPING -> MmuOp.has(o.flags) && (o.flags & 3) != 0;
            default -> false;
        };
    }

    private boolean shootdown(int r) {
        MmuOp o = ev.get(r);
        return switch (o.op) {
            case TLB_FLUSH_MULTI, INVLPG_MULTI, TLB_FLUSH_ALL, INVLPG_ALL -> true;
            case UPDATE_VA_MAPPING -> (o.flags & 4) != 0 || o.flags > 7;
            default -> false;
        };
    }

    // =====================================================================================
    // the witness
    // =====================================================================================

    private boolean sb(int i, int j) {
        MmuOp a = ev.get(i);
        MmuOp b = ev.get(j);
        return a.seq < b.seq && (a.cpu == b.cpu || a.ts == NONE || b.ts == NONE || a.ts < b.ts);
    }

    private boolean applied(int u) {
        return issuer[u] >= 0;
    }

    /** d invalidated x's page after u's apply and before access a, in recorded order. */
    private boolean closed(int u, int d, int a) {
        if (!writeApplied(u)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (effective(i) && invalidates(i, d) && coversPage(i, ev.get(a).va) && eff(i) > applyEvent(u)
                && eff(i) < a) {
                return true;
            }
        }
        return false;
    }

    private long oldFrame(int u) {
        return present(v0[u]) ? frame(v0[u]) : NONE;
    }

    private long newFrame(int u) {
        long v = ev.get(u).val;
        return present(v) ? frame(v) : NONE;
    }

    /** V1/V3 evidence: some target CPU used the stale translation after the reader. */
    private boolean staleUse(int u, int r) {
        if (!accesses || rangeKind[u] == null) {
            return false;
        }
        BitSet tg = targets(r);
        for (int a = 0; a < n; a++) {
            MmuOp x = ev.get(a);
            if (x.op != Op.ACCESS || !tg.get(x.cpu) || !sb(eff(r), a) || !inRange(u, x.va) || closed(u, x.cpu, a)) {
                continue;
            }
            long of = oldFrame(u);
            boolean frameOk = !MmuOp.has(x.frame) || of == NONE || x.frame == of;
            if (!frameOk) {
                continue;
            }
            boolean strong = MmuOp.has(x.frame) && of != NONE && x.frame == of && newFrame(u) != of;
            if (strong || !applied(u) || sb(a, issuer[u])) {
                return true;
            }
        }
        return false;
    }

    /** V6/V5-pwc evidence: some CPU used the freed frame (or walked the freed table) after the free. */
    private boolean freedUse(int u, int e, boolean pwc) {
        if (!accesses || rangeKind[u] == null) {
            return false;
        }
        for (int a = 0; a < n; a++) {
            MmuOp x = ev.get(a);
            if (x.op != Op.ACCESS || !sb(e, a) || !inRange(u, x.va) || closed(u, x.cpu, a)) {
                continue;
            }
            if (pwc ? MmuOp.has(x.frame) : x.frame == unmapFrame[u]) {
                return true;
            }
        }
        return false;
    }

    // =====================================================================================
    // the classes
    // =====================================================================================

    private List<Key> decide() {
        List<Key> out = new ArrayList<>();
        List<Integer> enqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (ev.get(i).op == Op.ENQ && !"m2p".equals(ev.get(i).kind)) {
                enqs.add(i);
            }
        }
        // V1, V3, V3-local
        for (int r = 0; r < n; r++) {
            if (!readOp(r) || !effective(r)) {
                continue;
            }
            int er = effElem(r);
            for (int u : enqs) {
                if (u >= eff(r)) {
                    continue;
                }
                Coverage cov = covers(r, u);
                if (cov == null || newLifeBetween(u, r)) {
                    continue; // a read-op in a later life of u's table page: u's value is gone from M
                }
                String cls = shootdown(r) ? (ev.get(u).cpu == ev.get(r).cpu ? "V3-local" : "V3") : "V1";
                boolean hbEnq = hb(elemOf[u], er);
                boolean pend = !applied(u) || some(er, applyElem[u]);
                if (hbEnq && pend) {
                    out.add(new Key(cls, staleUse(u, r) ? "OBSERVED" : "LATENT", u, r, cov.text()));
                } else if (!hbEnq && ev.get(u).cpu != ev.get(r).cpu && (!applied(u) || issuer[u] > eff(r))
                    && sb(u, eff(r)) && cov != Coverage.UNKNOWN && staleUse(u, r)) {
                    out.add(new Key(cls, "BENIGN-RACE", u, r, cov.text()));
                }
            }
        }
        // V2-stale-RMW and V4
        for (int e = 0; e < n; e++) {
            MmuOp x = ev.get(e);
            if ((x.op != Op.RMW && x.op != Op.OOB_READ) || !MmuOp.has(x.pte)) {
                continue;
            }
            for (int u : enqs) {
                MmuOp w = ev.get(u);
                if (u >= e || w.pte != x.pte) {
                    continue;
                }
                String cls = x.op == Op.RMW ? "V2-stale-RMW" : w.cpu == x.cpu ? "V4-local" : "V4-remote";
                boolean evid;
                if (x.op == Op.OOB_READ && MmuOp.has(x.val)) {
                    evid = x.val != w.val && (v0[u] == NONE || x.val == v0[u]);
                } else {
                    evid = !applied(u) || sb(e, issuer[u]);
                }
                boolean hbEnq = hb(elemOf[u], elemOf[e]);
                boolean pend = !applied(u) || some(elemOf[e], applyElem[u]);
                if (hbEnq && pend) {
                    out.add(new Key(cls, evid ? "OBSERVED" : "LATENT", u, e, "pte"));
                } else if (!hbEnq && w.cpu != x.cpu && (!applied(u) || issuer[u] > e) && sb(u, e) && evid) {
                    out.add(new Key(cls, "BENIGN-RACE", u, e, "pte"));
                }
            }
        }
        // V2 and V2-unsync (only when the trace has cross-CPU synchronisation)
        if (sync) {
            for (int u2 : enqs) {
                MmuOp w2 = ev.get(u2);
                if (w2.pte == NONE || !applied(u2)) {
                    continue;
                }
                for (int c1 = 0; c1 < ncpu; c1++) {
                    if (c1 == w2.cpu) {
                        continue;
                    }
                    int u1 = -1;
                    for (int u : enqs) {
                        if (u < u2 && ev.get(u).cpu == c1 && ev.get(u).pte == w2.pte && life[u] == life[u2]
                            && hb(elemOf[u], elemOf[u2])) {
                            u1 = u;
                        }
                    }
                    if (u1 < 0) {
                        continue;
                    }
                    if (!applied(u1) || some(applyElem[u2], applyElem[u1])) {
                        boolean obs = applied(u1) && sb(issuer[u2], issuer[u1]);
                        out.add(new Key("V2", obs ? "OBSERVED" : "LATENT", u1, u2, "pte"));
                    }
                }
            }
            for (int u2 = 0; u2 < n; u2++) {
                if (!write(u2)) {
                    continue;
                }
                MmuOp w2 = ev.get(u2);
                for (int c1 = 0; c1 < ncpu; c1++) {
                    if (c1 == w2.cpu) {
                        continue;
                    }
                    int u1 = -1;
                    for (int u = 0; u < u2; u++) {
                        if (write(u) && ev.get(u).cpu == c1 && ev.get(u).pte == w2.pte && life[u] == life[u2]) {
                            u1 = u;
                        }
                    }
                    if (u1 < 0 || hb(elemOf[u1], elemOf[u2])) {
                        continue;
                    }
                    boolean obs = writeApplied(u1) && writeApplied(u2) && sb(u1, u2)
                        && sb(applyEvent(u2), applyEvent(u1));
                    out.add(new Key("V2-unsync", obs ? "OBSERVED" : "LATENT", u1, u2, "pte"));
                }
            }
        }
        // V5-pending: once per update and page (table or value), at the first page event in effect order
        List<Integer> pageEvents = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            if (pageEvent(e) && effective(e)) {
                pageEvents.add(e);
            }
        }
        pageEvents.sort((a, b) -> eff(a) != eff(b) ? Integer.compare(eff(a), eff(b)) : Integer.compare(a, b));
        java.util.Set<String> v5Done = new java.util.HashSet<>();
        for (int e : pageEvents) {
            long mm = ev.get(e).mfn;
            int ee = effElem(e);
            for (int u : enqs) {
                MmuOp w = ev.get(u);
                if (w.pte == NONE || u >= eff(e)) {
                    continue;
                }
                Coverage cov = (w.pte >>> 12) == mm ? Coverage.TABLE
                    : knownPtAt[e] && present(w.val) && frame(w.val) == mm ? Coverage.VALUE : null;
                if (cov == null) {
                    continue;
                }
                boolean evid = !applied(u) || sb(eff(e), issuer[u]);
                boolean hbEnq = hb(elemOf[u], ee);
                boolean pend = !applied(u) || some(ee, applyElem[u]);
                if (hbEnq && pend) {
                    if (v5Done.add(u + " " + cov)) {
                        out.add(new Key("V5-pending", evid ? "OBSERVED" : "LATENT", u, e, cov.text()));
                    }
                } else if (!hbEnq && w.cpu != ev.get(e).cpu && (!applied(u) || issuer[u] > eff(e)) && sb(u, eff(e))
                    && evid) {
                    out.add(new Key("V5-pending", "BENIGN-RACE", u, e, cov.text()));
                }
            }
        }
        // V5-live-root
        for (int e = 0; e < n; e++) {
            if (!pageEvent(e) || !effective(e)) {
                continue;
            }
            for (int l = 0; l < n; l++) {
                Triple t = tripleBy.get("root " + l + " " + e);
                if (t == null || !t.seen) {
                    continue;
                }
                int sw = switchAway(l);
                boolean current = sw < 0 || eff(sw) > eff(e) || (eff(sw) == eff(e) && effElem(sw) > effElem(e));
                if (!current && !sync) {
                    continue; // cross-CPU ordering of the switch is unknown
                }
                out.add(new Key("V5-live-root", current ? "OBSERVED" : "LATENT", l, e, "root"));
            }
        }
        // V5-pwc and V6 (unmaps by enqueue or by rmw)
        for (int u = 0; u < n; u++) {
            if (!write(u)) {
                continue;
            }
            int e = v6Event(u);
            if (e < 0) {
                continue;
            }
            MmuOp w = ev.get(u);
            boolean pwc = knownPtAt[e] || level[u] >= 2;
            String cls = pwc ? "V5-pwc" : "V6";
            String cov = rangeKind[u] == null ? "unknown" : rangeKind[u].text();
            boolean hbEnq = hb(elemOf[u], elemOf[e]);
            if (hbEnq) {
                boolean violation = false;
                boolean reportable = false;
                for (int d = 0; d < ncpu; d++) {
                    if (!tripleBy.get("v6 " + u + " " + d).seen) {
                        continue;
                    }
                    violation = true;
                    if (sync || !cleanRecorded(u, d, e)) {
                        reportable = true;
                    }
                }
                if (violation && reportable) {
                    out.add(new Key(cls, freedUse(u, e, pwc) ? "OBSERVED" : "LATENT", u, e, cov));
                }
            } else if (w.cpu != ev.get(e).cpu && sb(u, e) && freedUse(u, e, pwc)) {
                out.add(new Key(cls, "BENIGN-RACE", u, e, cov));
            }
        }
        // V7 (lint), V8, V9
        if (opt.lockMap() != null && opt.lockMap().held()) {
            for (int x = 0; x < n; x++) {
                MmuOp un = ev.get(x);
                if (un.op != Op.UNLOCK) {
                    continue;
                }
                int s = -1;
                for (int i = x - 1; i >= 0; i--) {
                    MmuOp l = ev.get(i);
                    if (l.cpu == un.cpu && l.op == Op.UNLOCK && l.lock.equals(un.lock)) {
                        break;
                    }
                    if (l.cpu == un.cpu && l.op == Op.LOCK && l.lock.equals(un.lock)) {
                        s = i;
                        break;
                    }
                }
                if (s < 0) {
                    continue;
                }
                for (int u : enqs) {
                    if (ev.get(u).cpu == un.cpu && u > s && u < x && (!applied(u) || issuer[u] > x)) {
                        out.add(new Key("V7", "LATENT", u, x, "lock"));
                    }
                }
            }
        }
        java.util.Set<Integer> orphaned = new java.util.HashSet<>();
        for (int x = 0; x < n; x++) {
            MmuOp mg = ev.get(x);
            if (mg.op != Op.MIGRATE || mg.thread == NONE) {
                continue;
            }
            for (int u : enqs) {
                MmuOp w = ev.get(u);
                if (w.cpu == mg.cpu && u < x && w.thread == mg.thread && (!applied(u) || issuer[u] > x)
                    && orphaned.add(u)) {
                    // LATENT unless the orphan's stale use is witnessed: an OBSERVED V1/V3 on the
                    // entry by a read-op taking effect after the migrate
                    boolean seen = false;
                    for (Key k : out) {
                        seen |= k.writer() == u && k.label().equals("OBSERVED") && eff((int) k.reader()) > x
                            && (k.cls().equals("V1") || k.cls().equals("V3") || k.cls().equals("V3-local"));
                    }
                    out.add(new Key("V8", seen ? "OBSERVED" : "LATENT", u, x, "thread"));
                }
            }
        }
        for (String al : opt.atomicLocks()) {
            for (int x = 0; x < n; x++) {
                MmuOp l = ev.get(x);
                if (l.op != Op.LOCK || !l.lock.equals(al)) {
                    continue;
                }
                int end = n;
                for (int i = x + 1; i < n; i++) {
                    MmuOp y = ev.get(i);
                    if (y.cpu == l.cpu && ((y.op == Op.UNLOCK && y.lock.equals(al)) || (y.op == Op.LOCK
                        && opt.atomicLocks().contains(y.lock)))) {
                        end = i;
                        break;
                    }
                }
                int first = -1;
                for (int i = x + 1; i < end; i++) {
                    MmuOp y = ev.get(i);
                    if (y.cpu != l.cpu) {
                        continue;
                    }
                    if (y.op == Op.ENQ && first < 0) {
                        first = i;
                    } else if (y.op == Op.FLUSH && "full".equals(y.reason) && first >= 0) {
                        for (int k = i + 1; k < end; k++) {
                            if (ev.get(k).cpu == l.cpu && ev.get(k).op == Op.ENQ) {
                                out.add(new Key("V9", "OBSERVED", first, i, "group"));
                                break;
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private boolean write(int i) {
        MmuOp o = ev.get(i);
        if (!MmuOp.has(o.pte)) {
            return false;
        }
        return (o.op == Op.ENQ && !"m2p".equals(o.kind)) || (o.op == Op.RMW && o.ok != 0 && MmuOp.has(o.newVal));
    }

    private boolean writeApplied(int i) {
        return ev.get(i).op == Op.RMW || applied(i);
    }

    private int applyEvent(int i) {
        return ev.get(i).op == Op.RMW ? i : issuer[i];
    }

    /** Some invalidation of d covering u's range was recorded between u's apply and e. */
    private boolean cleanRecorded(int u, int d, int e) {
        if (!writeApplied(u)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (effective(i) && invalidates(i, d) && coversRange(i, u) && eff(i) > applyEvent(u) && eff(i) < e) {
                return true;
            }
        }
        return false;
    }

    long leaves() {
        return leaves;
    }

    static TreeSet<Key> asSet(List<Key> l) {
        return new TreeSet<>(l);
    }
}
