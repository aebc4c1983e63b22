package org.ptorder.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptorder.analyze.bench.IngestBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCheckCommand.class, BenchScoreCommand.class, BenchFtraceCommand.class},
    description = {"Measure xentrace parse and ingest throughput against same-run baselines.",
        "",
        "Builds files of the given sizes from a real capture (its windows repeated, TSCs shifted),",
        "then reports parse+merge speed beside 'cat FILE > /dev/null', ingest speed beside DuckDB's",
        "own Parquet load of the same rows, and the ingest's peak RSS under a fixed -Xmx (flat in",
        "file size if ingest streams). Needs disk space for the largest file plus its database.",
        "'ptorder bench check' measures the ordering-model checker instead, 'bench score' the scorer,",
        "'bench ftrace' the kernel ftrace text reader."},
    footer = {"", "Example:", "  ptorder bench --sizes 1G,4G --dir /tmp/ptorder-bench"})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Option(names = "--source", paramLabel = "FILE",
        description = "Real xentrace capture to replicate (default: the run-a capture under ../shared).")
    Path source;

    @Option(names = "--sizes", paramLabel = "SIZE[,SIZE]", split = ",", defaultValue = "1G",
        description = "File sizes to build, e.g. 1G,4G or 300M (default ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "ptorder-bench",
        description = "Scratch directory (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--heap", defaultValue = "512m", description = "-Xmx of the ingest child JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() throws Exception {
        Path src = source != null ? source : realCapture("run-a-localclock/xen.trace");
        List<Long> bytes = new ArrayList<>();
        for (String s : sizes) {
            bytes.add(parseSize(s));
        }
        new IngestBench(src, dir, heap, io.out()).run(bytes);
        return Main.OK;
    }

    /** A file of the real Xen 4.17 PV dom0 captures in ../shared, found from here or any folder above. */
    static Path realCapture(String file) {
        String rel = "data/real/qemu-tcg-xen417-pv-dom0/" + file;
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolveSibling("shared").resolve(rel);
            if (Files.exists(c)) {
                return c;
            }
        }
        throw new UsageException("no input given and the real capture ../shared/" + rel + " is not here");
    }

    /** A count such as 50M, 1.5G (decimal: M = 10^6) or 1000000. */
    static long parseCount(String s) {
        String t = s.trim().toUpperCase();
        long mult = t.endsWith("G") ? 1_000_000_000L : t.endsWith("M") ? 1_000_000L : t.endsWith("K") ? 1000L : 1;
        try {
            return (long) (Double.parseDouble(mult == 1 ? t : t.substring(0, t.length() - 1)) * mult);
        } catch (NumberFormatException e) {
            throw new UsageException("bad count '" + s + "': expected e.g. 50M, 1000000");
        }
    }

    static long parseSize(String s) {
        String t = s.trim().toUpperCase();
        long mult = t.endsWith("G") ? 1L << 30 : t.endsWith("M") ? 1L << 20 : t.endsWith("K") ? 1L << 10 : 1;
        try {
            return (long) (Double.parseDouble(mult == 1 ? t : t.substring(0, t.length() - 1)) * mult);
        } catch (NumberFormatException e) {
            throw new UsageException("bad size '" + s + "': expected e.g. 1G, 300M");
        }
    }
}
