package org.ptorder.ingest.ftrace;

import java.nio.charset.StandardCharsets;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * Reads named values out of an event's text, in both spellings the tools produce: the
 * kernel's TP_printk rendering ({@code ptep ffff888101f8ff50 pteval 8000... (raw 8000...)},
 * {@code pages:-1}) and libtraceevent's fallback when it cannot evaluate the print format
 * ({@code [FAILED TO PARSE] ptep=0xffff888101f50f50 pteval=9223372044143409511}). In the
 * fallback every value carries its own radix (0x.. or decimal); in the rendering the radix
 * is the format's, so callers say which they expect. Absent or unreadable values are
 * {@link MmuOp#NONE}. Reused per line: no allocation.
 */
public final class Fields {
    static final byte[] FAILED_TO_PARSE = bytes("[FAILED TO PARSE]");
    /** Lowest canonical kernel address: anything printed for a %p below it is a hashed pointer. */
    public static final long KERNEL_SPACE = 0xffff800000000000L;

    private byte[] b;
    private int from;
    private int to;
    private boolean kv;

    public Fields at(FtraceLine l) {
        this.b = l.buf;
        this.from = l.fieldsStart;
        this.to = l.end;
        this.kv = startsWith(b, from, to, FAILED_TO_PARSE);
        return this;
    }

    /** For tests and callers holding plain text. */
    public Fields at(byte[] text) {
        this.b = text;
        this.from = 0;
        this.to = text.length;
        this.kv = startsWith(b, from, to, FAILED_TO_PARSE);
        return this;
    }

    /** True for libtraceevent's raw {@code field=value} fallback. */
    public boolean failedToParse() {
        return kv;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A value the format prints in hex ({@code %lx}, {@code %llx}). */
    public long hex(byte[] key) {
        int v = valueAt(key);
        if (v < 0) {
            return MmuOp.NONE;
        }
        return b[v - 1] == '=' ? auto(v) : parseHex(v);
    }

    /** A value the format prints in decimal ({@code %d}, {@code %u}, {@code %ld}). */
    public long dec(byte[] key) {
        int v = valueAt(key);
        if (v < 0) {
            return MmuOp.NONE;
        }
        return b[v - 1] == '=' ? auto(v) : parseDec(v);
    }

    /**
     * A kernel pointer ({@code %p}/{@code %px}): NONE when hashed, i.e. printed as
     * {@code (____ptrval____)} or as a small number (hashes are 32 bits wide).
     */
    public long pointer(byte[] key) {
        long p = hex(key);
        return p != MmuOp.NONE && Long.compareUnsigned(p, KERNEL_SPACE) >= 0 ? p : MmuOp.NONE;
    }

    /** True when the pointer prints as {@code (null)} or 0. */
    public boolean isNull(byte[] key) {
        int v = valueAt(key);
        return v >= 0 && (b[v] == '(' && v + 5 < to && b[v + 1] == 'n' && b[v + 2] == 'u' || hex(key) == 0);
    }

    /** True when the key is there but its value is no number, e.g. {@code (____ptrval____)}. */
    public boolean hashed(byte[] key) {
        int v = valueAt(key);
        return v >= 0 && pointer(key) == MmuOp.NONE;
    }

    /** The machine value of a rendered {@code ... (raw %0*llx)}; NONE if there is none. */
    public long rawInParens() {
        for (int i = from; i + 5 < to; i++) {
            if (b[i] == '(' && b[i + 1] == 'r' && b[i + 2] == 'a' && b[i + 3] == 'w' && b[i + 4] == ' ') {
                return parseHex(i + 5);
            }
        }
        return MmuOp.NONE;
    }

    /** The {@code n}-th (0-based) number inside {@code [a, b, ...]}, read as hex. */
    public long listHex(int n) {
        int i = from;
        while (i < to && b[i] != '[') {
            i++;
        }
        i++;
        for (int k = 0; k < n && i < to; i++) {
            if (b[i] == ',') {
                k++;
            }
        }
        while (i < to && b[i] == ' ') {
            i++;
        }
        return i < to ? parseHex(i) : MmuOp.NONE;
    }

    /** The {@code n}-th (0-based) decimal number in the text, for formats of bare numbers. */
    public long nthNumber(int n) {
        int k = 0;
        for (int i = from; i < to; i++) {
            if (b[i] >= '0' && b[i] <= '9' && (i == from || b[i - 1] == ' ' || b[i - 1] == '=')) {
                if (k++ == n) {
                    return parseDec(i);
                }
            }
        }
        return MmuOp.NONE;
    }

    /** True when the text contains {@code word} starting a word. */
    public boolean has(byte[] word) {
        for (int i = from; i + word.length <= to; i++) {
            if ((i == from || b[i - 1] == ' ' || b[i - 1] == '_') && java.util.Arrays.equals(b, i, i + word.length,
                word, 0, word.length)) {
                return true;
            }
        }
        return false;
    }

    /** True when the text ends with {@code word}. */
    public boolean endsWith(byte[] word) {
        return to - from >= word.length && java.util.Arrays.equals(b, to - word.length, to, word, 0, word.length);
    }

    /** The number in the trailing {@code (N)}, as in {@code reason:local mm shootdown (3)}. */
    public long trailingParenNumber() {
        int i = to - 1;
        if (i <= from || b[i] != ')') {
            return MmuOp.NONE;
        }
        int j = i - 1;
        while (j > from && (b[j] >= '0' && b[j] <= '9' || b[j] == '-')) {
            j--;
        }
        return b[j] == '(' ? parseDec(j + 1) : MmuOp.NONE;
    }

    /** Index of the first byte of {@code key}'s value, or -1. The key must start a word. */
    private int valueAt(byte[] key) {
        int n = key.length;
        for (int i = from; i + n < to; i++) {
            if (b[i] == key[0] && (i == from || b[i - 1] == ' ' || b[i - 1] == ']')
                && java.util.Arrays.equals(b, i, i + n, key, 0, n)) {
                byte sep = b[i + n];
                if (sep == '=' || sep == ':') {
                    return i + n + 1;
                }
                if (sep == ' ' && !kv) {
                    int v = i + n;
                    while (v < to && b[v] == ' ') {
                        v++;
                    }
                    return v < to ? v : -1;
                }
            }
        }
        return -1;
    }

    private long auto(int i) {
        if (i + 1 < to && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            return parseHex(i);
        }
        return parseDec(i);
    }

    private long parseHex(int i) {
        if (i + 1 < to && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            i += 2;
        }
        long v = 0;
        int start = i;
        for (; i < to && i - start < 16; i++) {
            int c = b[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                break;
            }
            v = v << 4 | d;
        }
        if (i == start || i < to && isHexDigit(b[i])) {
            return MmuOp.NONE;
        }
        return v;
    }

    /** Decimal, signed or unsigned 64-bit (libtraceevent prints u64 fields in decimal). */
    private long parseDec(int i) {
        boolean neg = i < to && b[i] == '-';
        if (neg) {
            i++;
        }
        long v = 0;
        int start = i;
        for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
            int d = b[i] - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                return MmuOp.NONE; // beyond 64 bits
            }
            v = v * 10 + d;
        }
        if (i == start) {
            return MmuOp.NONE;
        }
        return neg ? -v : v;
    }

    private static boolean isHexDigit(byte c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && java.util.Arrays.equals(b, from, from + prefix.length, prefix, 0,
            prefix.length);
    }
}
