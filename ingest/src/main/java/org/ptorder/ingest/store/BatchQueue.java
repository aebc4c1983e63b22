package org.ptorder.ingest.store;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The hand-over between a producer thread that builds Arrow batches and DuckDB, which pulls
 * them through the Arrow C stream interface. Holds at most a few batches, so memory is bounded
 * whatever the input size; batches move into the exported root by buffer transfer, not copy.
 * If the consumer gives up (an SQL error), {@link #put} stops blocking and reports it.
 */
public final class BatchQueue extends ArrowReader {
    private static final Object END = new Object();

    private record Failed(Throwable cause) { }

    private final Schema schema;
    private final BlockingQueue<Object> ready;
    private volatile boolean abandoned;
    private long rows;
    private Throwable failure;

    public BatchQueue(BufferAllocator allocator, Schema schema, int capacity) {
        super(allocator);
        this.schema = schema;
        this.ready = new ArrayBlockingQueue<>(capacity);
    }

    public Schema schema() {
        return schema;
    }

    /** Producer: hands over a filled batch (ownership passes to the queue). */
    public void put(VectorSchemaRoot batch) throws InterruptedException {
        offer(batch);
    }

    /** Producer: no more batches. */
    public void end() throws InterruptedException {
        offer(END);
    }

    /** Producer: the input failed; the consumer's statement fails with this cause. */
    public void fail(Throwable t) throws InterruptedException {
        offer(new Failed(t));
    }

    private void offer(Object o) throws InterruptedException {
        while (!ready.offer(o, 100, TimeUnit.MILLISECONDS)) {
            if (abandoned) {
                if (o instanceof VectorSchemaRoot r) {
                    r.close();
                }
                throw new InterruptedException("the database stopped reading this table's rows");
            }
        }
    }

    /** Consumer side gave up; producers stop blocking. */
    public void abandon() {
        abandoned = true;
    }

    public boolean abandoned() {
        return abandoned;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        Object next;
        try {
            next = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (next == END) {
            ready.offer(END); // later calls keep saying "done"
            getVectorSchemaRoot().setRowCount(0);
            return false;
        }
        if (next instanceof Failed f) {
            failure = f.cause();
            ready.offer(next);
            throw new IOException(f.cause().getMessage(), f.cause());
        }
        VectorSchemaRoot batch = (VectorSchemaRoot) next;
        VectorSchemaRoot root = getVectorSchemaRoot();
        for (int i = 0; i < batch.getFieldVectors().size(); i++) {
            batch.getVector(i).makeTransferPair(root.getVector(i)).transfer();
        }
        root.setRowCount(batch.getRowCount());
        rows += batch.getRowCount();
        batch.close();
        return true;
    }

    /** The producer's failure, if it reported one, so callers can rethrow it with its type. */
    public Throwable failure() {
        return failure;
    }

    public long rows() {
        return rows;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected Schema readSchema() {
        return schema;
    }

    @Override
    protected void closeReadSource() {
        abandoned = true;
        for (Object o; (o = ready.poll()) != null; ) {
            if (o instanceof VectorSchemaRoot r) {
                r.close();
            }
        }
    }
}
