package org.ptorder.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every column type a table writer has, with NULLs in patterns that do not line up with bytes,
 * words or batches, written through a real DuckDB file over more than one batch and read back
 * cell by cell.
 */
class TableWriterTest {
    private static final Schema SCHEMA = new Columns().u8("a").u16("b").i32("c").i64("d").bool("e").f64("f")
        .str("g").schema();

    /** Row {@code i}'s cells; null where a cell is left unset. */
    private static Integer a(int i) {
        return i % 7 == 0 ? null : i % 200;
    }

    private static Integer b(int i) {
        return i % 5 == 0 ? null : i % 60000;
    }

    private static Long d(int i) {
        return i % 3 == 0 ? null : (i % 2 == 0 ? Long.MAX_VALUE - i : -1L - i);
    }

    private static Boolean e(int i) {
        return i % 11 == 0 ? null : (i * 31 % 7 < 3);
    }

    private static String g(int i) {
        return i % 13 == 0 ? null : i % 17 == 0 ? "" : "row é" + i;
    }

    private static final class Writer extends TableWriter {
        Writer() {
            super("t", SCHEMA);
        }

        void write(int i) throws InterruptedException {
            Integer a = a(i);
            if (a != null) {
                BatchColumn.I8 col = column(0);
                col.set(row, a);
            }
            Integer b = b(i);
            setU16(1, b == null ? -1 : b);
            setInt(2, -i);
            Long d = d(i);
            setLong(3, d == null ? NULL : d);
            Boolean e = e(i);
            setBool(4, e == null ? -1 : e ? 1 : 0);
            if (i % 19 != 0) {
                BatchColumn.F64 f = column(5);
                f.set(row, i / 4.0);
            }
            setString(6, g(i));
            commitRow();
        }
    }

    @Test
    void cellsSurviveTheBatchesExactly(@TempDir Path dir) throws Exception {
        int n = TableWriter.BATCH_ROWS + 1234;
        Path db = dir.resolve("t.duckdb");
        try (DuckStore store = DuckStore.create(db)) {
            store.execute("CREATE TABLE t (a UTINYINT, b USMALLINT, c INTEGER, d BIGINT, e BOOLEAN, f DOUBLE,"
                + " g VARCHAR)");
            Writer w = new Writer();
            store.load(() -> {
                for (int i = 0; i < n; i++) {
                    w.write(i);
                }
            }, w);
            assertEquals(n, w.rows());
            try (Statement st = store.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT a, b, c, d, e, f, g FROM t ORDER BY c DESC")) {
                for (int i = 0; i < n; i++) {
                    rs.next();
                    String at = "row " + i;
                    assertEquals(a(i), (Integer) rs.getObject(1, Integer.class), at);
                    assertEquals(b(i), (Integer) rs.getObject(2, Integer.class), at);
                    assertEquals(-i, rs.getInt(3), at);
                    assertEquals(d(i), (Long) rs.getObject(4, Long.class), at);
                    assertEquals(e(i), (Boolean) rs.getObject(5, Boolean.class), at);
                    Double f = (Double) rs.getObject(6, Double.class);
                    if (i % 19 == 0) {
                        assertNull(f, at);
                    } else {
                        assertEquals(i / 4.0, f, at);
                    }
                    assertEquals(g(i), rs.getString(7), at);
                }
            }
            store.commit();
        }
    }
}
