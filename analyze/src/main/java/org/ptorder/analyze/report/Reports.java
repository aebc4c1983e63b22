package org.ptorder.analyze.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import org.ptorder.analyze.diff.DiffData;
import org.ptorder.ingest.store.DuckStore;

/** Loads a report from a database file and writes it: what {@code ptorder report} and {@code analyze} both do. */
public final class Reports {
    private Reports() { }

    public static ReportData load(Path db, String version, ReportLoader.Options opt, DiffData diff)
        throws SQLException {
        try (Connection c = DuckStore.open(db, false)) {
            return ReportLoader.load(c, db.toString(), version, opt, diff);
        }
    }

    /** Writes {@code text} to {@code out} whole or not at all (a temporary file beside it, then a rename). */
    public static void write(String text, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
