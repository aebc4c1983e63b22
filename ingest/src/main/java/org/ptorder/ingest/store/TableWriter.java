package org.ptorder.ingest.store;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Builds one table's rows into Arrow batches on the producer thread and hands each full batch
 * to a {@link BatchQueue}. Subclasses fill the cells of row {@link #row} (with the setters
 * below, or through vectors cached in {@link #bind} where speed matters), then call
 * {@link #commitRow}. A cell left unset is NULL.
 */
public abstract class TableWriter {
    /** DuckDB's row group size (its DEFAULT_ROW_GROUP_SIZE). */
    private static final int DUCKDB_ROW_GROUP = 122_880;

    /**
     * Rows per Arrow batch: a whole number of DuckDB row groups. DuckDB writes each incoming
     * batch as its own row groups; a batch that does not fill its last group leaves a partial
     * one that CHECKPOINT must merge and rewrite. With 256K-row batches (not a multiple) the
     * checkpoint of a 300 MB trace took 10.8 s and left a 507 MB file; with two row groups per
     * batch it takes 0.1-0.4 s and the file is 332 MB. Large batches load faster than small.
     */
    public static final int BATCH_ROWS = 2 * DUCKDB_ROW_GROUP;

    private final String table;
    private BatchQueue queue;
    private BufferAllocator allocator;
    /** Marks an absent number for the setters: the same bit pattern as {@code MmuOp.NONE}. */
    public static final long NULL = Long.MIN_VALUE;

    protected VectorSchemaRoot root;
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

    /** Called with each fresh batch; override to cache typed vectors. */
    protected void bind(VectorSchemaRoot fresh) {
    }

    protected final void setInt(int col, int v) {
        ((IntVector) root.getVector(col)).set(row, v);
    }

    /** A BIGINT cell; {@link #NULL} leaves it NULL. */
    protected final void setLong(int col, long v) {
        if (v != NULL) {
            ((BigIntVector) root.getVector(col)).set(row, v);
        }
    }

    /** A UBIGINT cell; {@link #NULL} leaves it NULL. */
    protected final void setULong(int col, long v) {
        if (v != NULL) {
            ((UInt8Vector) root.getVector(col)).set(row, v);
        }
    }

    /** A USMALLINT cell; negative leaves it NULL. */
    protected final void setU16(int col, int v) {
        if (v >= 0) {
            ((UInt2Vector) root.getVector(col)).set(row, v);
        }
    }

    protected final void setU8(int col, int v) {
        ((UInt1Vector) root.getVector(col)).set(row, v);
    }

    /** A BOOLEAN cell from 1/0; negative leaves it NULL. */
    protected final void setBool(int col, int v) {
        if (v >= 0) {
            ((BitVector) root.getVector(col)).set(row, v);
        }
    }

    protected final void setString(int col, String v) {
        if (v != null) {
            ((VarCharVector) root.getVector(col)).setSafe(row, v.getBytes(StandardCharsets.UTF_8));
        }
    }

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
