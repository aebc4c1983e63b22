package org.ptorder.ingest.align;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches the hypercalls a Linux PV guest's ftrace shows it making to the hypercall records
 * xentrace wrote for them (reference/xentrace.md §6.2-6.4).
 * <p>
 * Guest side (from {@code mmu_ops} and {@code guest_events} of an ingested ftrace file): every
 * xen_mc_flush of at least one entry (mcidx = 1: that entry's hypercall, issued directly;
 * mcidx >= 2: one multicall of mcidx entries) and every direct set_pte (mmu_update of one
 * request). Xen side: the guest domain's non-subcall records of the {@code hypercalls} table.
 * Guest times are first mapped onto the Xen TSC axis by a {@link ClockMap}. Per vCPU (guest CPU
 * n is the domain's vCPU n), each guest hypercall is matched to the first not yet matched Xen
 * record of the expected op at or after its mapped time and before the vCPU's next guest
 * hypercall: the tracepoint fires just before the hypercall instruction, so the gap is small
 * and positive when the clocks agree.
 */
public final class CallMatcher {
    private CallMatcher() { }

    /** One guest hypercall (time on the guest's own axis) and what it was matched to. */
    public record Call(int cpu, long time, long line, int op, long count, long xenSeq, long xenTsc, long xenCount,
                       boolean immediate) {
        public boolean matched() {
            return xenSeq >= 0;
        }

        /** Request count agrees too, where the guest side knows it (mmu_update, multicall). */
        public boolean countAgrees() {
            return matched() && (count < 0 || count == xenCount);
        }
    }

    /** Totals of one matching. */
    public record Result(long guestCalls, long matched, long countAgrees, long immediate, long medianGap,
                         long maxGap, List<Call> calls) {
        public double matchRate() {
            return guestCalls == 0 ? 0 : (double) matched / guestCalls;
        }

        @Override
        public String toString() {
            return String.format("%d guest hypercalls: %d matched (%.4f), %d with the same request count, %d were the"
                + " very next Xen record on that vCPU; TSC gap median %d, max %d cycles", guestCalls, matched,
                matchRate(), countAgrees, immediate, medianGap, maxGap);
        }
    }

    /** Matches with every guest time mapped through {@code map}, exactly (a shared clock). */
    public static Result match(Map<Integer, List<Call>> guest, Map<Integer, long[][]> xen, ClockMap map) {
        return match(guest, xen, map, 0);
    }

    /**
     * Matches with every guest time mapped through {@code map}, allowing it to be off by up to
     * {@code slack} cycles either way (a fitted clock jitters). With slack the request count
     * must agree where both sides know it, so the op sequence itself does the aligning.
     */
    public static Result match(Map<Integer, List<Call>> guest, Map<Integer, long[][]> xen, ClockMap map, long slack) {
        List<Call> out = new ArrayList<>();
        long matched = 0;
        long counts = 0;
        long immediate = 0;
        List<Long> gaps = new ArrayList<>();
        for (Map.Entry<Integer, List<Call>> e : guest.entrySet()) {
            List<Call> g = e.getValue();
            long[][] x = xen.getOrDefault(e.getKey(), new long[0][]);
            int j = 0;
            for (int i = 0; i < g.size(); i++) {
                Call c = g.get(i);
                long at = map.toXen(c.time());
                long until = i + 1 < g.size() ? map.toXen(g.get(i + 1).time()) + slack : Long.MAX_VALUE;
                while (j < x.length && x[j][1] < at - slack) {
                    j++;
                }
                int k = j;
                while (k < x.length && x[k][1] < until && !(x[k][2] == c.op()
                    && (slack == 0 || c.count() < 0 || x[k][3] < 0 || x[k][3] == c.count()))) {
                    k++;
                }
                Call r = c;
                if (k < x.length && x[k][1] < until) {
                    r = new Call(c.cpu(), c.time(), c.line(), c.op(), c.count(), x[k][0], x[k][1], x[k][3], k == j);
                    matched++;
                    immediate += k == j ? 1 : 0;
                    counts += r.countAgrees() ? 1 : 0;
                    gaps.add(x[k][1] - at);
                    j = k + 1;
                }
                out.add(r);
            }
        }
        long[] gs = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(out.size(), matched, counts, immediate, gs.length == 0 ? -1 : gs[gs.length / 2],
            gs.length == 0 ? -1 : gs[gs.length - 1], out);
    }

    /**
     * The guest's hypercalls per vCPU in time order, times on the guest's own axis: raw cycles
     * ({@code tsc}) when its clock was x86-tsc, else ns ({@code ts}).
     */
    public static Map<Integer, List<Call>> guestCalls(Connection db, int file, boolean cycles) throws SQLException {
        String clock = cycles ? "tsc" : "ts";
        Map<Integer, List<Call>> m = new HashMap<>();
        // direct set_pte: one mmu_update of one request
        try (PreparedStatement ps = db.prepareStatement("SELECT cpu, " + clock + ", src_line FROM mmu_ops WHERE file_id = ? AND"
            + " op = 'flush' AND src_line IN (SELECT line FROM guest_events WHERE file_id = ? AND name ="
            + " 'xen_mmu_set_pte')")) {
            ps.setInt(1, file);
            ps.setInt(2, file);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    add(m, new Call(rs.getInt(1), rs.getLong(2), rs.getLong(3), 1, 1, -1, -1, -1, false));
                }
            }
        }
        // multicall flushes: the single entry's own hypercall, or a multicall
        try (PreparedStatement ps = db.prepareStatement("WITH e AS (SELECT cpu, line, " + clock + " AS t, name, fields, CASE WHEN"
            + " name = 'xen_mc_entry' THEN split_part(split_part(fields, ' ', 2), '(', 1)::INTEGER END AS entry_op"
            + " FROM guest_events WHERE file_id = ?), f AS (SELECT *, last_value(entry_op IGNORE NULLS) OVER (PARTITION"
            + " BY cpu ORDER BY line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_op FROM e WHERE name IN"
            + " ('xen_mc_entry', 'xen_mc_flush')) SELECT f.cpu, f.t, f.line, split_part(f.fields, ' ', 2)::INTEGER AS"
            + " mcidx, f.last_op, (SELECT sum(n) FROM mmu_ops o WHERE o.file_id = ? AND o.op = 'flush' AND o.src_line"
            + " = f.line) FROM f WHERE f.name = 'xen_mc_flush' AND mcidx > 0")) {
            ps.setInt(1, file);
            ps.setInt(2, file);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int mcidx = rs.getInt(4);
                    int op = mcidx >= 2 ? 13 : rs.getInt(5);
                    long count = mcidx >= 2 ? mcidx : op == 1 ? rs.getLong(6) : -1;
                    add(m, new Call(rs.getInt(1), rs.getLong(2), rs.getLong(3), op, count, -1, -1, -1, false));
                }
            }
        }
        for (List<Call> l : m.values()) {
            l.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.line, b.line));
        }
        return m;
    }

    private static void add(Map<Integer, List<Call>> m, Call c) {
        m.computeIfAbsent(c.cpu(), k -> new ArrayList<>()).add(c);
    }

    /** The domain's hypercall records per vCPU: {seq, tsc, op, count} in TSC order. */
    public static Map<Integer, long[][]> xenCalls(Connection db, int file, int domain) throws SQLException {
        Map<Integer, List<long[]>> m = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT vcpu, seq, tsc, op, coalesce(count, -1) FROM"
            + " hypercalls WHERE file_id = ? AND dom = ? AND NOT is_subcall ORDER BY vcpu, tsc, seq")) {
            ps.setInt(1, file);
            ps.setInt(2, domain);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(
                        new long[] {rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5)});
                }
            }
        }
        Map<Integer, long[][]> out = new HashMap<>();
        m.forEach((v, l) -> out.put(v, l.toArray(new long[0][])));
        return out;
    }

    /** For reports: the guest hypercalls that found no Xen record, by expected op. */
    public static Map<Integer, Long> unmatchedByOp(Result r) {
        Map<Integer, Long> m = new java.util.TreeMap<>();
        for (Call c : r.calls()) {
            if (!c.matched()) {
                m.merge(c.op(), 1L, Long::sum);
            }
        }
        return m;
    }
}
