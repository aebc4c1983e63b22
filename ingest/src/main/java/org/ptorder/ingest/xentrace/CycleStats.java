package org.ptorder.ingest.xentrace;

import java.util.Arrays;

/**
 * Count and total of closed intervals, with percentiles from a bounded deterministic sample
 * (xenalyze keeps a sample too; its p5/p50/p95 come from its own sampling and are not
 * reproduced exactly, the counts and totals are).
 */
public final class CycleStats {
    private static final int SAMPLE = 4096;
    private long count;
    private long cycles;
    private final long[] sample = new long[SAMPLE];
    private long seed = 0x9E3779B97F4A7C15L;

    public void add(long c) {
        if (c <= 0) {
            return;
        }
        count++;
        cycles += c;
        if (count <= SAMPLE) {
            sample[(int) count - 1] = c;
        } else {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            long j = Math.floorMod(seed, count);
            if (j < SAMPLE) {
                sample[(int) j] = c;
            }
        }
    }

    static CycleStats[] array(int n) {
        CycleStats[] a = new CycleStats[n];
        for (int i = 0; i < n; i++) {
            a[i] = new CycleStats();
        }
        return a;
    }

    public long count() {
        return count;
    }

    public long cycles() {
        return cycles;
    }

    /** The {@code pct}-th percentile of the sampled intervals. */
    public long percentile(int pct) {
        int n = (int) Math.min(count, SAMPLE);
        if (n == 0) {
            return 0;
        }
        long[] s = Arrays.copyOf(sample, n);
        Arrays.sort(s);
        return s[Math.min(n - 1, n * pct / 100)];
    }
}
