package org.ptorder.analyze.scheme;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.ptorder.analyze.pipeline.ScoreStep;

/** {@code ptorder analyze}'s scoring: every scheme with the reference's default costs, stored. */
public final class AllSchemes implements ScoreStep {
    @Override
    public String score(Path db, String system) throws Exception {
        LinkedHashMap<String, ScoreParams> sets = new LinkedHashMap<>();
        sets.put("default", ScoreParams.defaults());
        List<Scheme> schemes = List.of(Scheme.values());
        ScoreRun.Outcome o = ScoreRun.run(db, new ScoreRun.Options(schemes, sets, List.of(), system, true, -1,
            Scorer.defaultThreads()));
        String stored = o.files().isEmpty() ? "" : " (stored: file " + o.files().get(0).fileId() + ")";
        return schemes.size() + " schemes scored with the default costs on " + o.files().size() + " guest trace"
            + (o.files().size() == 1 ? "" : "s") + stored + "; 'ptorder score' calibrates and sweeps";
    }
}
