package org.ptorder.ingest.store;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Builds one table's rows into Arrow batches on the producer thread and hands each full batch
 * to a {@link BatchQueue}. Subclasses write row {@link #row} of the vectors bound in
 * {@link #bind}, then call {@link #commitRow}.
 */
public abstract class TableWriter {
    public static final int BATCH_ROWS = 64 * 1024;

    private final String table;
    private BatchQueue queue;
    private BufferAllocator allocator;
    private VectorSchemaRoot root;
    protected int row;
    private long rows;

    protected TableWriter(String table) {
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** The Arrow schema; names and order must match the table's columns in schema.sql. */
    public abstract Schema schema();

    /** Caches the typed vectors of a fresh batch. */
    protected abstract void bind(VectorSchemaRoot root);

    void attach(BatchQueue q, BufferAllocator a) {
        this.queue = q;
        this.allocator = a;
        fresh();
    }

    private void fresh() {
        root = VectorSchemaRoot.create(schema(), allocator);
        for (FieldVector v : root.getFieldVectors()) {
            if (v instanceof BaseVariableWidthVector vw) {
                vw.allocateNew(BATCH_ROWS * 16L, BATCH_ROWS);
            } else if (v instanceof BaseFixedWidthVector fw) {
                fw.allocateNew(BATCH_ROWS);
            } else {
                v.setInitialCapacity(BATCH_ROWS);
                v.allocateNew();
            }
        }
        row = 0;
        bind(root);
    }

    /** The current row is complete. */
    protected final void commitRow() throws InterruptedException {
        row++;
        rows++;
        if (row == BATCH_ROWS) {
            root.setRowCount(row);
            queue.put(root);
            fresh();
        }
    }

    void finish() throws InterruptedException {
        if (row > 0) {
            root.setRowCount(row);
            queue.put(root);
        } else {
            root.close();
        }
        root = null;
        queue.end();
    }

    void discard() {
        if (root != null) {
            root.close();
            root = null;
        }
    }

    public long rows() {
        return rows;
    }
}
