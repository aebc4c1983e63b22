package org.ptorder.ingest.mmu;

import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.store.Columns;
import java.util.function.LongSupplier;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.store.DuckStore;
import org.ptorder.ingest.store.TableWriter;

/** Rows of {@code mmu_ops}, from any reader or simulator. */
public final class MmuOpsTable extends TableWriter {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("seq").i64("ts").i64("tsc").i32("cpu")
        .i64("thread").str("op").u64("pte").u64("val").u64("old").u64("va").str("kind").i64("n").i64("done")
        .str("reason").str("mask").u64("root").bool("user_root").u64("mfn").i32("level").u64("flags")
        .u64("expect").u64("new_val").bool("ok").u64("frame").str("purpose").str("lock").i64("ipi").str("dst")
        .str("cv").i32("to_cpu").i32("hc_op").i64("count").i64("dur").i64("src_line").i64("src_offset")
        .str("src_loc").schema();

    private final int fileId;

    public MmuOpsTable(int fileId) {
        super("mmu_ops", SCHEMA);
        this.fileId = fileId;
    }

    /** Loads every op of {@code source} into {@code mmu_ops} of {@code store}; returns the count. */
    public static long load(DuckStore store, MmuOpSource source, int fileId) throws Exception {
        return load(store, source, fileId, () -> 0, Progress.NONE);
    }

    /** As {@link #load}, telling {@code progress} the input position {@code bytesRead} now and then. */
    public static long load(DuckStore store, MmuOpSource source, int fileId, LongSupplier bytesRead,
                            Progress progress) throws Exception {
        MmuOpsTable t = new MmuOpsTable(fileId);
        store.load(() -> {
            while (source.next()) {
                t.write(source.op());
                if ((t.rows() & 0xFFF) == 0) {
                    progress.update(bytesRead.getAsLong());
                }
            }
        }, t);
        return t.rows();
    }

    public void write(MmuOp o) throws InterruptedException {
        setInt(0, fileId);
        setLong(1, o.seq);
        setLong(2, o.ts);
        setLong(3, o.tsc);
        setInt(4, o.cpu);
        setLong(5, o.thread);
        setString(6, o.op.text());
        setLong(7, o.pte);
        setLong(8, o.val);
        setLong(9, o.old);
        setLong(10, o.va);
        setString(11, o.kind);
        setLong(12, o.n);
        setLong(13, o.done);
        setString(14, o.reason);
        setString(15, MmuOp.cpuList(o.mask));
        setLong(16, o.root);
        setBool(17, o.user);
        setLong(18, o.mfn);
        if (o.level >= 0) {
            setInt(19, o.level);
        }
        setLong(20, o.flags);
        setLong(21, o.expect);
        setLong(22, o.newVal);
        setBool(23, o.ok);
        setLong(24, o.frame);
        setString(25, o.purpose);
        setString(26, o.lock);
        setLong(27, o.ipi);
        setString(28, MmuOp.cpuList(o.dst));
        setString(29, o.cv);
        if (o.to >= 0) {
            setInt(30, o.to);
        }
        if (o.hcOp >= 0) {
            setInt(31, o.hcOp);
        }
        setLong(32, o.count);
        setLong(33, o.dur);
        setLong(34, o.srcLine);
        setLong(35, o.srcOffset);
        setString(36, o.at);
        commitRow();
    }
}
