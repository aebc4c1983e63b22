package org.ptorder.ingest.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * The lowering rules on small traces built from real line shapes (run-b, x86-tsc clock,
 * real pointers). Page offset and frames come from the update_va_mapping lines, as in a real
 * trace.
 */
class LoweringTest {
    private static final String RO_PAGE_TABLE = // teaches pfn 108941 (va ffff888108941000) -> mfn 13ff63
        "  x-9 [000] d..1. 100: xen_mc_entry: op 14(update_va_mapping) args [ffff888108941000, 800000013ff63061, 0,"
            + " 0, 0, 0]";

    @Test
    void setPteOutsideLazyModeIsADirectOneEntryFlush() {
        Lowered l = Lowered.of(RO_PAGE_TABLE,
            "  date-175 [000] ...1. 200: xen_mmu_set_pte: ptep ffff888108941300 pteval 00000001023a0025 (raw"
                + " 00000001399c2025)",
            "  date-175 [000] ...1. 210: xen_mmu_set_pte: ptep ffff888108941308 pteval 00000001023a1025 (raw"
                + " 00000001399c3025)");
        assertEquals(List.of("0 enq", "0 flush n=1 explicit", "0 enq", "0 flush n=1 explicit"), l.shape());
        MmuOp enq = l.ops.get(0);
        assertEquals(0x13ff63300L, enq.pte); // machine address: mfn 13ff63, offset 0x300
        assertEquals(0x1399c2025L, enq.val);
        assertEquals("pt", enq.kind);
        assertEquals(2, enq.srcLine);
        assertEquals(200, enq.tsc);
        assertEquals(175, enq.thread);
    }

    @Test
    void lazyBatchQueuesAndFlushesAtLeave() {
        Lowered l = Lowered.of(
            "  init-1 [001] ...2. 10: xen_mmu_set_pte: ptep ffff888108941ed8 pteval 800000010251a105 (raw"
                + " 8000000139b3c105)",
            "  init-1 [001] d..2. 11: xen_mc_batch: start batch LAZY_MMU",
            "  init-1 [001] d..2. 12: xen_mc_extend_args: extending op 1(mmu_update) by 16 bytes res BAD_OP",
            "  init-1 [001] d..2. 13: xen_mc_entry_alloc: alloc entry 16 arg bytes",
            "  init-1 [001] d..2. 14: xen_mc_entry: op 1(mmu_update) args [ffff88813ff1ead0, 1, 0, 7ff0, 0, 0]",
            "  init-1 [001] d..2. 15: xen_mc_issue: start batch LAZY_MMU",
            "  init-1 [001] ...2. 16: xen_mmu_set_pte: ptep ffff888108941ee0 pteval 800000010251b105 (raw"
                + " 8000000139b3d105)",
            "  init-1 [001] d..2. 17: xen_mc_batch: start batch LAZY_MMU",
            "  init-1 [001] d..2. 18: xen_mc_extend_args: extending op 1(mmu_update) by 16 bytes res OK",
            "  init-1 [001] d..2. 19: xen_mc_issue: start batch LAZY_MMU",
            "  init-1 [001] d..2. 20: xen_mc_flush: flushing 1 hypercalls, 32 arg bytes, 0 callbacks");
        assertEquals(List.of("1 lazy_enter", "1 enq", "1 enq", "1 flush n=2 lazy_leave", "1 lazy_leave"), l.shape());
        assertEquals(14, l.ops.get(1).tsc); // queued when its request entered the batch
        assertEquals(1, l.ops.get(1).srcLine); // read from the set_pte line
        assertEquals(18, l.ops.get(2).tsc);
        assertEquals(0x8000000139b3d105L, l.ops.get(2).val);
        assertEquals(0, l.stats.batchMismatches);
        // Without labels (trace-cmd prints LAZY_NONE everywhere) the structure says the same.
        Lowered s = Lowered.of(false, l.lines());
        assertEquals(l.shape(), s.shape());
    }

    @Test
    void aBatchAfterADirectSetPteMayBelongToSomethingElse() {
        // Real pattern: a set_pte, then the scheduler's LAZY_CPU batch on the same CPU.
        Lowered l = Lowered.of(
            "  a-1 [000] ...1. 10: xen_mmu_set_pte: ptep ffff888108957bc0 pteval 8000000102587867 (raw"
                + " 8000000139ba9867)",
            "  a-1 [000] d..2. 11: xen_mc_batch: start batch LAZY_CPU",
            "  a-1 [000] d..2. 12: xen_mc_issue: start batch LAZY_CPU",
            "  a-1 [000] d..2. 13: xen_mc_flush: flushing 0 hypercalls, 0 arg bytes, 0 callbacks");
        assertEquals(List.of("0 enq", "0 flush n=1 explicit"), l.shape());
        assertEquals(1, l.stats.directWrites);
    }

    @Test
    void fullBufferFlushesBeforeTheEntryOfTheWriteThatFilledIt() {
        Lowered l = Lowered.of(
            "  m-2 [000] ...1. 1: xen_mmu_ptep_modify_prot_start: mm ffff888100061b00 addr 7f0000001000 ptep"
                + " ffff8881089fd008 pteval 800000010257d967 (raw 8000000139b9f967)",
            "  m-2 [000] ...1. 2: xen_mmu_ptep_modify_prot_commit: mm ffff888100061b00 addr 7f0000001000 ptep"
                + " ffff8881089fd008 pteval 800000010257d867 (raw 8000000139b9f867)",
            "  m-2 [000] d..1. 3: xen_mc_batch: start batch LAZY_MMU",
            "  m-2 [000] d..1. 4: xen_mc_extend_args: extending op 1(mmu_update) by 16 bytes res NO_SPACE",
            "  m-2 [000] d..1. 5: xen_mc_entry_alloc: alloc entry 16 arg bytes",
            "  m-2 [000] d..1. 6: xen_mc_flush_reason: flush reason ARGS",
            "  m-2 [000] d..1. 7: xen_mc_flush: flushing 0 hypercalls, 0 arg bytes, 0 callbacks",
            "  m-2 [000] d..1. 8: xen_mc_entry: op 1(mmu_update) args [ffff88813ff1ead0, 1, 0, 7ff0, 0, 0]",
            "  m-2 [000] d..1. 9: xen_mc_issue: start batch LAZY_MMU",
            "  m-2 [000] ...1. 10: xen_mmu_flush_tlb_one_user: addr 7f0000001000");
        assertEquals(List.of("0 oob_read", "0 lazy_enter", "0 enq"), l.shape());
        MmuOp enq = l.ops.get(2);
        assertEquals("ad", enq.kind);
        assertEquals(0x8000000139b9f967L, enq.old); // what _start read
        assertEquals(0x7f0000001000L, enq.va);
        assertEquals(8, enq.tsc); // after the forced flush, not before it
    }

    @Test
    void invlpgTakesEffectAtTheFlushAndTheTlbFlushEventIsOnlyEvidence() {
        Lowered l = Lowered.of(
            "  d-175 [000] d..2. 1: xen_mmu_flush_tlb_one_user: addr c4a5000",
            "  d-175 [000] d..3. 2: xen_mc_batch: start batch LAZY_NONE",
            "  d-175 [000] d..3. 3: xen_mc_entry_alloc: alloc entry 24 arg bytes",
            "  d-175 [000] d..3. 4: xen_mc_entry: op 26(mmuext_op) args [ffff88813fe1ead0, 1, 0, 7ff0, 0, 0]",
            "  d-175 [000] d..3. 5: xen_mc_issue: start batch LAZY_MMU",
            "  d-175 [000] d..3. 6: xen_mc_flush: flushing 1 hypercalls, 24 arg bytes, 0 callbacks",
            "  d-175 [000] d..2. 7: tlb_flush: pages:1 reason:local mm shootdown (3)",
            "  d-175 [000] d..3. 8: xen_mc_batch: start batch LAZY_NONE",
            "  d-175 [000] d..3. 9: xen_mc_entry_alloc: alloc entry 24 arg bytes",
            "  d-175 [000] d..3. 10: xen_mc_entry: op 26(mmuext_op) args [ffff88813fe1ead0, 1, 0, 7ff0, 0, 0]",
            "  d-175 [000] d..3. 11: xen_mc_issue: start batch LAZY_MMU",
            "  d-175 [000] d..3. 12: xen_mc_flush: flushing 1 hypercalls, 24 arg bytes, 0 callbacks",
            "  d-175 [000] d..2. 13: tlb_flush: pages:-1 reason:local mm shootdown (3)");
        assertEquals(List.of("0 flush n=0 explicit", "0 invlpg", "0 flush n=0 explicit", "0 tlb_flush"), l.shape());
        assertEquals(0xc4a5000L, l.ops.get(1).va);
        assertEquals(1, l.ops.get(1).srcLine);
        assertEquals(6, l.ops.get(1).tsc);
        assertEquals(1, l.stats.bareMmuext);
    }

    @Test
    void flushTlbMultiPicksInvlpgOrFullFlushByRangeAndMaskByCount() {
        String[] tail = {
            "  m-9 [001] d..3. 2: xen_mc_batch: start batch LAZY_NONE",
            "  m-9 [001] d..3. 3: xen_mc_entry_alloc: alloc entry 32 arg bytes",
            "  m-9 [001] d..3. 4: xen_mc_entry: op 26(mmuext_op) args [ffff88813fe1ead0, 1, 0, 7ff0, 0, 0]",
            "  m-9 [001] d..3. 5: xen_mc_issue: start batch LAZY_MMU",
            "  m-9 [001] d..3. 6: xen_mc_flush: flushing 1 hypercalls, 32 arg bytes, 0 callbacks",
            "  m-9 [000] d..3. 7: xen_mc_flush: flushing 0 hypercalls, 0 arg bytes, 0 callbacks"};
        MmuOp one = Lowered.of(concat("  m-9 [001] ...2. 1: xen_mmu_flush_tlb_multi: ncpus 2 mm ffff888100061b00 addr"
            + " 7f4284758000, end 7f4284759000", tail)).ofKind("invlpg_multi").get(0);
        assertEquals(0x7f4284758000L, one.va);
        assertEquals("0-1", MmuOp.cpuList(one.mask));
        MmuOp all = Lowered.of(concat("  m-9 [001] ...2. 1: xen_mmu_flush_tlb_multi: ncpus 1 mm ffff888100061b00 addr"
            + " 7f4284758000, end ffffffffffffffff", tail)).ofKind("tlb_flush_multi").get(0);
        assertEquals("0", MmuOp.cpuList(all.mask)); // the one other CPU of two
        MmuOp range = Lowered.of(concat("  m-9 [001] ...2. 1: xen_mmu_flush_tlb_others: ncpus 2 mm ffff888100061b00"
            + " addr 7f4284758000, end 7f428475a000", tail)).ofKind("tlb_flush_multi").get(0);
        assertEquals(MmuOp.NONE, range.va);
    }

    @Test
    void writeCr3GivesKernelAndUserBasePointersWhenTheContextSwitchEnds() {
        Lowered l = Lowered.of(
            "  x-9 [000] d..1. 1: xen_mc_entry: op 14(update_va_mapping) args [ffff888100a6e000, 8000000138090061, 1,"
                + " 0, 0, 0]",
            "  x-9 [000] d..1. 2: xen_mc_flush: flushing 1 hypercalls, 0 arg bytes, 0 callbacks",
            "  m-176 [000] dN.1. 3: xen_mc_batch: start batch LAZY_NONE",
            "  m-176 [000] dN.1. 4: xen_mmu_write_cr3: kernel cr3 100a6e000",
            "  m-176 [000] dN.1. 5: xen_mc_extend_args: extending op 26(mmuext_op) by 24 bytes res BAD_OP",
            "  m-176 [000] dN.1. 6: xen_mc_entry_alloc: alloc entry 24 arg bytes",
            "  m-176 [000] dN.1. 7: xen_mc_entry: op 26(mmuext_op) args [ffff88813fe1ead0, 1, 0, 7ff0, 0, 0]",
            "  m-176 [000] dN.1. 8: xen_mc_callback: callback set_current_cr3, data 0000000100a6e000",
            "  m-176 [000] dN.1. 9: xen_mmu_write_cr3: user cr3 0",
            "  m-176 [000] dN.1. 10: xen_mc_extend_args: extending op 26(mmuext_op) by 24 bytes res OK",
            "  m-176 [000] dN.1. 11: xen_mc_issue: start batch LAZY_CPU",
            "  m-176 [000] dN.1. 12: tlb_flush: pages:-1 reason:flush on task switch (0)",
            "  m-176 [000] d..2. 13: xen_mc_batch: start batch LAZY_CPU",
            "  m-176 [000] d..2. 14: xen_mc_issue: start batch LAZY_CPU",
            "  m-176 [000] d..2. 15: xen_mc_flush: flushing 1 hypercalls, 48 arg bytes, 1 callbacks");
        // The batch was held by lazy CPU mode (its issue did not flush): the context switch's end flushes it.
        assertEquals(List.of("0 flush n=0 explicit", "0 update_va_mapping", "0 flush n=0 lazy_leave",
            "0 new_baseptr", "0 new_baseptr"), l.shape());
        List<MmuOp> roots = l.ofKind("new_baseptr");
        assertEquals(0x138090L, roots.get(0).root); // pfn 100a6e -> mfn 138090, learned from the RO mapping
        assertEquals(0, roots.get(0).user);
        assertEquals(0, roots.get(1).root);
        assertEquals(1, roots.get(1).user);
        assertEquals(0, l.stats.batchMismatches);
        assertEquals(0, l.stats.lazyContradictions);
        assertTrue(l.ofKind("lazy_enter").isEmpty()); // LAZY_CPU is not lazy MMU
    }

    @Test
    void opsFollowLinesAcrossCpusEvenWhenDecidedLate() {
        Lowered l = Lowered.of(RO_PAGE_TABLE,
            "  a-1 [000] ...1. 200: xen_mmu_set_pte: ptep ffff888108941300 pteval 00000001023a0025 (raw"
                + " 00000001399c2025)",
            "  b-2 [001] d..1. 201: xen_mmu_flush_tlb_one_user: addr 1000",
            "  b-2 [001] d..1. 202: xen_mc_batch: start batch LAZY_NONE",
            "  b-2 [001] d..1. 203: xen_mc_entry_alloc: alloc entry 24 arg bytes",
            "  b-2 [001] d..1. 204: xen_mc_entry: op 26(mmuext_op) args [ffff88813fe1ead0, 1, 0, 7ff0, 0, 0]",
            "  b-2 [001] d..1. 205: xen_mc_issue: start batch LAZY_MMU",
            "  b-2 [001] d..1. 206: xen_mc_flush: flushing 1 hypercalls, 24 arg bytes, 0 callbacks",
            "  a-1 [000] ...1. 207: xen_mmu_set_pte: ptep ffff888108941308 pteval 00000001023a1025 (raw"
                + " 00000001399c3025)");
        // CPU 0's first set_pte is known to be direct only at line 9, after CPU 1's flush.
        assertEquals(List.of("0 enq", "0 flush n=1 explicit", "1 flush n=0 explicit", "1 invlpg", "0 enq",
            "0 flush n=1 explicit"), l.shape());
        for (int i = 0; i < l.ops.size(); i++) {
            assertEquals(i, l.ops.get(i).seq);
        }
    }

    @Test
    void pinWalkPinsEachPageAfterMakingItReadOnly() {
        Lowered l = Lowered.of(
            "  m-176 [000] ...2. 1: xen_mmu_pgd_pin: mm ffff888100061b00 pgd ffff888100a6e000",
            "  m-176 [000] d..2. 2: xen_mc_batch: start batch LAZY_NONE",
            "  m-176 [000] d..2. 3: xen_mc_entry_alloc: alloc entry 0 arg bytes",
            "  m-176 [000] d..3. 4: xen_mc_entry: op 14(update_va_mapping) args [ffff8881089fd000, 800000018001f061, 0,"
                + " 0, 0, 0]",
            "  m-176 [000] d..3. 5: xen_mc_extend_args: extending op 26(mmuext_op) by 24 bytes res BAD_OP",
            "  m-176 [000] d..3. 6: xen_mc_entry_alloc: alloc entry 24 arg bytes",
            "  m-176 [000] d..3. 7: xen_mc_entry: op 26(mmuext_op) args [ffff88813fe1ead0, 1, 0, 7ff0, 0, 0]",
            "  m-176 [000] d..3. 8: xen_mc_callback: callback xen_pte_unlock, data ffffea0004227f68",
            "  m-176 [000] d..3. 9: xen_mc_entry_alloc: alloc entry 0 arg bytes",
            "  m-176 [000] d..3. 10: xen_mc_entry: op 14(update_va_mapping) args [ffff888100a6e000, 8000000138090061,"
                + " 1, 0, 0, 0]",
            "  m-176 [000] d..3. 11: xen_mc_extend_args: extending op 26(mmuext_op) by 24 bytes res BAD_OP",
            "  m-176 [000] d..3. 12: xen_mc_entry_alloc: alloc entry 24 arg bytes",
            "  m-176 [000] d..3. 13: xen_mc_entry: op 26(mmuext_op) args [ffff88813fe1eae8, 1, 0, 7ff0, 0, 0]",
            "  m-176 [000] d..3. 14: xen_mc_issue: start batch LAZY_NONE",
            "  m-176 [000] d..3. 15: xen_mc_flush: flushing 4 hypercalls, 48 arg bytes, 1 callbacks");
        List<MmuOp> pins = l.ofKind("pin");
        assertEquals(2, pins.size());
        assertEquals(0x18001fL, pins.get(0).mfn);
        assertEquals(1, pins.get(0).level);
        assertEquals(0x138090L, pins.get(1).mfn);
        assertEquals(4, pins.get(1).level);
        assertEquals(0, l.stats.batchMismatches);
    }

    @Test
    void hashedPointersLeavePteUnknown() {
        Lowered l = Lowered.of("  init-1 [000] ...1. 15.774310: xen_mmu_set_pte: ptep (____ptrval____) pteval"
            + " 800000013b0d9967 (raw 80000001b26fb967)");
        assertEquals(MmuOp.NONE, l.ops.get(0).pte);
        assertEquals(0x80000001b26fb967L, l.ops.get(0).val);
        assertEquals(1, l.stats.hashedEntries);
        assertNull(l.ops.get(0).mask);
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
