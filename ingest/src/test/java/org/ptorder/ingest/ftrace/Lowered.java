package org.ptorder.ingest.ftrace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.mmu.MmuOp;

/** Runs both passes over a small hand-written trace and keeps the ops, for lowering tests. */
final class Lowered {
    final List<MmuOp> ops = new ArrayList<>();
    final WarningList warnings = new WarningList();
    final LoweringStats stats;
    final TraceFacts facts = new TraceFacts();
    private String[] lines;

    /** Lowers a real file, keeping only the ops {@code keep} accepts (a million ops need not stay in memory). */
    static Lowered ofFile(Path file, boolean labels, java.util.function.Predicate<MmuOp> keep) {
        return new Lowered(file, labels, keep);
    }

    private Lowered(Path file, boolean labels) {
        this(file, labels, o -> true);
    }

    private Lowered(Path file, boolean labels, java.util.function.Predicate<MmuOp> keep) {
        try (FtraceReader r = FtraceReader.open(file, warnings)) {
            while (r.next()) {
                facts.observe(r.line());
            }
        }
        facts.finish();
        try (FtraceReader r = FtraceReader.open(file, warnings)) {
            FtraceLowering low = new FtraceLowering(r, facts, new GuestClock(facts.firstTime, facts.cycles, 0),
                warnings, new FtraceLowering.Options(labels));
            while (low.next()) {
                if (keep.test(low.op())) {
                    ops.add(low.op());
                }
            }
            stats = low.stats();
        }
    }

    static Lowered of(String... lines) {
        return of(true, lines);
    }

    static Lowered of(boolean labels, String... lines) {
        try {
            Path f = Files.createTempFile("ptorder-ftrace", ".txt");
            try {
                Files.writeString(f, String.join("\n", lines) + "\n");
                Lowered l = new Lowered(f, labels);
                l.lines = lines;
                return l;
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String[] lines() {
        return lines;
    }

    /** The ops as "cpu op" words, e.g. "0 enq", for comparing sequences. */
    List<String> shape() {
        List<String> s = new ArrayList<>();
        for (MmuOp o : ops) {
            s.add(o.cpu + " " + o.op.text() + (o.op.text().equals("flush") ? " n=" + o.n + " " + o.reason : ""));
        }
        return s;
    }

    List<MmuOp> ofKind(String op) {
        return ops.stream().filter(o -> o.op.text().equals(op)).toList();
    }
}
