package org.ptorder.analyze.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.TraceFile;

/**
 * {@code ptorder summary} against xenalyze's own --summary of the same real captures
 * (xenalyze built from Xen RELEASE-4.17.7, --cpu-hz=2095996000). Every count, time and average
 * must agree; only the percentiles in braces (xenalyze samples them its own way) and the
 * cpu-affinity lines (not reproduced) are left out of the comparison.
 */
class XenalyzeSummaryOracleTest {
    static final long HZ = 2095996000L;

    static Path run(String run, String file) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolveSibling("shared").resolve("data/real/qemu-tcg-xen417-pv-dom0").resolve(run).resolve(file);
            if (Files.exists(c)) {
                return c;
            }
        }
        Assumptions.abort("real data missing");
        return null;
    }

    static List<String> normalise(String text) {
        return Arrays.stream(text.split("\n"))
            .filter(l -> !l.startsWith(" cpu affinity:") && !l.matches("   \\[\\d+\\]:.*"))
            .map(l -> l.replaceAll("\\{.*}", "").stripTrailing())
            .collect(Collectors.toList());
    }

    static XenalyzeSummary summarise(Path trace) {
        try (RecordCursor c = RecordCursor.open(TraceFile.open(trace), new WarningList())) {
            return XenalyzeSummary.of(c);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"run-a-localclock", "run-b-x86tsc"})
    void agreesWithXenalyze(String r) throws Exception {
        StringWriter sw = new StringWriter();
        summarise(run(r, "xen.trace")).print(new PrintWriter(sw, true), HZ);
        assertEquals(normalise(Files.readString(run(r, "xenalyze-summary.txt"))), normalise(sw.toString()));
    }

    @Test
    void theNumbersTheIssueNames() {
        XenalyzeSummary s = summarise(run("run-a-localclock", "xen.trace"));
        XenalyzeSummary.PvCounts v0 = s.pv(0, 0);
        assertEquals(81883, v0.hypercalls(1));
        assertEquals(33684, v0.hypercalls(26));
        assertEquals(60254, v0.count(11));
    }
}
