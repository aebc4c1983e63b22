package org.ptorder.cli;

import org.ptorder.analyze.scheme.Scorer;
import picocli.CommandLine.Option;

/** {@code --threads}: how many threads replay the schemes (score, bench score). */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
        description = "Threads replaying the schemes, each with a fixed share of them (default: the processors"
            + " available to the JVM; at most one per scheme and parameter set). 1 replays on the reading thread."
            + " The results do not depend on it.")
    private Integer threads;

    int threads() {
        if (threads == null) {
            return Scorer.defaultThreads();
        }
        if (threads < 1) {
            throw new UsageException("--threads must be at least 1; found " + threads);
        }
        return threads;
    }
}
