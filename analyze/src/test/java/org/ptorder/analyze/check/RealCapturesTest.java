package org.ptorder.analyze.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.store.DuckStore;

/**
 * The real Linux 6.1 PV dom0 captures (run-a, run-b; a correct kernel produced them): every
 * finding the checker reports on them must be explained, here, with evidence from the trace.
 * Runs once the ftrace reader is in (until then ingest reports the format unsupported and the
 * test is skipped).
 *
 * <p>The one explained kind (README-check.md, "The real captures"): V5-pwc/V6 LATENT whose reader
 * is a frame_free lowered from {@code xen_mmu_release_ptpage}. That tracepoint fires in
 * {@code ___pte_free_tlb}/{@code ___pmd_free_tlb} when the page-table page is released to Xen
 * (unpinned, made writable), before {@code tlb_finish_mmu} flushes; the page itself is freed by
 * the mmu_gather only after that flush. The test checks the evidence: the same CPU does a full
 * TLB invalidation later, and the page is not allocated again before it.
 */
class RealCapturesTest {
    @TempDir
    Path dir;

    static Path capture(String run) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolveSibling("shared").resolve("data/real/qemu-tcg-xen417-pv-dom0").resolve(run)
                .resolve("ftrace-kernel-trace.txt.gz");
            if (Files.exists(c)) {
                return c;
            }
        }
        Assumptions.assumeTrue(false, "real capture " + run + " not here");
        return null;
    }

    Path ingest(String run) throws Exception {
        Path trace = capture(run);
        Path db = dir.resolve(run + ".duckdb");
        try {
            Ingest.run(List.of(trace), db, new Ingest.Options(2095996000L, org.ptorder.ingest.common.Progress.NONE));
        } catch (TraceInputException e) {
            Assumptions.assumeFalse(e.getMessage().contains("not supported"),
                "ftrace ingest is not in this build yet: " + e.getMessage());
            throw e;
        }
        return db;
    }

    @Test
    void runBEveryFindingIsExplained() throws Exception {
        Path db = ingest("run-b-x86tsc");
        CheckRun.Outcome o = CheckRun.run(db, CheckOptions.defaults(), null, true, -1);
        assertEquals(1, o.files().size());
        CheckResult r = o.files().get(0).result();
        assertTrue(r.ops() > 400_000, "ops: " + r.ops());
        assertTrue(r.undecided().stream().anyMatch(u -> u.reason().startsWith("no lock, IPI, condvar or migrate")),
            "the summary must say cross-CPU happens-before is unknown");
        explain(db, r, capture("run-b-x86tsc"));
    }

    @Test
    void runAEveryFindingIsExplained() throws Exception {
        Path db = ingest("run-a-localclock");
        CheckRun.Outcome o = CheckRun.run(db, CheckOptions.defaults(), null, true, -1);
        CheckResult r = o.files().get(0).result();
        assertTrue(r.undecided().stream().anyMatch(u -> u.reason().contains("without a PTE address")),
            "run-a hashes kernel pointers: the summary must say which classes that leaves undecided");
        explain(db, r, capture("run-a-localclock"));
    }

    private static void explain(Path db, CheckResult r, Path trace) throws Exception {
        // the raw lines the findings point at
        TreeSet<Long> want = new TreeSet<>();
        for (Finding f : r.findings()) {
            want.add(f.reader().line());
        }
        Map<Long, String> lines = lines(trace, want);
        List<String> unexplained = new ArrayList<>();
        try (Connection c = DuckStore.open(db, false)) {
            for (Finding f : r.findings()) {
                String raw = lines.getOrDefault(f.reader().line(), "");
                boolean release = (f.cls() == ViolationClass.V5_PWC || f.cls() == ViolationClass.V6)
                    && f.label() == Label.LATENT && f.reader().op() == org.ptorder.ingest.mmu.Op.FRAME_FREE
                    && raw.contains("xen_mmu_release_ptpage:");
                if (release && flushedBeforeReuse(c, f)) {
                    continue;
                }
                unexplained.add(f.key() + " reader line " + f.reader().line() + ": " + raw.strip());
            }
        }
        if (!unexplained.isEmpty()) {
            fail(unexplained.size() + " findings on a trace of a correct kernel are not explained:\n  "
                + String.join("\n  ", unexplained.subList(0, Math.min(20, unexplained.size()))));
        }
    }

    /** The freeing CPU invalidates its whole TLB after the release, before anyone allocates the page again. */
    private static boolean flushedBeforeReuse(Connection c, Finding f) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT min(seq) FROM mmu_ops WHERE seq > ? AND cpu = ? AND op IN ('tlb_flush', 'tlb_flush_multi',"
                + " 'tlb_flush_all', 'new_baseptr')")) {
            ps.setLong(1, f.reader().seq());
            ps.setInt(2, f.reader().cpu());
            long flush;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getObject(1) == null) {
                    return false;
                }
                flush = rs.getLong(1);
            }
            try (PreparedStatement ps2 = c.prepareStatement(
                "SELECT count(*) FROM mmu_ops WHERE op = 'frame_alloc' AND mfn = CAST(? AS UBIGINT) AND seq > ? AND seq < ?")) {
                ps2.setString(1, Long.toUnsignedString(f.frame()));
                ps2.setLong(2, f.reader().seq());
                ps2.setLong(3, flush);
                try (ResultSet rs = ps2.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == 0;
                }
            }
        }
    }

    private static Map<Long, String> lines(Path trace, TreeSet<Long> want) throws Exception {
        Map<Long, String> m = new HashMap<>();
        if (want.isEmpty()) {
            return m;
        }
        try (BufferedReader br = new BufferedReader(new InputStreamReader(org.ptorder.ingest.common.TraceInput.open(trace), StandardCharsets.UTF_8))) {
            String s;
            long n = 0;
            long last = want.last();
            while ((s = br.readLine()) != null && n < last) {
                n++;
                if (want.contains(n)) {
                    m.put(n, s);
                }
            }
        }
        return m;
    }
}
