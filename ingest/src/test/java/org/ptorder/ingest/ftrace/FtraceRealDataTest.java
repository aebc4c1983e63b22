package org.ptorder.ingest.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptorder.ingest.RealData;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.common.Sha256;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.store.DuckStore;

/**
 * The three real ftrace texts of the Xen 4.17 / Linux 6.1 PV dom0 capture, ingested once into
 * one database: file 0 = run-a kernel text (local clock, hashed %p), 1 = run-a trace-cmd
 * report (same events, [FAILED TO PARSE], LAZY_NONE), 2 = run-b kernel text (x86-tsc, real
 * pointers). Expected numbers come from the capture's own histograms or are recomputed here in
 * SQL from guest_events, never written down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtraceRealDataTest {
    private static final int KERNEL_A = 0;
    private static final int REPORT_A = 1;
    private static final int KERNEL_B = 2;
    private static final long CPU_HZ = 2_095_996_000L; // Xen's measurement, in the capture README

    private final Path[] inputs = {
        RealData.run(RealData.RUN_A, "ftrace-kernel-trace.txt.gz"),
        RealData.run(RealData.RUN_A, "ftrace-report.txt.gz"),
        RealData.run(RealData.RUN_B, "ftrace-kernel-trace.txt.gz")};
    private final String[] runs = {RealData.RUN_A, RealData.RUN_A, RealData.RUN_B};
    private Path dir;
    private Connection db;

    @BeforeAll
    void ingest() throws Exception {
        dir = Files.createTempDirectory("ptorder-ftrace-real");
        Path out = dir.resolve("real.duckdb");
        Ingest.run(List.of(inputs), out, new Ingest.Options(CPU_HZ, Progress.NONE));
        db = DuckStore.open(out, false);
    }

    @AfterAll
    void close() throws SQLException, IOException {
        if (db != null) {
            db.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    // ---- reading -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {KERNEL_A, REPORT_A, KERNEL_B})
    void everyEventIsReadAndCountedAsTheCaptureCountedIt(int file) throws Exception {
        Map<String, Long> oracle = new TreeMap<>();
        for (String l : Files.readAllLines(RealData.run(runs[file], "ftrace-event-counts.txt"))) {
            String[] w = l.trim().split("\\s+");
            oracle.put(w[1].replaceAll(":$", ""), Long.parseLong(w[0]));
        }
        Map<String, Long> ours = new TreeMap<>();
        try (PreparedStatement ps = db.prepareStatement(
            "SELECT name, count(*) FROM guest_events WHERE file_id = ? GROUP BY name")) {
            ps.setInt(1, file);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ours.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        assertEquals(oracle, ours);
        long total = oracle.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(total, q("SELECT records FROM trace_files WHERE file_id = ?", file));
        assertEquals(0, q("SELECT count(*) FROM ingest_warnings WHERE file_id = ? AND kind = 'unparsed_line'", file));
    }

    @Test
    void eventTotalsMatchTheCaptureReadme() throws Exception {
        // README: run-a 1,010,953 events, run-b 717,986, both as the kernel header says.
        assertEquals(1_010_953, q("SELECT records FROM trace_files WHERE file_id = ?", KERNEL_A));
        assertEquals(1_010_953, q("SELECT records FROM trace_files WHERE file_id = ?", REPORT_A));
        assertEquals(717_986, q("SELECT records FROM trace_files WHERE file_id = ?", KERNEL_B));
    }

    @ParameterizedTest
    @ValueSource(ints = {KERNEL_A, REPORT_A, KERNEL_B})
    void traceFilesRowDescribesTheFile(int file) throws Exception {
        List<Object[]> row = rows("SELECT format, size_bytes, sha256, time_unit, cpu_hz, first_tsc, last_tsc, pcpus,"
            + " lost_total FROM trace_files WHERE file_id = ?", file);
        Object[] r = row.get(0);
        assertEquals("ftrace", r[0]);
        assertEquals(Files.size(inputs[file]), r[1]);
        assertEquals(Sha256.ofFile(inputs[file]), r[2]);
        assertEquals("ns", r[3]);
        assertEquals(2L, r[7]);
        assertEquals(0L, r[8]); // the capture reports 0 overruns
        if (file == KERNEL_B) {
            assertEquals(CPU_HZ, r[4]);
            assertEquals(q("SELECT min(tsc) FROM guest_events WHERE file_id = ?", file), r[5]);
            assertEquals(q("SELECT max(tsc) FROM guest_events WHERE file_id = ?", file), r[6]);
        } else {
            assertEquals(null, r[4], "no cycle rate for a seconds clock");
            assertEquals(null, r[5]);
        }
        // ts counts from the first event and never goes back (the texts are merged by time)
        assertEquals(0, q("SELECT min(ts) FROM guest_events WHERE file_id = ?", file));
        assertEquals(0, q("SELECT count(*) FROM (SELECT ts < lag(ts) OVER (ORDER BY line) AS back FROM guest_events"
            + " WHERE file_id = ?) WHERE back", file));
    }

    // ---- lowering arithmetic ---------------------------------------------------------------

    /** Each CPU's next two events beside each event: what the lowering's lookahead sees. */
    private static final String NEXT = "WITH e AS (SELECT line, cpu, name, fields, lead(name) OVER w AS n1,"
        + " lead(fields) OVER w AS f1, lead(name, 2) OVER w AS n2, lead(fields, 2) OVER w AS f2 FROM guest_events"
        + " WHERE file_id = ? WINDOW w AS (PARTITION BY cpu ORDER BY line)) ";
    /** set_pte not followed by xen_mc_batch + xen_mc_extend_args(op 1): a direct mmu_update. */
    private static final String DIRECT_SET_PTE = NEXT + "SELECT count(*) FROM e WHERE name = 'xen_mmu_set_pte' AND NOT"
        + " coalesce(n1 = 'xen_mc_batch' AND n2 = 'xen_mc_extend_args' AND f2 LIKE 'extending op 1(%', false)";

    private long count(int file, String event) throws SQLException {
        return q("SELECT count(*) FROM guest_events WHERE file_id = ? AND name = '" + event + "'", file);
    }

    private long ops(int file, String op) throws SQLException {
        return q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op = '" + op + "'", file);
    }

    @ParameterizedTest
    @ValueSource(ints = {KERNEL_A, REPORT_A, KERNEL_B})
    void flushesAreTheHypercallingMulticallFlushesPlusDirectSetPtes(int file) throws Exception {
        long hypercalling = q("SELECT count(*) FROM guest_events WHERE file_id = ? AND name = 'xen_mc_flush'"
            + " AND split_part(fields, ' ', 2)::INTEGER > 0", file);
        String atFlushLines = " FROM mmu_ops WHERE file_id = ? AND op = 'flush' AND src_line IN (SELECT line FROM"
            + " guest_events WHERE file_id = ? AND name = 'xen_mc_flush')";
        assertEquals(hypercalling, q("SELECT count(*)" + atFlushLines, file, file));
        assertEquals(hypercalling, q("SELECT count(DISTINCT src_line)" + atFlushLines, file, file),
            "one flush op per hypercall: no batch mixes mmu_update with other entries");
        long direct = q(DIRECT_SET_PTE, file);
        assertEquals(direct, q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op = 'flush' AND n = 1 AND"
            + " src_line IN (SELECT line FROM guest_events WHERE file_id = ? AND name = 'xen_mmu_set_pte')",
            file, file));
        assertEquals(hypercalling + direct, ops(file, "flush"));
        assertTrue(direct > 0.5 * count(file, "xen_mmu_set_pte"), "most set_pte of this workload are direct");
    }

    @ParameterizedTest
    @ValueSource(ints = {KERNEL_A, REPORT_A, KERNEL_B})
    void enqsAreTheMmuUpdateRequestsPlusDirectSetPtesAndFlushesApplyThemAll(int file) throws Exception {
        long entryRequests = q("SELECT sum(('0x' || trim(split_part(split_part(fields, '[', 2), ',', 2)))::BIGINT)"
            + " FROM guest_events WHERE file_id = ? AND name = 'xen_mc_entry' AND fields LIKE 'op 1(%'", file);
        // an extension failed iff an entry of the same size is allocated next (structure, any tool)
        long extended = q(NEXT + "SELECT count(*) FROM e WHERE name = 'xen_mc_extend_args' AND fields LIKE"
            + " 'extending op 1(%' AND NOT coalesce(n1 = 'xen_mc_entry_alloc' AND split_part(f1, ' ', 3) ="
            + " split_part(split_part(fields, ' by ', 2), ' ', 1), false)", file);
        if (file != REPORT_A) {
            // the kernel evaluates the res label: it must agree with the structure
            assertEquals(extended, q("SELECT count(*) FROM guest_events WHERE file_id = ? AND name ="
                + " 'xen_mc_extend_args' AND fields LIKE 'extending op 1(% res OK'", file));
        }
        long enq = entryRequests + extended + q(DIRECT_SET_PTE, file);
        assertEquals(enq, ops(file, "enq"));
        assertEquals(enq, q("SELECT sum(n) FROM mmu_ops WHERE file_id = ? AND op = 'flush'", file));
        assertEquals(0, q("SELECT count(*) FROM (SELECT cpu, count(*) FILTER (WHERE op = 'enq') AS q, sum(n) AS f"
            + " FROM mmu_ops WHERE file_id = ? GROUP BY cpu) WHERE q <> f", file), "per CPU, every enq is flushed");
        // every write announced before its request was carried: enq has a value
        assertEquals(0, q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op = 'enq' AND val IS NULL", file));
        assertEquals(count(file, "xen_mmu_ptep_modify_prot_commit"),
            q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op = 'enq' AND kind = 'ad'", file));
    }

    @ParameterizedTest
    @ValueSource(ints = {KERNEL_A, REPORT_A, KERNEL_B})
    void tlbOpsFollowTheirAnnouncingEvents(int file) throws Exception {
        assertEquals(count(file, "xen_mmu_flush_tlb_one_user"), ops(file, "invlpg"));
        String multi = "SELECT count(*) FROM (SELECT ('0x' || rtrim(split_part(split_part(fields, ' addr ', 2), ',',"
            + " 1)))::UBIGINT AS a, ('0x' || split_part(fields, ' end ', 2))::UBIGINT AS e FROM guest_events"
            + " WHERE file_id = ? AND name = 'xen_mmu_flush_tlb_multi') WHERE ";
        String onePage = "e <> 18446744073709551615 AND e - a <= 4096";
        assertEquals(q(multi + onePage, file), ops(file, "invlpg_multi"));
        assertEquals(q(multi + "NOT (" + onePage + ")", file), ops(file, "tlb_flush_multi"));
        // two CPUs: ncpus 2 is both, ncpus 1 the other one (Linux asks Xen only when another CPU is in the mask)
        assertEquals(q("SELECT count(*) FROM guest_events WHERE file_id = ? AND name = 'xen_mmu_flush_tlb_multi' AND"
            + " fields LIKE 'ncpus 2 %'", file), q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op LIKE"
            + " '%multi' AND mask = '0-1'", file));
        assertEquals(q("SELECT count(*) FROM guest_events WHERE file_id = ? AND name = 'xen_mmu_flush_tlb_multi' AND"
            + " fields LIKE 'ncpus 1 %'", file), q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op LIKE"
            + " '%multi' AND mask = CAST(1 - cpu AS VARCHAR)", file));
        // the bare mmuext entries are xen_flush_tlb: each is reported by tlb:tlb_flush pages=-1, local shootdown
        assertEquals(q("SELECT count(*) FROM guest_events WHERE file_id = ? AND name = 'tlb_flush' AND"
            + " regexp_extract(fields, 'pages[:=](-?[0-9]+)', 1) = '-1' AND regexp_extract(fields, '\\(([0-9]+)\\)$',"
            + " 1) IN ('2', '3')", file), ops(file, "tlb_flush"));
        assertEquals(q("SELECT count(*) FROM guest_events WHERE file_id = ? AND name = 'xen_mmu_write_cr3' AND"
            + " fields LIKE 'user%'", file), q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op ="
            + " 'new_baseptr' AND user_root", file));
        assertEquals(count(file, "xen_mmu_write_cr3"), ops(file, "new_baseptr"));
    }

    @ParameterizedTest
    @ValueSource(ints = {KERNEL_A, REPORT_A, KERNEL_B})
    void pageTablePagesAndPins(int file) throws Exception {
        assertEquals(count(file, "xen_mmu_alloc_ptpage"), ops(file, "frame_alloc"));
        // release_ptpage is a retype, not the free: Linux frees the page after its TLB flush, untraced.
        assertEquals(0, ops(file, "frame_free"));
        assertEquals(q("SELECT count(*) FROM guest_events WHERE file_id = ? AND name = 'xen_mc_entry' AND fields LIKE"
            + " 'op 14(%'", file), ops(file, "update_va_mapping"));
        assertEquals(count(file, "xen_mmu_ptep_modify_prot_start"), ops(file, "oob_read"));
        // a 64-bit PV user pgd has a user-mode twin: each pgd_pin pins two L4 tables
        assertEquals(2 * count(file, "xen_mmu_pgd_pin"),
            q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op = 'pin' AND level = 4", file));
        assertEquals(0, q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op = 'pin' AND mfn IS NULL", file));
        // an unpin's first request names the pgd by pointer: unknown only where %p is hashed
        assertEquals(file == KERNEL_A ? count(file, "xen_mmu_pgd_unpin") : 0,
            q("SELECT count(*) FROM mmu_ops WHERE file_id = ? AND op = 'unpin' AND mfn IS NULL", file));
        assertEquals(ops(file, "lazy_enter"), ops(file, "lazy_leave"));
        assertTrue(ops(file, "lazy_enter") > 1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {KERNEL_A, REPORT_A, KERNEL_B})
    void opsAreInTimeOrderAndNothingIsLeftOpen(int file) throws Exception {
        assertEquals(0, q("SELECT count(*) FROM (SELECT ts < lag(ts) OVER (ORDER BY seq) AS back FROM mmu_ops WHERE"
            + " file_id = ?) WHERE back", file));
        assertEquals(0, q("SELECT max(seq) + 1 - count(*) FROM mmu_ops WHERE file_id = ?", file));
        Set<String> kinds = new TreeSet<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT DISTINCT kind FROM ingest_warnings WHERE file_id = ?")) {
            ps.setInt(1, file);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kinds.add(rs.getString(1));
                }
            }
        }
        // explanations only: no damage, no batch that disagrees with its flush, nothing unexplained
        kinds.removeAll(Set.of("hashed_pointers", "untranslated_entries", "failed_to_parse", "lazy_mode_labels",
            "extend_args_labels", "flush_reason_labels"));
        if (file == KERNEL_A) {
            kinds.remove("unknown_pin_frames"); // the pgds of unpins, by hashed pointer (checked above)
        }
        assertEquals(Set.of(), kinds);
    }

    // ---- addresses -------------------------------------------------------------------------

    @Test
    void realPointersBecomeMachineAddressesAndTablesMapTheirAddresses() throws Exception {
        for (int file : new int[] {REPORT_A, KERNEL_B}) {
            long enq = ops(file, "enq");
            long known = q("SELECT count(pte) FROM mmu_ops WHERE file_id = ? AND op = 'enq'", file);
            assertTrue(known > 0.995 * enq, "file " + file + ": " + known + " of " + enq);
            // a commit's address lies in the range its table was learned to map, at its index
            assertEquals(0, q("SELECT count(*) FROM mmu_ops o JOIN pte_va_map m ON m.file_id = o.file_id AND m.mfn ="
                + " o.pte >> 12 AND m.seq < o.seq WHERE o.file_id = ? AND o.op = 'enq' AND o.kind = 'ad' AND o.va <>"
                + " m.va_start + ((o.pte & 4095) >> 3) * 4096 AND m.seq = (SELECT max(seq) FROM pte_va_map m2 WHERE"
                + " m2.file_id = o.file_id AND m2.mfn = m.mfn AND m2.seq < o.seq)", file));
            assertTrue(ops(file, "map_table") > 50);
        }
        // run-a's kernel text hashes %p: no machine addresses, no tables
        assertEquals(0, q("SELECT count(pte) FROM mmu_ops WHERE file_id = ? AND op = 'enq'", KERNEL_A));
        assertEquals(0, ops(KERNEL_A, "map_table"));
    }

    @Test
    void theP2mFromValuePairsAgreesWithTheOneFromUpdateVaMapping() {
        TraceFacts facts = new TraceFacts();
        try (FtraceReader r = FtraceReader.open(inputs[KERNEL_B], org.ptorder.ingest.common.WarningSink.IGNORE)) {
            while (r.next()) {
                facts.observe(r.line());
            }
        }
        facts.finish();
        assertTrue(facts.addresses.pageOffsetLearned());
        assertEquals(AddressMap.DEFAULT_PAGE_OFFSET, facts.addresses.pageOffset()); // no KASLR on PV
        assertEquals(0, facts.addresses.conflicts());
        assertTrue(facts.addresses.agreements() > 100, "agreements: " + facts.addresses.agreements());
    }

    // ---- the two texts of run-a ------------------------------------------------------------

    @Test
    void traceCmdReportLowersToTheSameOpsAsTheKernelText() throws Exception {
        long offset = q("SELECT min(line) FROM guest_events WHERE file_id = ?", KERNEL_A)
            - q("SELECT min(line) FROM guest_events WHERE file_id = ?", REPORT_A);
        // Lazy sections are inferred differently (labels vs structure; compared in the next test),
        // map_table needs real pointers, and the kernel text hashes pte: everything else must match.
        String cols = "SELECT cpu, thread, op, kind, val, old, n, user_root, level, flags, mask, ts, src_line,"
            + " CASE WHEN op = 'enq' AND kind = 'pt' THEN NULL ELSE va END, root, mfn FROM mmu_ops WHERE file_id = ?"
            + " AND op NOT IN ('lazy_enter', 'lazy_leave', 'map_table') ORDER BY seq";
        List<Object[]> k = rows(cols, KERNEL_A);
        List<Object[]> r = rows(cols, REPORT_A);
        assertEquals(k.size(), r.size());
        int rootOrMfnBoth = 0;
        for (int i = 0; i < k.size(); i++) {
            Object[] a = k.get(i);
            Object[] b = r.get(i);
            b[12] = ((Number) b[12]).longValue() + offset;
            for (int c = 0; c < 14; c++) {
                assertEquals(a[c], b[c], "op " + i + " column " + c);
            }
            for (int c = 14; c < 16; c++) { // frames: the kernel text's P2M may know more or less
                if (a[c] != null && b[c] != null) {
                    assertEquals(a[c], b[c], "op " + i + " column " + c);
                    rootOrMfnBoth++;
                }
            }
        }
        assertTrue(rootOrMfnBoth > 1000);
    }

    @Test
    void structuralLazyInferenceFindsTheLabelledSectionsButTheShortestOnes() {
        var lazy = (java.util.function.Predicate<org.ptorder.ingest.mmu.MmuOp>) o -> o.op.text().startsWith("lazy");
        Lowered labels = Lowered.ofFile(inputs[KERNEL_A], true, lazy);
        Lowered structure = Lowered.ofFile(inputs[KERNEL_A], false, lazy);
        Set<Long> leavesL = leaves(labels);
        Set<Long> leavesS = leaves(structure);
        assertTrue(leavesL.containsAll(leavesS), "structure never invents a section");
        // Missed: sections of one operation whose issue is followed by the leave flush at once,
        // which looks exactly like an issue outside lazy mode.
        assertTrue(leavesS.size() > 0.95 * leavesL.size(), leavesS.size() + " of " + leavesL.size());
        assertEquals(0, labels.stats.extendLabelDisagreements);
        assertEquals(0, labels.stats.lazyContradictions);
        assertEquals(0, structure.stats.lazyContradictions);
    }

    private static Set<Long> leaves(Lowered l) {
        Set<Long> s = new TreeSet<>();
        l.ofKind("lazy_leave").forEach(o -> s.add(o.srcLine));
        return s;
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private long q(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
    }

    private List<Object[]> rows(String sql, int file) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setInt(1, file);
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int c = 0; c < n; c++) {
                        Object v = rs.getObject(c + 1);
                        row[c] = v instanceof Number num && !(v instanceof java.math.BigInteger) ? (Object) num.longValue()
                            : v == null ? null : v.toString();
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }
}
