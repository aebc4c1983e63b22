package org.ptorder.analyze.pipeline;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The scoring stage of {@code ptorder analyze}: replays a checked database under each flush
 * scheme and fills its {@code scheme_scores} table (long format: scheme, param_set, metric,
 * value, low, high, unit; README-report.md). {@code ptorder score} provides it; until one is
 * installed, analyze skips scoring and the report says "not scored".
 *
 * <p>To plug a scorer in, implement this interface and list the class in
 * {@code META-INF/services/org.ptorder.analyze.pipeline.ScoreStep} (the shaded jar merges
 * service files); nothing else changes.
 */
public interface ScoreStep {
    /**
     * Scores {@code db} in place (it is closed when this is called; open it writable).
     *
     * @return one line for the terminal, e.g. "8 schemes x 1 parameter set scored"
     */
    String score(Path db) throws Exception;

    /** The installed scorer, if any. */
    static Optional<ScoreStep> installed() {
        return ServiceLoader.load(ScoreStep.class).findFirst();
    }
}
