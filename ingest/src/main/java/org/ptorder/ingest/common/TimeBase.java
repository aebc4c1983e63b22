package org.ptorder.ingest.common;

/**
 * Converts raw cycle counts to nanoseconds since a trace's first record. Without a known rate
 * there is no conversion: {@link #ns} returns null, and callers say that times are in cycles
 * rather than silently assuming a frequency.
 */
public final class TimeBase {
    private final long originTsc;
    private final long hz;
    private final double nsPerCycle;

    public TimeBase(long originTsc, long hz) {
        this.originTsc = originTsc;
        this.hz = hz;
        this.nsPerCycle = hz > 0 ? 1e9 / hz : Double.NaN;
    }

    public boolean known() {
        return hz > 0;
    }

    public long hz() {
        return hz;
    }

    public long originTsc() {
        return originTsc;
    }

    /** Nanoseconds since the origin, or {@code Long.MIN_VALUE} when the rate is unknown. */
    public long nsOrMin(long tsc) {
        return hz > 0 ? Math.round((tsc - originTsc) * nsPerCycle) : Long.MIN_VALUE;
    }

    /** Seconds since the origin as text for people: {@code 1.234567890} or {@code c123456} in cycles. */
    public String format(long tsc) {
        if (hz > 0) {
            long ns = nsOrMin(tsc);
            return String.format("%d.%09d", ns / 1_000_000_000L, Math.abs(ns % 1_000_000_000L));
        }
        return "c" + (tsc - originTsc);
    }

    /** Parses {@code 2.1G}, {@code 2095996000}, {@code 2095.996M}, {@code 900k}. */
    public static long parseHz(String text) {
        String t = text.trim();
        double mult = 1;
        char last = Character.toUpperCase(t.isEmpty() ? ' ' : t.charAt(t.length() - 1));
        if (last == 'G' || last == 'M' || last == 'K') {
            mult = last == 'G' ? 1e9 : last == 'M' ? 1e6 : 1e3;
            t = t.substring(0, t.length() - 1);
        } else if (t.toUpperCase().endsWith("HZ")) {
            return parseHz(t.substring(0, t.length() - 2));
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a frequency: '" + text + "' (expected e.g. 2095996000, 2.1G, 2095.996M)");
        }
        if (!(v * mult >= 1e3 && v * mult < 1e12)) {
            throw new IllegalArgumentException("implausible cycle rate: '" + text + "' (expected 1 kHz .. 1 THz)");
        }
        return Math.round(v * mult);
    }
}
