package org.ptorder.analyze.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptorder.analyze.check.ViolationClass;
import org.ptorder.cli.Main;

/**
 * Simulated NetBSD and Linux guests with planted lock-ordered bugs (LT-1, LT-4, LT-6, LT-9
 * patterns): what the checker finds under S0 and what each scheme removes, measured on the
 * replayed traces. The reference (§4.3) predicts: S1, Ssh and SL remove every V1, V2 and V3
 * finding; Sa, Sa' and Sb remove V1 and V3; Sa and Sa' keep V2-stale-RMW, Sb removes it only
 * because its RMWs wait ({@code sb.rmw_wait}); what remains of V6 and V5-pwc is scheme-independent.
 */
class SimulatedSchemesTest {
    @TempDir
    Path dir;

    static final List<String> V1_V3 = List.of("V1", "V3", "V3-local");
    static final List<String> V2 = List.of("V2", "V2-unsync", "V2-stale-RMW");

    @ParameterizedTest
    @ValueSource(strings = {"netbsd", "linux"})
    void schemesRemoveWhatTheReferenceSays(String system) throws Exception {
        Path trace = dir.resolve(system + ".pmt");
        int rc = Main.execute("simulate", "-o", trace.toString(), "--system", system, "--cpus", "4", "--ops", "150k",
            "--seed", "5", "--inject", "flush-after-unlock:0.003", "--inject", "cas-over-pending:0.003",
            "--inject", "unpin-pending:0.003", "--inject", "no-flush-before-shootdown:0.003",
            "--inject", "raw-invlpg-all:0.003");
        assertEquals(0, rc);
        Map<Scheme, Map<String, Long>> v = violations(trace, ScoreParams.defaults());
        String all = v.toString();
        assertTrue(sum(v.get(Scheme.S0), V1_V3) > 0 && sum(v.get(Scheme.SN), V2) > 0, "S0 finds the plants: " + all);
        for (Scheme s : List.of(Scheme.S1, Scheme.SSH, Scheme.SL)) {
            assertEquals(0, sum(v.get(s), V1_V3) + sum(v.get(s), V2), s.text() + " removes V1/V2/V3: " + all);
        }
        for (Scheme s : List.of(Scheme.SA, Scheme.SA_PRIME, Scheme.SB)) {
            assertEquals(0, sum(v.get(s), V1_V3), s.text() + " removes V1/V3: " + all);
        }
        for (Scheme s : List.of(Scheme.SA, Scheme.SA_PRIME)) {
            assertEquals(v.get(Scheme.SN).get("V2-stale-RMW"), v.get(s).get("V2-stale-RMW"),
                s.text() + " keeps every V2-stale-RMW of SN (its base): " + all);
        }
        assertEquals(0, v.get(Scheme.SB).get("V2-stale-RMW"), "Sb's RMWs wait: " + all);
        long sbNoWait = violations(trace, ScoreParams.defaults().with("sb.rmw_wait", "false")).get(Scheme.SB)
            .get("V2-stale-RMW");
        assertEquals(v.get(Scheme.SN).get("V2-stale-RMW"), sbNoWait, "without the RMW wait Sb keeps V2-stale-RMW");
        // what is left of V6 and V5-pwc is scheme-independent (a free before its invalidation): the same
        // under every scheme that publishes updates before read-ops; S0 and SN add vacuous-shootdown V6 (LT-3)
        for (Scheme s : List.of(Scheme.SA, Scheme.SA_PRIME, Scheme.SB, Scheme.SSH, Scheme.SL)) {
            for (String c : List.of("V6", "V5-pwc")) {
                assertEquals(v.get(Scheme.S1).get(c), v.get(s).get(c), c + " under " + s.text() + ": " + all);
                assertTrue(v.get(s).get(c) <= v.get(Scheme.S0).get(c), c + " under " + s.text() + ": " + all);
            }
        }
    }

    static long sum(Map<String, Long> m, List<String> classes) {
        return classes.stream().mapToLong(c -> m.getOrDefault(c, 0L)).sum();
    }

    static Map<Scheme, Map<String, Long>> violations(Path trace, ScoreParams p) throws Exception {
        LinkedHashMap<String, ScoreParams> sets = new LinkedHashMap<>();
        sets.put("default", p);
        ScoreRun.Outcome o = ScoreRun.run(trace, new ScoreRun.Options(Arrays.asList(Scheme.values()), sets,
            new ArrayList<>(), null, false, -1, Scorer.defaultThreads()));
        Map<Scheme, Map<String, Long>> out = new LinkedHashMap<>();
        for (Scorer.SchemeResult r : o.files().get(0).checked()) {
            Map<String, Long> m = new LinkedHashMap<>();
            for (ViolationClass vc : ViolationClass.values()) {
                m.put(vc.text(), ScoreRows.count(r.check(), vc));
            }
            out.put(r.scheme(), m);
        }
        return out;
    }
}
