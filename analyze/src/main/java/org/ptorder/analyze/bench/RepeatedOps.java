package org.ptorder.analyze.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.ptorder.analyze.check.DbOps;
import org.ptorder.analyze.check.TraceFacts;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpSource;
import org.ptorder.ingest.store.DuckStore;

/**
 * A real trace's ops played {@code times} times back to back, each copy's seq, time and TSC
 * shifted past the previous one's: a long trace with a real kernel's locality and op mix (the
 * repeats are valid continuations: a correct kernel's trace checked twice in a row gives no
 * finding, which the benchmark prints). The ops are held in memory once.
 */
final class RepeatedOps implements MmuOpSource {
    private final List<MmuOp> ops;
    private final long times;
    private final long seqSpan;
    private final long tsSpan;
    private final long tscSpan;
    private final MmuOp op = new MmuOp();
    private long copy;
    private int pos;

    RepeatedOps(List<MmuOp> ops, long times) {
        this.ops = ops;
        this.times = times;
        MmuOp first = ops.get(0);
        MmuOp last = ops.get(ops.size() - 1);
        seqSpan = last.seq - first.seq + 1;
        tsSpan = MmuOp.has(last.ts) && MmuOp.has(first.ts) ? last.ts - first.ts + 1 : 0;
        tscSpan = MmuOp.has(last.tsc) && MmuOp.has(first.tsc) ? last.tsc - first.tsc + 1 : 0;
    }

    /** A database's first trace with mmu_ops: its ops, copied into memory, and what it contains. */
    record Recorded(List<MmuOp> ops, TraceFacts facts) {
        static Recorded load(Path db) throws SQLException {
            try (Connection c = DuckStore.open(db, false)) {
                int f = DbOps.files(c).get(0);
                List<MmuOp> l = new ArrayList<>();
                try (DbOps src = DbOps.open(c, f)) {
                    while (src.next()) {
                        l.add(src.op().copy());
                    }
                }
                if (l.isEmpty()) {
                    throw new IllegalArgumentException("the trace has no mmu_ops to repeat");
                }
                return new Recorded(l, DbOps.facts(c, f));
            }
        }
    }

    /** How many copies make at least {@code n} ops. */
    static long timesFor(List<MmuOp> ops, long n) {
        return Math.max(1, (n + ops.size() - 1) / ops.size());
    }

    @Override
    public boolean next() {
        if (copy == times) {
            return false;
        }
        if (pos == ops.size()) {
            if (++copy == times) {
                return false;
            }
            pos = 0;
        }
        op.set(ops.get(pos++));
        op.seq += copy * seqSpan;
        if (MmuOp.has(op.ts)) {
            op.ts += copy * tsSpan;
        }
        if (MmuOp.has(op.tsc)) {
            op.tsc += copy * tscSpan;
        }
        return true;
    }

    @Override
    public MmuOp op() {
        return op;
    }

    @Override
    public void close() {
    }
}
