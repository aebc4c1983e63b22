package org.ptorder.ingest.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The SQL shipped in the jar under {@code org/ptorder/queries/} (the repo's {@code queries/}). */
public final class Sql {
    private Sql() { }

    public static final String RESOURCE_DIR = "/org/ptorder/queries/";

    /** {@code schema.sql}: every table and view, documented column by column. */
    public static String schema() {
        return resource("schema.sql");
    }

    /** The {@code CREATE TABLE} statement of one table of schema.sql (for databases that predate it). */
    public static String createTable(String table) {
        String schema = schema();
        int at = schema.indexOf("CREATE TABLE " + table + " (");
        int end = schema.indexOf(");", at);
        if (at < 0 || end < 0) {
            throw new IllegalStateException("schema.sql has no table " + table + " (broken build)");
        }
        return schema.substring(at, end + 2);
    }

    /** A file of the query library, or null when there is none by that name. */
    public static String resourceOrNull(String name) {
        try (InputStream in = Sql.class.getResourceAsStream(RESOURCE_DIR + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String resource(String name) {
        String s = resourceOrNull(name);
        if (s == null) {
            throw new IllegalStateException("missing resource " + RESOURCE_DIR + name + " (broken build)");
        }
        return s;
    }
}
