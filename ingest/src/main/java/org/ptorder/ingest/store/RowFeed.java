package org.ptorder.ingest.store;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A pull-based source of Arrow record batches: DuckDB asks for the next batch through the Arrow
 * C stream interface and {@link #fill} produces it, so a trace streams from file to table with
 * only one batch in Java memory. Each batch gets fresh buffers; the previous batch's buffers stay
 * alive until DuckDB releases them.
 */
public abstract class RowFeed extends ArrowReader {
    private final int batchRows;
    private long rows;
    private Throwable failure;

    protected RowFeed(BufferAllocator allocator, int batchRows) {
        super(allocator);
        this.batchRows = batchRows;
    }

    /** The Arrow schema; field names and order must match the table's columns. */
    protected abstract Schema schema();

    /** Writes up to {@code max} rows at indexes 0.. and returns how many; 0 means done. */
    protected abstract int fill(VectorSchemaRoot root, int max) throws IOException;

    @Override
    public final boolean loadNextBatch() throws IOException {
        VectorSchemaRoot root = getVectorSchemaRoot();
        for (FieldVector v : root.getFieldVectors()) {
            if (v instanceof BaseVariableWidthVector vw) {
                vw.allocateNew(batchRows * 16L, batchRows);
            } else if (v instanceof BaseFixedWidthVector fw) {
                fw.allocateNew(batchRows);
            } else {
                v.setInitialCapacity(batchRows);
                v.allocateNew();
            }
        }
        int n;
        try {
            n = fill(root, batchRows);
        } catch (RuntimeException | IOException | Error e) {
            // The C stream boundary reduces exceptions to a message; keep the original for the caller.
            failure = e;
            throw e;
        }
        root.setRowCount(n);
        rows += n;
        return n > 0;
    }

    /** The exception {@link #fill} threw, if any, so it can be rethrown with its type intact. */
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
        return schema();
    }

    @Override
    protected void closeReadSource() {
        // sources close themselves
    }
}
