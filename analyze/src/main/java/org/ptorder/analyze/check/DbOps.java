package org.ptorder.analyze.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpSource;
import org.ptorder.ingest.mmu.Op;

/**
 * The {@code mmu_ops} rows of one trace file, streamed from DuckDB in recorded order as Arrow
 * batches (columnar: no per-row JDBC calls), decoded into one reused {@link MmuOp}. Only the
 * columns the checker uses are read; the op name arrives as a small integer.
 */
public final class DbOps implements MmuOpSource {
    private static final Op[] OPS = Op.values();
    static final int BATCH = 1 << 16;

    private final BufferAllocator allocator = new RootAllocator();
    private final Statement st;
    private final ResultSet rs;
    private final ArrowReader reader;
    private final MmuOp op = new MmuOp();
    private final Map<String, String> names = new HashMap<>();
    private VectorSchemaRoot root;
    private int row;
    private int rows;
    private long lastSeq = Long.MIN_VALUE;
    private long count;

    // columns
    private BigIntVector seq;
    private BigIntVector ts;
    private IntVector cpu;
    private BigIntVector thread;
    private TinyIntVector opId;
    private UInt8Vector pte;
    private UInt8Vector val;
    private UInt8Vector old;
    private UInt8Vector va;
    private TinyIntVector kind;
    private BigIntVector n;
    private BigIntVector done;
    private VarCharVector reason;
    private VarCharVector mask;
    private UInt8Vector rootMfn;
    private BitVector userRoot;
    private UInt8Vector mfn;
    private IntVector level;
    private UInt8Vector flags;
    private UInt8Vector expect;
    private UInt8Vector newVal;
    private BitVector ok;
    private UInt8Vector frame;
    private VarCharVector purpose;
    private VarCharVector lock;
    private BigIntVector ipi;
    private VarCharVector dst;
    private VarCharVector cv;
    private IntVector toCpu;
    private BigIntVector srcLine;
    private BigIntVector srcOffset;
    private VarCharVector srcLoc;

    static String query(boolean ordered) {
        StringBuilder cases = new StringBuilder("CAST(CASE op");
        for (Op o : OPS) {
            cases.append(" WHEN '").append(o.text()).append("' THEN ").append(o.ordinal());
        }
        cases.append(" END AS TINYINT) AS op_id");
        return "SELECT seq, ts, cpu, thread, " + cases + ", pte, val, old, va,"
            + " CAST(CASE kind WHEN 'ad' THEN 1 WHEN 'm2p' THEN 2 WHEN 'pt' THEN 0 END AS TINYINT) AS kind_id,"
            + " n, done, reason, mask, root, user_root, mfn, level, flags, expect, new_val, ok, frame, purpose, lock,"
            + " ipi, dst, cv, to_cpu, src_line, src_offset, src_loc FROM mmu_ops WHERE file_id = ?"
            + (ordered ? " ORDER BY seq" : "");
    }

    public DbOps(Connection c, int fileId) throws SQLException {
        this(c, fileId, false);
    }

    private DbOps(Connection c, int fileId, boolean ordered) throws SQLException {
        PreparedStatement ps = c.prepareStatement(query(ordered));
        ps.setInt(1, fileId);
        st = ps;
        rs = ps.executeQuery();
        reader = (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, BATCH);
    }

    /**
     * The file's ops in recorded order. DuckDB returns a plain scan in insertion order, which is
     * seq order for every ptorder loader; if a database was written otherwise, the rows are sorted.
     */
    public static DbOps open(Connection c, int fileId) throws SQLException {
        boolean unordered;
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FILTER (WHERE seq < prev) FROM (SELECT seq, lag(seq) OVER ()"
                 + " AS prev FROM mmu_ops WHERE file_id = " + fileId + ")")) {
            r.next();
            unordered = r.getLong(1) > 0;
        }
        return new DbOps(c, fileId, unordered);
    }

    @Override
    public boolean next() {
        try {
            while (row >= rows) {
                if (!reader.loadNextBatch()) {
                    return false;
                }
                bind(reader.getVectorSchemaRoot());
                row = 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        decode(row++);
        return true;
    }

    @Override
    public MmuOp op() {
        return op;
    }

    public long count() {
        return count;
    }

    private void bind(VectorSchemaRoot r) {
        root = r;
        rows = r.getRowCount();
        int i = 0;
        seq = (BigIntVector) r.getVector(i++);
        ts = (BigIntVector) r.getVector(i++);
        cpu = (IntVector) r.getVector(i++);
        thread = (BigIntVector) r.getVector(i++);
        opId = (TinyIntVector) r.getVector(i++);
        pte = (UInt8Vector) r.getVector(i++);
        val = (UInt8Vector) r.getVector(i++);
        old = (UInt8Vector) r.getVector(i++);
        va = (UInt8Vector) r.getVector(i++);
        kind = (TinyIntVector) r.getVector(i++);
        n = (BigIntVector) r.getVector(i++);
        done = (BigIntVector) r.getVector(i++);
        reason = (VarCharVector) r.getVector(i++);
        mask = (VarCharVector) r.getVector(i++);
        rootMfn = (UInt8Vector) r.getVector(i++);
        userRoot = (BitVector) r.getVector(i++);
        mfn = (UInt8Vector) r.getVector(i++);
        level = (IntVector) r.getVector(i++);
        flags = (UInt8Vector) r.getVector(i++);
        expect = (UInt8Vector) r.getVector(i++);
        newVal = (UInt8Vector) r.getVector(i++);
        ok = (BitVector) r.getVector(i++);
        frame = (UInt8Vector) r.getVector(i++);
        purpose = (VarCharVector) r.getVector(i++);
        lock = (VarCharVector) r.getVector(i++);
        ipi = (BigIntVector) r.getVector(i++);
        dst = (VarCharVector) r.getVector(i++);
        cv = (VarCharVector) r.getVector(i++);
        toCpu = (IntVector) r.getVector(i++);
        srcLine = (BigIntVector) r.getVector(i++);
        srcOffset = (BigIntVector) r.getVector(i++);
        srcLoc = (VarCharVector) r.getVector(i);
    }

    private void decode(int i) {
        MmuOp o = op;
        o.clear();
        o.seq = seq.get(i);
        if (o.seq < lastSeq) {
            throw new IllegalStateException("mmu_ops not in seq order at seq " + o.seq);
        }
        lastSeq = o.seq;
        count++;
        o.ts = ts.isNull(i) ? MmuOp.NONE : ts.get(i);
        o.cpu = cpu.get(i);
        o.thread = thread.isNull(i) ? MmuOp.NONE : thread.get(i);
        o.op = OPS[opId.get(i)];
        o.pte = u64(pte, i);
        o.val = u64(val, i);
        o.old = u64(old, i);
        o.va = u64(va, i);
        if (!kind.isNull(i)) {
            int k = kind.get(i);
            o.kind = k == 1 ? "ad" : k == 2 ? "m2p" : "pt";
        }
        switch (o.op) {
            case FLUSH -> {
                o.n = n.isNull(i) ? MmuOp.NONE : n.get(i);
                o.done = done.isNull(i) ? MmuOp.NONE : done.get(i);
                o.reason = str(reason, i);
            }
            case TLB_FLUSH_MULTI, INVLPG_MULTI -> o.mask = cpus(str(mask, i));
            case NEW_BASEPTR -> {
                o.root = u64(rootMfn, i);
                o.user = userRoot.isNull(i) ? -1 : userRoot.get(i);
            }
            case PIN, UNPIN, MAP_TABLE, FRAME_FREE, FRAME_ALLOC -> {
                o.mfn = u64(mfn, i);
                o.level = level.isNull(i) ? -1 : level.get(i);
                o.purpose = str(purpose, i);
            }
            case UPDATE_VA_MAPPING -> o.flags = u64(flags, i);
            case RMW -> {
                o.expect = u64(expect, i);
                o.newVal = u64(newVal, i);
                o.ok = ok.isNull(i) ? -1 : ok.get(i);
            }
            case ACCESS -> o.frame = u64(frame, i);
            case LOCK, UNLOCK -> o.lock = str(lock, i);
            case IPI_SEND, IPI_RECV, IPI_ACK, IPI_DONE -> {
                o.ipi = ipi.isNull(i) ? MmuOp.NONE : ipi.get(i);
                o.dst = cpus(str(dst, i));
            }
            case CV_WAIT, CV_WAKE, CV_BROADCAST -> o.cv = str(cv, i);
            case MIGRATE -> o.to = toCpu.isNull(i) ? -1 : toCpu.get(i);
            default -> { }
        }
        o.srcLine = srcLine.isNull(i) ? MmuOp.NONE : srcLine.get(i);
        o.srcOffset = srcOffset.isNull(i) ? MmuOp.NONE : srcOffset.get(i);
        o.at = srcLoc.isNull(i) ? null : str(srcLoc, i);
    }

    private static long u64(UInt8Vector v, int i) {
        return v.isNull(i) ? MmuOp.NONE : v.get(i);
    }

    private String str(VarCharVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        String s = new String(v.get(i), StandardCharsets.UTF_8);
        String in = names.putIfAbsent(s, s);
        if (names.size() > 100_000) {
            names.clear();
        }
        return in == null ? s : in;
    }

    /** A CPU list such as {@code 0,2-3}. */
    static BitSet cpus(String s) {
        if (s == null) {
            return null;
        }
        BitSet b = new BitSet();
        if (s.isEmpty()) {
            return b;
        }
        for (String part : s.split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                b.set(Integer.parseInt(part.trim()));
            } else {
                b.set(Integer.parseInt(part.substring(0, dash).trim()), Integer.parseInt(part.substring(dash + 1).trim()) + 1);
            }
        }
        return b;
    }

    /** The file ids with mmu_ops rows, in order. */
    public static List<Integer> files(Connection c) throws SQLException {
        List<Integer> l = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT DISTINCT file_id FROM mmu_ops ORDER BY 1")) {
            while (r.next()) {
                l.add(r.getInt(1));
            }
        }
        return l;
    }

    /** What the file's ops are (one aggregate query; no row leaves DuckDB). */
    public static TraceFacts facts(Connection c, int fileId) throws SQLException {
        TraceFacts f = new TraceFacts();
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT op, count(*), max(cpu), max(to_cpu) FROM mmu_ops WHERE file_id = ? GROUP BY op")) {
            ps.setInt(1, fileId);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    Op o = Op.parse(r.getString(1));
                    if (o != null) {
                        f.add(o, r.getLong(2));
                    }
                    f.seeCpu(r.getInt(3));
                    if (r.getObject(4) != null) {
                        f.seeCpu(r.getInt(4));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pcpus FROM trace_files WHERE file_id = ?")) {
            ps.setInt(1, fileId);
            try (ResultSet r = ps.executeQuery()) {
                if (r.next()) {
                    f.declareCpus(r.getInt(1));
                }
            }
        } catch (SQLException noTraceFiles) {
            // a bare mmu_ops table: the CPUs seen are all we know
        }
        return f;
    }

    @Override
    public void close() {
        try {
            reader.close();
            rs.close();
            st.close();
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("closing the mmu_ops stream: " + e.getMessage(), e);
        } finally {
            allocator.close();
        }
    }
}
