package org.ptorder.ingest.common;

/**
 * Receives local damage that a reader worked around: the rest of the file was still read.
 * Stored as rows of {@code ingest_warnings}.
 */
@FunctionalInterface
public interface WarningSink {
    /**
     * @param offset byte offset (binary formats) or line number (text formats), -1 if none
     * @param cpu    the CPU concerned, -1 if none
     * @param kind   a short stable tag, e.g. {@code truncated_window}
     */
    void warn(long offset, int cpu, String kind, String message);

    WarningSink IGNORE = (o, c, k, m) -> { };
}
