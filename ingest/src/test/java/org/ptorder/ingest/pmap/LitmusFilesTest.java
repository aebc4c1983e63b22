package org.ptorder.ingest.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * The litmus tests of ordering-model §6.3, kept as .pmt files in the analyze module's test
 * resources (the checker's ground truth), must all parse, and their expectation comments must be
 * in the form the checker's tests read (README-pmt.md, "Litmus files").
 */
class LitmusFilesTest {
    private static final Set<String> CLASSES = Set.of("V1", "V2", "V2-unsync", "V2-stale-RMW", "V3", "V3-local",
        "V4-local", "V4-remote", "V5-pending", "V5-live-root", "V5-pwc", "V6", "V7", "V8", "V9");
    private static final Set<String> LABELS = Set.of("OBSERVED", "LATENT", "BENIGN-RACE");
    private static final Pattern SCHEME = Pattern.compile("(S0|SN|S1|Sa|Sa'|Sb|Ssh|SL)=(x|ok|none)(/c|/lazy)?");

    static Path litmusDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("analyze/src/test/resources/litmus");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new AssertionError("analyze/src/test/resources/litmus not found above " + Path.of("").toAbsolutePath());
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(litmusDir())) {
            return s.filter(p -> p.toString().endsWith(".pmt")).sorted().toList();
        }
    }

    @Test
    void everyLitmusTestOfTheReferenceIsThere() throws IOException {
        Set<String> ids = new TreeSet<>();
        for (Path f : files()) {
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("# litmus: ")) {
                    ids.add(line.substring("# litmus: ".length()).split(" ")[0]);
                }
            }
        }
        for (int i = 1; i <= 13; i++) {
            assertTrue(ids.contains("LT-" + i), "no litmus file for LT-" + i + " (have " + ids + ")");
        }
        assertEquals(16, files().size(), "LT-1..13, plus LT-1b (latent), LT-10b and LT-13b (fixed orders)");
    }

    @Test
    void everyLitmusFileParsesWithoutWarnings() throws IOException {
        for (Path f : files()) {
            WarningList w = new WarningList();
            List<MmuOp> ops;
            try (PmtReader r = new PmtReader(f, Files.newInputStream(f), 0, w)) {
                ops = new ArrayList<>();
                while (r.next()) {
                    ops.add(r.op().copy());
                }
                assertTrue(r.header().cpus() > 0, f + ": declare cpus=");
            }
            assertTrue(ops.size() >= 3, f + ": only " + ops.size() + " events");
            assertTrue(w.isEmpty(), () -> f + ": " + w.rows());
        }
    }

    @Test
    void expectationCommentsAreWellFormed() throws IOException {
        for (Path f : files()) {
            List<String> expects = new ArrayList<>();
            List<String> schemes = new ArrayList<>();
            int litmus = 0;
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("# litmus: ")) {
                    litmus++;
                } else if (line.startsWith("# expect: ")) {
                    expects.add(line.substring(10));
                } else if (line.startsWith("# also: ")) {
                    checkFinding(f, line.substring(8));
                } else if (line.startsWith("# allow: ")) {
                    assertTrue(LABELS.contains(line.substring(9)), f + ": " + line);
                } else if (line.startsWith("# schemes: ")) {
                    schemes.add(line.substring(11));
                }
            }
            assertEquals(1, litmus, f + ": one '# litmus:' line");
            assertFalse(expects.isEmpty(), f + ": no '# expect:' line");
            boolean none = expects.contains("none");
            if (none) {
                assertEquals(List.of("none"), expects, f + ": 'none' must be the only expectation");
            } else {
                expects.forEach(e -> checkFinding(f, e));
            }
            assertEquals(1, schemes.size(), f + ": one '# schemes:' line");
            String[] tok = schemes.get(0).split(" ");
            for (String t : tok) {
                assertTrue(SCHEME.matcher(t).matches(), f + ": bad scheme verdict " + t);
            }
            // The expectations are S0's; they must agree with the S0 verdict quoted from the reference.
            assertTrue(tok[0].startsWith("S0="), f + ": S0 first");
            String s0 = tok[0].substring(3);
            if (none) {
                assertTrue(s0.equals("ok") || s0.equals("none"), f + ": expect none, but S0=" + s0);
            } else {
                assertEquals("x", s0, f + ": findings expected, but S0=" + s0);
            }
        }
    }

    private static void checkFinding(Path f, String e) {
        String[] parts = e.split(" ");
        assertEquals(2, parts.length, f + ": expected 'CLASS[|CLASS] LABEL', found '" + e + "'");
        for (String c : parts[0].split("\\|")) {
            assertTrue(CLASSES.contains(c), f + ": unknown class " + c);
        }
        assertTrue(LABELS.contains(parts[1]), f + ": unknown label " + parts[1]);
    }
}
