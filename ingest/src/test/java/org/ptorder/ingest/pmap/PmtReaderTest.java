package org.ptorder.ingest.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.pmap.PmtHeader.Clock;

class PmtReaderTest {
    /** DESIGN.md "The pmap text trace format (.pmt)", verbatim. */
    static final String DESIGN_EXAMPLE = """
        #! ptorder-pmap 1
        #! cpus=2 clock=ns system=netbsd
        # time cpu op key=value ...
        100 0 lock lock=pmap1
        110 0 enq pte=0x1a2b3008 val=0 va=0x7f7ff000
        120 0 unlock lock=pmap1
        130 1 lock lock=pmap1
        140 1 invlpg va=0x7f7ff000
        150 1 access va=0x7f7ff000
        160 1 unlock lock=pmap1
        """;

    @Test
    void designExampleParsesToTheExpectedOps() {
        PmtReader r = Pmt.reader(DESIGN_EXAMPLE, 0, Pmt.warnings());
        assertEquals(new PmtHeader(1, 2, Clock.NS, "netbsd", 0, MmuOp.NONE, Map.of()), r.header());
        List<MmuOp> ops = Pmt.read(DESIGN_EXAMPLE);
        // ts counts from the first event (no origin= directive); seq from 0; srcLine is the file line.
        assertEquals(List.of(
            "ts=0x0 cpu=0 op=LOCK lock=pmap1 srcLine=0x4",
            "seq=0x1 ts=0xa cpu=0 op=ENQ pte=0x1a2b3008 val=0x0 va=0x7f7ff000 kind=pt srcLine=0x5",
            "seq=0x2 ts=0x14 cpu=0 op=UNLOCK lock=pmap1 srcLine=0x6",
            "seq=0x3 ts=0x1e cpu=1 op=LOCK lock=pmap1 srcLine=0x7",
            "seq=0x4 ts=0x28 cpu=1 op=INVLPG va=0x7f7ff000 srcLine=0x8",
            "seq=0x5 ts=0x32 cpu=1 op=ACCESS va=0x7f7ff000 srcLine=0x9",
            "seq=0x6 ts=0x3c cpu=1 op=UNLOCK lock=pmap1 srcLine=0xa"),
            ops.stream().map(o -> Pmt.present(o).replace("seq=0x0 ", "")).toList());
    }

    @Test
    void everyOpWithEveryKey() {
        String text = """
            #! ptorder-pmap 1
            #! cpus=4 origin=0
            1 0 enq pte=0x1000 val=0x8000000000000067 old=0x1067 va=0x7000 kind=ad thread=7 tsc=99 at=pmap.c:10
            2 0 flush n=3 done=2 reason=full
            3 0 tlb_flush
            4 0 invlpg va=0x7000
            5 0 tlb_flush_multi mask=1-3
            6 0 invlpg_multi va=0x7000 mask=0x5
            7 0 tlb_flush_all
            8 0 invlpg_all va=0x7000
            9 0 new_baseptr root=0x1a2b0 user=1
            10 0 pin mfn=0x1a2b3 level=1
            11 0 unpin mfn=0x1a2b3
            12 0 map_table mfn=0x1a2b3 level=1 va=0x7f600000
            13 0 update_va_mapping va=0x7000 val=0x2067 flags=2
            14 0 oob_read pte=0x1000 val=0x1067
            15 0 rmw pte=0x1000 expect=0x1067 new=0x3067 ok=0
            16 0 access va=0x7000 frame=0x1
            17 0 frame_free mfn=0x1a2b3
            18 0 frame_alloc mfn=0x1a2b3 purpose=data
            19 0 lock lock=L
            20 0 unlock lock=L
            21 0 ipi_send ipi=5 dst=0,2-3
            22 1 ipi_recv ipi=5
            23 1 ipi_ack ipi=5
            24 0 ipi_done ipi=5
            25 0 cv_wait cv=q
            26 0 cv_wake cv=q
            27 0 cv_broadcast cv=q
            28 0 lazy_enter
            29 0 lazy_leave
            30 0 migrate thread=7 to=3
            31 0 hypercall op=mmu_update count=0x10 dur=250
            32 0 hypercall op=26
            """;
        List<MmuOp> ops = Pmt.read(text);
        assertEquals(Op.values().length + 1, ops.size());
        for (int i = 0; i < Op.values().length; i++) {
            assertEquals(Op.values()[i], ops.get(i).op, "line " + (i + 3));
        }
        assertEquals("ts=0x1 tsc=0x63 cpu=0 thread=0x7 op=ENQ pte=0x1000 val=0x8000000000000067 old=0x1067 va=0x7000"
            + " kind=ad srcLine=0x3 at=pmap.c:10", Pmt.present(ops.get(0), "seq"));
        assertEquals("n=0x3 done=0x2 reason=full", Pmt.present(ops.get(1), "seq", "ts", "cpu", "op", "srcLine"));
        assertEquals("1-3", MmuOp.cpuList(ops.get(4).mask));
        assertEquals("0,2", MmuOp.cpuList(ops.get(5).mask));
        assertEquals(1, ops.get(8).user);
        assertEquals(1, ops.get(9).level);
        assertEquals("expect=0x1067 newVal=0x3067 ok=0", Pmt.present(ops.get(14), "seq", "ts", "cpu", "op", "srcLine", "pte"));
        assertEquals("data", ops.get(17).purpose);
        assertEquals("0,2-3", MmuOp.cpuList(ops.get(20).dst));
        assertEquals(3, ops.get(29).to);
        assertEquals(7, ops.get(29).thread);
        assertEquals("hcOp=1 count=0x10 dur=0xfa", Pmt.present(ops.get(30), "seq", "ts", "cpu", "op", "srcLine"));
        assertEquals(26, ops.get(31).hcOp);
    }

    @Test
    void clocksOriginAndRates() {
        List<MmuOp> us = Pmt.read("#! ptorder-pmap 1\n#! clock=us origin=5\n7 0 tlb_flush\n");
        assertEquals(2000, us.get(0).ts);
        assertEquals(MmuOp.NONE, us.get(0).tsc);

        String cycles = "#! ptorder-pmap 1\n#! clock=cycles hz=2G\n1000 0 tlb_flush\n3000 1 tlb_flush\n";
        List<MmuOp> c = Pmt.read(cycles);
        assertEquals(List.of(0L, 1000L), c.stream().map(o -> o.ts).toList());
        assertEquals(List.of(1000L, 3000L), c.stream().map(o -> o.tsc).toList());

        // Without hz= the command line's rate is used; without either, ts stays absent.
        String noRate = "#! ptorder-pmap 1\n#! clock=cycles\n1000 0 tlb_flush\n3000 0 tlb_flush\n";
        try (PmtReader r = Pmt.reader(noRate, 1_000_000_000L, Pmt.warnings())) {
            assertTrue(r.next());
            assertTrue(r.next());
            assertEquals(2000, r.op().ts);
            assertEquals(1_000_000_000L, r.header().hz());
        }
        try (PmtReader r = Pmt.reader(noRate, 0, Pmt.warnings())) {
            assertTrue(r.next());
            assertEquals(MmuOp.NONE, r.op().ts);
            assertEquals(1000, r.op().tsc);
            assertFalse(r.hasNs());
        }
    }

    @Test
    void layoutFreedoms() {
        // CRLF, tabs, blank lines, indented comments, trailing comments, hex times and CPUs,
        // extension directives, a last line without a newline.
        String text = "#! ptorder-pmap 1\r\n#! x-source=netbsd-xpq.d   cpus=2\r\n\r\n   # indented comment\r\n"
            + "0x10\t0x1\tinvlpg\tva=0x7000   # why: test\r\n\t\n20 1 tlb_flush";
        PmtReader r = Pmt.reader(text, 0, Pmt.warnings());
        assertEquals(Map.of("x-source", "netbsd-xpq.d"), r.header().extensions());
        List<MmuOp> ops = Pmt.read(text);
        assertEquals(2, ops.size());
        assertEquals(1, ops.get(0).cpu);
        assertEquals(0x7000, ops.get(0).va);
        assertEquals(5, ops.get(0).srcLine);
        assertEquals(4, ops.get(1).ts);
        assertEquals(7, ops.get(1).srcLine);
    }

    @Test
    void cpuSetForms() {
        List<MmuOp> ops = Pmt.read("#! ptorder-pmap 1\n1 0 tlb_flush_multi mask=3,0-1,7\n2 0 tlb_flush_multi mask=0x0\n"
            + "3 0 tlb_flush_multi mask=0x8000000000000000\n");
        BitSet a = new BitSet();
        a.set(0, 2);
        a.set(3);
        a.set(7);
        assertEquals(a, ops.get(0).mask);
        assertTrue(ops.get(1).mask.isEmpty());
        assertEquals(63, ops.get(2).mask.nextSetBit(0));
    }

    @Test
    void enqKindDefaultsToPt() {
        assertEquals("pt", Pmt.read("#! ptorder-pmap 1\n1 0 enq pte=8 val=0\n").get(0).kind);
        assertEquals("m2p", Pmt.read("#! ptorder-pmap 1\n1 0 enq pte=8 val=0 kind=m2p\n").get(0).kind);
    }

    @Test
    void headerOnlyAndEmptyTrace() {
        try (PmtReader r = Pmt.reader("#! ptorder-pmap 1\n#! cpus=1\n# nothing happened\n", 0, Pmt.warnings())) {
            assertFalse(r.next());
            assertEquals(0, r.events());
            assertEquals(-1, r.maxCpu());
            assertNull(r.header().system());
        }
    }

    @Test
    void timeOutOfOrderAcrossCpusIsAWarningNotAnError() {
        WarningList w = Pmt.warnings();
        List<MmuOp> ops = Pmt.read("#! ptorder-pmap 1\n100 0 tlb_flush\n90 1 tlb_flush\n100 1 tlb_flush\n", w);
        assertEquals(3, ops.size());
        assertEquals(1, w.total());
        WarningList.Warning warning = w.rows().get(0);
        assertEquals(3, warning.offset());
        assertEquals(1, warning.cpu());
        assertEquals("time_order", warning.kind());
        assertTrue(warning.message().startsWith("time 90 on cpu 1 is earlier than time 100 (line 2, cpu 0)"),
            warning.message());
    }

    @Test
    void longLinesGrowTheBuffer() {
        String at = "x".repeat(200_000);
        List<MmuOp> ops = Pmt.read("#! ptorder-pmap 1\n1 0 tlb_flush at=" + at + "\n2 0 tlb_flush at=" + at + "\n");
        assertEquals(2, ops.size());
        assertEquals(at, ops.get(1).at);
        assertTrue(ops.get(0).at == ops.get(1).at, "repeated names are interned");
    }
}
