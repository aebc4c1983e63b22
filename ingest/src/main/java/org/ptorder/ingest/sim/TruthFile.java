package org.ptorder.ingest.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a truth file written by {@code ptorder simulate --truth} (format in README-simulate.md):
 * the run's settings and one {@link Record} per planted bug. For the demo, for tests that compare a
 * checker's findings with what was planted, and for anyone else's tooling.
 */
public final class TruthFile {
    /** One planted bug. {@code events} and {@code key} are .pmt seqs. */
    public record Record(int id, String kind, String variant, String cls, String label, List<Long> events,
                         List<Long> key, List<String> alternatives, List<String> also, Map<String, Long> roles) {
        /** Classes a finding may carry and still count as finding this bug. */
        public boolean accepts(String findingClass) {
            return cls.equals(findingClass) || alternatives.contains(findingClass);
        }

        /** Classes a finding on these events may carry without being a false positive. */
        public boolean tolerates(String findingClass) {
            return accepts(findingClass) || also.contains(findingClass);
        }
    }

    public final Map<String, Object> header;
    public final List<Record> planted;

    private TruthFile(Map<String, Object> header, List<Record> planted) {
        this.header = header;
        this.planted = planted;
    }

    public static TruthFile read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    public static TruthFile parse(String json) {
        Map<String, Object> top = (Map<String, Object>) new Parser(json).value();
        if (!"ptorder-truth".equals(top.get("format"))) {
            throw new IllegalArgumentException("not a ptorder truth file (format is " + top.get("format") + ")");
        }
        List<Record> recs = new ArrayList<>();
        for (Object o : (List<Object>) top.get("planted")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Map<String, Long> roles = new LinkedHashMap<>();
            ((Map<String, Object>) m.get("roles")).forEach((k, v) -> roles.put(k, ((Number) v).longValue()));
            recs.add(new Record(((Number) m.get("id")).intValue(), (String) m.get("kind"), (String) m.get("variant"),
                (String) m.get("class"), (String) m.get("label"), longs(m.get("events")), longs(m.get("key")),
                strings(m.get("alternatives")), strings(m.get("also")), roles));
        }
        Map<String, Object> header = new LinkedHashMap<>(top);
        header.remove("planted");
        return new TruthFile(header, recs);
    }

    @SuppressWarnings("unchecked")
    private static List<Long> longs(Object o) {
        List<Long> out = new ArrayList<>();
        for (Object x : (List<Object>) o) {
            out.add(((Number) x).longValue());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object x : (List<Object>) o) {
            out.add((String) x);
        }
        return out;
    }

    /** A small JSON reader (objects, arrays, strings, numbers, true/false/null); enough for truth files. */
    static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            ws();
            if (i >= s.length()) {
                throw error("a value");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (peek('}')) {
                        return m;
                    }
                    do {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                    } while (peek(','));
                    expect('}');
                    return m;
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (peek(']')) {
                        return l;
                    }
                    do {
                        l.add(value());
                        ws();
                    } while (peek(','));
                    expect(']');
                    return l;
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    word("true");
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    word("false");
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    word("null");
                    return null;
                }
                default -> {
                    int j = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    String num = s.substring(j, i);
                    if (num.isEmpty()) {
                        throw error("a value");
                    }
                    if (num.contains(".") || num.contains("e") || num.contains("E")) {
                        return Double.parseDouble(num);
                    }
                    return Long.parseLong(num);
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
            expect('"');
            return sb.toString();
        }

        private void word(String w) {
            if (!s.startsWith(w, i)) {
                throw error(w);
            }
            i += w.length();
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("'" + c + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("truth file, offset " + i + ": expected " + what);
        }
    }
}
