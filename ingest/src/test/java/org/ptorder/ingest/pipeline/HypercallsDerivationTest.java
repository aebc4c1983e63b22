package org.ptorder.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.store.DuckStore;
import org.ptorder.ingest.xentrace.Hypercalls;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.TraceFile;
import org.ptorder.ingest.xentrace.XenEvents;
import org.ptorder.ingest.xentrace.XenRecord;
import org.ptorder.ingest.xentrace.XentraceWriter;

/**
 * The hypercalls table is derived in SQL (derive_hypercalls.sql); dump and summary decode in
 * Java (Hypercalls.decode). Random argument encodings — 32- and 64-bit, gaps, the reserved width,
 * records too short for their presence bits — must decode identically both ways.
 */
class HypercallsDerivationTest {
    @Test
    void sqlAndJavaDecodersAgree(@TempDir Path dir) throws Exception {
        Random rnd = new Random(11);
        Path trace = dir.resolve("hc.trace");
        try (XentraceWriter w = new XentraceWriter(new BufferedOutputStream(Files.newOutputStream(trace)))) {
            long tsc = 1000;
            for (int i = 0; i < 5000; i++) {
                int cpu = rnd.nextInt(3);
                int d0 = rnd.nextInt(60);
                List<Integer> words = new ArrayList<>();
                for (int a = 0; a < 6; a++) {
                    int width = rnd.nextInt(10) < 6 ? 0 : rnd.nextInt(10) == 0 ? 3 : 1 + rnd.nextInt(2);
                    d0 |= width << (20 + 2 * a);
                    for (int k = 0; k < (width == 2 ? 2 : width == 0 ? 0 : 1); k++) {
                        words.add(rnd.nextInt());
                    }
                }
                while (words.size() > 6 || rnd.nextInt(8) == 0 && !words.isEmpty()) {
                    words.remove(words.size() - 1); // too short for what d0 promises
                }
                int[] ws = new int[words.size() + 1];
                ws[0] = d0;
                for (int k = 0; k < words.size(); k++) {
                    ws[k + 1] = words.get(k);
                }
                int ev = rnd.nextInt(4) == 0 ? XenEvents.PV_HYPERCALL_SUBCALL : XenEvents.PV_HYPERCALL_V2;
                w.record(cpu, ev, tsc += rnd.nextInt(100), ws);
            }
        }
        Path db = dir.resolve("hc.duckdb");
        Ingest.run(List.of(trace), db, Ingest.Options.defaults());

        List<String> java = new ArrayList<>();
        Hypercalls.Call call = new Hypercalls.Call();
        long[] lastMulticall = {-1, -1, -1};
        try (RecordCursor c = RecordCursor.open(TraceFile.open(trace), new WarningList())) {
            while (c.next()) {
                XenRecord r = c.record();
                Hypercalls.decode(r, call);
                boolean sub = r.event() == XenEvents.PV_HYPERCALL_SUBCALL;
                StringBuilder sb = new StringBuilder().append(r.seq()).append(' ').append(call.op).append(' ')
                    .append(sub ? lastMulticall[r.cpu()] : -1).append(' ').append(call.present);
                for (int a = 0; a < 6; a++) {
                    sb.append(' ').append(call.has(a) ? Long.toUnsignedString(call.args[a]) : "-");
                }
                boolean counted = call.op == 1 || call.op == 13 || call.op == 26;
                sb.append(' ').append(counted && call.has(1) ? call.count() : -1).append(' ').append(call.preempted());
                java.add(sb.toString());
                if (!sub && call.op == Hypercalls.MULTICALL) {
                    lastMulticall[r.cpu()] = r.seq();
                }
            }
        }
        List<String> sql = new ArrayList<>();
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq, op, coalesce(parent_seq, -1), arg_mask, a0, a1, a2, a3, a4, a5,"
                 + " coalesce(count, -1), preempted FROM hypercalls ORDER BY seq")) {
            while (rs.next()) {
                StringBuilder sb = new StringBuilder().append(rs.getLong(1)).append(' ').append(rs.getInt(2)).append(' ')
                    .append(rs.getLong(3)).append(' ').append(rs.getInt(4));
                for (int a = 0; a < 6; a++) {
                    String v = rs.getString(5 + a);
                    sb.append(' ').append(v == null ? "-" : v);
                }
                sb.append(' ').append(rs.getLong(11)).append(' ').append(rs.getBoolean(12));
                sql.add(sb.toString());
            }
        }
        assertEquals(java, sql);
    }
}
