package org.ptorder.ingest.sim;

import java.util.EnumMap;
import java.util.Map;
import org.ptorder.ingest.mmu.Op;

/**
 * What a simulation produced, counted as it was written: ops by kind, and the batching figures the
 * distribution test compares with real captures. Bounded: fixed arrays, whatever the trace length.
 */
public final class SimStats {
    final long[] byOp = new long[Op.values().length];
    /** Histogram of mmu_update request counts per hypercall (direct or multicall entry), 1..63 (63 = more). */
    final long[] mmuUpdateSizes = new long[64];
    long pteWrites;          // enq + PTE-writing rmw (every PTE update the guest makes)
    long queuedWrites;       // enq
    long pteFlushes;         // flushes that carried at least one enq
    long hypercalls;
    long multicalls;
    long ptwr;
    long pageFaults;
    long ipis;
    long planted;
    long simulatedNs;
    long bytes;

    public long events() {
        long n = 0;
        for (long c : byOp) {
            n += c;
        }
        return n;
    }

    public long count(Op o) {
        return byOp[o.ordinal()];
    }

    public Map<Op, Long> byOp() {
        Map<Op, Long> m = new EnumMap<>(Op.class);
        for (Op o : Op.values()) {
            if (byOp[o.ordinal()] > 0) {
                m.put(o, byOp[o.ordinal()]);
            }
        }
        return m;
    }

    /** mmu_update hypercalls (direct, or multicall entries) that carried {@code n} requests. */
    public long mmuUpdateCalls(int n) {
        return mmuUpdateSizes[Math.min(n, 63)];
    }

    public long mmuUpdateCalls() {
        long s = 0;
        for (long c : mmuUpdateSizes) {
            s += c;
        }
        return s;
    }

    public long mmuUpdateRequests() {
        long s = 0;
        for (int i = 0; i < mmuUpdateSizes.length; i++) {
            s += i * mmuUpdateSizes[i];
        }
        return s;
    }

    /** Every PTE update the guest made: queued ones ({@code enq}) and read-modify-writes. */
    public long pteWrites() {
        return pteWrites;
    }

    public long queuedWrites() {
        return queuedWrites;
    }

    /** Flushes that published at least one queued PTE update. */
    public long pteFlushes() {
        return pteFlushes;
    }

    public long remoteInvalidations() {
        return count(Op.TLB_FLUSH_MULTI) + count(Op.INVLPG_MULTI);
    }

    public long localInvalidations() {
        return count(Op.TLB_FLUSH) + count(Op.INVLPG);
    }

    public long hypercalls() {
        return hypercalls;
    }

    public long multicalls() {
        return multicalls;
    }

    public long ptwrEmulations() {
        return ptwr;
    }

    public long pageFaults() {
        return pageFaults;
    }

    /** IPIs sent (Linux: unpin and kernel-range flushes). */
    public long ipis() {
        return ipis;
    }

    public long planted() {
        return planted;
    }

    /** Simulated time covered, ns. */
    public long simulatedNs() {
        return simulatedNs;
    }

    /** Bytes of .pmt written. */
    public long bytes() {
        return bytes;
    }
}
