package org.ptorder.ingest.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.pipeline.FileReport;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.store.DuckStore;

/** A .pmt (plain and gzip) through {@code Ingest.run} into a DuckDB file, checked with SQL. */
class PmtIngestTest {
    static final String TRACE = """
        #! ptorder-pmap 1
        #! cpus=2 clock=ns system=netbsd
        100 0 lock lock=pmap1 thread=0xffff80001234a000
        110 0 enq pte=0x1a2b3ff8 val=0x8000000023456067 old=0x12345067 va=0x7f7ff000 at=pmap.c:1234
        120 0 unlock lock=pmap1
        115 1 lock lock=pmap1
        140 1 invlpg_multi va=0x7f7ff000 mask=0,1
        150 1 rmw pte=0x1a2b3ff8 expect=0x12345067 new=0x34567067 ok=1
        160 0 flush n=1 done=1 reason=explicit
        170 1 migrate thread=7 to=0
        180 1 hypercall op=mmuext_op count=1 dur=900
        """;

    @TempDir
    Path dir;

    @Test
    void loadsMmuOpsTraceFilesAndWarnings() throws Exception {
        Path plain = dir.resolve("a.pmt");
        Files.writeString(plain, TRACE);
        Path gz = dir.resolve("b.pmt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(TRACE.getBytes(StandardCharsets.UTF_8));
        }
        Path db = dir.resolve("out.duckdb");
        List<FileReport> reports = Ingest.run(List.of(plain, gz), db, Ingest.Options.defaults()).files();
        assertEquals(List.of(
            new FileReport(0, plain, "pmt", Files.size(plain), 9, 1),
            new FileReport(1, gz, "pmt", Files.size(gz), 9, 1)), reports);

        try (Connection c = DuckStore.open(db, false)) {
            assertEquals(List.of(
                "0|0|0|0|lock|-140737182916608|null|null|null|null|pmap1|null|3",
                "0|1|10|0|enq|null|439042040|9223372037446525031|305418343|2139090944|null|pmap.c:1234|4",
                "0|2|20|0|unlock|null|null|null|null|null|pmap1|null|5",
                "0|3|15|1|lock|null|null|null|null|null|pmap1|null|6",
                "0|4|40|1|invlpg_multi|null|null|null|null|2139090944|null|null|7",
                "0|5|50|1|rmw|null|439042040|null|null|null|null|null|8",
                "0|6|60|0|flush|null|null|null|null|null|null|null|9",
                "0|7|70|1|migrate|7|null|null|null|null|null|null|10",
                "0|8|80|1|hypercall|null|null|null|null|null|null|null|11"),
                rows(c, "SELECT file_id, seq, ts, cpu, op, thread, pte, val, old, va, lock, src_loc, src_line"
                    + " FROM mmu_ops WHERE file_id = 0 ORDER BY seq"));
            // thread= 0xffff80001234a000 is stored as the signed BIGINT with the same bits.
            assertEquals(List.of("ffff80001234a000"), rows(c, "SELECT printf('%x', thread) FROM mmu_ops WHERE seq = 0 AND file_id = 0"));
            // mask= 0,1 is stored in the canonical list form 0-1.
            assertEquals(List.of("pt|null|null|null|null|null|null|null|null|null|null|null",
                    "null|null|0-1|null|null|null|null|null|null|null|null|null",
                    "null|null|null|305418343|878080103|true|null|null|null|null|null|null",
                    "null|explicit|null|null|null|null|1|1|null|null|null|null",
                    "null|null|null|null|null|null|null|null|0|null|null|null",
                    "null|null|null|null|null|null|null|null|null|26|1|900"),
                rows(c, "SELECT kind, reason, mask, expect, new_val, ok, n, done, to_cpu, hc_op, count, dur"
                    + " FROM mmu_ops WHERE file_id = 0 AND op IN ('enq', 'invlpg_multi', 'rmw', 'flush', 'migrate',"
                    + " 'hypercall') ORDER BY seq"));
            assertEquals(List.of("0|9", "1|9"),
                rows(c, "SELECT file_id, count(*) FROM mmu_ops GROUP BY file_id ORDER BY file_id"));
            // The gzip copy loads to the same rows.
            assertEquals(List.of("0"), rows(c, "SELECT count(*) FROM (SELECT * EXCLUDE (file_id) FROM mmu_ops"
                + " WHERE file_id = 0 EXCEPT SELECT * EXCLUDE (file_id) FROM mmu_ops WHERE file_id = 1)"));
            assertEquals(List.of(
                    "0|pmt|null|ns|null|null|2|0|9|0|0|0|1",
                    "1|pmt|null|ns|null|null|2|0|9|0|0|0|1"),
                rows(c, "SELECT file_id, format, cpu_hz, time_unit, first_tsc, last_tsc, pcpus, windows, records,"
                    + " wrap_records, lost_records, lost_total, warnings FROM trace_files ORDER BY file_id"));
            assertEquals(List.of("true"), rows(c, "SELECT bool_and(length(sha256) = 64 AND size_bytes > 0) FROM trace_files"));
            assertEquals(List.of("0|6|1|time_order"), // line 6: cpu 1 at 115 after cpu 0 at 120
                rows(c, "SELECT file_id, file_offset, cpu, kind FROM ingest_warnings WHERE file_id = 0"));
        }
    }

    @Test
    void cyclesClockFillsTscAndTheRate() throws Exception {
        Path p = dir.resolve("c.pmt");
        Files.writeString(p, "#! ptorder-pmap 1\n#! clock=cycles hz=1G origin=1000\n1500 0 tlb_flush\n2500 3 tlb_flush\n");
        Path db = dir.resolve("c.duckdb");
        Ingest.run(List.of(p), db, Ingest.Options.defaults());
        try (Connection c = DuckStore.open(db, false)) {
            assertEquals(List.of("500|1500", "1500|2500"), rows(c, "SELECT ts, tsc FROM mmu_ops ORDER BY seq"));
            assertEquals(List.of("1000000000|ns|1500|2500|4"),
                rows(c, "SELECT cpu_hz, time_unit, first_tsc, last_tsc, pcpus FROM trace_files"));
        }
    }

    @Test
    void badInputStopsIngestWithLineAndColumnAndLeavesNoDatabase() throws Exception {
        Path p = dir.resolve("bad.pmt");
        Files.writeString(p, "#! ptorder-pmap 1\n" + "1 0 tlb_flush\n".repeat(50_000) + "2 0 invlpg va=0x7g\n");
        Path db = dir.resolve("bad.duckdb");
        TraceInputException e = assertThrows(TraceInputException.class,
            () -> Ingest.run(List.of(p), db, Ingest.Options.defaults()));
        assertEquals(p + ": line 50002, column 15: expected a number (decimal, or hex with 0x) for va=; found '0x7g'",
            e.oneLine());
        assertFalse(Files.exists(db));
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
