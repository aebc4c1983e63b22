package org.ptorder.ingest.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The test oracle against the ground truth: on the litmus files of ordering-model §6.3
 * (analyze/src/test/resources/litmus) it reports each expected class it can decide, nothing on the
 * files that expect nothing, and nothing outside the expected and "also" classes. Classes that need
 * the litmus setup's unstated assumptions (every CPU's root reaches p, so V6 and V5-pwc; accesses
 * for OBSERVED) are not required of it.
 */
class OracleLitmusTest {
    private static final Set<String> DECIDED = Set.of("V1", "V2", "V2-stale-RMW", "V3", "V3-local", "V4-local",
        "V4-remote", "V5-pending", "V5-live-root");

    static Path litmusDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("analyze/src/test/resources/litmus");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new AssertionError("litmus directory not found");
    }

    @Test
    void oracleAgreesWithTheLitmusExpectations() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(litmusDir())) {
            files = s.filter(p -> p.toString().endsWith(".pmt")).sorted().toList();
        }
        assertTrue(files.size() >= 16);
        for (Path f : files) {
            List<String> expect = new ArrayList<>();
            List<String> allowed = new ArrayList<>();
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("# expect: ") && !line.equals("# expect: none")) {
                    String cls = line.substring(10).split(" ")[0];
                    expect.add(cls);
                    allowed.addAll(List.of(cls.split("\\|")));
                } else if (line.startsWith("# also: ")) {
                    allowed.add(line.substring(8).split(" ")[0]);
                }
            }
            TraceOracle o = TraceOracle.check(f);
            for (String e : expect) {
                boolean decided = false;
                boolean found = false;
                for (String alt : e.split("\\|")) {
                    decided |= DECIDED.contains(alt);
                    for (TraceOracle.Finding fd : o.findings) {
                        found |= fd.cls().equals(alt);
                    }
                }
                if (decided) {
                    assertTrue(found, f.getFileName() + ": expected " + e + ", oracle found " + o.findings);
                }
            }
            for (TraceOracle.Finding fd : o.findings) {
                assertTrue(allowed.contains(fd.cls()), f.getFileName() + ": unexpected " + fd);
            }
        }
    }
}
