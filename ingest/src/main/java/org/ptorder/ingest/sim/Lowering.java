package org.ptorder.ingest.sim;

import java.util.Arrays;
import org.ptorder.ingest.sim.GuestModel.AddressSpace;
import org.ptorder.ingest.sim.GuestModel.L1;

/**
 * Turns the workload's logical operations (a fault, an mprotect, a fork, a context switch, ...) into
 * the ops the guest's kernel would issue, the way {@link NetbsdLowering} and {@link LinuxLowering}
 * describe. Both keep the invariants that make an unplanted trace free of violations by
 * construction (README-simulate.md, "Why an unplanted trace is clean"):
 *
 * <ol>
 *   <li>a CPU's queue is empty whenever it releases anything (unlock, IPI send or ack, migration);
 *   <li>no mmuext op ever overtakes the same CPU's queued updates (NetBSD flushes first, Linux puts
 *       it in the same buffer after them);
 *   <li>a TLB invalidation or base switch concerning an address space's user mappings is made while
 *       holding that address space's {@code cpumask} lock (our record of mm_cpumask / pm_cpus), so the
 *       set of CPUs it names is exact and ordered after every earlier switch;
 *   <li>a frame is freed, and a table unpinned or freed, only after every CPU that may hold a
 *       translation through it has been invalidated (or has switched away), and a root is unpinned
 *       only when no CPU runs on it.
 * </ol>
 */
abstract class Lowering {
    final Emitter e;
    final GuestModel g;
    final int cpus;
    /** Per vCPU: the address space whose root it runs on (issued), null for the kernel's. */
    final AddressSpace[] loaded;
    long ipiIds;
    private long[] drops = new long[64];
    private int ndrops;

    Lowering(Emitter e, GuestModel g) {
        this.e = e;
        this.g = g;
        this.cpus = e.cpus;
        this.loaded = new AddressSpace[cpus];
    }

    abstract String zoneLock();

    abstract void boot();

    /** Allocates and (Linux) pins a fresh address space's upper tables. */
    abstract void createAs(int cpu, AddressSpace as);

    /** A page fault on {@code page}: a new page, a copy-on-write break, or a write-enable. */
    abstract void fault(int cpu, AddressSpace as, int page, boolean write);

    /**
     * A read fault on a file-backed page that also maps its not-yet-present neighbours up to
     * {@code n} pages (Linux fault-around, NetBSD uvm_fault's look-ahead): one fault, several PTEs.
     */
    abstract void faultAround(int cpu, AddressSpace as, int page, int n);

    abstract void mprotect(int cpu, AddressSpace as, int start, int n, boolean ro);

    /** munmap ({@code unmap}) or madvise(DONTNEED) of a range: clear, invalidate, free. */
    abstract void zap(int cpu, AddressSpace as, int start, int n, boolean unmap);

    /** fork: the child's page tables get the parent's present pages, both copy-on-write. */
    abstract void forkCopy(int cpu, AddressSpace parent, AddressSpace child);

    /**
     * Switches {@code cpu} to {@code next} (null: the kernel's own tables) with both address
     * spaces' CPU-mask locks held, taken in id order so two CPUs switching never deadlock.
     */
    final void switchTo(int cpu, AddressSpace next) {
        AddressSpace prev = loaded[cpu];
        if (prev == next) {
            return;
        }
        AddressSpace first = prev == null || next != null && next.id < prev.id ? next : prev;
        AddressSpace second = first == prev ? next : prev;
        if (first != null) {
            e.lock(cpu, first.maskLock);
        }
        if (second != null) {
            e.lock(cpu, second.maskLock);
        }
        loadRoot(cpu, next);
        setLoaded(cpu, next);
        if (second != null) {
            e.unlock(cpu, second.maskLock);
        }
        if (first != null) {
            e.unlock(cpu, first.maskLock);
        }
    }

    /** The system's base-pointer switch to {@code next} (null: kernel tables), under the mask locks. */
    abstract void loadRoot(int cpu, AddressSpace next);

    /** {@code cpu} has nothing to run. */
    abstract void goIdle(int cpu);

    /** exit/exec teardown of an address space no thread uses any more. */
    abstract void destroy(int cpu, AddressSpace as);

    /** Maps {@code n} kernel pages; returns the first kernel page, or -1. */
    abstract int kmap(int cpu, int n);

    abstract void kunmap(int cpu, int kpage, int n);

    /** A lock-protected read of a PTE (pmap_extract, follow_page). */
    abstract void extract(int cpu, AddressSpace as, int page);

    // ------------------------------------------------------------------ shared helpers

    static long bit(int cpu) {
        return 1L << cpu;
    }

    /** CPUs other than {@code cpu} that run on {@code as}. */
    static long others(AddressSpace as, int cpu) {
        return as.loadedOn & ~bit(cpu);
    }

    void setLoaded(int cpu, AddressSpace as) {
        AddressSpace old = loaded[cpu];
        if (old != null) {
            old.loadedOn &= ~bit(cpu);
        }
        loaded[cpu] = as;
        if (as != null) {
            as.loadedOn |= bit(cpu);
        }
    }

    static long frameOf(long pte) {
        return (pte & 0x000ffffffffff000L) >>> 12;
    }

    static long dataPte(long mfn, boolean ro) {
        long v = mfn << 12 | GuestModel.PRESENT_RW;
        return ro ? v & ~GuestModel.RW : v;
    }

    static long tableEntry(long mfn) {
        return mfn << 12 | GuestModel.TABLE;
    }

    static long kernelPte(long mfn) {
        return mfn << 12 | 0x163L; // G | D | A | RW | P
    }

    /** The linear address of a PTE through the direct map (where Linux's xchg writes it). */
    static long pteLinear(long pteAddr) {
        return GuestModel.DIRECT_MAP + pteAddr;
    }

    /** Remembers a data frame whose mapping went away; {@link #dropFrames} puts them back. */
    void drop(long mfn) {
        if (ndrops == drops.length) {
            drops = Arrays.copyOf(drops, ndrops * 2);
        }
        drops[ndrops++] = mfn;
    }

    /**
     * Drops the remembered frames' references: the frames that lose their last one are freed, under
     * the page-allocator lock (which also records the refcount atomics' ordering: a reference dropped
     * on one CPU is ordered before the free of that frame on another).
     */
    void dropFrames(int cpu) {
        if (ndrops == 0) {
            return;
        }
        e.lock(cpu, zoneLock());
        for (int i = 0; i < ndrops; i++) {
            if (g.frames.unref(drops[i])) {
                e.frameFree(cpu, drops[i]);
            }
        }
        e.unlock(cpu, zoneLock());
        ndrops = 0;
    }

    /** Frees one frame now, under the allocator lock. */
    void freeFrame(int cpu, long mfn) {
        e.lock(cpu, zoneLock());
        if (g.frames.unref(mfn)) {
            e.frameFree(cpu, mfn);
        }
        e.unlock(cpu, zoneLock());
    }

    /** The boot-time kernel tables (allocated, declared and linked on CPU 0). */
    void bootTables() {
        GuestModel.Frames f = g.frames;
        g.kernelL4 = f.alloc();
        g.kernelL3 = f.alloc();
        g.kernelL2 = f.alloc();
        e.mapTable(0, g.kernelL4, 4, 0);
        e.mapTable(0, g.kernelL3, 3, GuestModel.KVA_BASE & ~((1L << 39) - 1));
        e.mapTable(0, g.kernelL2, 2, GuestModel.KVA_BASE);
        for (int i = 0; i < GuestModel.KERNEL_L1S; i++) {
            g.kernelL1[i] = f.alloc();
            e.mapTable(0, g.kernelL1[i], 1, GuestModel.KVA_BASE + ((long) i << 21));
        }
        e.enq(0, g.kernelL4 << 12 | (long) AddressSpace.KVA_L4_INDEX << 3, tableEntry(g.kernelL3),
            GuestModel.KVA_BASE & ~((1L << 39) - 1), "pt");
        e.enq(0, g.kernelL3 << 12 | ((GuestModel.KVA_BASE >>> 30) & 511) << 3, tableEntry(g.kernelL2),
            GuestModel.KVA_BASE, "pt");
        for (int i = 0; i < GuestModel.KERNEL_L1S; i++) {
            e.enq(0, g.kernelL2 << 12 | (long) i << 3, tableEntry(g.kernelL1[i]), GuestModel.KVA_BASE + ((long) i << 21), "pt");
        }
        e.flush(0, "explicit");
    }

    /** Allocates the upper tables of a new address space and declares them (no links yet). */
    void allocUpper(int cpu, AddressSpace as, boolean userRoot) {
        GuestModel.Frames f = g.frames;
        e.lock(cpu, zoneLock());
        as.l4 = f.alloc();
        e.frameAlloc(cpu, as.l4, "pagetable");
        if (userRoot) {
            as.userL4 = f.alloc();
            e.frameAlloc(cpu, as.userL4, "pagetable");
        }
        as.l3 = f.alloc();
        e.frameAlloc(cpu, as.l3, "pagetable");
        as.l2 = f.alloc();
        e.frameAlloc(cpu, as.l2, "pagetable");
        e.unlock(cpu, zoneLock());
        e.mapTable(cpu, as.l4, 4, 0);
        if (userRoot) {
            e.mapTable(cpu, as.userL4, 4, 0);
        }
        e.mapTable(cpu, as.l3, 3, AddressSpace.BASE);
        e.mapTable(cpu, as.l2, 2, AddressSpace.BASE);
    }

    /** Queues the links of a new address space's upper tables (the caller flushes). */
    void linkUpper(int cpu, AddressSpace as) {
        e.enq(cpu, as.l4 << 12 | (long) AddressSpace.KVA_L4_INDEX << 3, tableEntry(g.kernelL3),
            GuestModel.KVA_BASE & ~((1L << 39) - 1), "pt");
        e.enq(cpu, as.l4 << 12 | (long) AddressSpace.L4_INDEX << 3, tableEntry(as.l3), AddressSpace.BASE, "pt");
        if (as.userL4 != 0) {
            e.enq(cpu, as.userL4 << 12 | (long) AddressSpace.L4_INDEX << 3, tableEntry(as.l3), AddressSpace.BASE, "pt");
        }
        e.enq(cpu, as.l3 << 12, tableEntry(as.l2), AddressSpace.BASE, "pt");
    }

    /**
     * A new L1 table for {@code slot}: allocated (under the allocator lock, which orders it after the
     * free of whatever the frame held before) and declared; the caller links it.
     */
    L1 newTable(int cpu, AddressSpace as, int slot) {
        e.lock(cpu, zoneLock());
        long mfn = g.frames.alloc();
        e.frameAlloc(cpu, mfn, "pagetable");
        e.unlock(cpu, zoneLock());
        L1 t = new L1(mfn, AddressSpace.BASE + ((long) slot << 21));
        e.mapTable(cpu, mfn, 1, t.va);
        return t;
    }

    /** Frees the address space's L1 tables (under the page-allocator lock), then the upper levels. */
    void freeTables(int cpu, AddressSpace as) {
        e.lock(cpu, zoneLock());
        for (int s = 0; s < AddressSpace.SLOTS; s++) {
            L1 t = as.l1[s];
            if (t != null) {
                if (g.frames.unref(t.mfn)) {
                    e.frameFree(cpu, t.mfn);
                }
                as.l1[s] = null;
            }
        }
        e.unlock(cpu, zoneLock());
        freeUpper(cpu, as);
    }

    /** Ends an address space whose tables are gone: frees its upper tables' frames. */
    void freeUpper(int cpu, AddressSpace as) {
        e.lock(cpu, zoneLock());
        for (long mfn : new long[] {as.l2, as.l3, as.userL4, as.l4}) {
            if (mfn != 0 && g.frames.unref(mfn)) {
                e.frameFree(cpu, mfn);
            }
        }
        e.unlock(cpu, zoneLock());
        as.dead = true;
    }

    /** Pages of [start, start+n) that are present, in order, into {@code out}; returns how many. */
    static int presentPages(AddressSpace as, int start, int n, int[] out) {
        int k = 0;
        for (int p = start; p < start + n; p++) {
            L1 t = as.l1[p >>> 9];
            if (t == null) {
                p |= 511;
                continue;
            }
            if (t.pte[p & 511] != 0) {
                out[k++] = p;
            }
        }
        return k;
    }

    /** Whether slot {@code slot} of {@code as} has a present anonymous (not file) page. */
    static boolean anonymousIn(AddressSpace as, int slot) {
        L1 t = as.l1[slot];
        if (t == null) {
            return false;
        }
        for (int idx = 0; idx < 512; idx++) {
            if (t.pte[idx] != 0 && !as.file(slot << 9 | idx)) {
                return true;
            }
        }
        return false;
    }

    int[] scratch = new int[1024];

    int[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new int[Math.max(n, scratch.length * 2)];
        }
        return scratch;
    }
}
