package org.ptorder.analyze.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.ptorder.testdata.TestDatabases;

/**
 * Every named query runs on the real capture run-b (xentrace and guest ftrace together, checked)
 * and its answers are cross-checked against the tables; the violation queries also run on
 * simulated traces with planted bugs, because the real kernel has no findings.
 */
class NamedQueriesRealTest {
    private static final Pattern VARIABLE = Pattern.compile("getvariable\\('([a-z_]+)'\\)");
    private static final Pattern PARAM = Pattern.compile("([a-z_]+) \\(default");

    @Test
    void everyQueryHasAHeaderNamingItsParameters() {
        List<QueryLibrary.Query> all = QueryLibrary.all();
        assertTrue(all.size() >= 15, "at least 15 named queries, found " + all.size());
        for (QueryLibrary.Query q : all) {
            assertTrue(q.sql().startsWith("-- name: " + q.name() + "\n"), q.name() + ": first line names the file");
            assertFalse(q.purpose().isBlank(), q.name() + ": purpose");
            assertTrue(q.sql().contains("\n-- params: "), q.name() + ": params line");
            Set<String> used = new HashSet<>();
            for (Matcher m = VARIABLE.matcher(q.sql()); m.find(); ) {
                used.add(m.group(1));
            }
            Set<String> declared = new HashSet<>();
            for (Matcher m = PARAM.matcher(q.params()); m.find(); ) {
                declared.add(m.group(1));
            }
            assertEquals(used, declared, q.name() + ": parameters in the header = getvariable() calls");
        }
    }

    @Test
    void everyNamedQueryAnswersOnRunB() throws Exception {
        Path db = TestDatabases.runB();
        Assumptions.assumeTrue(db != null, "real data missing");
        TestDatabases.ensureSchemeScores(db);
        try (QuerySession c = QuerySession.open(db)) {
            for (QueryLibrary.Query q : QueryLibrary.all()) {
                List<Map<String, Object>> rows = rows(c, q.name(), Map.of());
                if (q.name().startsWith("finding")) {
                    assertEquals(List.of(), rows, q.name() + ": the real kernel has no findings (README-check.md)");
                } else if (!q.name().equals("lost_record_windows")) { // run-b lost no records; the demo covers it
                    assertFalse(rows.isEmpty(), q.name() + " returned no rows on run-b");
                }
            }
            long enq = scalar(c, "SELECT count(*) FROM mmu_ops WHERE op = 'enq'");
            assertEquals(165_869, enq);
            assertEquals(enq, sum(rows(c, "pending_queue_depth", Map.of("bucket_us", 5000)), "enqueues"));
            assertEquals(enq, sum(rows(c, "enq_flush_latency", Map.of()), "enqueues"));
            assertEquals(scalar(c, "SELECT max(n) FROM (SELECT count(*) n FROM mmu_ops WHERE op = 'enq' GROUP BY pte)"),
                rows(c, "hottest_ptes", Map.of("top", 3)).get(0).get("updates"));
            assertEquals(3, rows(c, "hottest_ptes", Map.of("top", 3)).size());
            assertEquals(scalar(c, "SELECT count(*) FROM mmu_ops WHERE op IN ('tlb_flush', 'invlpg', 'tlb_flush_multi',"
                + " 'invlpg_multi', 'tlb_flush_all', 'invlpg_all', 'new_baseptr')"), sum(rows(c, "ipi_fanout", Map.of()),
                "read_ops"));
            for (Map<String, Object> r : rows(c, "ipi_fanout", Map.of())) {
                // two vCPUs: a remote invalidation reaches the other one, a local one nobody
                assertEquals(r.get("op").toString().endsWith("_multi") ? 1.0 : 0.0,
                    ((Number) r.get("avg_remote_targets")).doubleValue(), r.toString());
            }
            assertEquals(scalar(c, "SELECT count(*) FROM hypercalls WHERE NOT preempted"),
                sum(rows(c, "hypercall_timeline", Map.of("bucket_ms", 100)), "calls"));
            // scored by the real scorer: each rate is the stored value over the trace's MMU ops
            double snCalls = scalar(c, "SELECT value FROM scheme_scores WHERE scheme = 'SN' AND param_set = 'default'"
                + " AND metric = 'hypercalls.mmu_update'");
            double per1000 = 1000.0 * snCalls / scalar(c, "SELECT count(*) FROM mmu_ops");
            List<Map<String, Object>> rates = rows(c, "scheme_cost_per_1000_ops", Map.of());
            assertTrue(rates.stream().anyMatch(r -> r.get("scheme").equals("SN")
                && r.get("metric").equals("hypercalls.mmu_update")
                && Math.abs(((Number) r.get("per_1000_ops")).doubleValue() - per1000) < 0.001), rates.toString());
            assertEquals(8, rates.stream().map(r -> r.get("scheme")).distinct().count());
        }
    }

    @Test
    void violationQueriesAnswerOnPlantedBugs() throws Exception {
        Path db = TestDatabases.simulatedWithBugs();
        TestDatabases.ensureSchemeScores(db);
        try (QuerySession c = QuerySession.open(db)) {
            long total = scalar(c, "SELECT count(*) FROM violations");
            assertTrue(total > 0, "the planted bugs are found");
            assertEquals(scalar(c, "SELECT sum(observed + latent + benign_race) FROM check_runs"), total);
            assertEquals(total, sum(rows(c, "findings_by_class", Map.of()), "findings"));
            assertEquals(total, sum(rows(c, "findings_by_location", Map.of()), "findings"));
            assertEquals(total, sum(rows(c, "findings_over_time", Map.of("bucket_ms", 2)), "findings"));
            Set<String> classes = new HashSet<>();
            for (Map<String, Object> r : rows(c, "findings_by_class", Map.of())) {
                classes.add((String) r.get("class"));
            }
            assertTrue(classes.containsAll(List.of("V1", "V4-local", "V5-pending", "V8")), classes.toString());

            long n = scalar(c, "SELECT min(finding) FROM findings WHERE class = 'V4-remote'");
            Map<String, Object> detail = new LinkedHashMap<>();
            for (Map<String, Object> r : rows(c, "finding_detail", Map.of("finding", n))) {
                detail.put((String) r.get("field"), r.get("value"));
            }
            assertEquals("V4-remote", detail.get("class"));
            assertEquals("OBSERVED", detail.get("label"));
            assertTrue(detail.get("reader_op").toString().startsWith("oob_read"), detail.toString());
            List<Map<String, Object>> context = rows(c, "finding_context", Map.of("finding", n, "around", 2));
            Map<String, Object> writer = context.stream().filter(r -> r.get("role").equals("writer")).findFirst().orElseThrow();
            assertEquals(detail.get("writer_seq"), writer.get("seq").toString());
            assertEquals("enq", writer.get("op"));
            assertTrue(context.stream().anyMatch(r -> r.get("role").toString().contains("reader")
                && r.get("cpu").toString().equals(detail.get("reader_cpu"))), context.toString());
            assertTrue(context.size() <= 200);

            Map<String, Double> left = new LinkedHashMap<>();
            for (Map<String, Object> r : rows(c, "scheme_violations", Map.of("param_set", "default"))) {
                left.put((String) r.get("scheme"), ((Number) r.get("violations")).doubleValue());
            }
            assertEquals(8, left.size(), left.toString());
            for (Map.Entry<String, Double> e : left.entrySet()) {
                assertEquals(scalar(c, "SELECT sum(value) FROM scheme_scores WHERE param_set = 'default' AND scheme = '"
                    + e.getKey().replace("'", "''") + "' AND metric LIKE 'violations.%'"), e.getValue(), e.getKey());
            }
            assertTrue(left.get("S0") > 0, "planted bugs survive the scheme that does nothing: " + left);
            assertFalse(rows(c, "scheme_comparison", Map.of()).isEmpty());
            for (String guestQuery : List.of("pending_queue_depth", "hottest_ptes", "enq_flush_latency", "ipi_fanout")) {
                assertFalse(rows(c, guestQuery, Map.of()).isEmpty(), guestQuery);
            }
        }
    }

    /** Runs named query {@code name} with parameters set as 'ptorder sql -p' sets them. */
    private static List<Map<String, Object>> rows(QuerySession s, String name, Map<String, Object> params)
        throws Exception {
        List<Object> p = new ArrayList<>();
        params.forEach((k, v) -> {
            p.add(k);
            p.add(v);
        });
        return s.rows(name, p.toArray());
    }

    private static long sum(List<Map<String, Object>> rows, String column) {
        return rows.stream().mapToLong(r -> ((Number) r.get(column)).longValue()).sum();
    }

    private static long scalar(QuerySession c, String sql) throws Exception {
        return ((Number) c.sql(sql).get(0).values().iterator().next()).longValue();
    }
}
