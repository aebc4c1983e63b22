package org.ptorder.ingest.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * The dtrace script cannot run here, so its output format is tested instead: every printf
 * format string is taken from the .d file, its conversions are filled with sample values, and
 * the lines must read as the ops (and fields) they spell out.
 */
class NetbsdXpqDtraceTest {
    static final Path SCRIPT = Path.of("dtrace/netbsd-xpq.d");
    private static final Pattern CONVERSION = Pattern.compile("%[-+ #0]*[0-9]*(?:\\.[0-9]+)?(?:hh|h|ll|l|z|j|t)?[diouxXsacp]");

    /** One printf of the script: its format (unescaped) and how many arguments follow it. */
    record Printf(String format, int args, int line) { }

    @Test
    void scriptProbesTheXpqApiAndThePmapLock() throws IOException {
        String d = stripComments(Files.readString(SCRIPT));
        for (String fn : List.of("xpq_queue_pte_update", "xpq_queue_machphys_update", "xpq_flush_queue",
            "xpq_queue_tlb_flush", "xpq_queue_invlpg", "xpq_queue_pt_switch", "xpq_queue_pin_table",
            "xpq_queue_unpin_table", "xen_mcast_tlbflush", "xen_mcast_invlpg", "xen_bcast_tlbflush",
            "xen_bcast_invlpg", "xen_set_user_pgd", "pmap_tlb_shootdown", "pmap_tlb_shootnow",
            "mutex_vector_enter", "mutex_vector_exit")) {
            assertTrue(d.contains("fbt::" + fn + ":"), "no probe on " + fn);
        }
    }

    @Test
    void everyPrintfFormatReadsAsTheOpItSpells() throws IOException {
        List<Printf> printfs = printfs(Files.readString(SCRIPT));
        assertTrue(printfs.size() >= 20, "found only " + printfs.size() + " printf calls");

        StringBuilder header = new StringBuilder();
        StringBuilder body = new StringBuilder();
        List<String> eventLines = new ArrayList<>();
        int counter = 0;
        for (Printf p : printfs) {
            String f = p.format();
            assertTrue(f.endsWith("\n") && f.indexOf('\n') == f.length() - 1,
                "printf on line " + p.line() + " must print exactly one line: " + f);
            int conversions = 0;
            for (Matcher m = CONVERSION.matcher(f); m.find(); ) {
                conversions++;
            }
            assertEquals(conversions, p.args(), "printf on line " + p.line() + " has " + conversions
                + " conversions but " + p.args() + " arguments: " + f);
            String line = instantiate(f.substring(0, f.length() - 1), 1000 + 10 * counter, counter);
            counter++;
            if (f.startsWith("#!")) {
                header.append(line).append('\n');
            } else {
                if (f.startsWith("#")) {
                    // Comment lines keep "# time cpu" first so that the README's sort keeps them in place.
                    assertTrue(f.startsWith("# %d %d "), "comment printf must start with '# %d %d ': " + f);
                } else {
                    eventLines.add(line);
                }
                body.append(line).append('\n');
            }
        }
        assertTrue(header.toString().startsWith("#! ptorder-pmap 1\n"), header.toString());

        WarningList warnings = Pmt.warnings();
        List<MmuOp> ops = Pmt.read(header + body.toString(), warnings);
        assertTrue(warnings.isEmpty(), () -> "warnings: " + warnings.rows());
        assertEquals(eventLines.size(), ops.size());
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < ops.size(); i++) {
            checkLine(eventLines.get(i), ops.get(i));
            seen.add(ops.get(i).op.text());
        }
        assertEquals(new TreeSet<>(List.of("enq", "flush", "tlb_flush", "invlpg", "tlb_flush_multi", "invlpg_multi",
            "tlb_flush_all", "invlpg_all", "new_baseptr", "pin", "unpin", "lock", "unlock")), seen);
    }

    /** Every key=value the line spells out must be in the op, with that value. */
    private static void checkLine(String line, MmuOp op) {
        String[] tok = line.split(" ");
        assertEquals(tok[2], op.op.text(), line);
        assertEquals(Long.parseLong(tok[0]), op.ts, line); // origin=0 in the sample header
        assertEquals(Integer.parseInt(tok[1]), op.cpu, line);
        for (int i = 3; i < tok.length; i++) {
            int eq = tok[i].indexOf('=');
            String k = tok[i].substring(0, eq);
            String v = tok[i].substring(eq + 1);
            PmtKey key = null;
            for (PmtKey c : PmtKey.values()) {
                if (c.text.equals(k)) {
                    key = c;
                }
            }
            assertTrue(key != null, "unknown key " + k + " in " + line);
            switch (key.type) {
                case U64, FLAG, LEVEL, CPU, HCOP -> assertEquals(number(v), key.getLong(op), line);
                case CPUSET -> assertEquals(BitSet.valueOf(new long[] {number(v)}), key.getSet(op), line);
                default -> assertEquals(v, key.getText(op), line);
            }
        }
    }

    private static long number(String v) {
        return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseUnsignedLong(v);
    }

    /** Fills each conversion with a value that suits its place: time, cpu, or the key it belongs to. */
    private static String instantiate(String format, long time, int salt) {
        StringBuilder out = new StringBuilder();
        Matcher m = CONVERSION.matcher(format);
        int last = 0;
        int n = 0;
        while (m.find()) {
            String before = format.substring(0, m.start());
            int token = before.startsWith("# ") ? countBlanks(before) - 1 : countBlanks(before);
            String tokenText = before.substring(before.lastIndexOf(' ') + 1);
            String key = tokenText.contains("=") ? tokenText.substring(0, tokenText.indexOf('=')) : "";
            String value;
            if (format.startsWith("#!")) {
                value = key.equals("cpus") ? "4" : "0";
            } else if (key.isEmpty() && token == 0) {
                value = Long.toString(time);
            } else if (key.isEmpty() && token == 1) {
                value = "1";
            } else {
                value = switch (key) {
                    case "mask" -> "5";
                    case "level" -> "3";
                    case "n" -> "7";
                    case "reason" -> "mmuext";
                    case "thread" -> "ffff80001234a000";
                    case "lock" -> "ffff80001c2d3000";
                    case "at" -> m.group().endsWith("a") ? "netbsd`pmap_enter_ma+0x1f4" : "xpq_queue_tlb_flush";
                    default -> m.group().endsWith("x") ? Long.toHexString(0x1a2b3000L + 8L * (salt * 8 + n))
                        : Integer.toString(40 + n);
                };
            }
            out.append(format, last, m.start()).append(value);
            last = m.end();
            n++;
        }
        return out.append(format.substring(last)).toString();
    }

    private static int countBlanks(String s) {
        int c = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ') {
                c++;
            }
        }
        return c;
    }

    // ---------------------------------------------------------------- a small D reader

    /** Blanks out comments, keeping every other character (and newline) where it was. */
    static String stripComments(String d) {
        StringBuilder sb = new StringBuilder(d);
        Matcher m = Pattern.compile("(?s)/\\*.*?\\*/").matcher(d);
        while (m.find()) {
            for (int i = m.start(); i < m.end(); i++) {
                if (sb.charAt(i) != '\n') {
                    sb.setCharAt(i, ' ');
                }
            }
        }
        return sb.toString();
    }

    /** Every {@code printf("...", args)} of the script, outside comments. */
    static List<Printf> printfs(String source) {
        String d = stripComments(source);
        List<Printf> out = new ArrayList<>();
        for (int at = d.indexOf("printf("); at >= 0; at = d.indexOf("printf(", at + 1)) {
            int i = at + "printf(".length();
            while (Character.isWhitespace(d.charAt(i))) {
                i++;
            }
            if (d.charAt(i) != '"') {
                throw new AssertionError("printf on line " + (1 + d.substring(0, at).chars().filter(c -> c == '\n').count()) + " does not start with a string literal");
            }
            StringBuilder fmt = new StringBuilder();
            for (i++; d.charAt(i) != '"'; i++) {
                char c = d.charAt(i);
                if (c == '\\') {
                    char e = d.charAt(++i);
                    fmt.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    fmt.append(c);
                }
            }
            // Count the top-level arguments after the format, up to the closing parenthesis.
            int depth = 0;
            int args = 0;
            boolean inString = false;
            for (i++; ; i++) {
                char c = d.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    if (depth-- == 0) {
                        break;
                    }
                } else if (c == ',' && depth == 0) {
                    args++;
                }
            }
            out.add(new Printf(fmt.toString(), args, 1 + (int) d.substring(0, at).chars().filter(c -> c == '\n').count()));
        }
        return out;
    }

    @Test
    void theSmallDReaderCountsArgumentsRight() {
        List<Printf> p = printfs("/* printf(\"no\")\n */ x {\n printf(\"%d %s\\n\", f(a, b), c ? \"x,y\" : \"z\"); }");
        assertEquals(List.of(new Printf("%d %s\n", 2, 3)), p);
        assertEquals(new LinkedHashSet<>(List.of()), new LinkedHashSet<>(printfs("/* printf(\"a\") */")));
    }
}
