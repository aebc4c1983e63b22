package org.ptorder.cli;

import org.ptorder.analyze.scheme.Scorer;
import picocli.CommandLine.Option;

/** {@code --threads}: how many threads replay the schemes (score, bench score). */
final class ThreadsOption {
    private int threads = Scorer.defaultThreads();

    @Option(names = "--threads", paramLabel = "N",
        description = "Threads replaying the schemes, each with a fixed share of them (default: the processors"
            + " available to the JVM; at most one per scheme and parameter set). 1 replays on the reading thread."
            + " The results do not depend on it.")
    void set(int n) {
        if (n < 1) {
            throw new UsageException("--threads must be at least 1; found " + n);
        }
        threads = n;
    }

    int threads() {
        return threads;
    }
}
