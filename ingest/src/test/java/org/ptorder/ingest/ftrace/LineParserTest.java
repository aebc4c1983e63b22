package org.ptorder.ingest.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The line layouts of reference/xentrace.md §6.3, one awkward feature at a time. */
class LineParserTest {
    private final LineParser parser = new LineParser();

    private FtraceLine parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        FtraceLine l = new FtraceLine();
        assertTrue(parser.parse(l, b, 0, b.length), () -> "not parsed: " + text + " (" + parser.expected + ")");
        return l;
    }

    @Test
    void kernelLineWithFiveCharacterFlags() {
        FtraceLine l = parse("            init-1       [000] ...1.    15.774310: xen_mmu_set_pte: ptep (____ptrval____)"
            + " pteval 800000013b0d9967 (raw 80000001b26fb967)");
        assertEquals("init", l.comm());
        assertEquals(1, l.pid);
        assertEquals(0, l.cpu);
        assertEquals("...1.", l.flags());
        assertEquals(15_774_310_000L, l.time);
        assertFalse(l.cycles);
        assertEquals("15.774310", l.rawTime());
        assertEquals("xen_mmu_set_pte", l.name());
        assertEquals(EventKind.SET_PTE, l.kind);
        assertTrue(l.fields().startsWith("ptep (____ptrval____) pteval"));
    }

    @Test
    void commWithSpacesAndDashesSplitsAtTheLastDashBeforeThePid() {
        FtraceLine l = parse("  Web Content-x-2-1712  [002] d..2.   512.004102: xen_mc_batch: start batch LAZY_MMU");
        assertEquals("Web Content-x-2", l.comm());
        assertEquals(1712, l.pid);
        assertEquals(2, l.cpu);
        assertEquals(EventKind.MC_BATCH, l.kind);
    }

    @Test
    void unknownCommIsNull() {
        FtraceLine l = parse("           <...>-4242    [001] d..2.  1.000001: xen_mc_flush: flushing 0 hypercalls, 0 arg"
            + " bytes, 0 callbacks");
        assertNull(l.comm());
        assertTrue(l.unknownComm);
        assertEquals(4242, l.pid);
    }

    @Test
    void fourCharacterFlagsOfOlderKernels() {
        FtraceLine l = parse("            bash-1712  [002] d..2   512.004102: xen_mc_issue: start batch LAZY_MMU");
        assertEquals("d..2", l.flags());
        assertEquals(512_004_102_000L, l.time);
    }

    @Test
    void traceCmdReportHasNoFlagsAndPadsTheName() {
        FtraceLine l = parse("            init-1     [000]    15.775134: xen_mmu_set_pmd:      [FAILED TO PARSE]"
            + " pmdp=0xffff88810890f010 pmdval=5367881831");
        assertNull(l.flags());
        assertEquals(EventKind.SET_PMD, l.kind);
        assertTrue(l.failedToParse());
        assertEquals("[FAILED TO PARSE] pmdp=0xffff88810890f010 pmdval=5367881831", l.fields());
    }

    @Test
    void cycleTimestampsOfTheX86TscClock() {
        FtraceLine l = parse("            init-1       [001] ...1.  71568784182: xen_mmu_set_pte: ptep ffff888101f8ff50"
            + " pteval 8000000102167967 (raw 8000000139789967)");
        assertTrue(l.cycles);
        assertEquals(71_568_784_182L, l.time);
        assertEquals("71568784182", l.rawTime());
    }

    @Test
    void nanosecondFractionsKeepEveryDigit() {
        assertEquals(17_663_960_559_123L, parse("bash-42511 [010] ...1. 17663.960559123: tlb_flush: pages:1"
            + " reason:local mm shootdown (3)").time);
    }

    @Test
    void perfScriptPrefixesTheSystemAndSeparatesThePidByBlanks() {
        FtraceLine l = parse("            bash  1712 [002]   512.004102: xen:xen_mc_flush: flushing 1 hypercalls,"
            + " 32 arg bytes, 0 callbacks");
        assertEquals("bash", l.comm());
        assertEquals(1712, l.pid);
        assertEquals("xen_mc_flush", l.name());
        assertEquals(EventKind.MC_FLUSH, l.kind);
        assertEquals(EventKind.TLB_FLUSH, parse("x 1 [000] 1.5: tlb:tlb_flush: pages:-1 reason:flush on task switch"
            + " (0)").kind);
    }

    @Test
    void olderEventNamesMapToTheirCurrentKind() {
        assertEquals(EventKind.FLUSH_TLB_MULTI, parse("a-1 [000] 1.0: xen_mmu_flush_tlb_others: ncpus 2 mm"
            + " ffff888100061b00 addr 7f4284758000, end 7f4284759000").kind);
        assertEquals(EventKind.FLUSH_TLB_ONE_USER, parse("a-1 [000] 1.0: xen_mmu_flush_tlb_single: addr 7f00").kind);
        assertEquals(EventKind.SET_PTE, parse("a-1 [000] 1.0: xen_mmu_set_pte_at: mm ffff888100061b00 addr 7f00 ptep"
            + " ffff888101f8ff50 pteval 0 (raw 0)").kind);
        assertEquals(EventKind.SET_P4D, parse("a-1 [000] 1.0: xen_mmu_set_pgd: pgdp ffff888100061b00 user_pgdp"
            + " ffff888100062b00 pgdval 0 (raw 0)").kind);
        assertEquals(EventKind.OTHER, parse("a-1 [000] 1.0: sched_switch: prev_comm=a").kind);
    }

    @Test
    void eventWithoutFieldsAndBracketInComm() {
        FtraceLine l = parse("  kworker/[x]-7 [000] 2.000000: xen_mmu_flush_tlb_all:");
        assertEquals("kworker/[x]", l.comm());
        assertEquals(EventKind.FLUSH_TLB_ALL, l.kind);
        assertEquals("", l.fields());
    }

    @Test
    void nonEventsSayWhatWasExpectedAndWhere() {
        byte[] b = "hello world".getBytes(StandardCharsets.UTF_8);
        assertFalse(parser.parse(new FtraceLine(), b, 0, b.length));
        assertEquals(1, parser.column);
        assertTrue(parser.expected.contains("TASK-PID [CPU]"));
        b = "  bash-1 [000] d..1 notatime: xen_mc_flush: x".getBytes(StandardCharsets.UTF_8);
        assertFalse(parser.parse(new FtraceLine(), b, 0, b.length));
        assertEquals(21, parser.column);
        assertTrue(parser.expected.contains("timestamp"));
        b = "  bash-1 [000] 1.5: no event here".getBytes(StandardCharsets.UTF_8);
        assertFalse(parser.parse(new FtraceLine(), b, 0, b.length));
        assertEquals(21, parser.column);
        assertTrue(parser.expected.contains("event name"));
    }

    /** Digits are converted a word at a time: every run length across the word edges, and the limits. */
    @Test
    void timestampsOfEveryLengthConvertExactly() {
        for (int n = 1; n <= 18; n++) {
            String digits = "987654321098765432".substring(0, n);
            FtraceLine l = parse("a-12345678 [000] " + digits + ": x: y");
            assertEquals(Long.parseLong(digits), l.time, digits);
            assertEquals(12345678, l.pid);
        }
        byte[] tooLong = "a-1 [000] 1234567890123456789: x: y".getBytes(StandardCharsets.UTF_8);
        assertFalse(parser.parse(new FtraceLine(), tooLong, 0, tooLong.length));
        for (int n = 0; n <= 12; n++) {
            String frac = "123456789012".substring(0, n);
            long ns = n == 0 ? 0 : Long.parseLong((frac + "000000000").substring(0, 9));
            assertEquals(42 * 1_000_000_000L + ns, parse("a-1 [000] 42." + frac + ": x: y").time, frac);
        }
        for (int pid = 1; pid <= 999_999_999; pid = pid * 10 + pid % 7) {
            assertEquals(pid, parse("comm-" + pid + " [001] 1.0: x: y").pid);
            assertEquals(pid, parse("c-" + pid + " [001] 1.0: x: y").pid);
        }
    }
}
