package org.ptorder.ingest.ftrace;

import org.ptorder.ingest.mmu.MmuOp;

/**
 * Guest pseudo-physical to machine frames (the P2M) and the kernel direct-map base, learned
 * from the trace itself, so that PTE pointers (kernel virtual addresses) can be reported as the
 * machine addresses the ordering model names entries by. Sources, all in the trace:
 * <ul>
 *   <li>{@code update_va_mapping} multicall entries ({@code xen_mc_entry op 14}): they map a
 *       direct-map page (va) to a machine frame (val), and print as plain hex even where %p is
 *       hashed;</li>
 *   <li>the kernel text's {@code pteval P (raw M)} pairs: P is M as the kernel's M2P saw it;</li>
 *   <li>{@code xen_mmu_alloc_ptpage pfn} followed by the entry that makes that page read-only:
 *       va - pfn * 4096 is the direct-map base (PAGE_OFFSET, which KASLR may move).</li>
 * </ul>
 * Dom0's P2M for page-table pages does not change while it runs, so one map learned over the
 * whole file (first pass) serves every line (second pass); disagreements are counted.
 */
public final class AddressMap {
    /** x86-64 4-level PAGE_OFFSET without KASLR; used only when the trace gives no evidence. */
    public static final long DEFAULT_PAGE_OFFSET = 0xffff888000000000L;
    /** Bits of a PTE that hold the frame (x86-64, 52-bit physical addresses). */
    public static final long FRAME_MASK = 0x000ffffffffff000L;
    private static final long DIRECT_MAP_SPAN = 1L << 46;

    private final LongMap pfnToMfn = new LongMap();
    private final LongMap vaPageToMfn = new LongMap();
    private final LongMap offsetVotes = new LongMap();
    private long pageOffset = DEFAULT_PAGE_OFFSET;
    private boolean offsetLearned;
    private long conflicts;
    private long agreements;
    private boolean finished;

    /** A present PTE value's frame number, or NONE when the entry is not present. */
    public static long frameOf(long pteValue) {
        return pteValue != MmuOp.NONE && (pteValue & 1) != 0 ? (pteValue & FRAME_MASK) >>> 12 : MmuOp.NONE;
    }

    void pair(long pfn, long mfn) {
        if (pfn != MmuOp.NONE && mfn != MmuOp.NONE) {
            long old = pfnToMfn.put(pfn, mfn);
            if (old != MmuOp.NONE && old != mfn) {
                conflicts++;
                pfnToMfn.put(pfn, old); // keep the first: later ones come from reused frames
            }
        }
    }

    /** A direct-map page's frame, checked against (and else added to) the P2M from value pairs. */
    private void crossCheck(long pfn, long mfn) {
        long known = pfnToMfn.get(pfn);
        if (known == MmuOp.NONE) {
            pfnToMfn.put(pfn, mfn);
        } else if (known == mfn) {
            agreements++;
        } else {
            conflicts++;
        }
    }

    void directMapPage(long va, long mfn) {
        if (va != MmuOp.NONE && mfn != MmuOp.NONE) {
            vaPageToMfn.put(va >>> 12, mfn);
        }
    }

    void voteOffset(long offset) {
        if ((offset & 0xfff) == 0 && Long.compareUnsigned(offset, Fields.KERNEL_SPACE) >= 0) {
            long n = offsetVotes.get(offset);
            offsetVotes.put(offset, n == MmuOp.NONE ? 1 : n + 1);
        }
    }

    /** Settles the direct-map base (majority of votes) and folds the va-keyed frames into the P2M. */
    void finish() {
        long[] best = {MmuOp.NONE, 0};
        offsetVotes.forEach((offset, votes) -> {
            if (votes > best[1]) {
                best[0] = offset;
                best[1] = votes;
            }
        });
        if (best[0] != MmuOp.NONE) {
            pageOffset = best[0];
            offsetLearned = true;
        }
        vaPageToMfn.forEach((vaPage, mfn) -> {
            long va = vaPage << 12;
            if (inDirectMap(va)) {
                crossCheck((va - pageOffset) >>> 12, mfn);
            }
        });
        finished = true;
    }

    public boolean finished() {
        return finished;
    }

    public long pageOffset() {
        return pageOffset;
    }

    /** False when no alloc_ptpage/update_va_mapping pair showed the base and the default is assumed. */
    public boolean pageOffsetLearned() {
        return offsetLearned;
    }

    public long frames() {
        return pfnToMfn.size();
    }

    /** Pairs that disagreed with an earlier one for the same pfn (the first was kept). */
    public long conflicts() {
        return conflicts;
    }

    /** Frames known from both sources (value pairs and update_va_mapping) that agreed. */
    public long agreements() {
        return agreements;
    }

    public boolean inDirectMap(long va) {
        return va != MmuOp.NONE && Long.compareUnsigned(va - pageOffset, DIRECT_MAP_SPAN) < 0;
    }

    public long mfnOfPfn(long pfn) {
        return pfn == MmuOp.NONE ? MmuOp.NONE : pfnToMfn.get(pfn);
    }

    /** The pfn of a direct-map address, or NONE. */
    public long pfnOfVa(long va) {
        return inDirectMap(va) ? (va - pageOffset) >>> 12 : MmuOp.NONE;
    }

    /** The machine address behind a direct-map kernel address, or NONE if its frame is not known. */
    public long machineAddress(long va) {
        long mfn = mfnOfPfn(pfnOfVa(va));
        return mfn == MmuOp.NONE ? MmuOp.NONE : mfn << 12 | (va & 0xfff);
    }

    /** A pseudo-physical PTE value (as set_p4d prints it) with its frame replaced by the machine frame. */
    public long machineValue(long pfnValue) {
        long pfn = frameOf(pfnValue);
        if (pfn == MmuOp.NONE) {
            return pfnValue; // not present: no frame to translate
        }
        long mfn = mfnOfPfn(pfn);
        return mfn == MmuOp.NONE ? MmuOp.NONE : (pfnValue & ~FRAME_MASK) | mfn << 12;
    }
}
