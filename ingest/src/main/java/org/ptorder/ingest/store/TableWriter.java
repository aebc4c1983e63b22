package org.ptorder.ingest.store;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Builds one table's rows into Arrow batches on the producer thread and hands each full batch
 * to a {@link BatchQueue}. Subclasses fill the cells of row {@link #row} (with the setters
 * below, or through typed columns kept from {@link #column} where speed matters), then call
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

    /** Rows the columns hold at first; they double up to {@link #BATCH_ROWS} as rows come. */
    private static final int FIRST_CAPACITY = 4096;

    private final String table;
    private final Schema schema;
    private final BatchColumn[] columns;
    private int capacity = FIRST_CAPACITY;
    private BatchQueue queue;
    private BufferAllocator allocator;
    /** Marks an absent number for the setters: the same bit pattern as {@code MmuOp.NONE}. */
    public static final long NULL = Long.MIN_VALUE;

    protected int row;
    private long rows;

    /** {@code schema}: names and order must match the table's columns in schema.sql. */
    protected TableWriter(String table, Schema schema) {
        this.table = table;
        this.schema = schema;
        this.columns = schema.getFields().stream().map(f -> BatchColumn.of(f, FIRST_CAPACITY))
            .toArray(BatchColumn[]::new);
    }

    public String table() {
        return table;
    }

    public final Schema schema() {
        return schema;
    }

    /** Column {@code col}, for writers that keep its typed buffer in a field (the fast path). */
    @SuppressWarnings("unchecked")
    protected final <C extends BatchColumn> C column(int col) {
        return (C) columns[col];
    }

    protected final void setInt(int col, int v) {
        ((BatchColumn.I32) columns[col]).set(row, v);
    }

    /** A BIGINT or UBIGINT cell; {@link #NULL} leaves it NULL. */
    protected final void setLong(int col, long v) {
        if (v != NULL) {
            ((BatchColumn.I64) columns[col]).set(row, v);
        }
    }

    /** A USMALLINT cell; negative leaves it NULL. */
    protected final void setU16(int col, int v) {
        if (v >= 0) {
            ((BatchColumn.I16) columns[col]).set(row, v);
        }
    }

    /** A BOOLEAN cell from 1/0; negative leaves it NULL. */
    protected final void setBool(int col, int v) {
        if (v >= 0) {
            ((BatchColumn.Bool) columns[col]).set(row, v != 0);
        }
    }

    protected final void setString(int col, String v) {
        if (v != null) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            ((BatchColumn.Utf8) columns[col]).set(row, b, 0, b.length);
        }
    }

    void attach(BatchQueue q, BufferAllocator a) {
        this.queue = q;
        this.allocator = a;
        row = 0;
    }

    /** The current row is complete. */
    protected final void commitRow() throws InterruptedException {
        row++;
        rows++;
        if (row == capacity) {
            if (capacity == BATCH_ROWS) {
                ship();
            } else {
                capacity = Math.min(2 * capacity, BATCH_ROWS);
                for (BatchColumn c : columns) {
                    c.grow(capacity);
                }
            }
        }
    }

    /** Moves the rows built so far into a fresh Arrow batch and hands it to the queue. */
    private void ship() throws InterruptedException {
        VectorSchemaRoot batch = VectorSchemaRoot.create(schema, allocator);
        try {
            for (int i = 0; i < columns.length; i++) {
                columns[i].moveTo(batch.getVector(i), row);
            }
            batch.setRowCount(row);
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
        row = 0;
        queue.put(batch);
    }

    void finish() throws InterruptedException {
        if (row > 0) {
            ship();
        }
        queue.end();
    }

    void discard() {
        for (BatchColumn c : columns) {
            c.clear(row);
        }
        row = 0;
    }

    public long rows() {
        return rows;
    }
}
