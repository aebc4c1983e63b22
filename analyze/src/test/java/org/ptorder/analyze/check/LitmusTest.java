package org.ptorder.analyze.check;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The litmus tests of ordering-model §6.3 as .pmt files (analyze/src/test/resources/litmus): the
 * checker must report exactly the classes and labels each file's {@code # expect:} lines give for
 * the recorded behaviour (scheme S0, the trace as written), may report what {@code # also:}
 * allows, and nothing else ({@code # allow: LABEL} tolerates that label with {@code expect: none}).
 */
class LitmusTest {
    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("src/test/resources/litmus");
            if (Files.isDirectory(c)) {
                return c;
            }
            c = p.resolve("analyze/src/test/resources/litmus");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new AssertionError("litmus directory not found");
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> p.toString().endsWith(".pmt")).sorted().toList();
        }
    }

    @TestFactory
    List<DynamicTest> everyLitmusFileGetsExactlyItsExpectedFindings() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files()) {
            tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
        }
        assertTrue(tests.size() >= 16);
        return tests;
    }

    static void check(Path f) throws IOException {
        List<String[]> expect = new ArrayList<>();
        List<String[]> also = new ArrayList<>();
        Set<String> allow = new LinkedHashSet<>();
        boolean none = false;
        for (String line : Files.readAllLines(f)) {
            if (line.startsWith("# expect: ")) {
                String e = line.substring(10).trim();
                if (e.equals("none")) {
                    none = true;
                } else {
                    expect.add(e.split(" "));
                }
            } else if (line.startsWith("# also: ")) {
                also.add(line.substring(8).trim().split(" "));
            } else if (line.startsWith("# allow: ")) {
                allow.add(line.substring(9).trim());
            }
        }
        CheckResult r = PmtCheck.check(f, CheckOptions.defaults(), null, 0);
        StringBuilder got = new StringBuilder();
        for (Finding x : r.findings()) {
            got.append("\n  ").append(x.cls().text()).append(' ').append(x.label().text()).append(" coverage=")
                .append(x.coverage().text()).append(" writer #").append(x.writer().seq()).append(" reader #")
                .append(x.reader().seq());
        }
        // every expectation met
        for (String[] e : expect) {
            boolean met = r.findings().stream().anyMatch(x -> matches(x, e));
            if (!met) {
                fail(f.getFileName() + ": expected " + String.join(" ", e) + ", got:" + got);
            }
        }
        // nothing unexpected
        for (Finding x : r.findings()) {
            boolean ok = expect.stream().anyMatch(e -> matches(x, e)) || also.stream().anyMatch(e -> matches(x, e))
                || allow.contains(x.label().text());
            if (!ok) {
                fail(f.getFileName() + ": unexpected " + x.cls().text() + " " + x.label().text() + "; got:" + got);
            }
        }
        if (none && !allow.isEmpty()) {
            assertTrue(r.findings().stream().allMatch(x -> allow.contains(x.label().text())), f + ":" + got);
        }
    }

    static boolean matches(Finding x, String[] e) {
        for (String c : e[0].split("\\|")) {
            if (c.equals(x.cls().text()) && e[1].equals(x.label().text())) {
                return true;
            }
        }
        return false;
    }
}
