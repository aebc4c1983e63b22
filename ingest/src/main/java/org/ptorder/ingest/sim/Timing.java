package org.ptorder.ingest.sim;

/**
 * The timing model: what each event costs on the vCPU that performs it, in nanoseconds. Every vCPU
 * has its own clock; an event starts when its vCPU is free and never before the previous event of
 * the trace (so the file is in time order), and moves that vCPU's clock on by its cost. Guest-side
 * bookkeeping is cheap; anything that enters Xen pays a hypercall base plus a per-request cost.
 * The defaults are round numbers in the range of reference/ordering-model.md §5 (and Gregg's
 * 512-1023 ns per xen_mc_flush, reference/xentrace.md §6.2); they shape the timestamps, not the
 * order of operations, and the checker uses time only as a witness.
 */
final class Timing {
    private Timing() { }

    // guest-only work
    static final long LOCK = 30;
    static final long UNLOCK = 20;
    static final long ENQ = 40;          // write one entry into the per-CPU queue / multicall buffer
    static final long LAZY = 15;         // enter or leave a lazy mode
    static final long OOB_READ = 15;     // read a PTE through the recursive or direct map
    static final long MAP_TABLE = 0;     // a declaration, no work
    static final long FRAME_ALLOC = 150;
    static final long FRAME_FREE = 80;
    static final long MIGRATE = 300;
    static final long EMPTY_FLUSH = 25;  // xpq_flush_queue / xen_mc_flush with nothing queued: no hypercall

    // hypercalls
    static final long HYPERCALL = 700;   // entry, validation set-up and return
    static final long PER_UPDATE = 120;  // each mmu_update request Xen validates and applies
    static final long PER_MMUEXT = 350;  // each local mmuext op (invlpg, local flush, base switch)
    static final long REMOTE_FLUSH = 2500; // a *_MULTI op: Xen flushes the other pCPUs and waits
    static final long FLUSH_ALL = 4000;    // a *_ALL op
    static final long PIN = 2000;        // pin or unpin: Xen (un)validates a whole table
    static final long UPDATE_VA = 500;   // update_va_mapping
    static final long PTWR = 1800;       // a trapped and emulated PTE write (Linux: xchg on a pinned table)
    static final long RMW_NETBSD = HYPERCALL + PER_UPDATE + 80; // pte_lock, read, one-entry mmu_update

    // IPIs (event channels)
    static final long IPI_SEND = 600;
    static final long IPI_LATENCY = 2000; // send to the handler starting on the target
    static final long IPI_HANDLER = 100;
    static final long IPI_WAIT = 150;

    /** Cost of issuing a flush of {@code requests} PTE updates and {@code mmuext} other ops. */
    static long flush(int requests, int mmuext) {
        if (requests == 0 && mmuext == 0) {
            return EMPTY_FLUSH;
        }
        return HYPERCALL + PER_UPDATE * requests + PER_MMUEXT * mmuext;
    }
}
