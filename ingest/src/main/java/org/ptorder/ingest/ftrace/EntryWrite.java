package org.ptorder.ingest.ftrace;

import org.ptorder.ingest.mmu.MmuOp;

/**
 * The values of one page-table entry event ({@code xen_mmu_set_pte/pmd/pud/p4d}, the clears,
 * {@code ptep_modify_prot_start/commit}), read from either spelling. Reused per line.
 */
final class EntryWrite {
    /** The entry's kernel virtual address; NONE when printed hashed. */
    long ptr;
    /** set_p4d: the user pgd's matching entry (NONE when hashed or absent; see {@link #hasUser}). */
    long userPtr;
    /** set_p4d: a user pgd entry is written too (user_p4dp is not null). */
    boolean hasUser;
    /** The value as recorded (machine frame; pseudo-physical for set_p4d, see {@link #rawIsPseudoPhysical}). */
    long raw;
    /** Kernel text only: the value with the pseudo-physical frame, as the kernel's M2P saw it when printing. */
    long pfnView;
    /** ptep_modify_prot_*, set_pte_at, pte_clear: the virtual address the entry maps. */
    long addr;
    /**
     * set_p4d stores {@code p4d_val(p4dval)} (include/trace/events/xen.h), the pseudo-physical
     * value, in its "raw" slot; every other set_* stores the machine value there.
     */
    boolean rawIsPseudoPhysical;
    /** A pointer field was printed hashed ({@code (____ptrval____)} or a 32-bit hash). */
    boolean hashed;
    /** Every field the format has was found and read. */
    boolean complete;

    boolean decode(FtraceLine l, Fields f) {
        ptr = MmuOp.NONE;
        userPtr = MmuOp.NONE;
        hasUser = false;
        raw = MmuOp.NONE;
        pfnView = MmuOp.NONE;
        addr = MmuOp.NONE;
        rawIsPseudoPhysical = false;
        hashed = false;
        f.at(l);
        boolean ok;
        switch (l.kind) {
            case SET_PTE -> {
                ok = value(f, Keys.PTEP, Keys.PTEVAL);
                addr = f.hex(Keys.ADDR); // set_pte_at (before 5.9) also has mm and addr
            }
            case PTEP_MODIFY_PROT_START, PTEP_MODIFY_PROT_COMMIT -> {
                ok = value(f, Keys.PTEP, Keys.PTEVAL);
                addr = f.hex(Keys.ADDR);
                ok &= addr != MmuOp.NONE;
            }
            case PTE_CLEAR -> {
                ok = pointer(f, Keys.PTEP);
                addr = f.hex(Keys.ADDR);
                raw = 0;
            }
            case PMD_CLEAR -> {
                ok = pointer(f, Keys.PMDP);
                raw = 0;
            }
            case SET_PMD -> ok = value(f, Keys.PMDP, Keys.PMDVAL);
            case SET_PUD -> ok = value(f, Keys.PUDP, Keys.PUDVAL);
            case SET_P4D -> {
                if (f.hex(Keys.P4DVAL) != MmuOp.NONE) {
                    ok = value(f, Keys.P4DP, Keys.P4DVAL);
                    rawIsPseudoPhysical = true;
                    userPtr = userPointer(f, Keys.USER_P4DP);
                } else {
                    ok = value(f, Keys.PGDP, Keys.PGDVAL); // xen_mmu_set_pgd (before 4.12) stored pgdval.pgd
                    userPtr = userPointer(f, Keys.USER_PGDP);
                }
            }
            default -> ok = false;
        }
        complete = ok;
        return ok;
    }

    private boolean value(Fields f, byte[] ptrKey, byte[] valKey) {
        boolean ok = pointer(f, ptrKey);
        if (f.failedToParse()) {
            raw = f.hex(valKey); // libtraceevent prints the stored (raw) value, in decimal
        } else {
            pfnView = f.hex(valKey);
            raw = f.rawInParens();
        }
        return ok && raw != MmuOp.NONE;
    }

    private boolean pointer(Fields f, byte[] key) {
        ptr = f.pointer(key);
        if (ptr == MmuOp.NONE) {
            hashed = f.hashed(key);
            return hashed;
        }
        return true;
    }

    private long userPointer(Fields f, byte[] key) {
        if (f.isNull(key)) {
            return MmuOp.NONE;
        }
        hasUser = f.hex(key) != MmuOp.NONE || f.hashed(key);
        long u = f.pointer(key);
        if (u == MmuOp.NONE) {
            hashed |= f.hashed(key);
        }
        return u;
    }
}
