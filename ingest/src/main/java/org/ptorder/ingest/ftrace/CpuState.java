package org.ptorder.ingest.ftrace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ptorder.ingest.mmu.MmuOp;

/** The lowering's view of one CPU: its open batch, lazy mode, and the event still being decided. */
final class CpuState {
    /** The previous event of this CPU, when its meaning depends on the next one. */
    enum Pending { NONE, WRITE, WRITE_BATCH, EXTEND, ISSUE }

    final int cpu;
    Pending pending = Pending.NONE;
    long pendingLine;
    long pendingTime;
    int pendingPid;
    // WRITE
    EventKind writeKind;
    final List<Request> writes = new ArrayList<>(2);
    long batchLine;  // WRITE_BATCH: the xen_mc_batch that followed the write
    long batchTime;
    // EXTEND
    int extendOp;
    long extendBytes;
    int extendLabel; // 1 OK, 0 failed (BAD_OP / NO_SPACE), -1 not believable
    // ISSUE
    int issueMode;   // 0 none, 1 MMU, 2 CPU, -1 unknown (the xen_mc_issue argument)

    /** Writes whose batch has begun, waiting for the mmu_update requests that carry them. */
    final ArrayDeque<Request> requests = new ArrayDeque<>();
    final Batch batch = new Batch();
    long pendingAllocBytes;
    boolean flushReason;
    EventKind prevKind;
    int lastIssueMode = -1;
    boolean lazyMmu;

    Intent intent = Intent.NONE;
    /** The operation announced since the last issue, even after its request was seen (intent is then SPENT). */
    Intent announced = Intent.NONE;
    long intentLine;
    long intentA = MmuOp.NONE;
    long intentB = MmuOp.NONE;
    long intentC = MmuOp.NONE;
    int intentRequests;
    /** Within a pin/alloc operation: the frame and flags of the last update_va_mapping. */
    long lastUvmMfn = MmuOp.NONE;
    long lastUvmFlags = MmuOp.NONE;

    /** The last ptep_modify_prot_start: a commit of the same address writes over its value. */
    long startAddr = MmuOp.NONE;
    long startRaw = MmuOp.NONE;

    CpuState(int cpu) {
        this.cpu = cpu;
    }

    void setIntent(Intent i, long line, long a, long b, long c) {
        intent = i;
        announced = i;
        intentLine = line;
        intentA = a;
        intentB = b;
        intentC = c;
        intentRequests = 0;
        lastUvmMfn = MmuOp.NONE;
        lastUvmFlags = MmuOp.NONE;
    }

    /** Forgets everything after a gap in the trace (lost events). */
    void reset() {
        pending = Pending.NONE;
        writes.clear();
        requests.clear();
        batch.clear();
        pendingAllocBytes = 0;
        flushReason = false;
        prevKind = null;
        lastIssueMode = -1;
        lazyMmu = false;
        setIntent(Intent.NONE, 0, MmuOp.NONE, MmuOp.NONE, MmuOp.NONE);
        startAddr = MmuOp.NONE;
    }
}
