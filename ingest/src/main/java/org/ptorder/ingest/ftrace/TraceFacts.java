package org.ptorder.ingest.ftrace;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * What the first pass over a file learns for the second: guest frames ({@link AddressMap}),
 * which CPUs exist, whether the lazy-mode labels can be believed, how much of the text came
 * through libtraceevent's {@code [FAILED TO PARSE]} fallback. Memory grows with guest frames
 * and CPUs, never with the number of lines.
 */
public final class TraceFacts {
    public final AddressMap addresses = new AddressMap();
    public final BitSet cpus = new BitSet();
    private final EntryWrite entry = new EntryWrite();
    private final Fields f = new Fields();
    private long[] lastAllocPfn = new long[4];

    /** Some xen_mc_batch/issue line printed LAZY_MMU or LAZY_CPU: the labels are evaluated, not defaulted. */
    public boolean modeLabelsEvaluated;
    public long batchLines;
    public long hashedPointerLines;
    public long unknownResLabels;    // xen_mc_extend_args 'res ???'
    public long unknownReasonLabels; // xen_mc_flush_reason 'reason ??'
    /** Per event name: lines in the [FAILED TO PARSE] fallback, and of those, lines missing a field. */
    public final Map<String, long[]> failedToParse = new TreeMap<>();
    public long firstTime = MmuOp.NONE;
    public long lastTime = MmuOp.NONE;
    public boolean cycles;

    public TraceFacts() {
        java.util.Arrays.fill(lastAllocPfn, MmuOp.NONE);
    }

    public void observe(FtraceLine l) {
        cpus.set(l.cpu);
        if (firstTime == MmuOp.NONE) {
            firstTime = l.time;
            cycles = l.cycles;
        }
        lastTime = l.time;
        EventKind k = l.kind;
        if (k != EventKind.ALLOC_PTPAGE && k != EventKind.MC_BATCH && k != EventKind.MC_ENTRY_ALLOC
            && k != EventKind.MC_ENTRY) {
            allocPfn(l.cpu, MmuOp.NONE); // the page's update_va_mapping follows its alloc_ptpage at once
        }
        switch (k) {
            case SET_PTE, SET_PMD, SET_PUD, SET_P4D, PTE_CLEAR, PMD_CLEAR, PTEP_MODIFY_PROT_START,
                PTEP_MODIFY_PROT_COMMIT -> entryEvent(l);
            case MC_ENTRY -> multicallEntry(l);
            case ALLOC_PTPAGE -> allocPfn(l.cpu, f.at(l).hex(Keys.PFN));
            case MC_BATCH, MC_ISSUE -> {
                batchLines++;
                f.at(l);
                modeLabelsEvaluated |= f.has(Keys.LAZY_MMU) || f.has(Keys.LAZY_CPU);
            }
            case MC_EXTEND_ARGS -> unknownResLabels += f.at(l).endsWith(Fields.bytes("???")) ? 1 : 0;
            case MC_FLUSH_REASON -> unknownReasonLabels += f.at(l).endsWith(Fields.bytes("??")) ? 1 : 0;
            case PGD_PIN, PGD_UNPIN -> hashedPointerLines += f.at(l).hashed(Keys.PGD) ? 1 : 0;
            default -> {
                if (l.kind == EventKind.OTHER && l.failedToParse()) {
                    failed(l, true); // not lowered: its raw text in guest_events is all there is to keep
                }
            }
        }
    }

    private void entryEvent(FtraceLine l) {
        boolean ok = entry.decode(l, f);
        if (f.failedToParse()) {
            failed(l, ok);
        }
        if (entry.hashed) {
            hashedPointerLines++;
        }
        if (!entry.rawIsPseudoPhysical) {
            addresses.pair(AddressMap.frameOf(entry.pfnView), AddressMap.frameOf(entry.raw));
        }
    }

    private void multicallEntry(FtraceLine l) {
        f.at(l);
        if (f.dec(Keys.OP) != Multicall.UPDATE_VA_MAPPING) {
            return;
        }
        long va = f.listHex(0);
        long mfn = AddressMap.frameOf(f.listHex(1));
        addresses.directMapPage(va, mfn);
        long pfn = allocPfn(l.cpu, MmuOp.NONE);
        if (pfn != MmuOp.NONE && va != MmuOp.NONE) {
            addresses.voteOffset(va - (pfn << 12));
        }
    }

    /** Sets the CPU's last alloc_ptpage pfn and returns the previous one. */
    private long allocPfn(int cpu, long pfn) {
        if (cpu >= lastAllocPfn.length) {
            int n = lastAllocPfn.length;
            lastAllocPfn = java.util.Arrays.copyOf(lastAllocPfn, Math.max(cpu + 1, n * 2));
            java.util.Arrays.fill(lastAllocPfn, n, lastAllocPfn.length, MmuOp.NONE);
        }
        long old = lastAllocPfn[cpu];
        lastAllocPfn[cpu] = pfn;
        return old;
    }

    private void failed(FtraceLine l, boolean recovered) {
        long[] c = failedToParse.computeIfAbsent(l.name(), k -> new long[2]);
        c[0]++;
        if (!recovered) {
            c[1]++;
        }
    }

    /** Call after the first pass. */
    public void finish() {
        addresses.finish();
    }

    /** CPUs in the trace: the highest CPU seen plus one, or a header's count if larger. */
    public int cpuCount(int headerCpus) {
        return Math.max(cpus.length(), headerCpus);
    }

    /** Writes the facts a reader of the tables should know (not damage: explanations of limits). */
    public void explain(WarningSink w) {
        failedToParse.forEach((name, c) -> {
            w.warn(-1, -1, "failed_to_parse", c[0] + " " + name + " lines are libtraceevent's '[FAILED TO PARSE]'"
                + " fallback (its print format calls kernel functions); "
                + (EventKind.lookup(name).isEntryWrite() || name.contains("ptep_modify")
                ? "the pointer and the stored (machine) value were recovered from the field=value pairs, but the"
                + " pseudo-physical view of the value is not in trace.dat: the kernel's own trace text has it"
                : "the raw field=value text is kept in guest_events.fields"));
            if (c[1] > 0) {
                w.warn(-1, -1, "failed_to_parse_unrecovered", c[1] + " " + name
                    + " lines lacked a field the lowering needs; they produced no mmu_ops");
            }
        });
        if (batchLines > 0 && !modeLabelsEvaluated) {
            w.warn(-1, -1, "lazy_mode_labels", "xen_mc_batch/xen_mc_issue print LAZY_NONE on all " + batchLines
                + " lines: the tool that formatted them could not evaluate the PARAVIRT_LAZY_* enum in their print"
                + " format, so lazy-MMU mode was inferred from the batch structure instead (README-ftrace.md)");
        }
        if (unknownResLabels > 0) {
            w.warn(-1, -1, "extend_args_labels", unknownResLabels + " xen_mc_extend_args lines print 'res ???'"
                + " (enum not evaluated; trace-cmd also prints OK as NO_SPACE): whether an extension succeeded is"
                + " taken from the next event instead (a new xen_mc_entry_alloc means it failed)");
        }
        if (unknownReasonLabels > 0) {
            w.warn(-1, -1, "flush_reason_labels", unknownReasonLabels + " xen_mc_flush_reason lines print 'reason"
                + " ??' (enum not evaluated); such flushes are lowered with reason 'full' all the same");
        }
        if (hashedPointerLines > 0) {
            w.warn(-1, -1, "hashed_pointers", hashedPointerLines + " lines print hashed kernel pointers (%p without"
                + " no_hash_pointers): their entries' machine addresses are unknown, so pte is NULL in mmu_ops"
                + " and no map_table ops are learned from them");
        }
        if (addresses.conflicts() > 0) {
            w.warn(-1, -1, "p2m_conflict", addresses.conflicts() + " frame pairs disagreed with an earlier pair"
                + " for the same pseudo-physical frame; the first was kept");
        }
    }
}
