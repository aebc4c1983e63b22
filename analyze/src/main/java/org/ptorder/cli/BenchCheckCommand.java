package org.ptorder.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptorder.analyze.bench.CheckBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Measure the checker's throughput against a bare DuckDB read of the same mmu_ops rows.",
        "",
        "Writes a synthetic NetBSD-like trace of --ops ops into a database (reused with --keep), then, best of",
        "--repeats: streams its mmu_ops rows (the baseline), and checks them. The same for each DB given, and",
        "for that DB's trace repeated back to back (seq and times shifted) to --ops ops: a long trace with a",
        "real kernel's locality and op mix. Then the checker core alone on ops held in memory (the synthetic",
        "trace at a tenth of --ops and at --ops, each repeated DB), with the most state the checker held and",
        "the peak heap: flat in trace length if the checker streams."},
    footer = {"", "Example:", "  ptorder bench check --ops 50M --dir /tmp/ptorder-bench run-b.duckdb"})
final class BenchCheckCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(arity = "0..*", paramLabel = "DB", description = "Databases with mmu_ops to measure too.")
    List<Path> databases = List.of();

    @Option(names = "--ops", defaultValue = "50M", description = "Length of the synthetic and repeated traces, e.g. 50M (default ${DEFAULT-VALUE}).")
    String ops;

    @Option(names = "--dir", defaultValue = "ptorder-bench", description = "Scratch directory (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--repeats", defaultValue = "2", description = "Passes per measurement; the best counts (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--keep", description = "Keep the scratch databases (synthetic, repeated) for the next run.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        long n = BenchCommand.parseCount(ops);
        if (n < 1000 || repeats < 1) {
            throw new UsageException("--ops must be at least 1000 and --repeats at least 1");
        }
        new CheckBench(dir, repeats, io.out()).run(n, databases, keep);
        return Main.OK;
    }
}
