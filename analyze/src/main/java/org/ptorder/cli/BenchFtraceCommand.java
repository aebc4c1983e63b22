package org.ptorder.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptorder.analyze.bench.FtraceReaderBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ftrace", mixinStandardHelpOptions = true,
    description = {"Measure the ftrace text reader against 'wc -l' on the same file.",
        "",
        "Repeats each kernel trace text given (plain or .gz; default: the run-a and run-b captures under",
        "../shared) to --size, each copy's times shifted past the one before, so the file is one valid,",
        "time-ordered trace. Then 'wc -l' and a full read (every line split into comm, pid, CPU, flags,",
        "time, event name and field text) alternate --runs times; the best and the median of each are",
        "reported, and their ratio. The file is deleted afterwards."},
    footer = {"", "Example:", "  ptorder bench ftrace --size 1G --dir /tmp/ptorder-bench"})
final class BenchFtraceCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Kernel ftrace texts to repeat.")
    List<Path> sources = List.of();

    @Option(names = "--size", defaultValue = "1G", description = "Size of the repeated file, e.g. 1G, 300M (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--runs", defaultValue = "5", description = "Runs of each, alternating (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--dir", defaultValue = "ptorder-bench", description = "Scratch directory (default ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new UsageException("--runs must be at least 1");
        }
        long bytes = BenchCommand.parseSize(size); // bad options first, before looking for inputs
        List<Path> texts = sources.isEmpty()
            ? List.of(BenchCommand.realCapture("run-a-localclock/ftrace-kernel-trace.txt.gz"),
                BenchCommand.realCapture("run-b-x86tsc/ftrace-kernel-trace.txt.gz"))
            : sources;
        for (Path t : texts) {
            if (!Files.isRegularFile(t)) {
                throw new UsageException(t + ": no such file (expected a kernel ftrace text, plain or .gz)");
            }
        }
        new FtraceReaderBench(dir, runs, io.out()).run(texts, bytes);
        return Main.OK;
    }
}
