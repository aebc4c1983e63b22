package org.ptorder.analyze.report;

import org.ptorder.analyze.sql.Json;

/**
 * A small pretty-printing JSON writer: objects and arrays of objects one member per line, arrays
 * of numbers on one line. Output depends only on the calls made, so reports are byte-identical.
 */
final class JsonWriter {
    private final StringBuilder sb = new StringBuilder();
    private int depth;
    private boolean first = true;

    JsonWriter begin(String key) {
        member(key);
        sb.append('{');
        depth++;
        first = true;
        return this;
    }

    JsonWriter beginArray(String key) {
        member(key);
        sb.append('[');
        depth++;
        first = true;
        return this;
    }

    JsonWriter end() {
        return close('}');
    }

    JsonWriter endArray() {
        return close(']');
    }

    private JsonWriter close(char c) {
        depth--;
        if (!first) {
            newline();
        }
        sb.append(c);
        first = false;
        return this;
    }

    JsonWriter str(String key, String v) {
        member(key);
        if (v == null) {
            sb.append("null");
        } else {
            Json.string(sb, v);
        }
        return this;
    }

    JsonWriter num(String key, Number v) {
        member(key);
        sb.append(number(v));
        return this;
    }

    JsonWriter bool(String key, boolean v) {
        member(key);
        sb.append(v);
        return this;
    }

    JsonWriter nul(String key) {
        member(key);
        sb.append("null");
        return this;
    }

    /** An array of numbers on one line. */
    JsonWriter longs(String key, long[] v) {
        member(key);
        sb.append('[');
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(v[i]);
        }
        sb.append(']');
        return this;
    }

    JsonWriter strings(String key, Iterable<String> v) {
        member(key);
        sb.append('[');
        boolean f = true;
        for (String s : v) {
            sb.append(f ? "" : ", ");
            f = false;
            Json.string(sb, s);
        }
        sb.append(']');
        return this;
    }

    static String number(Number v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : Double.toString(d);
        }
        return v.toString();
    }

    /** A member of the enclosing object ({@code key} non-null) or an element of the enclosing array. */
    private void member(String key) {
        if (depth > 0) {
            sb.append(first ? "" : ",");
            newline();
        }
        first = false;
        if (key != null) {
            Json.string(sb, key);
            sb.append(": ");
        }
    }

    private void newline() {
        sb.append('\n');
        for (int i = 0; i < depth; i++) {
            sb.append("  ");
        }
    }

    @Override
    public String toString() {
        return sb + "\n";
    }
}
