package org.ptorder.ingest.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.mmu.MmuOp;

/** Values from both spellings: the kernel's rendering and libtraceevent's [FAILED TO PARSE] pairs. */
class FieldsTest {
    private final LineParser parser = new LineParser();

    private FtraceLine line(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        FtraceLine l = new FtraceLine();
        assertTrue(parser.parse(l, b, 0, b.length));
        return l;
    }

    @Test
    void failedToParseSetPteGivesThePointerAndTheRawValueInDecimal() {
        EntryWrite w = new EntryWrite();
        // The first set_pte of run-a in trace-cmd report and in the kernel text: same record.
        assertTrue(w.decode(line("  init-1 [000] 15.774310: xen_mmu_set_pte: [FAILED TO PARSE] ptep=0xffff888101f50f50"
            + " pteval=9223372044143409511"), new Fields()));
        assertEquals(0xffff888101f50f50L, w.ptr);
        assertEquals(0x80000001b26fb967L, w.raw);
        assertEquals(MmuOp.NONE, w.pfnView);
        assertTrue(w.complete);
        assertTrue(w.decode(line("  init-1 [000] ...1. 15.774310: xen_mmu_set_pte: ptep (____ptrval____) pteval"
            + " 800000013b0d9967 (raw 80000001b26fb967)"), new Fields()));
        assertEquals(MmuOp.NONE, w.ptr);
        assertTrue(w.hashed);
        assertEquals(0x80000001b26fb967L, w.raw);
        assertEquals(0x800000013b0d9967L, w.pfnView);
    }

    @Test
    void setP4dStoresThePseudoPhysicalValueAndMayWriteTheUserPgd() {
        EntryWrite w = new EntryWrite();
        w.decode(line("init-1 [001] ...1. 71577685368: xen_mmu_set_p4d: p4dp ffff888100a6e000 user_p4dp"
            + " ffff888108958000 p4dval 00000000512b0067 (raw 0000000108957067)"), new Fields());
        assertTrue(w.rawIsPseudoPhysical);
        assertTrue(w.hasUser);
        assertEquals(0xffff888108958000L, w.userPtr);
        assertEquals(0x108957067L, w.raw);
        w.decode(line("init-1 [000] 15.775134: xen_mmu_set_p4d: [FAILED TO PARSE] p4dp=0xffff888101f5c000"
            + " user_p4dp=0x0 p4dval=4438663271"), new Fields());
        assertFalse(w.hasUser);
        assertEquals(4438663271L, w.raw);
        w.decode(line("init-1 [000] ...1. 1.0: xen_mmu_set_p4d: p4dp (____ptrval____) user_p4dp (____ptrval____)"
            + " p4dval 0000000051263067 (raw 000000010890a067)"), new Fields());
        assertTrue(w.hasUser); // hashed, but there
    }

    @Test
    void modifyProtFallbackHasTheAddressInHex() {
        EntryWrite w = new EntryWrite();
        w.decode(line("mmwork-176 [001] 15.819881: xen_mmu_ptep_modify_prot_start: [FAILED TO PARSE]"
            + " mm=0xffff888100b2a400 addr=0x7fffffffe000 ptep=0xffff888108944ff0 pteval=9223372044143540583"),
            new Fields());
        assertEquals(0x7fffffffe000L, w.addr);
        assertEquals(0xffff888108944ff0L, w.ptr);
        assertTrue(w.complete);
    }

    @Test
    void tlbFlushInBothSpellings() {
        Fields f = new Fields();
        f.at(line("init-1 [000] d..1. 15.778660: tlb_flush: pages:-1 reason:local mm shootdown (3)"));
        assertEquals(-1, f.dec(Keys.PAGES));
        assertEquals(3, f.trailingParenNumber());
        f.at(line("init-1 [000] 15.778660: tlb_flush:            pages=-1 reason=local mm shootdown (3)"));
        assertEquals(-1, f.dec(Keys.PAGES));
        assertEquals(3, f.trailingParenNumber());
    }

    @Test
    void multicallLines() {
        Fields f = new Fields();
        f.at(line("i-1 [000] 1.0: xen_mc_entry: op 14(update_va_mapping) args [ffff8881089f7000, 8000000180019061,"
            + " 0, 0, 0, 0]"));
        assertEquals(14, f.dec(Keys.OP));
        assertEquals(0xffff8881089f7000L, f.listHex(0));
        assertEquals(0x8000000180019061L, f.listHex(1));
        assertEquals(0, f.listHex(2));
        f.at(line("i-1 [000] 1.0: xen_mc_flush: flushing 13 hypercalls, 120 arg bytes, 3 callbacks"));
        assertEquals(13, f.nthNumber(0));
        assertEquals(120, f.nthNumber(1));
        assertEquals(3, f.nthNumber(2));
        f.at(line("i-1 [000] 1.0: xen_mc_extend_args: extending op 26(mmuext_op) by 24 bytes res OK"));
        assertEquals(26, f.dec(Keys.OP));
        assertEquals(24, f.dec(Keys.BY));
        assertTrue(f.endsWith(Keys.OK));
        f.at(line("m-1 [001] 1.0: xen_mmu_flush_tlb_multi: ncpus 2 mm ffff888100061b00 addr 7f4284758000, end"
            + " ffffffffffffffff"));
        assertEquals(2, f.dec(Keys.NCPUS));
        assertEquals(0x7f4284758000L, f.hex(Keys.ADDR));
        assertEquals(-1L, f.hex(Keys.END));
    }
}
