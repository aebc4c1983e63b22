package org.ptorder.ingest.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ptorder.ingest.align.TimelineAlignment;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.store.DuckStore;
import org.ptorder.ingest.xentrace.Hypercalls;

/**
 * {@code ptorder ingest}: every input file into one new DuckDB database, which appears at
 * {@code out} only when all of them loaded.
 */
public final class Ingest {
    private Ingest() { }

    public record Options(long cpuHz, Progress progress) {
        public static Options defaults() {
            return new Options(0, Progress.NONE);
        }
    }

    /** What one ingest produced: a report per input file and how guest traces were aligned. */
    public record Report(List<FileReport> files, List<TimelineAlignment.Outcome> alignments) {
        public long records() {
            return files.stream().mapToLong(FileReport::records).sum();
        }
    }

    public static Report run(List<Path> inputs, Path out, Options opts) throws Exception {
        List<FileReport> reports = new ArrayList<>();
        List<TimelineAlignment.Outcome> alignments;
        try (DuckStore store = DuckStore.create(out)) {
            insertHypercallOps(store);
            int id = 0;
            for (Path in : inputs) {
                int fileId = id++;
                switch (InputFormat.detect(in)) {
                    case XENTRACE -> reports.add(XentraceIngest.ingest(store, fileId, in, opts.cpuHz(), opts.progress()));
                    case FTRACE -> reports.add(FtraceIngest.ingest(store, fileId, in, opts));
                    case PMT -> reports.add(PmtIngest.ingest(store, fileId, in, opts));
                    default -> throw new IllegalStateException();
                }
            }
            alignments = TimelineAlignment.alignAll(store, opts.cpuHz());
            store.commit();
        }
        return new Report(reports, alignments);
    }

    /** Work on a database that exists only for it. */
    @FunctionalInterface
    public interface DatabaseTask<T> {
        T run(Path db) throws Exception;
    }

    /**
     * Ingests {@code inputs} into {@code NAME.duckdb} in a fresh temporary directory, runs {@code
     * task} on it and deletes the directory whatever happens: for commands that take a trace file
     * where a database is their usual input.
     */
    public static <T> T intoTemporaryDatabase(List<Path> inputs, Options opts, String name, DatabaseTask<T> task)
        throws Exception {
        Path dir = Files.createTempDirectory("ptorder-" + name);
        try {
            Path db = dir.resolve(name + ".duckdb");
            run(inputs, db, opts);
            return task.run(db);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void insertHypercallOps(DuckStore store) throws SQLException {
        try (PreparedStatement ps = store.connection().prepareStatement("INSERT INTO hypercall_ops VALUES (?, ?)")) {
            for (int op = 0; op <= Hypercalls.maxOp(); op++) {
                String name = Hypercalls.name(op);
                if (name != null) {
                    ps.setInt(1, op);
                    ps.setString(2, name);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }
}
