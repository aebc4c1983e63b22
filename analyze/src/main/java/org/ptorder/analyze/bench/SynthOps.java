package org.ptorder.analyze.bench;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpSource;
import org.ptorder.ingest.mmu.Op;

/**
 * A synthetic guest trace of any length, shaped like NetBSD's pmap work on a 4-vCPU PV guest:
 * each CPU runs one process (pmap) for a while and then switches to another (a base switch);
 * each step takes the pmap's lock, queues 1-8 updates of consecutive PTEs in one of the process's
 * few hot tables, flushes, shoots the VAs down on the other CPUs (or flushes their TLBs),
 * invalidates locally and unlocks; besides, accesses, and pages freed after their unmap was
 * applied and invalidated everywhere. 64 processes of 16 tables (524,288 PTEs) in all. It is correct except for a rare injected bug (a flush after the unlock, about once
 * per 100,000 steps), so a run has a few findings. Deterministic; one {@link MmuOp} is reused.
 */
public final class SynthOps implements MmuOpSource {
    static final int CPUS = 4;
    private final int pmaps;
    private final int tablesPerPmap;
    static final long TABLE_BASE = 0x100000;
    static final long FRAME_BASE = 0x400000;

    private final long total;
    private final SplittableRandom rnd;
    private final MmuOp op = new MmuOp();
    private final long[] script = new long[64 * 8];
    private final Op[] kinds = new Op[64];
    private final int[] cpuOf = new int[64];
    private final long[][] args = new long[64][4];
    private int len;
    private int pos;
    private long seq;
    private long ts;
    private final long[][] value; // [table][index] current value (frame << 12 | 0x67) or 0
    private final BitSet[] masks = new BitSet[CPUS];
    private boolean setupDone;
    private int setupNext;
    private final String[] lockNames;
    private final int[] running = new int[CPUS];
    private final int[] slice = new int[CPUS];

    public SynthOps(long total, long seed) {
        this(total, seed, 64, 16);
    }

    /** {@code pmaps} processes of {@code tablesPerPmap} L1 tables each (at least 4). */
    public SynthOps(long total, long seed, int pmaps, int tablesPerPmap) {
        this.total = total;
        this.rnd = new SplittableRandom(seed);
        this.pmaps = pmaps;
        this.tablesPerPmap = Math.max(4, tablesPerPmap);
        lockNames = new String[pmaps];
        value = new long[pmaps * this.tablesPerPmap][];
        for (int c = 0; c < CPUS; c++) {
            masks[c] = new BitSet();
            for (int d = 0; d < CPUS; d++) {
                if (d != c) {
                    masks[c].set(d);
                }
            }
        }
        for (int p = 0; p < pmaps; p++) {
            lockNames[p] = "pmap" + p;
        }
    }

    @Override
    public boolean next() {
        if (seq >= total) {
            return false;
        }
        if (!setupDone) {
            setup();
        } else {
            if (pos == len) {
                plan();
            }
            emit(pos++);
        }
        op.seq = seq++;
        return true;
    }

    @Override
    public MmuOp op() {
        return op;
    }

    /** map_table declarations of every table, first. */
    private void setup() {
        int t = setupNext++;
        op.clear();
        op.cpu = 0;
        op.op = Op.MAP_TABLE;
        op.ts = ts;
        op.mfn = TABLE_BASE + t;
        op.level = 1;
        op.va = vaBase(t);
        if (setupNext == value.length) {
            setupDone = true;
        }
    }

    private static long vaBase(int table) {
        return 0x10000000L + (long) table * (1L << 21);
    }

    private void add(int cpu, Op k, long a, long b, long c, long d) {
        cpuOf[len] = cpu;
        kinds[len] = k;
        args[len][0] = a;
        args[len][1] = b;
        args[len][2] = c;
        args[len][3] = d;
        len++;
    }

    /** One step of pmap work on a random CPU. */
    private void plan() {
        len = 0;
        pos = 0;
        int c = rnd.nextInt(CPUS);
        if (slice[c]-- <= 0) {
            // a context switch: another process runs on this CPU for a while
            running[c] = rnd.nextInt(pmaps);
            slice[c] = 200 + rnd.nextInt(2000);
            add(c, Op.NEW_BASEPTR, 0x80000 + running[c], 0, 0, 0);
            return;
        }
        int pmap = rnd.nextInt(8) == 0 ? rnd.nextInt(pmaps) : running[c];
        int kind = rnd.nextInt(100);
        if (kind < 8) {
            add(c, Op.ACCESS, vaBase(pmap * tablesPerPmap) + rnd.nextInt(512) * 4096L, 0, 0, 0);
            return;
        }
        boolean late = rnd.nextInt(100_000) == 0;
        add(c, Op.LOCK, pmap, 0, 0, 0);
        int n = 1 + rnd.nextInt(8);
        int table = pmap * tablesPerPmap + (rnd.nextInt(4) == 0 ? rnd.nextInt(tablesPerPmap) : rnd.nextInt(3));
        if (value[table] == null) {
            value[table] = new long[512];
        }
        int idx0 = rnd.nextInt(512 - n);
        long freed = -1;
        for (int i = 0; i < n; i++) {
            int idx = idx0 + i;
            long old = value[table][idx];
            long nv = rnd.nextInt(4) == 0 ? 0 : (FRAME_BASE + rnd.nextInt(1 << 20)) << 12 | 0x67;
            value[table][idx] = nv;
            if (old != 0 && i == 0) {
                freed = old >>> 12;
            }
            add(c, Op.ENQ, (TABLE_BASE + table) << 12 | (long) idx << 3, nv, old, vaBase(table) + idx * 4096L);
        }
        if (!late) {
            add(c, Op.FLUSH, n, 0, 0, 0);
        }
        if (n == 1) {
            add(c, Op.INVLPG_MULTI, vaBase(table) + idx0 * 4096L, 0, 0, 0);
            add(c, Op.INVLPG, vaBase(table) + idx0 * 4096L, 0, 0, 0);
        } else {
            add(c, Op.TLB_FLUSH_MULTI, 0, 0, 0, 0);
            add(c, Op.TLB_FLUSH, 0, 0, 0, 0);
        }
        if (freed >= 0 && rnd.nextInt(4) == 0) {
            add(c, Op.FRAME_FREE, freed, 0, 0, 0);
        }
        add(c, Op.UNLOCK, pmap, 0, 0, 0);
        if (late) {
            add(c, Op.FLUSH, n, 0, 0, 0);
        }
    }

    private void emit(int i) {
        MmuOp o = op;
        o.clear();
        o.cpu = cpuOf[i];
        o.op = kinds[i];
        ts += 10;
        o.ts = ts;
        long[] a = args[i];
        switch (o.op) {
            case ENQ -> {
                o.pte = a[0];
                o.val = a[1];
                o.old = a[2];
                o.va = a[3];
                o.kind = "pt";
            }
            case FLUSH -> {
                o.n = a[0];
                o.reason = "explicit";
            }
            case INVLPG -> o.va = a[0];
            case INVLPG_MULTI -> {
                o.va = a[0];
                o.mask = masks[o.cpu];
            }
            case TLB_FLUSH_MULTI -> o.mask = masks[o.cpu];
            case LOCK, UNLOCK -> o.lock = lockNames[(int) a[0]];
            case ACCESS -> o.va = a[0];
            case NEW_BASEPTR -> o.root = a[0];
            case FRAME_FREE -> o.mfn = a[0];
            default -> { }
        }
    }

    /** How many map_table ops precede the workload. */
    public int setupOps() {
        return value.length;
    }

    public static int cpus() {
        return CPUS;
    }
}
