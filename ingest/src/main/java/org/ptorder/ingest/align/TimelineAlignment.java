package org.ptorder.ingest.align;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptorder.ingest.store.DuckStore;

/**
 * Lays guest ftrace traces and xentrace captures of the same run on one timeline. A guest
 * traced with ftrace's x86-tsc clock shares the TSC with xentrace and is matched directly; a
 * guest on its own ns clock is fitted ({@link ClockFit}), which needs the cycle rate. Either
 * way every guest hypercall is matched to its Xen record ({@code flush_matches}), which gives
 * guest flushes the Xen-side timing, and the map, the match rate and the method are stored in
 * {@code clock_alignment}.
 */
public final class TimelineAlignment {
    private TimelineAlignment() { }

    /** How one guest file was aligned to one xentrace file. */
    public record Outcome(int guestFile, int xenFile, int dom, String method, ClockMap map,
                          CallMatcher.Result result, String note) {
        public String describe(String guestName, String xenName) {
            if (result == null) {
                return String.format("timeline: %s not aligned to %s: %s", guestName, xenName, note);
            }
            return String.format("timeline: %s on %s (%s, dom %d): %d of %d guest hypercalls matched (%.2f%%),"
                    + " median gap %d cycles%s", guestName, xenName, method.equals("tsc") ? "shared TSC" : String.format(
                    "fitted: tsc = %.6f * ns + %.0f", map.slope(), map.offset()), dom, result.matched(),
                result.guestCalls(), 100 * result.matchRate(), result.medianGap(), note == null ? "" : "; " + note);
        }
    }

    /** Aligns every ftrace file of the store to its (first) xentrace file. */
    public static List<Outcome> alignAll(DuckStore store, long cpuHz) throws Exception {
        Connection c = store.connection();
        List<Integer> xen = files(c, "xentrace");
        List<Integer> guests = files(c, "ftrace");
        List<Outcome> out = new ArrayList<>();
        if (xen.isEmpty() || guests.isEmpty()) {
            return out;
        }
        int x = xen.get(0);
        int dom = guestDomain(c, x);
        for (int g : guests) {
            Outcome o = align(store, g, x, dom, cpuHz);
            out.add(o);
            record(c, o);
        }
        return out;
    }

    private static Outcome align(DuckStore store, int guest, int xenFile, int dom, long cpuHz) throws Exception {
        Connection c = store.connection();
        boolean sharedTsc = guestHasTsc(c, guest);
        if (dom < 0) {
            return new Outcome(guest, xenFile, dom, "none", null, null, "the xentrace file has no PV hypercalls");
        }
        Map<Integer, List<CallMatcher.Call>> calls = CallMatcher.guestCalls(c, guest, sharedTsc);
        Map<Integer, long[][]> records = CallMatcher.xenCalls(c, xenFile, dom);
        ClockMap map;
        String method;
        if (sharedTsc) {
            map = ClockMap.IDENTITY;
            method = "tsc";
        } else if (cpuHz <= 0) {
            return new Outcome(guest, xenFile, dom, "none", null, null,
                "the guest clock is not the TSC; fitting it needs --cpu-hz");
        } else {
            map = ClockFit.fit(calls, records, cpuHz);
            method = "fitted";
            if (map == null) {
                return new Outcome(guest, xenFile, dom, "none", null, null,
                    "no multicall pattern in common: the traces may not be of the same run");
            }
        }
        CallMatcher.Result r = CallMatcher.match(calls, records, map, sharedTsc ? 0 : ClockFit.slack(map.slope()));
        FlushMatchesTable t = new FlushMatchesTable(guest, xenFile);
        ClockMap m = map;
        store.load(() -> {
            for (CallMatcher.Call call : r.calls()) {
                t.write(call, m);
            }
        }, t);
        // Xen writes no exit record for a PV hypercall: the next record on the same pCPU bounds its duration.
        try (Statement st = c.createStatement()) {
            st.execute("UPDATE flush_matches f SET dur_cycles = n.next_tsc - f.xen_tsc FROM (SELECT seq, lead(tsc)"
                + " OVER (PARTITION BY cpu ORDER BY seq) AS next_tsc FROM records WHERE file_id = " + xenFile + ") n"
                + " WHERE f.xen_file_id = " + xenFile + " AND f.guest_file_id = " + guest + " AND n.seq = f.xen_seq");
        }
        String note = null;
        if (!sharedTsc) {
            note = String.format("clock drift %.1f ppm", (map.slope() / (cpuHz / 1e9) - 1) * 1e6);
        }
        return new Outcome(guest, xenFile, dom, method, map, r, note);
    }

    private static void record(Connection c, Outcome o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO clock_alignment VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            CallMatcher.Result r = o.result();
            ps.setInt(1, o.guestFile());
            ps.setInt(2, o.xenFile());
            ps.setObject(3, o.dom() >= 0 ? o.dom() : null);
            ps.setString(4, o.method());
            ps.setObject(5, o.map() == null ? null : o.map().slope());
            ps.setObject(6, o.map() == null ? null : o.map().offset());
            ps.setObject(7, r == null ? null : r.guestCalls());
            ps.setObject(8, r == null ? null : r.matched());
            ps.setObject(9, r == null ? null : r.matchRate());
            ps.setObject(10, r == null ? null : r.countAgrees());
            ps.setObject(11, r == null ? null : r.medianGap());
            ps.setString(12, o.note());
            ps.executeUpdate();
        }
    }

    private static List<Integer> files(Connection c, String format) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT file_id FROM trace_files WHERE format = ? ORDER BY 1")) {
            ps.setString(1, format);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
        }
        return ids;
    }

    /** The guest is the domain that made the most PV hypercalls (not idle, not "unknown"). */
    private static int guestDomain(Connection c, int xenFile) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT dom FROM hypercalls WHERE"
            + " file_id = " + xenFile + " AND dom < 32767 GROUP BY dom ORDER BY count(*) DESC LIMIT 1")) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }

    /** A guest ftrace whose timestamps were raw cycles (x86-tsc clock) has first_tsc set. */
    private static boolean guestHasTsc(Connection c, int guest) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
            "SELECT first_tsc IS NOT NULL FROM trace_files WHERE file_id = " + guest)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
