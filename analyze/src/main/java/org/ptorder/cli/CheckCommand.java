package org.ptorder.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckReport;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.ingest.common.TraceInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Check a guest trace against the ordering model and report every cross-CPU dependency violation.",
        "",
        "Re-executes the MMU ops (per-CPU FIFO queues, applied page tables, roots, TLBs, happens-before from",
        "locks, IPIs, condvars and migrations) and reports violations V1-V9 (README-check.md), each labelled",
        "OBSERVED (the trace shows the bad outcome), LATENT (happens-before allows it; this run did not show",
        "it) or BENIGN-RACE (the trace shows a stale use that nothing promised to prevent). Prints a summary",
        "per class and label, what the trace cannot decide and why, then the findings with their evidence.",
        "",
        "INPUT is a database from 'ptorder ingest' (its violations, check_runs and check_undecided tables",
        "get the results, replacing earlier ones of the same files) or a guest trace file (.pmt, ftrace)."},
    footer = {"", "Exit codes: 0 ok (or no finding matched --fail-on), 1 findings matched --fail-on, 2 bad usage or",
        "bad input, 3 internal error.",
        "",
        "Examples:",
        "  ptorder check run.duckdb",
        "  ptorder check trace.pmt --fail-on latent --format json",
        "  ptorder check run.duckdb --lock-map held --format markdown > report.md"})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(index = "0", paramLabel = "DB|FILE", description = "A ptorder database or a guest trace file.")
    Path input;

    @Option(names = "--fail-on", paramLabel = "LEVEL",
        description = "Exit 1 when a finding is at least this sure: observed, latent (LATENT or OBSERVED), any.")
    String failOn;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "Output: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    CheckReport.Format format;

    @Option(names = "--system", paramLabel = "SYSTEM",
        description = "netbsd or linux: how to read an intent trace. With linux, TLB, base-pointer, pin and unpin"
            + " ops inside lazy_enter..lazy_leave wait in the CPU's batch until it is issued. Default: a .pmt's own"
            + " system=; for a database, ops are taken as placed where they take effect (as ftrace lowering does).")
    String system;

    @Option(names = "--lock-map", paramLabel = "held|FILE",
        description = "V7: which locks protect which PTEs. 'held': a lock protects the PTEs enqueued while it is"
            + " held. FILE: lines 'LOCK MFN...' (hex page-table page frames, a-b ranges; LOCK may end in *).")
    String lockMap;

    @Option(names = "--atomic-lock", paramLabel = "NAME",
        description = "V9: the enqueues of one critical section of lock NAME must reach Xen in one batch (repeatable).")
    List<String> atomicLocks = List.of();

    @Option(names = "--file-id", paramLabel = "N", defaultValue = "-1",
        description = "Check only file N of a database (default: every file with mmu_ops rows).")
    int fileId;

    @Option(names = "--no-store", description = "Do not write the results into the database.")
    boolean noStore;

    @Option(names = "--max-findings", paramLabel = "N", defaultValue = "50",
        description = "Findings printed in full by the table and markdown formats (default ${DEFAULT-VALUE}).")
    int maxFindings;

    @Override
    public Integer call() throws Exception {
        if (failOn != null && !Set.of("observed", "latent", "any").contains(failOn)) {
            throw new UsageException("--fail-on takes observed, latent or any; found '" + failOn + "'");
        }
        if (system != null && !Set.of("netbsd", "linux").contains(system)) {
            throw new UsageException("--system takes netbsd or linux; found '" + system + "'");
        }
        if (maxFindings < 0) {
            throw new UsageException("--max-findings must be 0 or more");
        }
        CheckOptions.LockMap lm = lockMap == null ? null
            : lockMap.equals("held") ? CheckOptions.LockMap.HELD : readLockMap(Path.of(lockMap));
        CheckOptions opts = new CheckOptions(false, lm, new LinkedHashSet<>(atomicLocks));
        boolean db = CheckRun.isDuckDb(input);
        if (!db && fileId >= 0) {
            throw new UsageException("--file-id applies to a database");
        }
        CheckRun.Outcome o = CheckRun.run(input, opts, system, db && !noStore, fileId);
        CheckReport.print(o, format, maxFindings, io.out());
        return CheckReport.fails(o, failOn) ? Main.FINDINGS : Main.OK;
    }

    /** {@code LOCK MFN...} lines; MFNs in hex (0x optional) or a-b ranges; # comments. */
    static CheckOptions.LockMap readLockMap(Path file) {
        if (!Files.isRegularFile(file)) {
            throw TraceInputException.whole(file, "no such lock map file (or give --lock-map held)");
        }
        Map<String, Set<Long>> m = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw TraceInputException.whole(file, "cannot read: " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int hash = l.indexOf('#');
            String t = (hash >= 0 ? l.substring(0, hash) : l).trim();
            if (t.isEmpty()) {
                continue;
            }
            String[] w = t.split("\\s+");
            if (w.length < 2) {
                throw TraceInputException.atLine(file, i + 1, 1, "expected 'LOCK MFN...'; found '" + t + "'");
            }
            Set<Long> s = m.computeIfAbsent(w[0], k -> new HashSet<>());
            for (int k = 1; k < w.length; k++) {
                try {
                    int dash = w[k].indexOf('-');
                    long a = hex(dash < 0 ? w[k] : w[k].substring(0, dash));
                    long b = dash < 0 ? a : hex(w[k].substring(dash + 1));
                    if (b < a || b - a > 1 << 20) {
                        throw new NumberFormatException("range");
                    }
                    for (long x = a; x <= b; x++) {
                        s.add(x);
                    }
                } catch (NumberFormatException e) {
                    throw TraceInputException.atLine(file, i + 1, 0, "expected a hex page frame or a-b range; found '"
                        + w[k] + "'");
                }
            }
        }
        return new CheckOptions.LockMap(m, file.toString());
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s, 16);
    }
}
