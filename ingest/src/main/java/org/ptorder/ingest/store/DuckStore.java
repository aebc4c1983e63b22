package org.ptorder.ingest.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;
import org.ptorder.ingest.common.TraceInputException;

/**
 * One DuckDB analysis file. A new database is written under a temporary name beside the target
 * and renamed over it only by {@link #commit}, so a crash or Ctrl-C never leaves a half-written
 * database and never damages an existing one. Tables come from {@code queries/schema.sql}; rows
 * arrive as Arrow C streams.
 */
public final class DuckStore implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final Connection conn;
    private final BufferAllocator allocator;
    private final Thread cleanupOnExit = new Thread(this::discardIfUncommitted, "ptorder-discard-temp");
    private boolean committed;
    private int streams;

    private DuckStore(Path target, Path temp, Connection conn) {
        this.target = target;
        this.temp = temp;
        this.conn = conn;
        this.allocator = new RootAllocator();
    }

    /** Starts a new database that will replace {@code target} on {@link #commit}. */
    public static DuckStore create(Path target) throws SQLException, IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw TraceInputException.whole(target, "output directory " + dir + " does not exist");
        }
        if (Files.isDirectory(abs)) {
            throw TraceInputException.whole(target, "output is a directory, expected a .duckdb file name");
        }
        Path temp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(temp);
        Files.deleteIfExists(wal(temp));
        Connection c = connect(temp, false);
        DuckStore s = new DuckStore(abs, temp, c);
        // DuckDB would otherwise take up to 80% of RAM while loading; beyond this it spills to disk.
        // 2 GB, not less: ingesting a 4 GB xentrace file took 134 s with 1 GB (44 s of it in the
        // kernel, faulting in memory DuckDB had just given back), 110 s with 2 GB, 102 s with 8 GB.
        s.execute("SET memory_limit = '" + System.getProperty("ptorder.duckdb.memory",
            System.getenv().getOrDefault("PTORDER_DUCKDB_MEMORY", "2GB")) + "'");
        Runtime.getRuntime().addShutdownHook(s.cleanupOnExit);
        s.execute(Sql.schema());
        return s;
    }

    /** Opens an existing database (read-only unless {@code writable}). */
    public static Connection open(Path db, boolean writable) throws SQLException {
        if (!Files.isRegularFile(db)) {
            throw TraceInputException.whole(db, Files.exists(db) ? "not a regular file, expected a DuckDB database"
                : "no such database");
        }
        try {
            return connect(db, !writable);
        } catch (SQLException e) {
            // DuckDB refuses files that are not its databases; that is bad input, not a bug.
            throw TraceInputException.whole(db, "cannot open as a DuckDB database (one written by 'ptorder"
                + " ingest' is expected): " + e.getMessage().strip().replaceAll("\\s+", " "));
        }
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        Properties p = new Properties();
        p.setProperty("jdbc_stream_results", "true");
        if (readOnly) {
            p.setProperty("duckdb.read_only", "true");
        }
        Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, p);
        try (Statement st = c.createStatement()) {
            // No network here, and an analysis must not depend on one: never fetch extensions.
            st.execute("SET autoinstall_known_extensions = false");
            st.execute("SET autoload_known_extensions = false");
        }
        return c;
    }

    private static Path wal(Path db) {
        return db.resolveSibling(db.getFileName() + ".wal");
    }

    public Connection connection() {
        return conn;
    }

    public void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    /** Writes rows through the table writers it was given; runs on the calling thread. */
    @FunctionalInterface
    public interface Producer {
        void run() throws Exception;
    }

    /**
     * Appends rows to several tables in one pass over an input: {@code producer} runs on this
     * thread and writes rows through {@code writers}; each table is loaded by its own DuckDB
     * connection on its own thread from an Arrow C stream ({@code INSERT INTO t SELECT * FROM
     * stream}), so parsing and the tables' loads overlap. An exception from the producer (bad
     * input) is rethrown as itself; an SQL failure stops the producer and is rethrown.
     */
    public void load(Producer producer, TableWriter... writers) throws Exception {
        int n = writers.length;
        BatchQueue[] queues = new BatchQueue[n];
        Thread[] consumers = new Thread[n];
        Exception[] sqlFailure = new Exception[n];
        DuckDBConnection base = conn.unwrap(DuckDBConnection.class);
        for (int i = 0; i < n; i++) {
            queues[i] = new BatchQueue(allocator, writers[i].schema(), 2);
            writers[i].attach(queues[i], allocator);
            int k = i;
            String table = writers[i].table();
            String name = "ptorder_feed_" + (streams++);
            consumers[i] = new Thread(() -> {
                try (DuckDBConnection c = base.duplicate();
                     ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
                    Data.exportArrayStream(allocator, queues[k], stream);
                    c.registerArrowStream(name, stream);
                    try (Statement st = c.createStatement()) {
                        st.execute("INSERT INTO " + table + " SELECT * FROM " + name);
                    }
                } catch (Exception e) {
                    sqlFailure[k] = e;
                } finally {
                    queues[k].abandon();
                }
            }, "ptorder-load-" + table);
            consumers[i].start();
        }
        Throwable produced = null;
        try {
            producer.run();
            for (TableWriter w : writers) {
                w.finish();
            }
        } catch (Throwable t) {
            produced = t;
            for (int i = 0; i < n; i++) {
                writers[i].discard();
                try {
                    queues[i].fail(t);
                } catch (InterruptedException ignored) {
                    // that consumer already stopped
                }
            }
        }
        for (Thread t : consumers) {
            t.join();
        }
        for (BatchQueue q : queues) {
            q.close();
        }
        for (Exception e : sqlFailure) {
            // A consumer that failed first makes the producer stop with an InterruptedException;
            // the SQL error is the real cause then. Otherwise the producer's (input) error wins.
            if (e != null && (produced == null || produced instanceof InterruptedException)) {
                throw e;
            }
        }
        if (produced instanceof Exception e) {
            throw e;
        }
        if (produced instanceof Error e) {
            throw e;
        }
    }

    public BufferAllocator allocator() {
        return allocator;
    }

    /** Checkpoints, closes and atomically moves the database into place. */
    public void commit() throws SQLException, IOException {
        execute("CHECKPOINT");
        conn.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(wal(temp));
        committed = true;
    }

    private void discardIfUncommitted() {
        if (!committed) {
            try {
                if (!conn.isClosed()) {
                    conn.close();
                }
            } catch (SQLException ignored) {
                // about to delete the file anyway
            }
            try {
                Files.deleteIfExists(temp);
                Files.deleteIfExists(wal(temp));
            } catch (IOException ignored) {
                // best effort on the way out
            }
        }
    }

    @Override
    public void close() {
        discardIfUncommitted();
        allocator.close();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it does the same
        }
    }
}
