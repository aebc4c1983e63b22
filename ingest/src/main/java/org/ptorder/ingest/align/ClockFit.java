package org.ptorder.ingest.align;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the map from a guest clock in ns (ftrace's default 'local' clock) onto the Xen TSC when
 * the two share no clock (reference/xentrace.md §6.4): multicalls are rare and carry a count,
 * so every pairing of a guest multicall with a Xen multicall of the same size on the same vCPU
 * votes for an offset, and the most voted offset wins. Then, a few times over, all hypercalls
 * are matched under the map with some slack and a least-squares line through the pairs whose
 * request counts agree gives the next map. The slope starts from the known cycle rate, so
 * drift between the clocks shows as a slope error in ppm.
 */
public final class ClockFit {
    private ClockFit() { }

    /** Vote bucket: 50 µs of cycles at the given rate. */
    private static double bucket(double cyclesPerNs) {
        return 50_000 * cyclesPerNs;
    }

    public static ClockMap fit(Map<Integer, List<CallMatcher.Call>> guest, Map<Integer, long[][]> xen, long hz) {
        double slope = hz / 1e9;
        double width = bucket(slope);
        Map<Long, Integer> votes = new HashMap<>();
        for (Map.Entry<Integer, List<CallMatcher.Call>> e : guest.entrySet()) {
            long[][] x = xen.getOrDefault(e.getKey(), new long[0][]);
            List<long[]> xm = new ArrayList<>();
            for (long[] r : x) {
                if (r[2] == 13) {
                    xm.add(r);
                }
            }
            for (CallMatcher.Call c : e.getValue()) {
                if (c.op() != 13) {
                    continue;
                }
                for (long[] r : xm) {
                    if (r[3] == c.count()) {
                        long b = Math.round((r[1] - slope * c.time()) / width);
                        votes.merge(b, 1, Integer::sum);
                    }
                }
            }
        }
        if (votes.isEmpty()) {
            return null;
        }
        long best = votes.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
        ClockMap map = new ClockMap(slope, best * width);
        long slack = slack(slope);
        for (int round = 0; round < 3 && map != null; round++) {
            map = refine(CallMatcher.match(guest, xen, map, slack), slope);
        }
        return map;
    }

    /** How far a fitted guest time may be from its Xen record: 500 µs. */
    public static long slack(double cyclesPerNs) {
        return Math.round(500_000 * cyclesPerNs);
    }

    /** Least squares through the matched pairs with agreeing counts. */
    private static ClockMap refine(CallMatcher.Result r, double slope) {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (CallMatcher.Call c : r.calls()) {
            if (c.countAgrees()) {
                double x = c.time();
                double y = c.xenTsc();
                n++;
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
        }
        if (n < 10) {
            return null;
        }
        double den = n * sxx - sx * sx;
        double a = den == 0 ? slope : (n * sxy - sx * sy) / den;
        double b = (sy - a * sx) / n;
        return new ClockMap(a, b);
    }
}
