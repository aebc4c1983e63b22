package org.ptorder.ingest.xentrace;

import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.store.TableWriter;

/** A table filled from xentrace records: each record is offered with its vCPU attribution. */
public abstract class XenTable extends TableWriter {
    protected final int fileId;
    protected final TimeBase time;

    protected XenTable(String table, Schema schema, int fileId, TimeBase time) {
        super(table, schema);
        this.fileId = fileId;
        this.time = time;
    }

    /**
     * Adds a row for {@code r} if this table wants it. {@code dom}/{@code vcpu} say who ran on
     * the record's pCPU (-1 when unknown).
     */
    public abstract void offer(XenRecord r, int dom, int vcpu) throws InterruptedException;
}
