package org.ptorder.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.ptorder.ingest.store.DuckStore;

/** Small helpers shared by the tests: cut files, query a database. */
public final class TestFiles {
    private TestFiles() { }

    /** A copy of the first {@code length} bytes of {@code src}. */
    public static Path prefix(Path src, long length, Path dir) throws IOException {
        Path out = dir.resolve(src.getFileName() + ".cut" + length);
        try (var in = Files.newInputStream(src); var o = Files.newOutputStream(out)) {
            byte[] buf = in.readNBytes((int) length);
            o.write(buf);
        }
        return out;
    }

    /** The single string value of {@code sql}. */
    public static String string(Path db, String sql) throws SQLException {
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The single long value of {@code sql}. */
    public static long scalar(Path db, String sql) throws SQLException {
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
