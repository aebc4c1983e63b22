package org.ptorder.analyze.scheme;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.PmtCheck;
import org.ptorder.ingest.pmap.PmtReader;

/** Scores one litmus file under the given schemes with the given parameters (test helper). */
final class LitmusScores {
    private LitmusScores() { }

    static List<Scorer.SchemeResult> score(Path f, List<Scheme> schemes, ScoreParams p) {
        PmtCheck.Scan s = PmtCheck.scan(f);
        boolean linux = "linux".equals(s.header().system());
        LinkedHashMap<String, ScoreParams> sets = new LinkedHashMap<>();
        sets.put("default", p);
        try (PmtReader r = PmtCheck.open(f);
             Scorer sc = new Scorer(schemes, sets, s.facts(), CheckOptions.defaults().withLinuxLazy(linux), true,
                 Scorer.defaultThreads())) {
            while (r.next()) {
                sc.accept(r.op());
            }
            return sc.finish().checked();
        }
    }
}
