package org.ptorder.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.store.DuckStore;

/**
 * Ftrace text is bytes, not necessarily UTF-8 (a task name is whatever the process set; a torn
 * write leaves anything). DuckDB refuses such text in a VARCHAR, which once made the whole
 * ingest fail; now the line is stored with U+FFFD in place of the bad bytes and a warning.
 */
class FtraceTextBytesTest {
    @TempDir
    Path dir;

    @Test
    void bytesThatAreNotUtf8AreReplacedAndReported() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("""
            # tracer: nop
            #
                        init-1       [000] ...1.    15.774310: xen_mc_batch: start batch LAZY_MMU
            """.getBytes(StandardCharsets.UTF_8));
        // a task name with a byte that is never UTF-8, and field text with a cut sequence
        text.writeBytes("            in\u00ff\u00fet-1       [000] ...1.    15.774320: xen_mc_issue: start batch LAZY_MMU\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        text.writeBytes("          caf\u00e9-7       [001] ...1.    15.774330: xen_mc_batch: start batch \u00e2\u0082\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        // valid UTF-8 stays as it is
        text.writeBytes("          caf\u00e9-7       [001] ...1.    15.774340: xen_mc_issue: start batch LAZY_MMU\n"
            .getBytes(StandardCharsets.UTF_8));
        Path in = dir.resolve("trace.txt");
        Files.write(in, text.toByteArray());
        Path db = dir.resolve("t.duckdb");
        Ingest.run(List.of(in), db, Ingest.Options.defaults());

        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement()) {
            assertEquals(List.of("3|init|start batch LAZY_MMU", "4|in\ufffd\ufffdt|start batch LAZY_MMU",
                    "5|caf\ufffd|start batch \ufffd", "6|café|start batch LAZY_MMU"),
                rows(st, "SELECT line, task, fields FROM guest_events ORDER BY line"));
            assertEquals(List.of("4|invalid_utf8", "5|invalid_utf8"),
                rows(st, "SELECT file_offset, kind FROM ingest_warnings WHERE kind = 'invalid_utf8' ORDER BY 1"));
        }
    }

    private static List<String> rows(Statement st, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
