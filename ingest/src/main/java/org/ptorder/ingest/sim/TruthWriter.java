package org.ptorder.ingest.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes the truth file as the simulation runs, one planted record per line inside the
 * {@code "planted"} array, so it never holds more than one record:
 *
 * <pre>
 * {"format": "ptorder-truth", "version": 1, "system": "linux", "cpus": 2, "seed": 1, ...,
 *  "planted": [
 *   {"id": 1, "kind": "flush-after-unlock", "class": "V1", "label": "LATENT", "events": [812, 813, 815, 816, 818],
 *    "key": [812, 816], "alternatives": [], "also": ["V7"], "roles": {"enq": 812, ...}, "cpu": 0, ...},
 *   ...
 *  ],
 *  "summary": {"planted": 3, "events": 20514, "by_kind": {"flush-after-unlock": 3}}}
 * </pre>
 */
final class TruthWriter implements AutoCloseable {
    private final Writer w;
    private int records;

    TruthWriter(OutputStream out, Map<String, Object> header) {
        this.w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder("{\"format\": \"ptorder-truth\", \"version\": 1");
        for (Map.Entry<String, Object> e : header.entrySet()) {
            sb.append(", ");
            str(sb, e.getKey());
            sb.append(": ");
            value(sb, e.getValue());
        }
        sb.append(",\n \"planted\": [");
        emit(sb);
    }

    void write(Planted p) {
        StringBuilder sb = new StringBuilder(records == 0 ? "\n  " : ",\n  ");
        sb.append("{\"id\": ").append(p.id);
        sb.append(", \"kind\": ");
        str(sb, p.kind.text());
        sb.append(", \"variant\": ");
        str(sb, p.variant);
        sb.append(", \"class\": ");
        str(sb, p.cls);
        sb.append(", \"label\": ");
        str(sb, p.label);
        sb.append(", \"events\": ");
        value(sb, p.events());
        sb.append(", \"key\": ");
        value(sb, p.keyEvents());
        sb.append(", \"alternatives\": ");
        value(sb, p.alternatives);
        sb.append(", \"also\": ");
        value(sb, p.also);
        sb.append(", \"roles\": {");
        boolean first = true;
        for (Map.Entry<String, Long> r : p.roles.entrySet()) {
            sb.append(first ? "" : ", ");
            first = false;
            str(sb, r.getKey());
            sb.append(": ").append(r.getValue());
        }
        sb.append('}');
        sb.append(", \"cpu\": ").append(p.cpu);
        if (p.otherCpu >= 0) {
            sb.append(", \"other_cpu\": ").append(p.otherCpu);
        }
        if (p.pte != 0) {
            sb.append(", \"pte\": \"0x").append(Long.toHexString(p.pte)).append('"');
        }
        if (p.va != 0) {
            sb.append(", \"va\": \"0x").append(Long.toHexString(p.va)).append('"');
        }
        if (p.mfn != 0) {
            sb.append(", \"mfn\": \"0x").append(Long.toHexString(p.mfn)).append('"');
        }
        if (p.lock != null) {
            sb.append(", \"lock\": ");
            str(sb, p.lock);
        }
        sb.append('}');
        records++;
        emit(sb);
    }

    /** Ends the array and writes the summary object. */
    void finish(Map<String, Object> summary) {
        StringBuilder sb = new StringBuilder(records == 0 ? "],\n \"summary\": " : "\n ],\n \"summary\": ");
        value(sb, summary);
        sb.append("}\n");
        emit(sb);
    }

    private void emit(CharSequence s) {
        try {
            w.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? ", " : "");
                value(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ", ");
                first = false;
                str(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                value(sb, e.getValue());
            }
            sb.append('}');
        } else {
            str(sb, v.toString());
        }
    }

    static void str(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public void close() throws IOException {
        w.close();
    }
}
