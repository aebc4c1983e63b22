package org.ptorder.analyze.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.analyze.bench.SynthOps;
import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.store.DuckStore;

/** The checker's modelling decisions (README-check.md), one small trace each. */
class CheckerTest {
    @TempDir
    Path dir;

    CheckResult check(String body, CheckOptions opt, String system) throws Exception {
        Path f = dir.resolve("t" + System.nanoTime() + ".pmt");
        Files.writeString(f, "#! ptorder-pmap 1\n#! cpus=2" + (system == null ? "" : " system=" + system) + "\n" + body);
        return PmtCheck.check(f, opt, null, 0);
    }

    CheckResult check(String body) throws Exception {
        return check(body, CheckOptions.defaults(), null);
    }

    static List<String> keys(CheckResult r) {
        List<String> l = new ArrayList<>();
        for (Finding f : r.findings()) {
            l.add(f.cls().text() + " " + f.label().text() + " " + f.coverage().text() + " " + f.writer().seq() + "->"
                + f.reader().seq());
        }
        return l;
    }

    static final String LOCKED_ENQ = """
        100 0 lock lock=L
        110 0 enq pte=0x1a2b3ff8 val=0 old=0x12345067 %s
        120 0 unlock lock=L
        130 1 lock lock=L
        """;

    @Test
    void coverageOfAnInvlpgComesFromTheEntrysVaOrItsTablesDeclarationOrIsUnknown() throws Exception {
        assertEquals(List.of("V1 LATENT va 2->5"),
            keys(check("0 0 map_table mfn=0x1a2b3 level=1 va=0x7f600000\n" + LOCKED_ENQ.formatted("va=0x7f7ff000")
                + "140 1 invlpg va=0x7f7ff000\n")));
        assertEquals(List.of("V1 LATENT map_table 2->5"),
            keys(check("0 0 map_table mfn=0x1a2b3 level=1 va=0x7f600000\n" + LOCKED_ENQ.formatted("")
                + "140 1 invlpg va=0x7f7ff000\n")));
        assertEquals(List.of(), keys(check("0 0 map_table mfn=0x1a2b3 level=1 va=0x7f600000\n"
            + LOCKED_ENQ.formatted("") + "140 1 invlpg va=0x7f7fe000\n")), "another page: not covered");
        CheckResult unknown = check(LOCKED_ENQ.formatted("") + "140 1 invlpg va=0x7f7ff000\n");
        assertEquals(List.of("V1 LATENT unknown 1->4"), keys(unknown));
        assertTrue(unknown.undecided().stream().anyMatch(u -> u.reason().contains("no VA and no known table range")));
        assertEquals(List.of("V1 LATENT full 1->4"), keys(check(LOCKED_ENQ.formatted("") + "140 1 tlb_flush\n")));
    }

    @Test
    void tableRangesAreLearnedFromAnEntryWithItsVaAndFromReplayedParentEntries() throws Exception {
        // an enqueue naming entry 0x1ff and va 0x7f7ff000 of an undeclared table teaches its range
        String learned = """
            10 0 enq pte=0x1a2b3ff8 val=0x5067 va=0x7f7ff000
            20 0 flush n=1 reason=explicit
            """ + LOCKED_ENQ.replace("0x1a2b3ff8", "0x1a2b3ff0").formatted("") + "140 1 invlpg va=0x7f7fe000\n";
        assertEquals(List.of("V1 LATENT learned 3->6"), keys(check(learned)));
        // an applied L2 entry of a declared L2 table points to an undeclared L1 table: its range is known by walk
        String walk = """
            0 0 map_table mfn=0x1a2b2 level=2 va=0x40000000
            10 0 enq pte=0x1a2b2fd8 val=0x1a2b3067
            20 0 flush n=1 reason=explicit
            """ + LOCKED_ENQ.formatted("") + "140 1 invlpg va=0x7f7ff000\n";
        assertEquals(List.of("V1 LATENT walk 4->7"), keys(check(walk)));
    }

    @Test
    void aBaseSwitchToARootTheTraceCannotNameStillLeavesTheOldRoot() throws Exception {
        // the real run-b case: a switch to swapper_pg_dir, whose frame ftrace lowering cannot translate
        String t = """
            10 1 new_baseptr root=0x1b000
            20 1 new_baseptr root=0x%s
            30 1 unpin mfn=0x1b000
            """;
        assertEquals(List.of("V5-live-root OBSERVED root 0->1"), keys(check("10 1 new_baseptr root=0x1b000\n"
            + "30 1 unpin mfn=0x1b000\n")));
        assertEquals(List.of(), keys(check(t.formatted("1c000"))));
        // root= is required in .pmt, so the unnamed root is simulated through the op stream directly
        TraceFacts facts = new TraceFacts();
        facts.declareCpus(1);
        facts.add(Op.UNPIN, 1);
        Checker c = new Checker(CheckOptions.defaults(), facts);
        c.accept(op(0, 0, Op.NEW_BASEPTR, o -> o.root = 0x1b000));
        c.accept(op(1, 0, Op.NEW_BASEPTR, o -> { }));
        c.accept(op(2, 0, Op.UNPIN, o -> o.mfn = 0x1b000));
        assertEquals(List.of(), keys(c.finish()));
    }

    @Test
    void whatIsKnownOfATablesEntriesEndsWhenThePageIsFreedOrReused() throws Exception {
        // entry 0 of table 0x5000 maps frame 0x77; the table page is freed and reused (zeroed, untraced);
        // a later write of that entry does not unmap 0x77 any more, so freeing 0x77 is no V6
        String t = """
            10 0 enq pte=0x5000000 val=0x77067 old=0
            20 0 flush n=1 reason=explicit
            30 0 frame_free mfn=0x5000
            40 0 frame_alloc mfn=0x5000 purpose=pagetable
            50 0 enq pte=0x5000000 val=0x88067
            60 0 flush n=1 reason=explicit
            70 0 frame_free mfn=0x77
            """;
        assertEquals(List.of(), keys(check(t)));
        assertEquals(List.of("V6 LATENT unknown 2->4"), keys(check(t.replace("30 0 frame_free mfn=0x5000\n", "")
            .replace("40 0 frame_alloc mfn=0x5000 purpose=pagetable\n", ""))), "without the reuse it is one");
    }

    @Test
    void withoutAnySyncEventsCrossCpuPairsAreOnlyBenignRacesAndTheSummarySaysWhy() throws Exception {
        String t = """
            0 0 map_table mfn=0x1a2b3 level=1 va=0x7f600000
            100 0 enq pte=0x1a2b3ff8 val=0 old=0x12345067 va=0x7f7ff000
            110 1 invlpg va=0x7f7ff000
            120 1 access va=0x7f7ff000 frame=0x12345
            130 1 enq pte=0x1a2b3ff8 val=0x99067
            140 1 flush n=1 reason=explicit
            150 0 flush n=1 reason=explicit
            """;
        CheckResult r = check(t);
        assertEquals(List.of("V1 BENIGN-RACE va 1->2"), keys(r), "no V2/V2-unsync: writers cannot be told apart");
        assertTrue(r.findings().get(0).note().contains("no lock, IPI or condvar events"));
        assertTrue(r.undecided().stream().anyMatch(u -> u.classes().equals("V2, V2-unsync")));
        // the same with a lock handoff: the race becomes an OBSERVED V1, and the two writers a V2
        CheckResult s = check(t.replace("110 1 invlpg", "102 0 unlock lock=L\n104 1 lock lock=L\n110 1 invlpg")
            .replace("100 0 enq", "90 0 lock lock=L\n100 0 enq"));
        assertEquals(List.of("V1 OBSERVED va 2->5", "V2 OBSERVED pte 2->7"), keys(s));
    }

    @Test
    void inALinuxLazyBatchTlbOpsTakeEffectWhenTheBatchIsIssued() throws Exception {
        String t = """
            0 0 map_table mfn=0x1a2b3 level=1 va=0x7f600000
            10 0 lazy_enter
            20 0 enq pte=0x1a2b3ff8 val=0 old=0x12345067 va=0x7f7ff000
            30 0 invlpg va=0x7f7ff000
            40 0 flush n=2 reason=lazy_leave
            50 0 lazy_leave
            """;
        assertEquals(List.of(), keys(check(t, CheckOptions.defaults(), "linux")), "the invlpg follows the update in the batch");
        assertEquals(List.of("V1 LATENT va 2->3"), keys(check(t.replace("n=2", "n=1"), CheckOptions.defaults(), null)),
            "read as recorded (netbsd), the invlpg overtakes the queued update");
    }

    @Test
    void memoryIsBoundedByPageTableStateNotByTraceLength() {
        long small = run(400_000);
        long large = run(4_000_000);
        assertTrue(large <= small * 1.3 + 2000, "peak state grew with trace length: " + small + " -> " + large);
    }

    static long run(long n) {
        TraceFacts f = new TraceFacts();
        f.declareCpus(4);
        f.add(Op.LOCK, 1);
        f.add(Op.FRAME_FREE, 1);
        f.add(Op.ACCESS, 1);
        Checker c = new Checker(CheckOptions.defaults(), f);
        SynthOps s = new SynthOps(n, 7, 4, 4);
        while (s.next()) {
            c.accept(s.op());
        }
        return c.finish().peakState();
    }

    @Test
    void aDatabaseGivesTheSameFindingsAsTheFile() throws Exception {
        for (Path f : LitmusTest.files()) {
            Path db = dir.resolve(f.getFileName() + ".duckdb");
            Ingest.run(List.of(f), db, Ingest.Options.defaults());
            String sys = PmtCheck.scan(f).header().system();
            CheckRun.Outcome o = CheckRun.run(db, CheckOptions.defaults(), sys, false, -1);
            assertEquals(keys(PmtCheck.check(f, CheckOptions.defaults(), null, 0)), keys(o.files().get(0).result()),
                f.toString());
            try (Connection c = DuckStore.open(db, false)) {
                assertEquals(Set.of(0), Set.copyOf(DbOps.files(c)));
            }
        }
    }

    static org.ptorder.ingest.mmu.MmuOp op(long seq, int cpu, Op op, java.util.function.Consumer<org.ptorder.ingest.mmu.MmuOp> f) {
        org.ptorder.ingest.mmu.MmuOp o = new org.ptorder.ingest.mmu.MmuOp(cpu, op);
        o.seq = seq;
        o.ts = seq * 10;
        f.accept(o);
        return o;
    }
}
