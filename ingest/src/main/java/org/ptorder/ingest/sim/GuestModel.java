package org.ptorder.ingest.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The state of the simulated guest that the lowering reads and changes: machine frames, address
 * spaces with their page tables, processes and threads. Everything here is bounded by the workload
 * (how many processes and mapped pages it keeps alive), never by the length of the trace.
 *
 * <p>Layout (x86-64, 4 levels): each address space has an L4 root (Linux also a user L4), one L3 and
 * one L2 for its user window of 1 GiB at {@link AddressSpace#BASE}, and an L1 table per 2 MiB slot
 * of that window, allocated on first use. The kernel has its own L4 (the root of the idle vCPUs),
 * an L3 and an L2 for a 1 GiB kernel-mapping window at {@link #KVA_BASE}, and {@link #KERNEL_L1S}
 * L1 tables there; every user L4 links the kernel L3, so kernel mappings are reachable from every
 * root. Machine frame numbers double as pseudo-physical ones.
 */
final class GuestModel {
    /** A present, writable user data page (D, A, U, RW, P; no NX bit, to keep lines short). */
    static final long PRESENT_RW = 0x67L;
    static final long RW = 0x2;
    static final long ACCESSED = 0x20;
    static final long TABLE = 0x67;                      // an upper-level entry: D | A | U | RW | P
    static final long DIRECT_MAP = 0xffff888000000000L;
    static final long KVA_BASE = 0xffffc90000000000L;
    static final int KERNEL_L1S = 8;

    /** Machine frames: a LIFO free list (freed frames come back soon, as in a real allocator) and refcounts. */
    static final class Frames {
        static final long BASE = 0x100000;
        private int[] refs = new int[1 << 12];
        private int[] free = new int[1 << 10];
        private int nfree;
        private int next;
        long live;

        long alloc() {
            int i;
            if (nfree > 0) {
                i = free[--nfree];
            } else {
                i = next++;
                if (i == refs.length) {
                    refs = Arrays.copyOf(refs, refs.length * 2);
                }
            }
            refs[i] = 1;
            live++;
            return BASE + i;
        }

        void ref(long mfn) {
            refs[(int) (mfn - BASE)]++;
        }

        int refs(long mfn) {
            return refs[(int) (mfn - BASE)];
        }

        /** Drops one reference; true when it was the last one and the frame is free again. */
        boolean unref(long mfn) {
            int i = (int) (mfn - BASE);
            if (refs[i] <= 0) {
                throw new IllegalStateException("frame 0x" + Long.toHexString(mfn) + " is not in use");
            }
            if (--refs[i] > 0) {
                return false;
            }
            if (nfree == free.length) {
                free = Arrays.copyOf(free, free.length * 2);
            }
            free[nfree++] = i;
            live--;
            return true;
        }
    }

    /** An L1 page table: the PTE values as applied, and its split page-table lock (Linux). */
    static final class L1 {
        final long mfn;
        final long va;
        final long[] pte = new long[512];
        final String ptl;
        int present;
        boolean pinned;

        L1(long mfn, long va) {
            this.mfn = mfn;
            this.va = va;
            this.ptl = "ptl" + Long.toHexString(mfn);
        }

        long pteAddr(int idx) {
            return mfn << 12 | (long) idx << 3;
        }
    }

    /** A process's address space: page tables, the pages its mappings reserve, where it is loaded. */
    static final class AddressSpace {
        static final long BASE = 0x7f0000000000L;
        static final int SLOTS = 512;
        static final int PAGES = SLOTS * 512;
        static final int L4_INDEX = (int) (BASE >>> 39) & 511;
        static final int KVA_L4_INDEX = (int) (KVA_BASE >>> 39) & 511;

        final int id;
        final String pmapLock;
        final String maskLock;
        final String mmLock;
        long l4;
        long userL4;
        long l3;
        long l2;
        final L1[] l1 = new L1[SLOTS];
        /**
         * Per 2 MiB slot, allocated when first used: bitmaps of its 512 pages, words 0-7 "inside some
         * mapping", 8-15 "read-only" (mprotect, text), 16-23 "file mapping" (text: fork does not copy
         * its PTEs, faults refill them).
         */
        private final long[][] bits = new long[SLOTS][];
        private int cursor;
        /** CPUs whose current (issued) root is this address space's. */
        long loadedOn;
        int threads;
        boolean dead;

        AddressSpace(int id) {
            this.id = id;
            this.pmapLock = "pmap" + id;
            this.maskLock = "cpumask" + id;
            this.mmLock = "mm" + id;
        }

        static long va(int page) {
            return BASE + ((long) page << 12);
        }

        L1 table(int page) {
            return l1[page >>> 9];
        }

        long pte(int page) {
            L1 t = l1[page >>> 9];
            return t == null ? 0 : t.pte[page & 511];
        }

        private boolean bit(int page, int plane) {
            long[] b = bits[page >>> 9];
            return b != null && (b[plane + ((page >>> 6) & 7)] & 1L << page) != 0;
        }

        private void set(int page, int plane, boolean on) {
            long[] b = bits[page >>> 9];
            if (b == null) {
                if (!on) {
                    return;
                }
                b = bits[page >>> 9] = new long[24];
            }
            int w = plane + ((page >>> 6) & 7);
            if (on) {
                b[w] |= 1L << page;
            } else {
                b[w] &= ~(1L << page);
            }
        }

        boolean reserved(int page) {
            return bit(page, 0);
        }

        boolean readOnly(int page) {
            return bit(page, 8);
        }

        boolean file(int page) {
            return bit(page, 16);
        }

        void setFile(int page) {
            set(page, 16, true);
        }

        void setReadOnly(int page, boolean ro) {
            set(page, 8, ro);
        }

        void setReadOnly(int start, int n, boolean ro) {
            for (int p = start; p < start + n; p++) {
                set(p, 8, ro);
            }
        }

        private void reserve(int page) {
            set(page, 0, true);
            set(page, 8, false);
            set(page, 16, false);
        }

        /** Reserves {@code n} free pages (next fit), or returns -1 when the window has no such gap. */
        int mmap(int n) {
            for (int tries = 0; tries < 2; tries++) {
                int start = cursor;
                int run = 0;
                for (int p = start; p < PAGES; p++) {
                    if (bits[p >>> 9] == null && (p & 511) == 0 && run + 512 < n && p + 511 < PAGES) {
                        run += 512; // a whole unused slot at once
                        p += 511;
                        continue;
                    }
                    if (reserved(p)) {
                        run = 0;
                        start = p + 1;
                    } else if (++run == n) {
                        for (int q = start; q < start + n; q++) {
                            reserve(q);
                        }
                        cursor = start + n;
                        return start;
                    }
                }
                cursor = 0;
            }
            return -1;
        }

        /** Reserves one page in a 2 MiB slot that has nothing reserved and no table; -1 if none. */
        int mmapFreshSlot() {
            for (int s = 0; s < SLOTS; s++) {
                int slot = (s + (cursor >>> 9) + 7) % SLOTS;
                if (l1[slot] != null) {
                    continue;
                }
                if (slotUnused(slot)) {
                    int page = slot << 9 | 17;
                    reserve(page);
                    return page;
                }
            }
            return -1;
        }

        /** fork: the child's mappings are the parent's (same pages reserved, same protections). */
        void copyLayout(AddressSpace parent) {
            for (int i = 0; i < SLOTS; i++) {
                bits[i] = parent.bits[i] == null ? null : parent.bits[i].clone();
            }
            cursor = parent.cursor;
        }

        void unreserve(int start, int n) {
            for (int q = start; q < start + n; q++) {
                set(q, 0, false);
                set(q, 8, false);
                set(q, 16, false);
            }
        }

        /** True if no page of 2 MiB slot {@code slot} is reserved. */
        boolean slotUnused(int slot) {
            long[] b = bits[slot];
            if (b == null) {
                return true;
            }
            for (int w = 0; w < 8; w++) {
                if (b[w] != 0) {
                    return false;
                }
            }
            return true;
        }

        /** The L2 entry that links slot {@code slot}'s L1 table. */
        long pdeAddr(int slot) {
            return l2 << 12 | (long) slot << 3;
        }
    }

    /** A process: an address space and its threads. */
    static final class Proc {
        final int pid;
        AddressSpace as;
        final List<SimThread> threads = new ArrayList<>();
        Proc parent;
        int liveChildren;
        SimThread waiter;
        boolean exiting;

        Proc(int pid, AddressSpace as) {
            this.pid = pid;
            this.as = as;
        }
    }

    /** A thread: what it does next is its behaviour's business. */
    static final class SimThread {
        final long tid;
        final Proc proc;
        Workload.Behavior behavior;
        long readyAt;
        long sliceEnd;
        int cpu = -1;       // running on, or -1
        int lastCpu = -1;   // where it last ran
        boolean dead;
        boolean waiting;    // for a child to exit
        boolean helper;     // made by the injector

        SimThread(long tid, Proc proc, Workload.Behavior behavior) {
            this.tid = tid;
            this.proc = proc;
            this.behavior = behavior;
        }
    }

    /** The kernel's tables. */
    long kernelL4;
    long kernelL3;
    long kernelL2;
    final long[] kernelL1 = new long[KERNEL_L1S];
    final long[][] kernelPte = new long[KERNEL_L1S][512];
    private final long[] kvaUsed = new long[KERNEL_L1S * 512 / 64];

    final Frames frames = new Frames();

    static long directMap(long mfn) {
        return DIRECT_MAP + (mfn << 12);
    }

    static long kva(int kpage) {
        return KVA_BASE + ((long) kpage << 12);
    }

    long kernelPteAddr(int kpage) {
        return kernelL1[kpage >>> 9] << 12 | (long) (kpage & 511) << 3;
    }

    /** Reserves {@code n} consecutive kernel pages (first fit), -1 if the window is full. */
    int kvaAlloc(int n) {
        int run = 0;
        for (int p = 0; p < KERNEL_L1S * 512; p++) {
            if ((kvaUsed[p >>> 6] & 1L << p) != 0) {
                run = 0;
            } else if (++run == n) {
                int start = p - n + 1;
                for (int q = start; q <= p; q++) {
                    kvaUsed[q >>> 6] |= 1L << q;
                }
                return start;
            }
        }
        return -1;
    }

    void kvaFree(int start, int n) {
        for (int q = start; q < start + n; q++) {
            kvaUsed[q >>> 6] &= ~(1L << q);
        }
    }
}
