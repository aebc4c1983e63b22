package org.ptorder.analyze.check;

/**
 * A class (or sub-class) the trace could not decide, or could decide only in part, and why.
 *
 * @param classes the class names concerned, e.g. {@code V2, V2-unsync}
 * @param count   how many cases were affected where countable, else -1
 */
public record Undecided(String classes, String reason, long count) { }
