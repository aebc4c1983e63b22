package org.ptorder.ingest.mmu;

/**
 * A reusable run of ops copied out of a source (which reuses one {@link MmuOp}): the unit that
 * readers hand to other threads, so that they can run ahead by whole batches.
 */
public final class OpBatch {
    /** No ops: the end-of-stream marker in a queue of batches. */
    public static final OpBatch END = new OpBatch(0);

    public final MmuOp[] ops;
    public int size;

    public OpBatch(int capacity) {
        ops = new MmuOp[capacity];
        for (int i = 0; i < capacity; i++) {
            ops[i] = new MmuOp();
        }
    }

    /** Copies {@code o} in; true when the batch is then full. */
    public boolean add(MmuOp o) {
        ops[size++].set(o);
        return size == ops.length;
    }
}
