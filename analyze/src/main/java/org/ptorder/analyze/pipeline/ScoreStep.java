package org.ptorder.analyze.pipeline;

import java.nio.file.Path;

/**
 * The scoring stage of {@code ptorder analyze}: replays a checked database under each flush
 * scheme and fills its {@code scheme_scores} table (long format: scheme, param_set, metric,
 * value, low, high, unit; README-score.md). A seam so that callers can leave scoring out.
 */
@FunctionalInterface
public interface ScoreStep {
    /**
     * Scores {@code db} in place (it is closed when this is called; open it writable).
     *
     * @param system "netbsd", "linux" or null, as for the check
     * @return one line for the terminal, e.g. "8 schemes scored on 1 guest trace"
     */
    String score(Path db, String system) throws Exception;
}
