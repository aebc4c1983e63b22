package org.ptorder.ingest.sim;

import org.ptorder.ingest.sim.GuestModel.AddressSpace;
import org.ptorder.ingest.sim.GuestModel.L1;

/**
 * NetBSD/amd64 Xen PV, the per-CPU xpq era (reference/ordering-model.md §1.2-1.5), as the simulator
 * lowers it:
 *
 * <ul>
 *   <li>Every mmuext wrapper flushes the calling CPU's queue first: a {@code flush reason=mmuext}
 *       line (with {@code n=0} when the queue is empty, as the dtrace script prints it) before each
 *       {@code tlb_flush}, {@code invlpg}, {@code *_multi}, {@code *_all}, {@code new_baseptr},
 *       {@code pin}, {@code unpin}.
 *   <li>pmap.c's PTE writes are the RMW primitives (pmap_pte_testset/cas: pte_lock, read, enqueue,
 *       flush): {@code rmw} ops, one mmu_update each. Queued {@code pmap_pte_set}s are used where
 *       NetBSD uses them: linking a new page-table page (pmap_get_ptp, then pmap_pte_flush), the
 *       kernel's pmap_kenter_pa, a new pmap's top level, and (a simulator simplification: NetBSD
 *       enters them at fault time) the child's PTEs at fork. All under the pmap lock
 *       ({@code pmap<id>}) and flushed before it is released.
 *   <li>Shootdowns (pmap_tlb_shootnow): after the lock is dropped, for up to 6 pages one
 *       {@code invlpg_multi} per page to the other CPUs running the pmap, else one
 *       {@code tlb_flush_multi}; then the same locally. Xen does them synchronously; no guest IPI.
 *       A page-table page is freed only after an immediate shootnow (pmap_free_ptp).
 *   <li>Context switch (pmap_load): flush, {@code new_baseptr}; an idle CPU switches to the kernel
 *       pmap at once, so nothing runs on a pmap when pmap_destroy unpins it.
 *   <li>Kernel mappings: pmap_kenter_pa (queued, flushed), pmap_kremove (testset) and
 *       {@code invlpg_all} per page up to 6, else {@code tlb_flush_all}.
 * </ul>
 */
final class NetbsdLowering extends Lowering {
    private static final String ZONE = "uvm_pageqlock";
    private static final String KVA = "kernel_map";
    static final int TP_MAXVA = 6;

    NetbsdLowering(Emitter e, GuestModel g) {
        super(e, g);
    }

    @Override
    String zoneLock() {
        return ZONE;
    }

    /** The flush every mmuext wrapper starts with. */
    long mmuextFlush(int cpu) {
        return e.flush(cpu, "mmuext");
    }

    @Override
    void boot() {
        bootTables();
        mmuextFlush(0);
        e.pin(0, g.kernelL4, 4);
        for (int cpu = 0; cpu < cpus; cpu++) {
            mmuextFlush(cpu);
            e.newBaseptr(cpu, g.kernelL4, -1);
        }
    }

    @Override
    void createAs(int cpu, AddressSpace as) {
        allocUpper(cpu, as, false);
        e.lock(cpu, as.pmapLock);
        linkUpper(cpu, as);
        e.flush(cpu, "explicit");
        mmuextFlush(cpu);
        e.pin(cpu, as.l4, 4);
        e.unlock(cpu, as.pmapLock);
    }

    /** pmap_get_ptp: a new PTE page, linked with pmap_pte_set and pmap_pte_flush; pmap lock held. */
    private L1 ensureTable(int cpu, AddressSpace as, int slot) {
        L1 t = as.l1[slot];
        if (t == null) {
            t = newTable(cpu, as, slot);
            e.enq(cpu, as.pdeAddr(slot), tableEntry(t.mfn), t.va, "pt");
            e.flush(cpu, "explicit");
            as.l1[slot] = t;
        }
        return t;
    }

    /** The page of a copy-on-write fault, for {@link #shootnow} (no array per fault). */
    private final int[] onePage = new int[1];

    @Override
    void fault(int cpu, AddressSpace as, int page, boolean write) {
        long va = AddressSpace.va(page);
        e.pageFault(cpu, va, write);
        e.lock(cpu, as.pmapLock);
        L1 t = ensureTable(cpu, as, page >>> 9);
        int idx = page & 511;
        long old = t.pte[idx];
        boolean ro = as.readOnly(page);
        if (old == 0) {
            long val = dataPte(g.frames.alloc(), ro);
            e.rmw(cpu, t.pteAddr(idx), 0, val, 0);
            t.pte[idx] = val;
            t.present++;
            e.unlock(cpu, as.pmapLock);
        } else if (write && (old & GuestModel.RW) == 0 && !ro) {
            long f = frameOf(old);
            if (g.frames.refs(f) > 1) {
                long copy = dataPte(g.frames.alloc(), false);
                e.rmw(cpu, t.pteAddr(idx), old, copy, 0);
                t.pte[idx] = copy;
                e.unlock(cpu, as.pmapLock);
                onePage[0] = page;
                shootnow(cpu, as, onePage, 1);
                drop(f);
                dropFrames(cpu);
            } else {
                long val = old | GuestModel.RW;
                e.rmw(cpu, t.pteAddr(idx), old, val, 0);
                t.pte[idx] = val;
                e.unlock(cpu, as.pmapLock);
            }
        } else {
            e.unlock(cpu, as.pmapLock);
        }
    }

    @Override
    void faultAround(int cpu, AddressSpace as, int page, int n) {
        e.pageFault(cpu, AddressSpace.va(page), false);
        int end = Math.min(page + n, (page | 511) + 1);
        for (int p = page; p < end && as.reserved(p); p++) {
            if (as.pte(p) != 0) {
                continue;
            }
            e.lock(cpu, as.pmapLock);
            L1 t = ensureTable(cpu, as, p >>> 9);
            int idx = p & 511;
            long val = dataPte(g.frames.alloc(), as.readOnly(p));
            e.rmw(cpu, t.pteAddr(idx), 0, val, 0);
            t.pte[idx] = val;
            t.present++;
            e.unlock(cpu, as.pmapLock);
        }
    }

    /**
     * pmap_tlb_shootnow for the pages {@code pages[0..k)} of {@code as}: remote then local, each
     * wrapper flushing this CPU's queue first; under the pmap's CPU-set lock.
     */
    void shootnow(int cpu, AddressSpace as, int[] pages, int k) {
        if (k == 0) {
            return;
        }
        e.lock(cpu, as.maskLock);
        long o = others(as, cpu);
        if (o != 0) {
            if (k <= TP_MAXVA) {
                for (int i = 0; i < k; i++) {
                    mmuextFlush(cpu);
                    e.invlpgMulti(cpu, AddressSpace.va(pages[i]), o);
                }
            } else {
                mmuextFlush(cpu);
                e.tlbFlushMulti(cpu, o);
            }
        }
        if (loaded[cpu] == as) {
            if (k <= TP_MAXVA) {
                for (int i = 0; i < k; i++) {
                    mmuextFlush(cpu);
                    e.invlpg(cpu, AddressSpace.va(pages[i]));
                }
            } else {
                mmuextFlush(cpu);
                e.tlbFlush(cpu);
            }
        }
        e.unlock(cpu, as.maskLock);
    }

    /** A full shootdown of {@code as} (for a page-table page). */
    void shootAll(int cpu, AddressSpace as) {
        e.lock(cpu, as.maskLock);
        long o = others(as, cpu);
        if (o != 0) {
            mmuextFlush(cpu);
            e.tlbFlushMulti(cpu, o);
        }
        if (loaded[cpu] == as) {
            mmuextFlush(cpu);
            e.tlbFlush(cpu);
        }
        e.unlock(cpu, as.maskLock);
    }

    @Override
    void mprotect(int cpu, AddressSpace as, int start, int n, boolean ro) {
        as.setReadOnly(start, n, ro);
        int[] pages = scratch(n);
        int k = presentPages(as, start, n, pages);
        if (k == 0) {
            return;
        }
        e.lock(cpu, as.pmapLock);
        for (int i = 0; i < k; i++) {
            L1 t = as.table(pages[i]);
            int idx = pages[i] & 511;
            long old = t.pte[idx];
            long val = ro ? old & ~GuestModel.RW : old | GuestModel.RW;
            e.rmw(cpu, t.pteAddr(idx), old, val, 0);
            t.pte[idx] = val;
        }
        e.unlock(cpu, as.pmapLock);
        shootnow(cpu, as, pages, k);
    }

    @Override
    void zap(int cpu, AddressSpace as, int start, int n, boolean unmap) {
        int[] pages = scratch(n);
        int k = presentPages(as, start, n, pages);
        if (k > 0) {
            e.lock(cpu, as.pmapLock);
            for (int i = 0; i < k; i++) {
                L1 t = as.table(pages[i]);
                int idx = pages[i] & 511;
                e.rmw(cpu, t.pteAddr(idx), t.pte[idx], 0, 0);
                drop(frameOf(t.pte[idx]));
                t.pte[idx] = 0;
                t.present--;
            }
            e.unlock(cpu, as.pmapLock);
            shootnow(cpu, as, pages, k);
            dropFrames(cpu);
        }
        if (unmap) {
            as.unreserve(start, n);
            for (int slot = start >>> 9; slot <= (start + n - 1) >>> 9; slot++) {
                L1 t = as.l1[slot];
                if (t != null && t.present == 0 && as.slotUnused(slot)) {
                    freeTable(cpu, as, slot);
                }
            }
        }
    }

    /** pmap_free_ptp: zero the PDE (testset), shootnow at once, then free the page. */
    void freeTable(int cpu, AddressSpace as, int slot) {
        L1 t = as.l1[slot];
        e.lock(cpu, as.pmapLock);
        e.rmw(cpu, as.pdeAddr(slot), tableEntry(t.mfn), 0, 0);
        shootAll(cpu, as);
        freeFrame(cpu, t.mfn);
        e.unlock(cpu, as.pmapLock);
        as.l1[slot] = null;
    }

    @Override
    void forkCopy(int cpu, AddressSpace parent, AddressSpace child) {
        // the parent's writable pages become copy-on-write (pmap_protect)
        int[] pages = scratch(AddressSpace.PAGES);
        int k = 0;
        e.lock(cpu, parent.pmapLock);
        for (L1 t : parent.l1) {
            if (t != null && t.present != 0) {
                k = protectTable(cpu, parent, t, pages, k);
            }
        }
        e.unlock(cpu, parent.pmapLock);
        shootnow(cpu, parent, pages, k);
        // the child's PTEs, queued and flushed per table
        e.lock(cpu, child.pmapLock);
        for (int slot = 0; slot < AddressSpace.SLOTS; slot++) {
            L1 pt = parent.l1[slot];
            if (pt != null && pt.present != 0 && anonymousIn(parent, slot)) {
                copyTable(cpu, parent, child, slot);
            }
        }
        e.unlock(cpu, child.pmapLock);
    }

    // The loops over a table's 512 entries are methods of their own so that the JIT compiles each
    // on its own: a hot loop inside a big method has all of it compiled again from that loop.

    /**
     * Write-protects the writable anonymous PTEs of the parent's table {@code t}, adding their pages
     * to {@code pages} from {@code k} on; returns the new count.
     */
    private int protectTable(int cpu, AddressSpace parent, L1 t, int[] pages, int k) {
        int base = (int) ((t.va - AddressSpace.BASE) >>> 12);
        for (int idx = 0; idx < 512; idx++) {
            long v = t.pte[idx];
            if (v != 0 && (v & GuestModel.RW) != 0 && !parent.file(base + idx)) {
                e.rmw(cpu, t.pteAddr(idx), v, v & ~GuestModel.RW, 0);
                t.pte[idx] = v & ~GuestModel.RW;
                pages[k++] = base + idx;
            }
        }
        return k;
    }

    /** The child's copies of the anonymous PTEs of one parent table, queued and flushed. */
    private void copyTable(int cpu, AddressSpace parent, AddressSpace child, int slot) {
        L1 pt = parent.l1[slot];
        L1 ct = ensureTable(cpu, child, slot);
        for (int idx = 0; idx < 512; idx++) {
            long v = pt.pte[idx];
            if (v != 0 && !parent.file(slot << 9 | idx)) {
                e.enq(cpu, ct.pteAddr(idx), v, pt.va + ((long) idx << 12), "pt");
                ct.pte[idx] = v;
                ct.present++;
                g.frames.ref(frameOf(v));
            }
        }
        e.flush(cpu, "explicit");
    }

    @Override
    void loadRoot(int cpu, AddressSpace next) {
        mmuextFlush(cpu);
        e.newBaseptr(cpu, next == null ? g.kernelL4 : next.l4, -1);
    }

    @Override
    void goIdle(int cpu) {
        switchTo(cpu, null);
    }

    @Override
    void destroy(int cpu, AddressSpace as) {
        if (loaded[cpu] == as) {
            switchTo(cpu, null);
        }
        e.lock(cpu, as.maskLock);
        if (as.loadedOn != 0) {
            throw new IllegalStateException("pmap " + as.id + " destroyed while loaded on " + Long.toBinaryString(as.loadedOn));
        }
        e.unlock(cpu, as.maskLock);
        e.lock(cpu, as.pmapLock);
        for (L1 t : as.l1) {
            if (t != null && t.present != 0) {
                clearTable(cpu, t);
            }
        }
        e.unlock(cpu, as.pmapLock);
        dropFrames(cpu);
        mmuextFlush(cpu);
        e.unpin(cpu, as.l4);
        freeTables(cpu, as);
    }

    /** pmap_remove_ptes at exit: every present PTE of {@code t} cleared (testset). */
    private void clearTable(int cpu, L1 t) {
        for (int idx = 0; idx < 512; idx++) {
            if (t.pte[idx] != 0) {
                e.rmw(cpu, t.pteAddr(idx), t.pte[idx], 0, 0);
                drop(frameOf(t.pte[idx]));
                t.pte[idx] = 0;
            }
        }
        t.present = 0;
    }

    @Override
    int kmap(int cpu, int n) {
        e.lock(cpu, KVA);
        int kp = g.kvaAlloc(n);
        e.unlock(cpu, KVA);
        if (kp < 0) {
            return -1;
        }
        for (int i = kp; i < kp + n; i++) {
            long val = kernelPte(g.frames.alloc());
            e.enq(cpu, g.kernelPteAddr(i), val, GuestModel.kva(i), "pt");
            g.kernelPte[i >>> 9][i & 511] = val;
        }
        e.flush(cpu, "explicit");
        return kp;
    }

    @Override
    void kunmap(int cpu, int kp, int n) {
        for (int i = kp; i < kp + n; i++) {
            long old = g.kernelPte[i >>> 9][i & 511];
            e.rmw(cpu, g.kernelPteAddr(i), old, 0, 0);
            g.kernelPte[i >>> 9][i & 511] = 0;
            drop(frameOf(old));
        }
        if (n <= TP_MAXVA) {
            for (int i = kp; i < kp + n; i++) {
                mmuextFlush(cpu);
                e.invlpgAll(cpu, GuestModel.kva(i));
            }
        } else {
            mmuextFlush(cpu);
            e.tlbFlushAll(cpu);
        }
        dropFrames(cpu);
        e.lock(cpu, KVA);
        g.kvaFree(kp, n);
        e.unlock(cpu, KVA);
    }

    @Override
    void extract(int cpu, AddressSpace as, int page) {
        L1 t = as.table(page);
        if (t == null) {
            return;
        }
        e.lock(cpu, as.pmapLock);
        e.oobRead(cpu, t.pteAddr(page & 511), t.pte[page & 511]);
        e.unlock(cpu, as.pmapLock);
    }
}
