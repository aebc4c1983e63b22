package org.ptorder.ingest.mmu;

/** A pull-based stream of canonical ops in recorded order. */
public interface MmuOpSource extends AutoCloseable {
    /** Advances; false at the end. */
    boolean next();

    /** The current op (may be reused by the next call to {@link #next}). */
    MmuOp op();

    @Override
    default void close() { }
}
