package org.ptorder.ingest.sim;

import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.xentrace.Hypercalls;

/**
 * Writes the simulated guest's events, one at a time, straight to the .pmt output (and the matching
 * hypercall records to the xentrace output): nothing is kept per event, so a trace of any length
 * needs the same memory. It also owns the per-vCPU clocks of the timing model ({@link Timing}) and
 * the guest's per-CPU queue, which it counts the way the trace must show it:
 *
 * <ul>
 *   <li>NetBSD: the xpq queue of 2048 entries. {@code enq} appends; a flush publishes them all in one
 *       mmu_update; a full queue flushes itself ({@code reason=full}); the RMW primitives flush it too.
 *   <li>Linux: the per-CPU multicall buffer of 32 entries and 512 argument bytes. Inside a lazy mode
 *       PTE updates, TLB ops and base switches are entries of it and take effect when it is issued;
 *       consecutive mmu_update requests share one entry (at most 31 of them); a buffer with no room
 *       is issued first ({@code reason=full}). Outside lazy mode an {@code enq} still goes through the
 *       buffer (the caller issues it at once), while TLB and base-pointer ops take effect at their own
 *       line. A buffer of one entry is issued as that hypercall, of more as a multicall.
 * </ul>
 */
final class Emitter {
    static final int XPQ_SIZE = 2048;
    static final int MC_BATCH = 32;
    static final int MC_ARGS = 512;
    static final int MMU_UPDATE_BYTES = 16;
    static final int MMUEXT_BYTES = 24;
    static final int MMUEXT_MASK_BYTES = 32;

    final int cpus;
    final boolean linux;
    private final PmtFastWriter pmt;
    final HypercallEmitter hc;
    final SimStats stats;
    private static final PmtFastWriter.Key PTE = PmtFastWriter.key("pte");
    private static final PmtFastWriter.Key VAL = PmtFastWriter.key("val");
    private static final PmtFastWriter.Key VA = PmtFastWriter.key("va");
    private static final PmtFastWriter.Key KIND = PmtFastWriter.key("kind");
    private static final PmtFastWriter.Key N = PmtFastWriter.key("n");
    private static final PmtFastWriter.Key REASON = PmtFastWriter.key("reason");
    private static final PmtFastWriter.Key MASK = PmtFastWriter.key("mask");
    private static final PmtFastWriter.Key ROOT = PmtFastWriter.key("root");
    private static final PmtFastWriter.Key USER = PmtFastWriter.key("user");
    private static final PmtFastWriter.Key MFN = PmtFastWriter.key("mfn");
    private static final PmtFastWriter.Key LEVEL = PmtFastWriter.key("level");
    private static final PmtFastWriter.Key FLAGS = PmtFastWriter.key("flags");
    private static final PmtFastWriter.Key EXPECT = PmtFastWriter.key("expect");
    private static final PmtFastWriter.Key NEW = PmtFastWriter.key("new");
    private static final PmtFastWriter.Key OK = PmtFastWriter.key("ok");
    private static final PmtFastWriter.Key PURPOSE = PmtFastWriter.key("purpose");
    private static final PmtFastWriter.Key LOCK = PmtFastWriter.key("lock");
    private static final PmtFastWriter.Key IPI = PmtFastWriter.key("ipi");
    private static final PmtFastWriter.Key DST = PmtFastWriter.key("dst");
    private static final PmtFastWriter.Key THREAD = PmtFastWriter.key("thread");
    private static final PmtFastWriter.Key TO = PmtFastWriter.key("to");

    /** seq of the next event. */
    long seq;
    /** ts of the latest event: no event goes before it. */
    long now;
    /** Per vCPU: when its latest event ends. */
    final long[] busy;
    /** Per vCPU: the thread id its events carry. */
    final long[] thread;
    /** Per vCPU: queue (NetBSD) or multicall-buffer (Linux) entries not yet issued. */
    final int[] queued;
    private final int[] queuedUpdates;
    /** Linux: in a lazy mode. */
    final boolean[] lazy;

    // Linux multicall buffer shape per vCPU (what the hypercall records show)
    private final int[][] slotOp;
    private final int[][] slotCount;
    private final int[] slots;
    private final int[] argBytes;
    private final int[] slotUpdates;
    private final int[] slotMmuext;
    private final int[] slotRemote;
    /** Linux: outside lazy mode, direct ops are gathered into one multicall (xen_mc_batch .. xen_mc_issue). */
    private final boolean[] group;

    Emitter(int cpus, boolean linux, PmtFastWriter pmt, HypercallEmitter hc, SimStats stats) {
        this.cpus = cpus;
        this.linux = linux;
        this.pmt = pmt;
        this.hc = hc;
        this.stats = stats;
        busy = new long[cpus];
        thread = new long[cpus];
        queued = new int[cpus];
        queuedUpdates = new int[cpus];
        lazy = new boolean[cpus];
        slotOp = new int[cpus][MC_BATCH];
        slotCount = new int[cpus][MC_BATCH];
        slots = new int[cpus];
        argBytes = new int[cpus];
        slotUpdates = new int[cpus];
        slotMmuext = new int[cpus];
        slotRemote = new int[cpus];
        group = new boolean[cpus];
    }

    // ------------------------------------------------------------------ core

    /** ts of the event being written. */
    private long ts;
    private int lineCpu;

    /**
     * Starts {@code cpu}'s next event: it begins when the CPU is free, never before the latest event
     * of the trace nor before {@code floor}, and keeps the CPU busy for {@code cost} ns.
     */
    private void begin(int cpu, Op o, long cost, long floor) {
        long t = Math.max(Math.max(busy[cpu], now), floor);
        busy[cpu] = t + cost;
        now = t;
        ts = t;
        lineCpu = cpu;
        pmt.begin(t, cpu, o);
        stats.byOp[o.ordinal()]++;
    }

    private void begin(int cpu, Op o, long cost) {
        begin(cpu, o, cost, 0);
    }

    private long commit() {
        pmt.end(lineCpu, thread[lineCpu]);
        return seq++;
    }

    // ------------------------------------------------------------------ declarations and frames

    long mapTable(int cpu, long mfn, int level, long va) {
        begin(cpu, Op.MAP_TABLE, Timing.MAP_TABLE);
        pmt.hex(MFN, mfn);
        pmt.dec(LEVEL, level);
        pmt.hex(VA, va);
        return commit();
    }

    long frameAlloc(int cpu, long mfn, String purpose) {
        begin(cpu, Op.FRAME_ALLOC, Timing.FRAME_ALLOC);
        pmt.hex(MFN, mfn);
        pmt.text(PURPOSE, purpose);
        return commit();
    }

    long frameFree(int cpu, long mfn) {
        begin(cpu, Op.FRAME_FREE, Timing.FRAME_FREE);
        pmt.hex(MFN, mfn);
        return commit();
    }

    // ------------------------------------------------------------------ synchronisation

    long lock(int cpu, String name) {
        begin(cpu, Op.LOCK, Timing.LOCK);
        pmt.text(LOCK, name);
        return commit();
    }

    long unlock(int cpu, String name) {
        begin(cpu, Op.UNLOCK, Timing.UNLOCK);
        pmt.text(LOCK, name);
        return commit();
    }

    long ipiSend(int cpu, long id, long dst) {
        begin(cpu, Op.IPI_SEND, Timing.IPI_SEND);
        pmt.dec(IPI, id);
        pmt.cpus(DST, dst);
        stats.ipis++;
        return commit();
    }

    long ipiRecv(int cpu, long id, long notBefore) {
        begin(cpu, Op.IPI_RECV, Timing.IPI_HANDLER, notBefore);
        pmt.dec(IPI, id);
        return commit();
    }

    long ipiAck(int cpu, long id) {
        begin(cpu, Op.IPI_ACK, Timing.IPI_HANDLER);
        pmt.dec(IPI, id);
        return commit();
    }

    long ipiDone(int cpu, long id, long notBefore) {
        begin(cpu, Op.IPI_DONE, Timing.IPI_WAIT, notBefore);
        pmt.dec(IPI, id);
        return commit();
    }

    long migrate(int cpu, long tid, int to) {
        begin(cpu, Op.MIGRATE, Timing.MIGRATE);
        pmt.dec(THREAD, tid);
        pmt.dec(TO, to);
        pmt.end();
        return seq++;
    }

    long lazyEnter(int cpu) {
        lazy[cpu] = true;
        begin(cpu, Op.LAZY_ENTER, Timing.LAZY);
        return commit();
    }

    long lazyLeave(int cpu) {
        lazy[cpu] = false;
        begin(cpu, Op.LAZY_LEAVE, Timing.LAZY);
        return commit();
    }

    // ------------------------------------------------------------------ the queue

    /** Queues a PTE update. */
    long enq(int cpu, long pte, long val, long va, String kind) {
        if (linux) {
            room(cpu, Hypercalls.MMU_UPDATE, MMU_UPDATE_BYTES);
            addSlot(cpu, Hypercalls.MMU_UPDATE, MMU_UPDATE_BYTES, 0);
        } else if (queued[cpu] == XPQ_SIZE) {
            flush(cpu, "full");
        }
        begin(cpu, Op.ENQ, Timing.ENQ);
        pmt.hex(PTE, pte);
        pmt.hex(VAL, val);
        pmt.hex(VA, va);
        pmt.text(KIND, kind);
        queued[cpu]++;
        queuedUpdates[cpu]++;
        stats.pteWrites++;
        stats.queuedWrites++;
        return commit();
    }

    /**
     * Issues {@code cpu}'s queue: a {@code flush n=} line counting its entries, and the hypercall
     * Xen sees (none for an empty queue).
     */
    long flush(int cpu, String reason) {
        int n = queued[cpu];
        long cost;
        if (linux) {
            cost = slots[cpu] == 0 ? Timing.EMPTY_FLUSH
                : Timing.flush(slotUpdates[cpu], slotMmuext[cpu]) + (long) slotRemote[cpu] * Timing.REMOTE_FLUSH;
        } else {
            cost = Timing.flush(n, 0);
        }
        begin(cpu, Op.FLUSH, cost);
        pmt.dec(N, n);
        pmt.text(REASON, reason);
        long ts = this.ts;
        long s = commit();
        if (queuedUpdates[cpu] > 0) {
            stats.pteFlushes++;
        }
        if (linux) {
            issueBuffer(cpu, ts);
        } else if (n > 0) {
            stats.hypercalls++;
            stats.mmuUpdateSizes[Math.min(n, 63)]++;
            hc.direct(cpu, ts, Hypercalls.MMU_UPDATE, n);
        }
        queued[cpu] = 0;
        queuedUpdates[cpu] = 0;
        return s;
    }

    // Linux multicall buffer bookkeeping

    private void room(int cpu, int hcOp, int bytes) {
        boolean extend = hcOp == Hypercalls.MMU_UPDATE && slots[cpu] > 0
            && slotOp[cpu][slots[cpu] - 1] == Hypercalls.MMU_UPDATE;
        if (argBytes[cpu] + bytes >= MC_ARGS || !extend && slots[cpu] == MC_BATCH) {
            if (group[cpu]) {
                issueBuffer(cpu, busy[cpu]);
            } else {
                flush(cpu, "full");
            }
        }
    }

    private void addSlot(int cpu, int hcOp, int bytes, int count) {
        int s = slots[cpu];
        argBytes[cpu] += bytes;
        if (hcOp == Hypercalls.MMU_UPDATE) {
            slotUpdates[cpu]++;
            if (s > 0 && slotOp[cpu][s - 1] == Hypercalls.MMU_UPDATE) {
                slotCount[cpu][s - 1]++;
                return;
            }
            count = 1;
        } else if (hcOp == Hypercalls.MMUEXT_OP) {
            slotMmuext[cpu] += count;
        }
        slotOp[cpu][s] = hcOp;
        slotCount[cpu][s] = count;
        slots[cpu] = s + 1;
    }

    private void issueBuffer(int cpu, long ts) {
        int n = slots[cpu];
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            if (slotOp[cpu][i] == Hypercalls.MMU_UPDATE) {
                stats.mmuUpdateSizes[Math.min(slotCount[cpu][i], 63)]++;
            }
        }
        stats.hypercalls++;
        if (n == 1) {
            hc.direct(cpu, ts, slotOp[cpu][0], slotOp[cpu][0] == Hypercalls.UPDATE_VA_MAPPING ? -1 : slotCount[cpu][0]);
        } else {
            stats.multicalls++;
            hc.multicall(cpu, ts, slotOp[cpu], slotCount[cpu], n);
        }
        slots[cpu] = 0;
        argBytes[cpu] = 0;
        slotUpdates[cpu] = 0;
        slotMmuext[cpu] = 0;
        slotRemote[cpu] = 0;
    }

    /**
     * Linux, outside lazy mode: gathers the direct ops that follow (pins, unpins, update_va_mapping)
     * into one multicall, issued by {@link #endGroup}, the way xen_pgd_pin batches them. They still
     * take effect at their own line in the .pmt, which is what a non-lazy batch amounts to here.
     */
    void beginGroup(int cpu) {
        if (linux) {
            group[cpu] = true;
        }
    }

    void endGroup(int cpu) {
        if (linux && group[cpu]) {
            group[cpu] = false;
            issueBuffer(cpu, busy[cpu]);
        }
    }

    /**
     * An mmuext-like op: on NetBSD always a synchronous hypercall of its own; on Linux an entry of
     * the multicall buffer in lazy mode (effect at issue), part of a group, or a direct hypercall.
     */
    private void mmuextOp(int cpu, Op o, long cost, int hcOp, int count, int bytes, boolean remote) {
        if (linux && lazy[cpu]) {
            room(cpu, hcOp, bytes);
            addSlot(cpu, hcOp, bytes, count);
            if (remote) {
                slotRemote[cpu]++;
            }
            queued[cpu]++;
            begin(cpu, o, Timing.ENQ);
        } else if (linux && group[cpu]) {
            room(cpu, hcOp, bytes);
            addSlot(cpu, hcOp, bytes, count);
            begin(cpu, o, cost);
        } else {
            begin(cpu, o, cost);
            stats.hypercalls++;
            hc.direct(cpu, ts, hcOp, hcOp == Hypercalls.UPDATE_VA_MAPPING ? -1 : count);
        }
    }

    long tlbFlush(int cpu) {
        mmuextOp(cpu, Op.TLB_FLUSH, Timing.HYPERCALL + Timing.PER_MMUEXT, Hypercalls.MMUEXT_OP, 1, MMUEXT_BYTES, false);
        return commit();
    }

    long invlpg(int cpu, long va) {
        mmuextOp(cpu, Op.INVLPG, Timing.HYPERCALL + Timing.PER_MMUEXT, Hypercalls.MMUEXT_OP, 1, MMUEXT_BYTES, false);
        pmt.hex(VA, va);
        return commit();
    }

    long tlbFlushMulti(int cpu, long mask) {
        mmuextOp(cpu, Op.TLB_FLUSH_MULTI, Timing.HYPERCALL + Timing.REMOTE_FLUSH, Hypercalls.MMUEXT_OP, 1,
            MMUEXT_MASK_BYTES, true);
        pmt.cpus(MASK, mask);
        return commit();
    }

    long invlpgMulti(int cpu, long va, long mask) {
        mmuextOp(cpu, Op.INVLPG_MULTI, Timing.HYPERCALL + Timing.REMOTE_FLUSH, Hypercalls.MMUEXT_OP, 1,
            MMUEXT_MASK_BYTES, true);
        pmt.hex(VA, va);
        pmt.cpus(MASK, mask);
        return commit();
    }

    long tlbFlushAll(int cpu) {
        mmuextOp(cpu, Op.TLB_FLUSH_ALL, Timing.HYPERCALL + Timing.FLUSH_ALL, Hypercalls.MMUEXT_OP, 1, MMUEXT_BYTES, true);
        return commit();
    }

    long invlpgAll(int cpu, long va) {
        mmuextOp(cpu, Op.INVLPG_ALL, Timing.HYPERCALL + Timing.FLUSH_ALL, Hypercalls.MMUEXT_OP, 1, MMUEXT_BYTES, true);
        pmt.hex(VA, va);
        return commit();
    }

    /** One base switch (NetBSD xpq_queue_pt_switch; a Linux kernel-only root). */
    long newBaseptr(int cpu, long root, int user) {
        mmuextOp(cpu, Op.NEW_BASEPTR, Timing.HYPERCALL + Timing.PER_MMUEXT, Hypercalls.MMUEXT_OP, 1, MMUEXT_BYTES, false);
        pmt.hex(ROOT, root);
        if (user >= 0) {
            pmt.dec(USER, user);
        }
        return commit();
    }

    /**
     * Linux xen_write_cr3: NEW_BASEPTR and NEW_USER_BASEPTR in one mmuext entry of count 2 (the
     * second extends the first). Returns the seq of the first line.
     */
    long newBaseptrPair(int cpu, long root, long userRoot) {
        long first;
        if (lazy[cpu] || group[cpu]) {
            room(cpu, Hypercalls.MMUEXT_OP, 2 * MMUEXT_BYTES);
            addSlot(cpu, Hypercalls.MMUEXT_OP, 2 * MMUEXT_BYTES, 2);
            if (lazy[cpu]) {
                queued[cpu] += 2;
            }
            begin(cpu, Op.NEW_BASEPTR, lazy[cpu] ? Timing.ENQ : Timing.PER_MMUEXT);
            pmt.hex(ROOT, root);
            pmt.dec(USER, 0);
            first = commit();
            begin(cpu, Op.NEW_BASEPTR, lazy[cpu] ? Timing.ENQ : Timing.PER_MMUEXT);
            pmt.hex(ROOT, userRoot);
            pmt.dec(USER, 1);
            commit();
        } else {
            begin(cpu, Op.NEW_BASEPTR, Timing.HYPERCALL + Timing.PER_MMUEXT);
            pmt.hex(ROOT, root);
            pmt.dec(USER, 0);
            long t0 = ts;
            first = commit();
            begin(cpu, Op.NEW_BASEPTR, Timing.PER_MMUEXT);
            pmt.hex(ROOT, userRoot);
            pmt.dec(USER, 1);
            commit();
            stats.hypercalls++;
            hc.direct(cpu, t0, Hypercalls.MMUEXT_OP, 2);
        }
        return first;
    }

    long pin(int cpu, long mfn, int level) {
        mmuextOp(cpu, Op.PIN, Timing.HYPERCALL + Timing.PIN, Hypercalls.MMUEXT_OP, 1, MMUEXT_BYTES, false);
        pmt.hex(MFN, mfn);
        pmt.dec(LEVEL, level);
        return commit();
    }

    long unpin(int cpu, long mfn) {
        mmuextOp(cpu, Op.UNPIN, Timing.HYPERCALL + Timing.PIN, Hypercalls.MMUEXT_OP, 1, MMUEXT_BYTES, false);
        pmt.hex(MFN, mfn);
        return commit();
    }

    long updateVaMapping(int cpu, long va, long val, long flags) {
        mmuextOp(cpu, Op.UPDATE_VA_MAPPING, Timing.HYPERCALL + Timing.UPDATE_VA, Hypercalls.UPDATE_VA_MAPPING, 0, 0, false);
        pmt.hex(VA, va);
        pmt.hex(VAL, val);
        pmt.hex(FLAGS, flags);
        return commit();
    }

    // ------------------------------------------------------------------ reads and read-modify-writes

    long oobRead(int cpu, long pte, long val) {
        begin(cpu, Op.OOB_READ, Timing.OOB_READ);
        pmt.hex(PTE, pte);
        pmt.hex(VAL, val);
        return commit();
    }

    /**
     * A read-modify-write of one PTE that takes effect at once. NetBSD: pmap_pte_cas/testset (pte_lock,
     * read through the recursive map, enqueue, flush the whole queue: one mmu_update). Linux: an
     * xchg/cmpxchg on a pinned table, trapped and emulated by Xen (a PTWR emulation record); Linux
     * never leaves its own buffer non-empty across one ({@link LinuxLowering}).
     */
    long rmw(int cpu, long pte, long expect, long newVal, long pteLinear) {
        long cost = linux ? Timing.PTWR : Timing.RMW_NETBSD + Timing.PER_UPDATE * queued[cpu];
        begin(cpu, Op.RMW, cost);
        pmt.hex(PTE, pte);
        pmt.hex(NEW, newVal);
        pmt.hex(EXPECT, expect);
        pmt.dec(OK, 1);
        long ts = this.ts;
        long s = commit();
        stats.pteWrites++;
        if (linux) {
            stats.ptwr++;
            hc.ptwr(cpu, ts, newVal, pteLinear, 0xffffffff81000000L + (pte & 0xfff0));
        } else {
            int n = queued[cpu] + 1;
            if (queuedUpdates[cpu] > 0) {
                stats.pteFlushes++;
            }
            stats.hypercalls++;
            stats.mmuUpdateSizes[Math.min(n, 63)]++;
            hc.direct(cpu, ts, Hypercalls.MMU_UPDATE, n);
            queued[cpu] = 0;
            queuedUpdates[cpu] = 0;
        }
        return s;
    }

    /** A fault Xen bounces to the guest: only a xentrace record, no .pmt line. */
    void pageFault(int cpu, long va, boolean write) {
        stats.pageFaults++;
        hc.pageFault(cpu, Math.max(busy[cpu], now), va, write, 0x400000L + (va & 0xffff));
    }

    void comment(String text) {
        pmt.comment(text);
    }
}
