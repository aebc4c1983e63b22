package org.ptorder.analyze.check;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * Random small traces for the property test: 2-3 CPUs, 1-3 PTEs of declared L1 tables (and the
 * L2 entries that link them), a few data frames, locks used properly, IPI and condvar protocols
 * in order, flushes of any size (sometimes failing part-way), every kind of invalidation,
 * out-of-band reads, read-modify-writes, accesses with and without frames, frees and reuses,
 * unpins, base switches, rare migrations, and (sometimes) Linux lazy batches. Deterministic per
 * seed. The setup ops (map_table) come first and do not count towards the event budget.
 */
final class TraceGen {
    static final long T1 = 0x100;
    static final long T2 = 0x101;
    static final long D = 0x102;
    static final long ROOT = 0x103;
    static final long UNDECLARED_ROOT = 0x104;
    static final long[] FRAMES = {0x200, 0x201, 0x202};

    record Trace(List<MmuOp> ops, int cpus, CheckOptions opt, long seed) { }

    private final Random rnd;
    private final List<MmuOp> ops = new ArrayList<>();
    private final int cpus;
    private long ts;
    private final long[] ptes;
    private final long[] vas;
    private final Map<String, Integer> holder = new HashMap<>();
    private final int[] queued;
    private final boolean[] lazy;
    private final boolean linux;
    private final Map<Long, int[]> ipiState = new HashMap<>(); // id -> {stage, sender, dst}
    private long nextIpi = 1;
    private final Map<Integer, Long> thread = new HashMap<>();

    private TraceGen(long seed) {
        rnd = new Random(seed);
        cpus = rnd.nextInt(10) < 7 ? 2 : 3;
        int np = 1 + rnd.nextInt(3);
        ptes = new long[np + 1];
        vas = new long[np + 1];
        for (int i = 0; i < np; i++) {
            long t = i == 2 ? T2 : T1;
            long idx = i == 2 ? 0 : i;
            ptes[i] = t << 12 | idx << 3;
            vas[i] = (t == T1 ? 0x400000L : 0x600000L) + idx * 4096;
        }
        // the L2 entry linking T1 (covers 0x400000 .. 0x600000)
        ptes[np] = D << 12 | 2 << 3;
        vas[np] = 0x400000;
        queued = new int[cpus];
        lazy = new boolean[cpus];
        linux = rnd.nextInt(10) == 0;
        for (int c = 0; c < cpus; c++) {
            thread.put(c, 10L + c);
        }
    }

    static Trace generate(long seed) {
        TraceGen g = new TraceGen(seed);
        return g.build(seed);
    }

    private Trace build(long seed) {
        setup(Op.MAP_TABLE, T1, 1, 0x400000);
        if (ptes.length > 3) {
            setup(Op.MAP_TABLE, T2, 1, 0x600000);
        }
        setup(Op.MAP_TABLE, D, 2, 0);
        if (rnd.nextBoolean()) {
            setup(Op.MAP_TABLE, ROOT, 4, 0);
        }
        int events = 6 + rnd.nextInt(cpus == 2 ? 9 : 6);
        boolean templates = rnd.nextInt(4) != 0;
        int tries = 0;
        while (events > 0 && tries++ < 400) {
            int t = templates ? rnd.nextInt(10) : 9;
            if (t < 4 && holder.get("L") == null) {
                events -= section();
            } else if (t < 6 && holder.get("L") == null) {
                events -= unmapFree();
            } else if (t == 6) {
                events -= staleUse();
            } else if (t == 7 && cpus == 3 && ipiState.isEmpty()) {
                events -= ipiRound();
            } else if (t == 8 && holder.get("L") == null) {
                events -= rootSwitch();
            } else if (step()) {
                events--;
            }
        }
        CheckOptions opt = new CheckOptions(linux, rnd.nextInt(4) == 0 ? CheckOptions.LockMap.HELD : null,
            rnd.nextInt(5) == 0 ? Set.of("L") : Set.of());
        for (int i = 0; i < ops.size(); i++) {
            ops.get(i).seq = i;
            ops.get(i).srcLine = i + 1;
        }
        return new Trace(ops, cpus, opt, seed);
    }

    private void setup(Op op, long mfn, int level, long va) {
        MmuOp o = new MmuOp(0, op);
        o.ts = 0;
        o.mfn = mfn;
        o.level = level;
        o.va = va;
        ops.add(o);
    }

    private MmuOp add(int cpu, Op op) {
        MmuOp o = new MmuOp(cpu, op);
        if (rnd.nextInt(6) != 0 || ops.isEmpty()) {
            ts += 10;
        }
        o.ts = ts;
        ops.add(o);
        return o;
    }

    private long val(boolean pde) {
        if (pde) {
            return rnd.nextBoolean() ? 0 : (rnd.nextBoolean() ? T1 : T2) << 12 | 0x67;
        }
        return rnd.nextInt(4) == 0 ? 0 : FRAMES[rnd.nextInt(FRAMES.length)] << 12 | 0x67;
    }

    private BitSet mask(int self) {
        BitSet b = new BitSet();
        for (int c = 0; c < cpus; c++) {
            if (c != self && rnd.nextBoolean()) {
                b.set(c);
            }
        }
        if (b.isEmpty()) {
            b.set((self + 1) % cpus);
        }
        return b;
    }

    private long anyFrame() {
        int k = rnd.nextInt(6);
        return k < 3 ? FRAMES[k] : k == 3 ? T1 : k == 4 ? D : ROOT;
    }

    /** lock L; 1-3 ops; unlock L; sometimes the flush only after the unlock (the classic bug). */
    private int section() {
        int c = rnd.nextInt(cpus);
        int n = 0;
        add(c, Op.LOCK).lock = "L";
        holder.put("L", c);
        n++;
        int body = 1 + rnd.nextInt(3);
        for (int t = 0; body > 0 && t < 50; t++) {
            if (stepOn(c, rnd.nextInt(3) == 0 ? 0 : -1)) {
                body--;
                n++;
            }
        }
        boolean late = rnd.nextInt(3) == 0 && queued[c] > 0;
        if (!late && rnd.nextBoolean() && queued[c] > 0) {
            flush(c);
            n++;
        }
        if (Integer.valueOf(c).equals(holder.get("L"))) {
            add(c, Op.UNLOCK).lock = "L";
            holder.remove("L");
            n++;
        }
        if (late) {
            flush(c);
            n++;
        }
        return n;
    }

    /** An unmap of a frame, its flush, maybe an invalidation, then the frame's free or reuse (V6, V5-pwc). */
    private int unmapFree() {
        int c = rnd.nextInt(cpus);
        int i = rnd.nextInt(ptes.length);
        boolean pde = i == ptes.length - 1;
        long f = pde ? (rnd.nextBoolean() ? T1 : T2) : FRAMES[rnd.nextInt(FRAMES.length)];
        int n = 0;
        boolean locked = rnd.nextBoolean();
        if (locked) {
            add(c, Op.LOCK).lock = "L";
            holder.put("L", c);
            n++;
        }
        MmuOp o = add(c, Op.ENQ);
        o.pte = ptes[i];
        o.val = rnd.nextBoolean() ? 0 : val(pde);
        o.old = f << 12 | 0x67;
        o.kind = "pt";
        o.thread = thread.get(c);
        if (rnd.nextInt(3) != 0) {
            o.va = vas[i];
        }
        queued[c]++;
        n++;
        if (rnd.nextInt(4) != 0) {
            flush(c);
            n++;
        }
        int inv = rnd.nextInt(4);
        if (inv > 0) {
            Op op = inv == 1 ? Op.TLB_FLUSH_MULTI : inv == 2 ? Op.INVLPG_MULTI : Op.TLB_FLUSH;
            MmuOp x = add(rnd.nextInt(4) == 0 ? rnd.nextInt(cpus) : c, op);
            if (op != Op.TLB_FLUSH) {
                x.mask = mask(x.cpu);
            }
            if (op == Op.INVLPG_MULTI) {
                x.va = vas[i];
            }
            n++;
        }
        int fc = c;
        if (locked) {
            add(c, Op.UNLOCK).lock = "L";
            holder.remove("L");
            n++;
            if (rnd.nextBoolean()) {
                fc = (c + 1) % cpus;
                add(fc, Op.LOCK).lock = "L";
                holder.put("L", fc);
                n++;
            }
        }
        MmuOp fr = add(fc, rnd.nextInt(3) == 0 ? Op.FRAME_ALLOC : Op.FRAME_FREE);
        fr.mfn = f;
        if (fr.op == Op.FRAME_ALLOC) {
            fr.purpose = "data";
        }
        n++;
        if (Integer.valueOf(fc).equals(holder.get("L"))) {
            add(fc, Op.UNLOCK).lock = "L";
            holder.remove("L");
            n++;
        }
        return n;
    }

    /** A read-op on some CPU, then accesses there that may still use an old frame. */
    private int staleUse() {
        int d = rnd.nextInt(cpus);
        int i = rnd.nextInt(ptes.length - 1);
        int n = 0;
        MmuOp r = add(d, rnd.nextBoolean() ? Op.INVLPG : Op.TLB_FLUSH);
        if (r.op == Op.INVLPG) {
            r.va = vas[i];
        }
        n++;
        for (int k = 1 + rnd.nextInt(2); k > 0; k--) {
            MmuOp a = add(d, Op.ACCESS);
            a.va = vas[i];
            if (rnd.nextInt(4) != 0) {
                a.frame = FRAMES[rnd.nextInt(FRAMES.length)];
            }
            n++;
        }
        return n;
    }

    /** A CPU runs on a root and switches away; some CPU then unpins or frees the old root. */
    private int rootSwitch() {
        int d = rnd.nextInt(cpus);
        long from = rnd.nextBoolean() ? ROOT : UNDECLARED_ROOT;
        int n = 0;
        MmuOp a = add(d, Op.NEW_BASEPTR);
        a.root = from;
        n++;
        if (rnd.nextBoolean()) {
            MmuOp b = add(d, Op.NEW_BASEPTR);
            b.root = rnd.nextInt(3) == 0 ? MmuOp.NONE : from == ROOT ? UNDECLARED_ROOT : ROOT;
            n++;
        }
        int c = rnd.nextInt(cpus);
        if (rnd.nextBoolean() && c != d) {
            add(d, Op.LOCK).lock = "L";
            add(d, Op.UNLOCK).lock = "L";
            add(c, Op.LOCK).lock = "L";
            add(c, Op.UNLOCK).lock = "L";
            n += 4;
        }
        MmuOp e = add(c, rnd.nextBoolean() ? Op.UNPIN : Op.FRAME_FREE);
        e.mfn = from;
        return n + 1;
    }

    /** An IPI to two CPUs: both receive and ack, then the sender's wait ends. */
    private int ipiRound() {
        int c = rnd.nextInt(cpus);
        long id = nextIpi++;
        MmuOp s0 = add(c, Op.IPI_SEND);
        s0.ipi = id;
        s0.dst = new BitSet();
        int n = 1;
        int[] dst = {(c + 1) % cpus, (c + 2) % cpus};
        for (int d : dst) {
            s0.dst.set(d);
        }
        for (int d : dst) {
            add(d, Op.IPI_RECV).ipi = id;
            n++;
            if (rnd.nextBoolean()) {
                stepOn(d, -1);
                n++;
            }
            add(d, Op.IPI_ACK).ipi = id;
            n++;
        }
        add(c, Op.IPI_DONE).ipi = id;
        ipiState.put(id, new int[] {4, c, dst[0]});
        return n + 1;
    }

    private void flush(int c) {
        MmuOp o = add(c, Op.FLUSH);
        o.n = queued[c];
        o.reason = "explicit";
        queued[c] = 0;
    }

    /** One random event; false when the chosen kind did not fit the state. */
    private boolean step() {
        return stepOn(rnd.nextInt(cpus), -1);
    }

    /** A random op on CPU c; {@code kind} 0 forces an enqueue. */
    private boolean stepOn(int c, int force) {
        int k = force == 0 ? 0 : rnd.nextInt(100);
        if (k < 22) {
            int i = rnd.nextInt(ptes.length);
            boolean pde = i == ptes.length - 1;
            MmuOp o = add(c, Op.ENQ);
            o.pte = ptes[i];
            o.val = val(pde);
            o.kind = rnd.nextInt(8) == 0 ? "ad" : "pt";
            o.thread = thread.get(c);
            if (rnd.nextInt(3) == 0) {
                o.old = val(pde);
            }
            if (rnd.nextBoolean()) {
                o.va = vas[i];
            }
            queued[c]++;
            return true;
        }
        if (k < 36) {
            MmuOp o = add(c, Op.FLUSH);
            int q = queued[c];
            o.n = rnd.nextInt(4) == 0 ? q + 1 : rnd.nextInt(q + 1);
            o.reason = rnd.nextInt(5) == 0 ? "full" : "explicit";
            if (rnd.nextInt(6) == 0 && o.n > 0) {
                o.done = rnd.nextInt((int) o.n);
            }
            long applied = Math.min(MmuOp.has(o.done) ? o.done : o.n, q);
            queued[c] -= (int) applied;
            return true;
        }
        if (k < 50) {
            int kind = rnd.nextInt(7);
            Op op = switch (kind) {
                case 0, 1 -> Op.INVLPG;
                case 2 -> Op.TLB_FLUSH;
                case 3 -> Op.INVLPG_MULTI;
                case 4 -> Op.TLB_FLUSH_MULTI;
                case 5 -> Op.INVLPG_ALL;
                default -> Op.TLB_FLUSH_ALL;
            };
            MmuOp o = add(c, op);
            if (op == Op.INVLPG || op == Op.INVLPG_MULTI || op == Op.INVLPG_ALL) {
                o.va = rnd.nextInt(5) == 0 ? 0x400000 + 0x3000 : vas[rnd.nextInt(vas.length)];
            }
            if (op == Op.INVLPG_MULTI || op == Op.TLB_FLUSH_MULTI) {
                o.mask = mask(c);
            }
            if (linux && lazy[c]) {
                queued[c]++;
            }
            return true;
        }
        if (k < 56) {
            MmuOp o = add(c, Op.NEW_BASEPTR);
            int r = rnd.nextInt(4);
            o.root = r == 0 ? T1 : r == 1 ? UNDECLARED_ROOT : ROOT;
            if (rnd.nextInt(5) == 0) {
                o.user = 1;
            }
            if (linux && lazy[c]) {
                queued[c]++;
            }
            return true;
        }
        if (k < 62) {
            int i = rnd.nextInt(ptes.length);
            MmuOp o = add(c, rnd.nextBoolean() ? Op.OOB_READ : Op.RMW);
            o.pte = ptes[i];
            if (o.op == Op.OOB_READ) {
                if (rnd.nextBoolean()) {
                    o.val = val(i == ptes.length - 1);
                }
            } else {
                o.expect = val(i == ptes.length - 1);
                o.newVal = val(i == ptes.length - 1);
                o.ok = rnd.nextInt(3) - 1;
            }
            return true;
        }
        if (k < 72) {
            int i = rnd.nextInt(vas.length);
            MmuOp o = add(c, Op.ACCESS);
            o.va = vas[i] + (i == vas.length - 1 ? 4096L * rnd.nextInt(2) : 0);
            if (rnd.nextBoolean()) {
                o.frame = FRAMES[rnd.nextInt(FRAMES.length)];
            }
            return true;
        }
        if (k < 78) {
            int kind = rnd.nextInt(4);
            MmuOp o = add(c, kind == 0 ? Op.FRAME_FREE : kind == 1 ? Op.FRAME_ALLOC : kind == 2 ? Op.UNPIN : Op.PIN);
            o.mfn = anyFrame();
            if (o.op == Op.PIN) {
                o.level = o.mfn == D ? 2 : o.mfn == ROOT ? 4 : 1;
            }
            if (o.op == Op.FRAME_ALLOC) {
                o.purpose = rnd.nextBoolean() ? "data" : "pagetable";
            }
            if ((o.op == Op.UNPIN || o.op == Op.PIN) && linux && lazy[c]) {
                queued[c]++;
            }
            return true;
        }
        if (k < 90) {
            String l = rnd.nextBoolean() ? "L" : "M";
            Integer h = holder.get(l);
            if (h == null) {
                add(c, Op.LOCK).lock = l;
                holder.put(l, c);
                return true;
            }
            if (h == c) {
                add(c, Op.UNLOCK).lock = l;
                holder.remove(l);
                return true;
            }
            return false;
        }
        if (k < 95) {
            // advance an IPI protocol, or start one
            for (Map.Entry<Long, int[]> e : ipiState.entrySet()) {
                int[] st = e.getValue();
                if (st[0] == 1 && rnd.nextBoolean()) {
                    add(st[2], Op.IPI_RECV).ipi = e.getKey();
                    st[0] = 2;
                    return true;
                }
                if (st[0] == 2 && rnd.nextBoolean()) {
                    add(st[2], Op.IPI_ACK).ipi = e.getKey();
                    st[0] = 3;
                    return true;
                }
                if (st[0] == 3 && rnd.nextBoolean()) {
                    add(st[1], Op.IPI_DONE).ipi = e.getKey();
                    st[0] = 4;
                    return true;
                }
            }
            long id = nextIpi++;
            int dst = (c + 1 + rnd.nextInt(cpus - 1)) % cpus;
            MmuOp o = add(c, Op.IPI_SEND);
            o.ipi = id;
            o.dst = new BitSet();
            o.dst.set(dst);
            ipiState.put(id, new int[] {1, c, dst});
            return true;
        }
        if (k < 97) {
            add(c, rnd.nextBoolean() ? Op.CV_BROADCAST : Op.CV_WAKE).cv = "cv";
            return true;
        }
        if (k < 98) {
            int to = (c + 1) % cpus;
            MmuOp o = add(c, Op.MIGRATE);
            o.thread = thread.get(c);
            o.to = to;
            return true;
        }
        if (linux) {
            if (!lazy[c]) {
                add(c, Op.LAZY_ENTER);
                lazy[c] = true;
            } else {
                add(c, Op.LAZY_LEAVE);
                lazy[c] = false;
                queued[c] = 0;
            }
            return true;
        }
        MmuOp o = add(c, Op.UPDATE_VA_MAPPING);
        o.va = vas[0];
        o.val = val(false);
        o.flags = rnd.nextInt(3) | (rnd.nextBoolean() ? 4 : 0);
        return true;
    }
}
