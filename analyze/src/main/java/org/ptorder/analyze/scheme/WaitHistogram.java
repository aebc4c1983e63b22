package org.ptorder.analyze.scheme;

/**
 * Wait times in fixed memory: exact count, total and maximum, and log-linear buckets (64 per
 * power of two, about 1.6% wide) for the percentiles. Values are ns.
 */
final class WaitHistogram {
    private static final int SUB = 64;
    private final long[] buckets = new long[SUB * 58];
    private long count;
    private long total;
    private long max;

    void add(long ns) {
        long v = Math.max(0, ns);
        buckets[index(v)]++;
        count++;
        total += v;
        max = Math.max(max, v);
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v); // >= 6
        return (e - 5) * SUB + (int) ((v >>> (e - 6)) & (SUB - 1));
    }

    private static long lower(int i) {
        if (i < SUB) {
            return i;
        }
        int e = i / SUB + 5;
        return (1L << e) | ((long) (i % SUB) << (e - 6));
    }

    long count() {
        return count;
    }

    long total() {
        return total;
    }

    long max() {
        return max;
    }

    /** The q-quantile (0..1): the lower edge of its bucket, capped by the exact maximum; 0 when empty. */
    long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return Math.min(lower(i), max);
            }
        }
        return max;
    }
}
