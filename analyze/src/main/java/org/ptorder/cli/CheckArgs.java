package org.ptorder.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.ingest.common.CommentedLines;
import org.ptorder.ingest.common.TraceInputException;
import picocli.CommandLine.Option;

/** The checker's options, shared by 'check' and 'analyze': --fail-on, --system, --lock-map, --atomic-lock. */
final class CheckArgs {
    @Option(names = "--fail-on", paramLabel = "LEVEL",
        description = "Exit 1 when a finding is at least this sure: observed, latent (LATENT or OBSERVED), any.")
    String failOn;

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

    /** Validates the options and builds the checker's (reads the lock map file). */
    CheckOptions options() {
        if (failOn != null && !Set.of("observed", "latent", "any").contains(failOn)) {
            throw new UsageException("--fail-on takes observed, latent or any; found '" + failOn + "'");
        }
        requireSystem(system);
        CheckOptions.LockMap lm = lockMap == null ? null
            : lockMap.equals("held") ? CheckOptions.LockMap.HELD : readLockMap(Path.of(lockMap));
        return new CheckOptions(false, lm, new LinkedHashSet<>(atomicLocks));
    }

    /** --system, wherever it is taken: netbsd, linux or absent. */
    static void requireSystem(String system) {
        if (system != null && !Set.of("netbsd", "linux").contains(system)) {
            throw new UsageException("--system takes netbsd or linux; found '" + system + "'");
        }
    }

    /** {@code LOCK MFN...} lines; MFNs in hex (0x optional) or a-b ranges; # comments. */
    private static CheckOptions.LockMap readLockMap(Path file) {
        if (!Files.isRegularFile(file)) {
            throw TraceInputException.whole(file, "no such lock map file (or give --lock-map held)");
        }
        Map<String, Set<Long>> m = new HashMap<>();
        for (CommentedLines.Line l : CommentedLines.read(file, "cannot read")) {
            String t = l.text();
            String[] w = t.split("\\s+");
            if (w.length < 2) {
                throw TraceInputException.atLine(file, l.number(), 1, "expected 'LOCK MFN...'; found '" + t + "'");
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
                    throw TraceInputException.atLine(file, l.number(), 0, "expected a hex page frame or a-b range; found '"
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
