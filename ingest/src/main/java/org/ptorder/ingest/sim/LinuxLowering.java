package org.ptorder.ingest.sim;

import org.ptorder.ingest.sim.GuestModel.AddressSpace;
import org.ptorder.ingest.sim.GuestModel.L1;

/**
 * Linux PV (reference/ordering-model.md §2, reference/xentrace.md §6.2), as the simulator lowers it:
 *
 * <ul>
 *   <li>PTE updates outside lazy mode (page faults, kernel-table links) are issued at once: an
 *       {@code enq} and a {@code flush n=1} (one direct mmu_update).
 *   <li>Range operations run in lazy MMU mode, one section per PTE page, entered and left under that
 *       page's split PTL ({@code ptl<mfn>}): mprotect queues {@code enq kind=ad}
 *       (ptep_modify_prot_commit), fork queues the child's PTEs; the TLB flush, local
 *       ({@code invlpg} per page up to 33 pages, else {@code tlb_flush}) and remote
 *       ({@code invlpg_multi} for one page, else {@code tlb_flush_multi}, to the other CPUs running
 *       the mm), goes into the same buffer after the updates; the buffer is issued at leave
 *       ({@code flush reason=lazy_leave}) or when full ({@code reason=full}).
 *   <li>Clearing PTEs (munmap, madvise, exit) and write-protecting the parent at fork are
 *       xchg/clear_bit on a pinned table: Xen traps and emulates them, so they are {@code rmw} ops
 *       (no queue, a PTWR record in xentrace); the buffer is always empty at an {@code rmw}.
 *   <li>Context switch: lazy CPU mode, {@code new_baseptr} of the kernel and user roots as one
 *       buffer entry, issued at leave; switching to the kernel's init_mm gives the user root 0
 *       ({@code root=0x0 user=1}: none). An idle CPU keeps the last mm loaded (lazy TLB).
 *   <li>New address spaces are pinned at once (xen_dup_mmap / activate): read-only
 *       {@code update_va_mapping}s of the table pages, {@code pin} of both roots, in one multicall;
 *       new PTE pages are pinned when attached; page tables are unpinned after the TLB flush that
 *       follows their unlinking (Linux 6.1 unpins before it and relies on Xen's type-change flush,
 *       which the model does not see), and at exit all together.
 *   <li>exit_mmap: the exiting CPU leaves the mm; CPUs that still run on it (lazily) get an IPI
 *       whose handler switches to the kernel root before the tree is unpinned (xen_drop_mm_ref).
 *   <li>Kernel mappings (vmap/vunmap): set in lazy mode, cleared by xchg, and the kernel-range flush
 *       is an IPI to every other CPU (flush_tlb_kernel_range), each invalidating locally.
 * </ul>
 */
final class LinuxLowering extends Lowering {
    private static final String ZONE = "zone";
    private static final String VMAP = "vmap";
    private static final int FLUSH_CEILING = 33;

    LinuxLowering(Emitter e, GuestModel g) {
        super(e, g);
    }

    @Override
    String zoneLock() {
        return ZONE;
    }

    @Override
    void boot() {
        bootTables();
        e.pin(0, g.kernelL4, 4);
        for (int cpu = 0; cpu < cpus; cpu++) {
            e.newBaseptrPair(cpu, g.kernelL4, 0);
        }
    }

    @Override
    void createAs(int cpu, AddressSpace as) {
        allocUpper(cpu, as, true);
        linkUpper(cpu, as);
        e.flush(cpu, "explicit");
        e.beginGroup(cpu);
        for (long mfn : new long[] {as.l4, as.userL4, as.l3, as.l2}) {
            e.updateVaMapping(cpu, GuestModel.directMap(mfn), dataPte(mfn, true), 0);
        }
        e.pin(cpu, as.l4, 4);
        e.pin(cpu, as.userL4, 4);
        e.endGroup(cpu);
    }

    /** xen_alloc_ptpage + set_pmd: a new PTE page, pinned, linked under the mm's page_table_lock. */
    private L1 ensureTable(int cpu, AddressSpace as, int slot) {
        L1 t = as.l1[slot];
        if (t != null) {
            return t;
        }
        e.lock(cpu, as.mmLock);
        t = newTable(cpu, as, slot);
        e.beginGroup(cpu);
        e.updateVaMapping(cpu, GuestModel.directMap(t.mfn), dataPte(t.mfn, true), 0);
        e.pin(cpu, t.mfn, 1);
        e.endGroup(cpu);
        t.pinned = true;
        e.enq(cpu, as.pdeAddr(slot), tableEntry(t.mfn), t.va, "pt");
        e.flush(cpu, "explicit");
        e.unlock(cpu, as.mmLock);
        as.l1[slot] = t;
        return t;
    }

    @Override
    void fault(int cpu, AddressSpace as, int page, boolean write) {
        long va = AddressSpace.va(page);
        e.pageFault(cpu, va, write);
        L1 t = ensureTable(cpu, as, page >>> 9);
        int idx = page & 511;
        long old = t.pte[idx];
        boolean ro = as.readOnly(page);
        e.lock(cpu, t.ptl);
        if (old == 0) {
            long val = dataPte(g.frames.alloc(), ro);
            e.enq(cpu, t.pteAddr(idx), val, va, "pt");
            e.flush(cpu, "explicit");
            t.pte[idx] = val;
            t.present++;
        } else if (write && (old & GuestModel.RW) == 0 && !ro) {
            long f = frameOf(old);
            if (g.frames.refs(f) > 1) {
                // wp_page_copy: ptep_clear_flush, then the new page
                long copy = dataPte(g.frames.alloc(), false);
                e.rmw(cpu, t.pteAddr(idx), old, 0, pteLinear(t.pteAddr(idx)));
                t.pte[idx] = 0;
                e.lock(cpu, as.maskLock);
                e.invlpg(cpu, va);
                long o = others(as, cpu);
                if (o != 0) {
                    e.invlpgMulti(cpu, va, o);
                }
                e.unlock(cpu, as.maskLock);
                e.enq(cpu, t.pteAddr(idx), copy, va, "pt");
                e.flush(cpu, "explicit");
                t.pte[idx] = copy;
                e.unlock(cpu, t.ptl);
                drop(f);
                dropFrames(cpu);
                return;
            }
            // wp_page_reuse: the last reference, just make it writable (no flush: spurious faults are fine)
            long val = old | GuestModel.RW;
            e.enq(cpu, t.pteAddr(idx), val, va, "pt");
            e.flush(cpu, "explicit");
            t.pte[idx] = val;
        }
        e.unlock(cpu, t.ptl);
    }

    @Override
    void faultAround(int cpu, AddressSpace as, int page, int n) {
        e.pageFault(cpu, AddressSpace.va(page), false);
        L1 t = ensureTable(cpu, as, page >>> 9);
        int end = Math.min(page + n, (page | 511) + 1);
        e.lock(cpu, t.ptl);
        for (int p = page; p < end && as.reserved(p); p++) {
            int idx = p & 511;
            if (t.pte[idx] == 0) {
                long val = dataPte(g.frames.alloc(), as.readOnly(p));
                e.enq(cpu, t.pteAddr(idx), val, AddressSpace.va(p), "pt");
                e.flush(cpu, "explicit");
                t.pte[idx] = val;
                t.present++;
            }
        }
        e.unlock(cpu, t.ptl);
    }

    /** The TLB flush of a range operation, queued in the current lazy section; caller holds the mask lock. */
    private void queueRangeFlush(int cpu, AddressSpace as, int start, int n) {
        if (loaded[cpu] == as) {
            if (n <= FLUSH_CEILING) {
                for (int p = start; p < start + n; p++) {
                    e.invlpg(cpu, AddressSpace.va(p));
                }
            } else {
                e.tlbFlush(cpu);
            }
        }
        long o = others(as, cpu);
        if (o != 0) {
            if (n == 1) {
                e.invlpgMulti(cpu, AddressSpace.va(start), o);
            } else {
                e.tlbFlushMulti(cpu, o);
            }
        }
    }

    private void leave(int cpu) {
        if (e.queued[cpu] > 0) {
            e.flush(cpu, "lazy_leave");
        }
        e.lazyLeave(cpu);
    }

    private int lastSlotWithPresent(int[] pages, int k) {
        return k == 0 ? -1 : pages[k - 1] >>> 9;
    }

    @Override
    void mprotect(int cpu, AddressSpace as, int start, int n, boolean ro) {
        as.setReadOnly(start, n, ro);
        int[] pages = scratch(n);
        int k = presentPages(as, start, n, pages);
        int last = lastSlotWithPresent(pages, k);
        int i = 0;
        while (i < k) {
            int slot = pages[i] >>> 9;
            L1 t = as.l1[slot];
            e.lock(cpu, t.ptl);
            e.lazyEnter(cpu);
            for (; i < k && pages[i] >>> 9 == slot; i++) {
                int idx = pages[i] & 511;
                long val = ro ? t.pte[idx] & ~GuestModel.RW : t.pte[idx] | GuestModel.RW;
                e.enq(cpu, t.pteAddr(idx), val, AddressSpace.va(pages[i]), "ad");
                t.pte[idx] = val;
            }
            if (slot == last) {
                e.lock(cpu, as.maskLock);
                queueRangeFlush(cpu, as, start, n);
                leave(cpu);
                e.unlock(cpu, as.maskLock);
            } else {
                leave(cpu);
            }
            e.unlock(cpu, t.ptl);
        }
    }

    @Override
    void zap(int cpu, AddressSpace as, int start, int n, boolean unmap) {
        int[] pages = scratch(n);
        int k = presentPages(as, start, n, pages);
        int last = lastSlotWithPresent(pages, k);
        int i = 0;
        while (i < k) {
            int slot = pages[i] >>> 9;
            L1 t = as.l1[slot];
            e.lock(cpu, t.ptl);
            e.lazyEnter(cpu);
            for (; i < k && pages[i] >>> 9 == slot; i++) {
                int idx = pages[i] & 511;
                e.rmw(cpu, t.pteAddr(idx), t.pte[idx], 0, pteLinear(t.pteAddr(idx)));
                drop(frameOf(t.pte[idx]));
                t.pte[idx] = 0;
                t.present--;
            }
            if (slot == last) {
                e.lock(cpu, as.maskLock);
                queueRangeFlush(cpu, as, start, n);
                leave(cpu);
                e.unlock(cpu, as.maskLock);
            } else {
                leave(cpu);
            }
            e.unlock(cpu, t.ptl);
        }
        dropFrames(cpu);
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

    /** free_pgtables for one PTE page: unlink, flush the TLBs that may cache it, unpin, free. */
    void freeTable(int cpu, AddressSpace as, int slot) {
        L1 t = as.l1[slot];
        e.lock(cpu, as.mmLock);
        e.enq(cpu, as.pdeAddr(slot), 0, t.va, "pt");
        e.flush(cpu, "explicit");
        e.lock(cpu, as.maskLock);
        if (loaded[cpu] == as) {
            e.tlbFlush(cpu);
        }
        long o = others(as, cpu);
        if (o != 0) {
            e.tlbFlushMulti(cpu, o);
        }
        e.unlock(cpu, as.maskLock);
        releaseTable(cpu, t);
        e.unlock(cpu, as.mmLock);
        as.l1[slot] = null;
    }

    /** Unpins an unlinked PTE page, makes it writable again and frees it. */
    void releaseTable(int cpu, L1 t) {
        if (t.pinned) {
            e.beginGroup(cpu);
            e.unpin(cpu, t.mfn);
            e.updateVaMapping(cpu, GuestModel.directMap(t.mfn), dataPte(t.mfn, false), 0);
            e.endGroup(cpu);
            t.pinned = false;
        }
        freeFrame(cpu, t.mfn);
    }

    /**
     * copy_page_range: only anonymous pages (file mappings without private copies are left to
     * faults in the child, as Linux does for VMAs without an anon_vma).
     */
    @Override
    void forkCopy(int cpu, AddressSpace parent, AddressSpace child) {
        boolean protectedAny = false;
        for (int slot = 0; slot < AddressSpace.SLOTS; slot++) {
            L1 pt = parent.l1[slot];
            if (pt == null || pt.present == 0 || !anonymousIn(parent, slot)) {
                continue;
            }
            if (copyTable(cpu, parent, child, slot)) {
                protectedAny = true;
            }
        }
        if (protectedAny) {
            e.lock(cpu, parent.maskLock);
            if (loaded[cpu] == parent) {
                e.tlbFlush(cpu);
            }
            long o = others(parent, cpu);
            if (o != 0) {
                e.tlbFlushMulti(cpu, o);
            }
            e.unlock(cpu, parent.maskLock);
        }
    }

    /**
     * copy_pte_range for one PTE page: the parent's writable anonymous PTEs write-protected (xchg),
     * the child's queued in one lazy section. Returns whether any parent PTE was write-protected.
     */
    private boolean copyTable(int cpu, AddressSpace parent, AddressSpace child, int slot) {
        boolean protectedAny = false;
        L1 pt = parent.l1[slot];
        L1 ct = ensureTable(cpu, child, slot);
        e.lock(cpu, pt.ptl);
        e.lock(cpu, ct.ptl);
        int base = slot << 9;
        for (int idx = 0; idx < 512; idx++) {
            long v = pt.pte[idx];
            if (v != 0 && (v & GuestModel.RW) != 0 && !parent.file(base + idx)) {
                e.rmw(cpu, pt.pteAddr(idx), v, v & ~GuestModel.RW, pteLinear(pt.pteAddr(idx)));
                pt.pte[idx] = v & ~GuestModel.RW;
                protectedAny = true;
            }
        }
        e.lazyEnter(cpu);
        for (int idx = 0; idx < 512; idx++) {
            long v = pt.pte[idx];
            if (v != 0 && !parent.file(base + idx)) {
                e.enq(cpu, ct.pteAddr(idx), v, pt.va + ((long) idx << 12), "pt");
                ct.pte[idx] = v;
                ct.present++;
                g.frames.ref(frameOf(v));
            }
        }
        leave(cpu);
        e.unlock(cpu, ct.ptl);
        e.unlock(cpu, pt.ptl);
        return protectedAny;
    }

    @Override
    void loadRoot(int cpu, AddressSpace next) {
        e.lazyEnter(cpu);
        if (next == null) {
            e.newBaseptrPair(cpu, g.kernelL4, 0);
        } else {
            e.newBaseptrPair(cpu, next.l4, next.userL4);
        }
        leave(cpu);
    }

    @Override
    void goIdle(int cpu) {
        // lazy TLB: the idle task keeps the last mm loaded
    }

    @Override
    void destroy(int cpu, AddressSpace as) {
        if (loaded[cpu] == as) {
            e.lock(cpu, as.maskLock);
            e.newBaseptrPair(cpu, g.kernelL4, 0);
            setLoaded(cpu, null);
            e.unlock(cpu, as.maskLock);
        }
        e.lock(cpu, as.maskLock);
        long o = as.loadedOn;
        if (o != 0) {
            long id = ++ipiIds;
            e.ipiSend(cpu, id, o);
            long sent = e.now;
            long acked = 0;
            for (long m = o; m != 0; m &= m - 1) {
                int d = Long.numberOfTrailingZeros(m);
                e.ipiRecv(d, id, sent + Timing.IPI_LATENCY);
                e.newBaseptrPair(d, g.kernelL4, 0);
                setLoaded(d, null);
                e.ipiAck(d, id);
                acked = Math.max(acked, e.busy[d]);
            }
            e.ipiDone(cpu, id, acked);
        }
        e.unlock(cpu, as.maskLock);
        clearTables(cpu, as);
        dropFrames(cpu);
        unpinTree(cpu, as);
        freeTables(cpu, as);
    }

    // The loops of destroy and forkCopy are methods of their own so that the JIT compiles each on
    // its own: a hot loop inside a big method has all of it compiled again from that loop.

    private void clearTables(int cpu, AddressSpace as) {
        for (L1 t : as.l1) {
            if (t != null && t.present != 0) {
                clearTable(cpu, t);
            }
        }
    }

    /** zap_pte_range at exit: every present PTE of {@code t} cleared by xchg, in one lazy section. */
    private void clearTable(int cpu, L1 t) {
        e.lock(cpu, t.ptl);
        e.lazyEnter(cpu);
        for (int idx = 0; idx < 512; idx++) {
            if (t.pte[idx] != 0) {
                e.rmw(cpu, t.pteAddr(idx), t.pte[idx], 0, pteLinear(t.pteAddr(idx)));
                drop(frameOf(t.pte[idx]));
                t.pte[idx] = 0;
            }
        }
        t.present = 0;
        leave(cpu);
        e.unlock(cpu, t.ptl);
    }

    /** xen_pgd_unpin: one multicall for the whole tree, which becomes writable again. */
    private void unpinTree(int cpu, AddressSpace as) {
        e.beginGroup(cpu);
        e.unpin(cpu, as.l4);
        e.unpin(cpu, as.userL4);
        for (L1 t : as.l1) {
            if (t != null && t.pinned) {
                e.unpin(cpu, t.mfn);
                t.pinned = false;
            }
        }
        for (long mfn : new long[] {as.l4, as.userL4, as.l3, as.l2}) {
            e.updateVaMapping(cpu, GuestModel.directMap(mfn), dataPte(mfn, false), 0);
        }
        for (L1 t : as.l1) {
            if (t != null) {
                e.updateVaMapping(cpu, GuestModel.directMap(t.mfn), dataPte(t.mfn, false), 0);
            }
        }
        e.endGroup(cpu);
    }

    @Override
    int kmap(int cpu, int n) {
        e.lock(cpu, VMAP);
        int kp = g.kvaAlloc(n);
        e.unlock(cpu, VMAP);
        if (kp < 0) {
            return -1;
        }
        e.lazyEnter(cpu);
        for (int i = kp; i < kp + n; i++) {
            long val = kernelPte(g.frames.alloc());
            e.enq(cpu, g.kernelPteAddr(i), val, GuestModel.kva(i), "pt");
            g.kernelPte[i >>> 9][i & 511] = val;
        }
        leave(cpu);
        return kp;
    }

    @Override
    void kunmap(int cpu, int kp, int n) {
        for (int i = kp; i < kp + n; i++) {
            long old = g.kernelPte[i >>> 9][i & 511];
            e.rmw(cpu, g.kernelPteAddr(i), old, 0, pteLinear(g.kernelPteAddr(i)));
            g.kernelPte[i >>> 9][i & 511] = 0;
            drop(frameOf(old));
        }
        long all = cpus == 64 ? -1L : (1L << cpus) - 1;
        long o = all & ~bit(cpu);
        long id = 0;
        long sent = 0;
        if (o != 0) {
            id = ++ipiIds;
            e.ipiSend(cpu, id, o);
            sent = e.now;
        }
        long acked = 0;
        for (long m = o; m != 0; m &= m - 1) {
            int d = Long.numberOfTrailingZeros(m);
            e.ipiRecv(d, id, sent + Timing.IPI_LATENCY);
            kernelRangeFlush(d, kp, n);
            e.ipiAck(d, id);
            acked = Math.max(acked, e.busy[d]);
        }
        kernelRangeFlush(cpu, kp, n);
        if (o != 0) {
            e.ipiDone(cpu, id, acked);
        }
        dropFrames(cpu);
        e.lock(cpu, VMAP);
        g.kvaFree(kp, n);
        e.unlock(cpu, VMAP);
    }

    private void kernelRangeFlush(int cpu, int kp, int n) {
        if (n <= FLUSH_CEILING) {
            for (int i = kp; i < kp + n; i++) {
                e.invlpg(cpu, GuestModel.kva(i));
            }
        } else {
            e.tlbFlush(cpu);
        }
    }

    @Override
    void extract(int cpu, AddressSpace as, int page) {
        L1 t = as.table(page);
        if (t == null) {
            return;
        }
        e.lock(cpu, t.ptl);
        e.oobRead(cpu, t.pteAddr(page & 511), t.pte[page & 511]);
        e.unlock(cpu, t.ptl);
    }
}
