package org.ptorder.ingest.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.ptorder.ingest.common.TraceInputException;

/**
 * Writes every table of a database as zstd Parquet with DuckDB's own COPY. Tables with a
 * {@code file_id} column are hive-partitioned by it ({@code records/file_id=0/...}), so a fleet
 * of exports can be read together by DuckDB, Spark or Trino. The directory appears complete or
 * not at all: it is written under a temporary name and renamed.
 */
public final class ParquetExport {
    private ParquetExport() { }

    public record Exported(String table, long rows, boolean partitioned) { }

    public static List<Exported> run(Path db, Path dir, boolean replace) throws SQLException, IOException {
        Path target = dir.toAbsolutePath();
        if (Files.exists(target)) {
            if (!replace) {
                throw TraceInputException.whole(dir, "already exists; choose a new directory or pass --force");
            }
            if (!Files.isDirectory(target)) {
                throw TraceInputException.whole(dir, "exists and is not a directory");
            }
        }
        Path temp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        deleteTree(temp);
        Files.createDirectories(temp);
        List<Exported> out = new ArrayList<>();
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement()) {
            List<String[]> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(
                "SELECT t.table_name, bool_or(c.column_name = 'file_id') FROM information_schema.tables t"
                    + " JOIN information_schema.columns c USING (table_schema, table_name)"
                    + " WHERE t.table_type = 'BASE TABLE' GROUP BY 1 ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), String.valueOf(rs.getBoolean(2))});
                }
            }
            for (String[] t : tables) {
                String name = t[0];
                boolean part = Boolean.parseBoolean(t[1]);
                String dest = temp.resolve(part ? name : name + ".parquet").toString().replace("'", "''");
                long rows;
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + name + "\"")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                st.execute("COPY \"" + name + "\" TO '" + dest + "' (FORMAT parquet, COMPRESSION zstd"
                    + (part ? ", PARTITION_BY (file_id), OVERWRITE_OR_IGNORE" : "") + ")");
                out.add(new Exported(name, rows, part));
            }
        } catch (SQLException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
        if (Files.exists(target)) {
            deleteTree(target);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
