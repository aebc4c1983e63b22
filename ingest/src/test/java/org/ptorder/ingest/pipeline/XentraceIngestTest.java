package org.ptorder.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptorder.ingest.TestFiles.scalar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.RealData;
import org.ptorder.ingest.TestFiles;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.TraceFile;
import org.ptorder.ingest.xentrace.XenEvents;
import org.ptorder.ingest.xentrace.XenRecord;
import org.ptorder.ingest.xentrace.XentraceWriter;
import org.ptorder.ingest.common.Sha256;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.store.DuckStore;

import org.ptorder.ingest.xentrace.HypercallsTable;
import org.ptorder.ingest.xentrace.LostRecordsTable;
import org.ptorder.ingest.xentrace.RecordsTable;
import org.ptorder.ingest.mmu.MmuOpsTable;
import org.apache.arrow.vector.types.pojo.Schema;

class XentraceIngestTest {
    @TempDir
    Path dir;

    @Test
    void realPvDom0CaptureIntoDuckDb() throws Exception {
        Path trace = RealData.run(RealData.RUN_A, "xen.trace");
        Path db = dir.resolve("a.duckdb");
        List<FileReport> r = Ingest.run(List.of(trace), db, new Ingest.Options(2095996000L, Progress.NONE)).files();
        // The README of the capture: 672,498 xentrace_format lines including CPU-change records.
        assertEquals(672498, scalar(db, "SELECT records + windows FROM trace_files"));
        assertEquals(r.get(0).records(), scalar(db, "SELECT count(*) FROM records"));
        assertEquals(13, scalar(db, "SELECT wrap_records FROM trace_files"));
        assertEquals(0, scalar(db, "SELECT count(*) FROM ingest_warnings"));
        assertEquals(scalar(db, "SELECT count(*) FROM records WHERE event IN (2101261, 2105358)"),
            scalar(db, "SELECT count(*) FROM hypercalls"));
        // xenalyze's summary of this file: d0v0 81883 mmu_update, 33684 mmuext_op.
        assertEquals(81883, scalar(db, "SELECT count(*) FROM hypercalls WHERE dom = 0 AND vcpu = 0 AND op = 1"));
        assertEquals(33684, scalar(db, "SELECT count(*) FROM hypercalls WHERE dom = 0 AND vcpu = 0 AND op = 26"));
        // Every subcall points at a multicall on its own pCPU that precedes it.
        assertEquals(0, scalar(db, "SELECT count(*) FROM hypercalls s LEFT JOIN hypercalls p"
            + " ON p.seq = s.parent_seq AND p.op = 13 AND NOT p.is_subcall AND p.cpu = s.cpu"
            + " WHERE s.is_subcall AND (p.seq IS NULL OR p.seq > s.seq)"));
        // Merged order: seq follows TSC.
        assertEquals(0, scalar(db, "SELECT count(*) FROM (SELECT tsc < lag(tsc) OVER (ORDER BY seq) AS back"
            + " FROM records) WHERE back"));
        assertEquals(Sha256.ofFile(trace), TestFiles.string(db, "SELECT sha256 FROM trace_files"));
        assertTrue(scalar(db, "SELECT max(ts) FROM records") > 20_000_000_000L); // ~21.9 s
        // The decoded views agree with the Java decoder on the first PTWR record.
        assertEquals(97761, scalar(db, "SELECT count(*) FROM ptwr_emulations"));
        long firstPtwr = scalar(db, "SELECT min(seq) FROM ptwr_emulations");
        try (RecordCursor c = RecordCursor.open(TraceFile.open(trace), new WarningList())) {
            while (c.next() && c.record().seq() < firstPtwr) {
                continue;
            }
            XenRecord x = c.record();
            assertEquals(Long.toUnsignedString(x.word64(0)), TestFiles.string(db,
                "SELECT new_pte FROM ptwr_emulations WHERE seq = " + firstPtwr));
            assertEquals(Long.toUnsignedString(x.word64(2)), TestFiles.string(db,
                "SELECT addr FROM ptwr_emulations WHERE seq = " + firstPtwr));
        }
        assertEquals(102093, scalar(db, "SELECT count(*) FROM pv_page_faults"));
    }

    @Test
    void arrowSchemasMatchSchemaSql() throws Exception {
        Path db = dir.resolve("s.duckdb");
        try (DuckStore s = DuckStore.create(db)) {
            check(s, "records", RecordsTable.SCHEMA);

            check(s, "hypercalls", HypercallsTable.SCHEMA);
            check(s, "lost_records", LostRecordsTable.SCHEMA);
            check(s, "mmu_ops", MmuOpsTable.SCHEMA);
        }
    }

    private static void check(DuckStore s, String table, Schema schema) throws Exception {
        try (Statement st = s.connection().createStatement(); ResultSet rs = st.executeQuery(
            "SELECT column_name FROM information_schema.columns WHERE table_name = '" + table
                + "' ORDER BY ordinal_position")) {
            java.util.List<String> cols = new java.util.ArrayList<>();
            while (rs.next()) {
                cols.add(rs.getString(1));
            }
            assertArrayEquals(cols.toArray(), schema.getFields().stream().map(f -> f.getName()).toArray(), table);
        }
    }

    @Test
    void failedIngestLeavesTheExistingDatabaseAlone() throws Exception {
        Path db = dir.resolve("keep.duckdb");
        Ingest.run(List.of(RealData.exampleBin()), db, Ingest.Options.defaults());
        byte[] before = Files.readAllBytes(db);
        Path junk = Files.write(dir.resolve("junk.bin"), new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        TraceInputException e = assertThrows(TraceInputException.class,
            () -> Ingest.run(List.of(RealData.exampleBin(), junk), db, Ingest.Options.defaults()));
        assertTrue(e.oneLine().contains("junk.bin: offset 0: unrecognised input"), e.oneLine());
        assertArrayEquals(before, Files.readAllBytes(db));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("junk.bin", "keep.duckdb"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void unknownEventIdsAreStoredRawWithAWarningRow() throws Exception {
        Path trace = dir.resolve("unk.trace");
        try (XentraceWriter w = new XentraceWriter(Files.newOutputStream(trace))) {
            w.record(0, 0x0ABCDEF1, 100, 1, 2);
            w.record(0, XenEvents.PV_HYPERCALL_V2, 200, 23);
            w.record(1, 0x0ABCDEF1, 150, 3);
        }
        Path db = dir.resolve("unk.duckdb");
        Ingest.run(List.of(trace), db, Ingest.Options.defaults());
        assertEquals(3, scalar(db, "SELECT count(*) FROM records"));
        assertEquals(1, scalar(db, "SELECT count(*) FROM ingest_warnings WHERE kind = 'unknown_event'"
            + " AND message LIKE '%0x0abcdef1%(2 records)%'"));
        assertEquals(2, scalar(db, "SELECT records FROM event_types WHERE NOT known"));
    }

    @Test
    void noDatabaseAppearsWhenTheFirstInputIsBad() {
        Path db = dir.resolve("none.duckdb");
        assertThrows(TraceInputException.class,
            () -> Ingest.run(List.of(dir.resolve("missing.trace")), db, Ingest.Options.defaults()));
        assertFalse(Files.exists(db));
    }

    @Test
    void truncatedRealFileIngestsWithWarnings() throws Exception {
        Path cut = TestFiles.prefix(RealData.exampleBin(), 2_000_003, dir);
        Path db = dir.resolve("cut.duckdb");
        Ingest.run(List.of(cut), db, Ingest.Options.defaults());
        assertTrue(scalar(db, "SELECT count(*) FROM ingest_warnings WHERE kind = 'truncated_window'") == 1);
        assertTrue(scalar(db, "SELECT count(*) FROM records") > 80_000);
        assertEquals(scalar(db, "SELECT warnings FROM trace_files"), scalar(db, "SELECT count(*) FROM ingest_warnings"));
    }
}
