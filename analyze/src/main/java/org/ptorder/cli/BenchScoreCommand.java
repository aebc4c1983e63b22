package org.ptorder.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptorder.analyze.bench.ScoreBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Measure scoring all eight schemes against one checker pass over the same trace.",
        "",
        "The synthetic NetBSD-like trace of 'bench check' (--ops long, generated in memory for both passes) and",
        "each .pmt given: best of --repeats, thread CPU time and wall time, and the ratio score / check. The",
        "scorer's CPU time is summed over its threads (the reading thread and each replay thread)."},
    footer = {"", "Example:", "  ptorder bench score --ops 10M trace.pmt"})
final class BenchScoreCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = ".pmt traces to measure too.")
    List<Path> files = List.of();

    @Option(names = "--ops", defaultValue = "10M", description = "Synthetic trace length (default ${DEFAULT-VALUE}).")
    String ops;

    @Option(names = "--repeats", defaultValue = "2", description = "Passes per measurement; the best counts (default ${DEFAULT-VALUE}).")
    int repeats;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        long n = BenchCommand.parseCount(ops);
        if (n < 1000 || repeats < 1) {
            throw new UsageException("--ops must be at least 1000 and --repeats at least 1");
        }
        new ScoreBench(repeats, threads.threads(), io.out()).run(n, files);
        return Main.OK;
    }
}
