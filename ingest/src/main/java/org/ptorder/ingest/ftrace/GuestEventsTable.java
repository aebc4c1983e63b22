package org.ptorder.ingest.ftrace;

import java.util.function.LongConsumer;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.store.Columns;
import org.ptorder.ingest.store.DuckStore;
import org.ptorder.ingest.store.TableWriter;

/**
 * Rows of {@code guest_events}: one per event line. Each line is also shown to
 * {@link TraceFacts}, which is how the first pass learns what the second (the lowering) needs.
 */
public final class GuestEventsTable extends TableWriter {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("line").i32("cpu").str("task")
        .i32("pid").str("flags").i64("ts").i64("tsc").str("raw_time").str("name").str("fields").schema();

    private final int fileId;
    private final long cpuHz;
    private final TraceFacts facts;
    private GuestClock clock;
    private IntVector file;
    private BigIntVector line;
    private IntVector cpu;
    private VarCharVector task;
    private IntVector pid;
    private VarCharVector flags;
    private BigIntVector ts;
    private BigIntVector tsc;
    private VarCharVector rawTime;
    private VarCharVector name;
    private VarCharVector fields;

    public GuestEventsTable(int fileId, long cpuHz, TraceFacts facts) {
        super("guest_events");
        this.fileId = fileId;
        this.cpuHz = cpuHz;
        this.facts = facts;
    }

    /** Loads every event line of {@code reader} into {@code guest_events}. */
    public static void load(DuckStore store, FtraceReader reader, int fileId, long cpuHz, TraceFacts facts,
                            LongConsumer progress) throws Exception {
        GuestEventsTable t = new GuestEventsTable(fileId, cpuHz, facts);
        store.load(() -> {
            while (reader.next()) {
                t.write(reader.line());
                if ((t.rows() & 0xFFFF) == 0) {
                    progress.accept(reader.fileBytesRead());
                }
            }
        }, t);
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    protected void bind(VectorSchemaRoot root) {
        file = (IntVector) root.getVector(0);
        line = (BigIntVector) root.getVector(1);
        cpu = (IntVector) root.getVector(2);
        task = (VarCharVector) root.getVector(3);
        pid = (IntVector) root.getVector(4);
        flags = (VarCharVector) root.getVector(5);
        ts = (BigIntVector) root.getVector(6);
        tsc = (BigIntVector) root.getVector(7);
        rawTime = (VarCharVector) root.getVector(8);
        name = (VarCharVector) root.getVector(9);
        fields = (VarCharVector) root.getVector(10);
    }

    /** One event line; text columns are copied straight from the line's bytes (no String per row). */
    public void write(FtraceLine l) throws InterruptedException {
        if (clock == null) {
            clock = new GuestClock(l.time, l.cycles, cpuHz);
        }
        facts.observe(l);
        byte[] b = l.buf;
        int n = row;
        file.set(n, fileId);
        line.set(n, l.lineNo);
        cpu.set(n, l.cpu);
        if (!l.unknownComm) {
            task.setSafe(n, b, l.commStart, l.commEnd - l.commStart);
        }
        pid.set(n, l.pid);
        if (l.flagsEnd > l.flagsStart) {
            flags.setSafe(n, b, l.flagsStart, l.flagsEnd - l.flagsStart);
        }
        long ns = clock.ns(l.time);
        if (ns != MmuOp.NONE) {
            ts.set(n, ns);
        }
        long c = clock.tsc(l.time);
        if (c != MmuOp.NONE) {
            tsc.set(n, c);
        }
        rawTime.setSafe(n, b, l.timeStart, l.timeEnd - l.timeStart);
        name.setSafe(n, b, l.nameStart, l.nameEnd - l.nameStart);
        fields.setSafe(n, b, l.fieldsStart, l.end - l.fieldsStart);
        commitRow();
    }
}
