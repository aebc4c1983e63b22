package org.ptorder.ingest.ftrace;

import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpSource;
import org.ptorder.ingest.mmu.Op;

/**
 * Lowers Linux PV xen:* tracepoints to canonical MMU ops (reference/xentrace.md §6.2,
 * reference/ordering-model.md §2 and §3.2). The rules, in brief (README-ftrace.md has them in
 * full, with what the trace cannot tell):
 * <pre>
 *  set_pte/pte_clear, no xen_mc_batch next   -> enq + flush(n=1, explicit): a direct mmu_update
 *  set_pmd/pud/p4d, no xen_mc_batch next     -> nothing: a plain store into an unpinned table
 *  any entry write followed by a batch       -> its data waits for the mmu_update request that
 *                                               carries it; enq at that request (a new
 *                                               'xen_mc_entry op 1' or an extension that no
 *                                               new xen_mc_entry_alloc follows)
 *  ptep_modify_prot_commit                   -> enq kind=ad (MMU_PT_UPDATE_PRESERVE_AD), old
 *                                               = the value its _start read
 *  ptep_modify_prot_start                    -> oob_read (it reads *ptep directly)
 *  ptep_modify_prot_* with real pointers     -> map_table(mfn of the PTE page, level 1, 2 MiB va)
 *  xen_mc_flush with mcidx > 0               -> flush(n = mmu_update requests of the batch),
 *                                               then each other entry's effect in entry order
 *                                               (a batch with no mmu_update: flush n=0 first)
 *  mmuext_op request after flush_tlb_one_user -> invlpg(va)           } at the flush, where the
 *                  after flush_tlb_multi      -> invlpg_multi(va, mask) if end-start <= 4096,
 *                                                tlb_flush_multi(mask) otherwise (or end = -1)
 *                  after write_cr3           -> new_baseptr(root, user)  } batch takes effect
 *                  in a pgd_pin walk         -> pin(mfn, level) of the page made RO just before
 *                  in a pgd_unpin walk       -> unpin (pgd first, then each next page made RW)
 *                  after alloc/release_ptpage -> pin L1 / unpin of that page
 *                  with no announcing event  -> tlb_flush (xen_flush_tlb: TLB_FLUSH_LOCAL)
 *  update_va_mapping entry                   -> update_va_mapping(va, val, flags) at the flush
 *  alloc_ptpage                              -> frame_alloc at the line
 *  release_ptpage                            -> nothing of its own (the unpin above when pinned):
 *                                               Linux frees the page later, through the mmu_gather
 *                                               after its TLB flush, and that free is not traced;
 *                                               a frame_free here would claim a reuse before the
 *                                               flush that never happens (false V5-pwc)
 *  lazy MMU                                  -> lazy_enter at the first evidence, lazy_leave
 *                                               after the flush that ends it (see below)
 *  tlb:tlb_flush                             -> nothing on a PV trace (it reports a flush already
 *                                               lowered from its hypercall); tlb_flush on a
 *                                               trace without xen_mc_* events
 * </pre>
 * Lazy mode: the switch into lazy MMU has no tracepoint. Evidence that it is on: a set_pte that
 * a batch follows (outside lazy MMU set_pte is a direct hypercall), an xen_mc_issue of an MMU
 * operation that no flush follows, or (kernel text) a batch printing LAZY_MMU. It ends at the
 * next flush that neither a full buffer nor a non-MMU issue explains (xen_leave_lazy_mmu always
 * flushes). trace-cmd prints LAZY_NONE everywhere, so the labels are used only when some line
 * shows a different one.
 * <p>
 * Ops carry the time of the line at which they take effect; {@code src_line} names the line
 * they were read from. {@link OpOrder} releases them in effect-line order. What a flushed batch
 * does is {@link BatchEffects}; which va range each L1 table maps is {@link TableMap}.
 */
public final class FtraceLowering implements MmuOpSource {
    /** @param trustModeLabels use the LAZY_* labels of xen_mc_batch/issue (only if they are evaluated) */
    public record Options(boolean trustModeLabels) {
        public static Options defaults() {
            return new Options(true);
        }
    }

    private static final int ORDER_CAP = 200_000;

    private final FtraceReader reader;
    private final TraceFacts facts;
    private final AddressMap addr;
    private final GuestClock clock;
    private final WarningSink warnings;
    private final boolean labels;
    private final boolean pvTrace;
    private final int cpuCount;
    private final Fields f = new Fields();
    private final EntryWrite ew = new EntryWrite();
    private final OpOrder order = new OpOrder();
    private final Emitter out;
    private final BatchEffects effects;
    private final TableMap tables;
    private final LoweringStats stats = new LoweringStats();
    private CpuState[] cpus = new CpuState[4];
    private MmuOp current;
    private boolean eof;
    private FtraceLine line; // the line being processed

    public FtraceLowering(FtraceReader reader, TraceFacts facts, GuestClock clock, WarningSink warnings,
                          Options opts) {
        this.reader = reader;
        this.facts = facts;
        this.addr = facts.addresses;
        this.clock = clock;
        this.warnings = warnings;
        this.labels = opts.trustModeLabels() && facts.modeLabelsEvaluated;
        this.pvTrace = facts.batchLines > 0;
        this.cpuCount = facts.cpuCount(reader.header().cpus);
        this.out = new Emitter(clock, order);
        this.effects = new BatchEffects(out, stats, cpuCount);
        this.tables = new TableMap(out, stats);
        reader.onLoss(this::lost);
    }

    public LoweringStats stats() {
        return stats;
    }

    @Override
    public boolean next() {
        while ((current = order.poll()) == null) {
            if (eof) {
                return false;
            }
            if (reader.next()) {
                process(reader.line());
                order.release(watermark());
                if (order.waiting() > ORDER_CAP) {
                    forceOldest();
                }
            } else {
                eof = true;
                for (CpuState st : cpus) {
                    if (st != null) {
                        if (st.pending != CpuState.Pending.NONE) {
                            stats.forcedDecisions++;
                            resolve(st, null);
                        }
                        if (!st.batch.entries.isEmpty()) {
                            stats.openBatches++;
                        }
                    }
                }
                order.release(Long.MAX_VALUE);
            }
        }
        return true;
    }

    @Override
    public MmuOp op() {
        return current;
    }

    /** Warnings that describe the run as a whole; call after the last op. */
    public void explain() {
        stats.explain(warnings);
    }

    // ---- per line ------------------------------------------------------------------------

    private void process(FtraceLine l) {
        line = l;
        CpuState st = state(l.cpu);
        if (st.pending != CpuState.Pending.NONE) {
            resolve(st, l);
        }
        switch (l.kind) {
            case SET_PTE, PTE_CLEAR, SET_PMD, PMD_CLEAR, SET_PUD, SET_P4D, PTEP_MODIFY_PROT_COMMIT -> entryWrite(st, l);
            case PTEP_MODIFY_PROT_START -> modifyStart(st, l);
            case MC_BATCH -> batchStart(st);
            case MC_ENTRY_ALLOC -> st.pendingAllocBytes = allocBytes(l);
            case MC_ENTRY -> entry(st, l);
            case MC_EXTEND_ARGS -> extendArgs(st, l);
            case MC_CALLBACK -> st.batch.callbacks++;
            case MC_FLUSH_REASON -> st.flushReason = true;
            case MC_ISSUE -> issue(st, l);
            case MC_FLUSH -> flush(st, l);
            case FLUSH_TLB_ONE_USER -> st.setIntent(Intent.INVLPG, l.lineNo, f.at(l).hex(Keys.ADDR), MmuOp.NONE,
                MmuOp.NONE);
            case FLUSH_TLB_MULTI -> {
                f.at(l);
                st.setIntent(Intent.FLUSH_MULTI, l.lineNo, f.hex(Keys.ADDR), f.hex(Keys.END), f.dec(Keys.NCPUS));
            }
            case FLUSH_TLB -> st.setIntent(Intent.TLB_FLUSH_LOCAL, l.lineNo, MmuOp.NONE, MmuOp.NONE, MmuOp.NONE);
            case FLUSH_TLB_ALL -> st.setIntent(Intent.TLB_FLUSH_ALL, l.lineNo, MmuOp.NONE, MmuOp.NONE, MmuOp.NONE);
            case WRITE_CR3 -> writeCr3(st, l);
            case PGD_PIN -> st.setIntent(Intent.PIN, l.lineNo, f.at(l).pointer(Keys.PGD), MmuOp.NONE, MmuOp.NONE);
            case PGD_UNPIN -> st.setIntent(Intent.UNPIN, l.lineNo, f.at(l).pointer(Keys.PGD), MmuOp.NONE,
                MmuOp.NONE);
            case ALLOC_PTPAGE -> allocPtpage(st, l);
            case RELEASE_PTPAGE -> releasePtpage(st, l);
            case TLB_FLUSH -> tlbFlush(l);
            default -> { }
        }
        st.prevKind = l.kind;
    }

    /** Decides what the CPU's previous event meant, now that its next event ({@code next}, null at the end) is known. */
    private void resolve(CpuState st, FtraceLine next) {
        EventKind k = next == null ? null : next.kind;
        switch (st.pending) {
            case WRITE -> {
                if (k == EventKind.MC_BATCH) {
                    // Not decided yet: an interrupt or a context switch may open a batch of its own
                    // right after a direct set_pte. Only an mmu_update request next says it is ours.
                    st.pending = CpuState.Pending.WRITE_BATCH;
                    st.batchLine = next.lineNo;
                    st.batchTime = next.time;
                    return;
                }
                unbatchedWrite(st);
            }
            case WRITE_BATCH -> {
                if (carriesUpdate(next)) {
                    stats.batchedWrites++;
                    if (!st.requests.isEmpty()) {
                        stats.unboundWrites += st.requests.size();
                        st.requests.clear();
                    }
                    st.requests.addAll(st.writes);
                    st.writes.clear();
                    if (st.writeKind == EventKind.SET_PTE || st.writeKind == EventKind.PTE_CLEAR) {
                        lazyOn(st, st.batchLine, st.batchTime, st.pendingPid); // set_pte batches only in lazy MMU
                    }
                } else {
                    unbatchedWrite(st);
                }
            }
            case EXTEND -> {
                // A failed extension is followed at once by the allocation of a new entry of the
                // same size (xen_extend_mmu_update / xen_extend_mmuext_op fall back to
                // __xen_mc_entry); a successful one may be followed by another operation's entry.
                boolean ok = k != EventKind.MC_ENTRY_ALLOC || allocBytes(next) != st.extendBytes;
                if (st.extendLabel >= 0 && next != null && (st.extendLabel == 1) != ok) {
                    stats.extendLabelDisagreements++;
                }
                if (ok) {
                    extended(st);
                }
            }
            case ISSUE -> {
                st.lastIssueMode = st.issueMode;
                if (k != EventKind.MC_FLUSH) {
                    st.batch.deferred = true;
                    if (st.issueMode == 1 && !st.batch.entries.isEmpty()) {
                        lazyOn(st, st.pendingLine, st.pendingTime, st.pendingPid);
                    }
                }
            }
            default -> { }
        }
        st.pending = CpuState.Pending.NONE;
    }

    /** The write was not carried by a batch: a direct hypercall (set_pte) or a plain store (upper levels). */
    private void unbatchedWrite(CpuState st) {
        if (st.writeKind == EventKind.SET_PTE || st.writeKind == EventKind.PTE_CLEAR) {
            directWrite(st);
        } else if (st.writeKind == EventKind.PTEP_MODIFY_PROT_COMMIT) {
            stats.unboundWrites += st.writes.size(); // commit always batches: its request is missing
        } else {
            stats.plainWrites++;
        }
        st.writes.clear();
    }

    /**
     * xen_extend_mmu_update, the only path from an entry write into a batch, first tries
     * xen_mc_extend_args(op 1), which is traced whatever its outcome.
     */
    private boolean carriesUpdate(FtraceLine next) {
        if (next == null) {
            return false;
        }
        if (next.kind == EventKind.MC_EXTEND_ARGS || next.kind == EventKind.MC_ENTRY) {
            return f.at(next).dec(Keys.OP) == Multicall.MMU_UPDATE;
        }
        return next.kind == EventKind.MC_ENTRY_ALLOC && allocBytes(next) == Multicall.MMU_UPDATE_BYTES;
    }

    // ---- entry writes --------------------------------------------------------------------

    private void entryWrite(CpuState st, FtraceLine l) {
        if (!ew.decode(l, f)) {
            return; // counted by the first pass (failed_to_parse_unrecovered)
        }
        st.writes.clear();
        boolean commit = l.kind == EventKind.PTEP_MODIFY_PROT_COMMIT;
        long pte = machine(ew.ptr);
        long val = ew.rawIsPseudoPhysical ? addr.machineValue(ew.raw) : ew.raw;
        long va = ew.addr;
        long old = MmuOp.NONE;
        if (commit) {
            tables.learn(st.cpu, l, ew.ptr, pte, ew.addr);
            if (st.startAddr != MmuOp.NONE && st.startAddr == ew.addr) {
                old = st.startRaw; // matched by address: it is printed in full even where %p is hashed
            }
            st.startAddr = MmuOp.NONE;
        } else if (va == MmuOp.NONE) {
            va = tables.vaOf(pte);
        }
        st.writes.add(new Request(l.lineNo, pte, val, old, va, commit ? "ad" : "pt", ew.ptr));
        if (ew.hasUser) {
            // set_p4d of a pinned pgd also writes the user pgd's entry, in the same batch
            st.writes.add(new Request(l.lineNo, machine(ew.userPtr), val, MmuOp.NONE, MmuOp.NONE, "pt", ew.userPtr));
        }
        st.writeKind = l.kind;
        pend(st, CpuState.Pending.WRITE, l);
    }

    private void modifyStart(CpuState st, FtraceLine l) {
        if (!ew.decode(l, f)) {
            return;
        }
        long pte = machine(ew.ptr);
        tables.learn(st.cpu, l, ew.ptr, pte, ew.addr);
        st.startAddr = ew.addr;
        st.startRaw = ew.raw;
        MmuOp op = out.make(st.cpu, Op.OOB_READ, l);
        op.pte = pte;
        op.val = ew.raw;
        op.va = ew.addr;
        out.emit(l.lineNo, op);
    }

    private long machine(long ptr) {
        if (ptr == MmuOp.NONE) {
            if (ew.hashed) {
                stats.hashedEntries++;
            }
            return MmuOp.NONE;
        }
        long ma = addr.machineAddress(ptr);
        if (ma == MmuOp.NONE) {
            stats.untranslatedEntries++;
        }
        return ma;
    }

    /** set_pte outside lazy MMU: HYPERVISOR_mmu_update(&u, 1, ...) at once, no batch. */
    private void directWrite(CpuState st) {
        stats.directWrites++;
        if (st.lazyMmu) {
            stats.lazyContradictions++;
            lazyOff(st, st.pendingLine, st.pendingTime, st.pendingPid);
        }
        for (Request r : st.writes) {
            out.emit(st.pendingLine, enq(st, r, st.pendingTime, st.pendingPid));
            MmuOp fl = out.stamp(new MmuOp(st.cpu, Op.FLUSH), st.pendingLine, st.pendingTime, st.pendingPid);
            fl.n = 1;
            fl.reason = "explicit";
            out.emit(st.pendingLine, fl);
        }
    }

    /** The enq of an announced write, taking effect at {@code time} (when its request entered the buffer). */
    private MmuOp enq(CpuState st, Request r, long time, int pid) {
        MmuOp op = out.stamp(new MmuOp(st.cpu, Op.ENQ), r.srcLine(), time, pid);
        op.pte = r.pte();
        op.val = r.val();
        op.old = r.old();
        op.va = r.va();
        op.kind = r.kind();
        return op;
    }

    // ---- multicall batch ---------------------------------------------------------------------

    private void batchStart(CpuState st) {
        if (labels) {
            boolean mmu = f.at(line).has(Keys.LAZY_MMU);
            if (mmu) {
                lazyOn(st, line.lineNo, line.time, line.pid);
            } else if (st.lazyMmu) {
                lazyOff(st, line.lineNo, line.time, line.pid);
            }
        }
    }

    private void entry(CpuState st, FtraceLine l) {
        f.at(l);
        int op = (int) f.dec(Keys.OP);
        Batch.Entry e = new Batch.Entry(op, l.lineNo);
        e.pid = l.pid;
        long bytes = Math.max(st.pendingAllocBytes, 0);
        st.batch.argBytes = (st.batch.argBytes + 7 & ~7L) + bytes;
        st.pendingAllocBytes = 0;
        st.batch.entries.add(e);
        if (op == Multicall.MMU_UPDATE || op == Multicall.MMUEXT_OP) {
            long count = f.listHex(1);
            int n = count > 0 && count < 1024 ? (int) count : 1;
            for (int i = 0; i < n; i++) {
                request(st, e, l.lineNo, l.time, l.pid);
            }
        } else if (op == Multicall.UPDATE_VA_MAPPING) {
            e.requests = 1;
            e.va = f.listHex(0);
            e.val = f.listHex(1);
            e.flags = f.listHex(2);
            st.lastUvmMfn = AddressMap.frameOf(e.val);
            st.lastUvmFlags = e.flags;
        } else {
            e.requests = 1;
        }
    }

    private long allocBytes(FtraceLine l) {
        f.at(l);
        return f.failedToParse() ? f.dec(Keys.ARGS) : f.dec(Keys.ENTRY);
    }

    private void extendArgs(CpuState st, FtraceLine l) {
        f.at(l);
        st.extendOp = (int) f.dec(Keys.OP);
        st.extendBytes = f.failedToParse() ? f.dec(Keys.ARGS) : f.dec(Keys.BY);
        st.extendLabel = !labels ? -1 : f.endsWith(Keys.OK) ? 1 : f.endsWith(Keys.BAD_OP) || f.endsWith(Keys.NO_SPACE)
            ? 0 : -1;
        pend(st, CpuState.Pending.EXTEND, l);
    }

    /** One more request appended to the last entry (xen_extend_mmu_update / xen_extend_mmuext_op). */
    private void extended(CpuState st) {
        Batch.Entry e = st.batch.last();
        if (e == null || e.op != st.extendOp) {
            stats.batchMismatches++;
            warnings.warn(st.pendingLine, st.cpu, "batch_mismatch", "line " + st.pendingLine
                + ": an extension succeeded but the CPU's batch has no matching last entry");
            return;
        }
        st.batch.argBytes += Math.max(st.extendBytes, 0);
        request(st, e, st.pendingLine, st.pendingTime, st.pendingPid);
    }

    /** One request of an mmu_update or mmuext_op entry, seen at {@code reqLine}. */
    private void request(CpuState st, Batch.Entry e, long reqLine, long time, int pid) {
        e.requests++;
        if (e.op == Multicall.MMU_UPDATE) {
            stats.updateRequests++;
            Request r = st.requests.poll();
            if (r == null) {
                stats.unannouncedUpdates++;
                r = new Request(reqLine, MmuOp.NONE, MmuOp.NONE, MmuOp.NONE, MmuOp.NONE, "pt", MmuOp.NONE);
            }
            out.emit(reqLine, enq(st, r, time, pid));
        } else {
            mmuext(st, e, reqLine, pid);
        }
    }

    private void mmuext(CpuState st, Batch.Entry e, long reqLine, int pid) {
        Intent i = st.intent;
        long a = st.intentA;
        long b = st.intentB;
        long c = st.intentC;
        long src = st.intentLine;
        switch (i) {
            case NONE -> {
                stats.bareMmuext++;
                i = Intent.TLB_FLUSH_LOCAL;
                src = reqLine;
            }
            case SPENT -> {
                stats.unexplainedMmuext++;
                return;
            }
            case PIN, ALLOC -> {
                a = st.lastUvmMfn;
                b = st.lastUvmFlags != MmuOp.NONE && (st.lastUvmFlags & Multicall.UVMF_FLUSHTYPE_MASK)
                    == Multicall.UVMF_TLB_FLUSH ? 4 : 1; // the pgd's RO mapping flushes the TLB
                st.lastUvmMfn = MmuOp.NONE;
                src = reqLine;
            }
            case UNPIN -> {
                // the first request unpins the pgd itself; later ones the page made RW next
                a = st.intentRequests == 0 ? addr.mfnOfPfn(addr.pfnOfVa(st.intentA)) : MmuOp.NONE;
                b = st.intentRequests == 0 ? 4 : MmuOp.NONE;
                src = reqLine;
            }
            default -> { }
        }
        st.intentRequests++;
        if (st.intent.singleShot()) {
            st.intent = Intent.SPENT;
        }
        e.mmuext.add(new Batch.Mmuext(i, src, pid, a, b, c));
    }

    private void issue(CpuState st, FtraceLine l) {
        int mode;
        if (labels) {
            f.at(l);
            mode = f.has(Keys.LAZY_MMU) ? 1 : f.has(Keys.LAZY_CPU) ? 2 : 0;
        } else {
            mode = issueModeFromContent(st);
        }
        st.issueMode = mode;
        pend(st, CpuState.Pending.ISSUE, l);
        st.setIntent(Intent.NONE, 0, MmuOp.NONE, MmuOp.NONE, MmuOp.NONE); // the operation is complete
    }

    /**
     * The argument of xen_mc_issue when the label cannot be read: MMU operations (PTE writes,
     * TLB flushes, page-table page alloc/release) pass PARAVIRT_LAZY_MMU, cr3 loads and stack
     * switches LAZY_CPU, the pin/unpin walks 0.
     */
    private int issueModeFromContent(CpuState st) {
        switch (st.announced) {
            case PIN, UNPIN:
                return 0;
            case NEW_BASEPTR:
                return 2;
            case INVLPG, FLUSH_MULTI, TLB_FLUSH_LOCAL, TLB_FLUSH_ALL, ALLOC, RELEASE:
                return 1;
            default:
                break;
        }
        Batch.Entry last = st.batch.last();
        if (last == null) {
            return -1;
        }
        if (last.op == Multicall.MMU_UPDATE || last.op == Multicall.MMUEXT_OP) {
            return 1;
        }
        return last.op == Multicall.STACK_SWITCH ? 2 : -1;
    }

    private void flush(CpuState st, FtraceLine l) {
        f.at(l);
        boolean kv = f.failedToParse();
        long mcidx = kv ? f.dec(Keys.MCIDX) : f.nthNumber(0);
        long argidx = kv ? f.dec(Keys.ARGIDX) : f.nthNumber(1);
        long cbidx = kv ? f.dec(Keys.CBIDX) : f.nthNumber(2);
        boolean full = st.flushReason;
        st.flushReason = false;
        boolean afterIssue = st.prevKind == EventKind.MC_ISSUE;
        // In lazy MMU an issue(MMU) never flushes, so a flush right after it is the leave.
        boolean issueTriggered = afterIssue && !(st.lazyMmu && st.lastIssueMode == 1);
        boolean leave = st.lazyMmu && !full && !issueTriggered;
        String reason = full ? "full" : leave || st.batch.deferred ? "lazy_leave" : "explicit";
        Batch b = st.batch;
        if (mcidx != b.entries.size() || argidx != b.argBytes || cbidx != b.callbacks) {
            stats.batchMismatches++;
            warnings.warn(l.lineNo, l.cpu, "batch_mismatch", "line " + l.lineNo + ": flush of " + mcidx
                + " hypercalls, " + argidx + " arg bytes, " + cbidx + " callbacks, but the batch rebuilt from the"
                + " entries has " + b.entries.size() + ", " + b.argBytes + ", " + b.callbacks);
        }
        if (!b.entries.isEmpty()) {
            effects.emit(st, l, reason);
        }
        for (MmuOp op : b.after) {
            out.emit(l.lineNo, out.stamp(op, op.srcLine, l.time, l.pid));
        }
        if (leave) {
            lazyOff(st, l.lineNo, l.time, l.pid);
        }
        b.clear(); // writes still waiting for their request stay: a full buffer flushes before their entry
    }

    private void writeCr3(CpuState st, FtraceLine l) {
        f.at(l);
        boolean user = f.has(Keys.USER) || f.failedToParse() && f.dec(Keys.KERNEL) == 0;
        long cr3 = f.hex(Keys.CR3);
        long root = cr3 == 0 ? 0 : cr3 == MmuOp.NONE ? MmuOp.NONE : addr.mfnOfPfn(cr3 >>> 12);
        st.setIntent(Intent.NEW_BASEPTR, l.lineNo, root, user ? 1 : 0, MmuOp.NONE);
    }

    private void allocPtpage(CpuState st, FtraceLine l) {
        f.at(l);
        long pfn = f.hex(Keys.PFN);
        long level = f.dec(Keys.LEVEL);
        boolean pinned = pinned(f);
        MmuOp op = out.make(st.cpu, Op.FRAME_ALLOC, l);
        op.mfn = addr.mfnOfPfn(pfn);
        op.level = tableLevel(level);
        op.purpose = "pt_l" + op.level;
        out.emit(l.lineNo, op);
        if (pinned) {
            st.setIntent(Intent.ALLOC, l.lineNo, MmuOp.NONE, MmuOp.NONE, MmuOp.NONE);
        }
    }

    private void releasePtpage(CpuState st, FtraceLine l) {
        f.at(l);
        long pfn = f.hex(Keys.PFN);
        long mfn = addr.mfnOfPfn(pfn);
        if (mfn != MmuOp.NONE) {
            tables.forget(mfn);
        }
        if (pinned(f)) {
            st.setIntent(Intent.RELEASE, l.lineNo, mfn, MmuOp.NONE, MmuOp.NONE);
        }
    }

    private static boolean pinned(Fields f) {
        return f.failedToParse() ? f.dec(Keys.PINNED) == 1 : !f.endsWith(Keys.UNPINNED);
    }

    /** enum pt_level (PGD 0, P4D 1, PUD 2, PMD 3, PTE 4) to the table level 4..1 of 4-level paging. */
    private static int tableLevel(long ptLevel) {
        return ptLevel < 0 || ptLevel > 4 ? -1 : (int) Math.max(1, Math.min(4, 5 - ptLevel));
    }

    private void tlbFlush(FtraceLine l) {
        if (pvTrace) {
            return; // on PV the flush itself was lowered from its mmuext hypercall entry
        }
        f.at(l);
        long pages = f.dec(Keys.PAGES);
        long reason = f.trailingParenNumber();
        if (reason == MmuOp.NONE) {
            reason = f.dec(Keys.REASON);
        }
        if (pages == -1 && reason != 4) { // 4: "remote ipi send" is the sender's note, no flush
            out.emit(l.lineNo, out.make(l.cpu, Op.TLB_FLUSH, l));
        }
    }

    // ---- lazy mode -------------------------------------------------------------------------

    private void lazyOn(CpuState st, long effLine, long time, int pid) {
        if (!st.lazyMmu) {
            st.lazyMmu = true;
            out.emit(effLine, out.stamp(new MmuOp(st.cpu, Op.LAZY_ENTER), effLine, time, pid));
        }
    }

    private void lazyOff(CpuState st, long effLine, long time, int pid) {
        if (st.lazyMmu) {
            st.lazyMmu = false;
            out.emit(effLine, out.stamp(new MmuOp(st.cpu, Op.LAZY_LEAVE), effLine, time, pid));
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private void pend(CpuState st, CpuState.Pending p, FtraceLine l) {
        st.pending = p;
        st.pendingLine = l.lineNo;
        st.pendingTime = l.time;
        st.pendingPid = l.pid;
    }

    private long watermark() {
        long w = line.lineNo + 1;
        for (CpuState st : cpus) {
            if (st != null && st.pending != CpuState.Pending.NONE) {
                w = Math.min(w, st.pendingLine);
            }
        }
        return w;
    }

    private void forceOldest() {
        CpuState oldest = null;
        for (CpuState st : cpus) {
            if (st != null && st.pending != CpuState.Pending.NONE
                && (oldest == null || st.pendingLine < oldest.pendingLine)) {
                oldest = st;
            }
        }
        if (oldest != null) {
            stats.forcedDecisions++;
            warnings.warn(oldest.pendingLine, oldest.cpu, "lookahead_forced", "line " + oldest.pendingLine
                + ": CPU " + oldest.cpu + " printed nothing for " + ORDER_CAP
                + " ops; its last event was decided without seeing the next one");
            resolve(oldest, null);
            order.release(watermark());
        }
    }

    private void lost(long lineNo, int cpu, long count) {
        CpuState st = state(cpu);
        if (!st.batch.entries.isEmpty()) {
            stats.openBatches++;
        }
        if (st.pending != CpuState.Pending.NONE) {
            stats.forcedDecisions++;
        }
        st.reset();
    }

    private CpuState state(int cpu) {
        if (cpu >= cpus.length) {
            cpus = java.util.Arrays.copyOf(cpus, Math.max(cpu + 1, cpus.length * 2));
        }
        CpuState st = cpus[cpu];
        if (st == null) {
            st = new CpuState(cpu);
            cpus[cpu] = st;
        }
        return st;
    }
}
