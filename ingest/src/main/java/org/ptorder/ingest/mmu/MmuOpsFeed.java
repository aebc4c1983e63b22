package org.ptorder.ingest.mmu;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.store.Columns;
import org.ptorder.ingest.store.RowFeed;

/** Rows of {@code mmu_ops} from any op source. */
public final class MmuOpsFeed extends RowFeed {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("seq").i64("ts").i64("tsc").i32("cpu")
        .i64("thread").str("op").u64("pte").u64("val").u64("old").u64("va").str("kind").i64("n").i64("done")
        .str("reason").str("mask").u64("root").bool("user_root").u64("mfn").i32("level").u64("flags")
        .u64("expect").u64("new_val").bool("ok").u64("frame").str("purpose").str("lock").i64("ipi").str("dst")
        .str("cv").i32("to_cpu").i32("hc_op").i64("count").i64("dur").i64("src_line").i64("src_offset")
        .str("src_loc").schema();

    private final MmuOpSource source;
    private final int fileId;
    private VectorSchemaRoot root;

    public MmuOpsFeed(BufferAllocator allocator, MmuOpSource source, int fileId) {
        super(allocator, 32 * 1024);
        this.source = source;
        this.fileId = fileId;
    }

    @Override
    protected Schema schema() {
        return SCHEMA;
    }

    @Override
    protected int fill(VectorSchemaRoot root, int max) {
        this.root = root;
        int n = 0;
        while (n < max && source.next()) {
            write(source.op(), n++);
        }
        return n;
    }

    private void write(MmuOp o, int row) {
        i32(0, row, fileId);
        i64(1, row, o.seq);
        i64(2, row, o.ts);
        i64(3, row, o.tsc);
        i32(4, row, o.cpu);
        i64(5, row, o.thread);
        str(6, row, o.op.text());
        u64(7, row, o.pte);
        u64(8, row, o.val);
        u64(9, row, o.old);
        u64(10, row, o.va);
        str(11, row, o.kind);
        i64(12, row, o.n);
        i64(13, row, o.done);
        str(14, row, o.reason);
        str(15, row, MmuOp.cpuList(o.mask));
        u64(16, row, o.root);
        bool(17, row, o.user);
        u64(18, row, o.mfn);
        if (o.level >= 0) {
            i32(19, row, o.level);
        }
        u64(20, row, o.flags);
        u64(21, row, o.expect);
        u64(22, row, o.newVal);
        bool(23, row, o.ok);
        u64(24, row, o.frame);
        str(25, row, o.purpose);
        str(26, row, o.lock);
        i64(27, row, o.ipi);
        str(28, row, MmuOp.cpuList(o.dst));
        str(29, row, o.cv);
        if (o.to >= 0) {
            i32(30, row, o.to);
        }
        if (o.hcOp >= 0) {
            i32(31, row, o.hcOp);
        }
        i64(32, row, o.count);
        i64(33, row, o.dur);
        i64(34, row, o.srcLine);
        i64(35, row, o.srcOffset);
        str(36, row, o.at);
    }

    private void i32(int col, int row, int v) {
        ((IntVector) root.getVector(col)).set(row, v);
    }

    private void i64(int col, int row, long v) {
        if (v != MmuOp.NONE) {
            ((BigIntVector) root.getVector(col)).set(row, v);
        }
    }

    private void u64(int col, int row, long v) {
        if (v != MmuOp.NONE) {
            ((UInt8Vector) root.getVector(col)).set(row, v);
        }
    }

    private void bool(int col, int row, int v) {
        if (v >= 0) {
            ((BitVector) root.getVector(col)).set(row, v);
        }
    }

    private void str(int col, int row, String v) {
        if (v != null) {
            ((VarCharVector) root.getVector(col)).setSafe(row, v.getBytes(StandardCharsets.UTF_8));
        }
    }
}
