package org.ptorder.analyze.report;

import java.util.Locale;

/** Number formatting for people, independent of the machine's locale (reports must be byte-identical). */
public final class Fmt {
    private Fmt() { }

    /** A measured value with up to 4 significant digits, no exponent below 1e15: {@code 12.35}, {@code 1234}, {@code 0.0123}. */
    public static String num(Double v) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) (double) v);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 1) {
            return strip(String.format(Locale.ROOT, "%.3f", v));
        }
        return strip(String.format(Locale.ROOT, "%.4g", v));
    }

    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, u[i]);
    }

    /** A time in the axis unit: ns become µs/ms/s, other units (seq, cycles) stay counts. */
    public static String time(long t, String unit) {
        if (!unit.equals("ns")) {
            return count(t) + " " + unit;
        }
        double a = Math.abs((double) t);
        if (a >= 1e9) {
            return strip(String.format(Locale.ROOT, "%.3f", t / 1e9)) + " s";
        }
        if (a >= 1e6) {
            return strip(String.format(Locale.ROOT, "%.3f", t / 1e6)) + " ms";
        }
        if (a >= 1e3) {
            return strip(String.format(Locale.ROOT, "%.3f", t / 1e3)) + " µs";
        }
        return t + " ns";
    }

    public static String percent(Double rate) {
        return rate == null ? "–" : String.format(Locale.ROOT, "%.2f%%", rate * 100);
    }

    /** A signed relative change, e.g. {@code +12.5%}; empty when unknown. */
    public static String relative(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%+.1f%%", r * 100);
    }

    private static String strip(String s) {
        if (!s.contains(".") || s.contains("e")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
