package org.ptorder.ingest.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ptorder.ingest.common.TraceInputException;

/**
 * Each kind of bad input stops the read with one message naming the file, line and 1-based
 * column of the offending token and what was expected there. Columns are counted by hand below.
 */
class PmtErrorsTest {
    private static final String H = "#! ptorder-pmap 1\n#! cpus=2\n"; // events start on line 3

    static Stream<Arguments> cases() {
        return Stream.of(
            // --- the format line
            bad("", "line 1, column 1: expected the format header '#! ptorder-pmap 1'; found an empty file"),
            bad("# hello\n", "line 1, column 1: expected the format header '#! ptorder-pmap 1' as the first line;"
                + " found '# hello'"),
            bad("#! ptorder-pmap 2\n", "line 1, column 17: expected format version 1 (the only version this reader"
                + " knows); found '2'"),
            bad("#! ptorder-pmap\n", "line 1, column 16: expected a format version after 'ptorder-pmap'; found end"
                + " of line"),
            bad("#! ptorder-pmap 1 x\n", "line 1, column 19: expected end of line after the format version; found 'x'"),
            // --- directives
            bad("#! ptorder-pmap 1\n#! cpu=2\n", "line 2, column 4: expected a directive (cpus=, clock=, system=, hz=,"
                + " origin=, or x-NAME= for extensions); found 'cpu'"),
            bad("#! ptorder-pmap 1\n#! cpus=2\n#! clock=ns cpus=3\n", "line 3, column 13: expected each directive"
                + " once; found a second cpus= (first on line 2)"),
            bad("#! ptorder-pmap 1\n#! clock=ms\n", "line 2, column 10: expected clock= ns, us or cycles; found 'ms'"),
            bad("#! ptorder-pmap 1\n#! system=plan9\n", "line 2, column 11: expected system= netbsd or linux; found"
                + " 'plan9'"),
            bad("#! ptorder-pmap 1\n#! cpus=0\n", "line 2, column 9: expected cpus= between 1 and 4096; found '0'"),
            bad("#! ptorder-pmap 1\n#! hz=2G\n", "line 2, column 4: expected hz= only with clock=cycles (clock=ns,"
                + " the default needs no rate); found hz="),
            bad("#! ptorder-pmap 1\n#! clock=cycles hz=fast\n", "line 2, column 20: expected hz= as cycles per second"
                + " (e.g. 2095996000, 2.1G); found 'fast'"),
            bad("#! ptorder-pmap 1\n#! ptorder-pmap 1\n", "line 2, column 4: expected key=value directives; found a"
                + " second format header (one trace per file: concatenated traces are not supported)"),
            bad("#! ptorder-pmap 1\n#! origin\n", "line 2, column 4: expected a directive key=value; found 'origin'"),
            bad(H + "1 0 tlb_flush\n#! cpus=4\n", "line 4, column 1: expected an event line; found a '#!' directive"
                + " after the first event (directives belong in the header)"),
            // --- time and CPU columns
            bad(H + "1x0 0 tlb_flush\n", "line 3, column 1: expected a time (decimal, or hex with 0x); found '1x0'"),
            bad(H + "0x8000000000000000 0 tlb_flush\n", "line 3, column 1: expected a time below 2^63; found"
                + " '0x8000000000000000'"),
            bad(H + "100\n", "line 3, column 4: expected a CPU number after the time; found end of line"),
            bad(H + "100 2 tlb_flush\n", "line 3, column 5: expected a CPU number below 2 (cpus=2); found '2'"),
            bad(H + "100 x tlb_flush\n", "line 3, column 5: expected a CPU number (decimal, or hex with 0x); found 'x'"),
            bad(H + "100 0 tlb_flush_multi mask=0x10000000000000000\n", "line 3, column 28: expected a bit mask of at"
                + " most 64 bits for mask=; found '0x10000000000000000'"),
            bad(H + "100 0 tlb_flush\n90 0 tlb_flush\n", "line 4, column 1: expected a time >= 100 (the previous"
                + " event of cpu 0, line 3); found 90"),
            // --- ops and keys
            bad(H + "100 0\n", "line 3, column 6: expected an op after the CPU; found end of line"),
            bad(H + "100 0 flushh\n", "line 3, column 7: expected an op (enq, flush, tlb_flush, invlpg,"
                + " tlb_flush_multi, invlpg_multi, tlb_flush_all, invlpg_all, new_baseptr, pin, unpin, map_table,"
                + " update_va_mapping, oob_read, rmw, access, frame_free, frame_alloc, lock, unlock, ipi_send,"
                + " ipi_recv, ipi_ack, ipi_done, cv_wait, cv_wake, cv_broadcast, lazy_enter, lazy_leave, migrate,"
                + " hypercall); found 'flushh'"),
            bad(H + "100 0 invlpg va\n", "line 3, column 14: expected key=value; found 'va'"),
            bad(H + "100 0 invlpg pte=1\n", "line 3, column 14: expected a key of invlpg (va=, thread=?, tsc=?,"
                + " at=?); found 'pte'"),
            bad(H + "100 0 invlpg va=1 va=2\n", "line 3, column 19: expected each key once; found a second va="),
            bad(H + "100 0 invlpg va=\n", "line 3, column 17: expected a value after va=; found nothing"),
            bad(H + "100 0 enq pte=8\n", "line 3, column 16: expected val= on every enq event; found end of line"),
            bad(H + "100 0 migrate to=1\n", "line 3, column 19: expected thread= on every migrate event; found end"
                + " of line"),
            // --- values
            bad(H + "100 0 invlpg va=0x12g\n", "line 3, column 17: expected a number (decimal, or hex with 0x) for"
                + " va=; found '0x12g'"),
            bad(H + "100 0 invlpg va=0x1ffffffffffffffff\n", "line 3, column 17: expected a number below 2^64 for va=;"
                + " found '0x1ffffffffffffffff'"),
            bad(H + "100 0 invlpg va=18446744073709551616\n", "line 3, column 17: expected a number below 2^64 for va=;"
                + " found '18446744073709551616'"),
            bad(H + "100 0 invlpg va=0x8000000000000000\n", "line 3, column 17: expected a value other than"
                + " 0x8000000000000000 for va= (ptorder reserves it for 'absent'); found 0x8000000000000000"),
            bad(H + "100 0 enq pte=8 val=0 kind=xx\n", "line 3, column 28: expected kind= pt, ad, m2p; found 'xx'"),
            bad(H + "100 0 flush n=1 reason=later\n", "line 3, column 24: expected reason= explicit, full, mmuext,"
                + " unlock, lazy_leave; found 'later'"),
            bad(H + "100 0 new_baseptr root=1 user=2\n", "line 3, column 31: expected 0 or 1 for user=; found '2'"),
            bad(H + "100 0 pin mfn=1 level=5\n", "line 3, column 23: expected a page-table level 1-4 for level=;"
                + " found '5'"),
            bad(H + "100 0 flush n=1 done=2 reason=explicit\n", "line 3, column 17: expected done <= n (1); found 2"),
            bad(H + "100 0 migrate thread=1 to=5\n", "line 3, column 27: expected a CPU number below 2 (cpus=2) for"
                + " to=; found '5'"),
            bad(H + "100 0 hypercall op=nope\n", "line 3, column 20: expected a hypercall number or name"
                + " (mmu_update, mmuext_op, ...) for op=; found 'nope'"),
            bad("#! ptorder-pmap 1\n#! clock=cycles\n100 0 tlb_flush tsc=5\n", "line 3, column 17: expected no tsc="
                + " with clock=cycles (the time column is the cycle count); found tsc="),
            // --- CPU sets
            bad(H + "100 0 tlb_flush_multi mask=0,2\n", "line 3, column 30: expected a CPU number below 2 (cpus=2)"
                + " for mask=; found '2'"),
            bad(H + "100 0 tlb_flush_multi mask=1-0\n", "line 3, column 28: expected a range low-high with low <="
                + " high in mask=; found '1-0'"),
            bad(H + "100 0 tlb_flush_multi mask=0x4\n", "line 3, column 28: expected CPUs below 2 (cpus=2) in mask=;"
                + " found CPU 2 in '0x4'"),
            bad(H + "100 0 tlb_flush_multi mask=0,,1\n", "line 3, column 30: expected a CPU number in the list mask=;"
                + " found ','"),
            bad(H + "100 0 tlb_flush_multi mask=0,\n", "line 3, column 30: expected a CPU number after ',' in mask=;"
                + " found nothing"),
            bad(H + "100 0 ipi_send ipi=1 dst=a\n", "line 3, column 26: expected a CPU list (0,2-3) or hex bit mask"
                + " (0xd) for dst=; found 'a'"),
            bad(H + "100 0 ipi_send ipi=1 dst=0-1-2\n", "line 3, column 29: expected ',' or the end of the CPU list"
                + " in dst=; found '-'"));
    }

    private static Arguments bad(String text, String where) {
        return Arguments.of(text, "t.pmt: " + where);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void badInputIsReportedPrecisely(String text, String expected) {
        TraceInputException e = assertThrows(TraceInputException.class, () -> Pmt.read(text));
        assertEquals(expected, e.oneLine());
    }
}
