package org.ptorder.analyze.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.common.TraceInput;
import org.ptorder.ingest.mmu.MmuOpSource;
import org.ptorder.ingest.mmu.PrefetchedOps;
import org.ptorder.ingest.pmap.PmtHeader;
import org.ptorder.ingest.pmap.PmtReader;

/** Checks a .pmt file straight from the file: one counting pass, one checking pass, both streaming. */
public final class PmtCheck {
    private PmtCheck() { }

    /** What the first pass learned. */
    public record Scan(TraceFacts facts, PmtHeader header) { }

    public static Scan scan(Path file) {
        return scan(() -> open(file));
    }

    private static Scan scan(Supplier<PmtReader> source) {
        try (PmtReader r = source.get()) {
            TraceFacts facts = TraceFacts.scan(r);
            facts.declareCpus(r.header().cpus());
            return new Scan(facts, r.header());
        }
    }

    /**
     * Checks {@code file}. {@code system} overrides the header's {@code system=} (null: use it);
     * an intent trace of Linux ({@code system=linux}) gets the lazy-batch semantics.
     */
    public static CheckResult check(Path file, CheckOptions opts, String system, int fileId) {
        return check(() -> open(file), opts, system, fileId, true);
    }

    /**
     * {@link #check(Path, CheckOptions, String, int)} on a trace {@code source} opens afresh for each
     * pass (e.g. over bytes in memory: the simulator/checker property test checks thousands of
     * traces without a file each).
     */
    public static CheckResult check(Supplier<PmtReader> source, CheckOptions opts, String system, int fileId) {
        return check(source, opts, system, fileId, false);
    }

    /** {@code prefetch}: parse on a second thread (a file; not for many tiny traces checked side by side). */
    private static CheckResult check(Supplier<PmtReader> source, CheckOptions opts, String system, int fileId,
                                     boolean prefetch) {
        Scan s = scan(source);
        String sys = system != null ? system : s.header().system();
        CheckOptions o = opts.withLinuxLazy("linux".equals(sys));
        Checker c = new Checker(o, s.facts(), fileId);
        try (MmuOpSource r = prefetch ? new PrefetchedOps(source.get(), "ptorder-read") : source.get()) {
            while (r.next()) {
                c.accept(r.op());
            }
        }
        return c.finish();
    }

    public static PmtReader open(Path file) {
        try {
            var in = TraceInput.open(file);
            try {
                return new PmtReader(file, in, 0, new WarningList());
            } catch (RuntimeException e) {
                in.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
