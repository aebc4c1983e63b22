package org.ptorder.analyze.scheme;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.analyze.check.DbOps;
import org.ptorder.analyze.check.PmtCheck;
import org.ptorder.analyze.check.TraceFacts;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.mmu.MmuOpSource;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.pipeline.InputFormat;
import org.ptorder.ingest.pmap.PmtReader;
import org.ptorder.ingest.store.DuckStore;

/**
 * {@code ptorder score DB|FILE}: finds the input's op streams the way {@code check} does (a
 * database's {@code mmu_ops} per file, a .pmt straight from the file, any other guest trace
 * through a temporary database), scores each under the chosen schemes and parameter sets, and
 * stores the scores in {@code scheme_scores} when the input is a database.
 */
public final class ScoreRun {
    private ScoreRun() { }

    /**
     * @param sets     parameter sets by name; the first is checked, the others costed
     * @param sweepSets the names among {@code sets} that are sweep points (they give the ranges)
     * @param system   "netbsd", "linux" or null, as for check
     * @param threads  threads to replay on (see {@link Scorer})
     */
    public record Options(List<Scheme> schemes, LinkedHashMap<String, ScoreParams> sets, List<String> sweepSets,
                          String system, boolean store, int fileId, int threads) { }

    /** One trace file's scores. */
    public record FileScore(int fileId, String path, long ops, int cpus, double seconds,
                            List<Scorer.SchemeResult> checked, LinkedHashMap<String, List<CostVector>> others) {
        /** The costs of one parameter set, in scheme order. */
        public List<CostVector> costs(String set, String first) {
            if (set.equals(first)) {
                return checked.stream().map(Scorer.SchemeResult::cost).toList();
            }
            return others.get(set);
        }
    }

    public record Outcome(Path input, boolean stored, Options options, List<FileScore> files) { }

    public static Outcome run(Path input, Options o) throws Exception {
        if (CheckRun.isDuckDb(input)) {
            return new Outcome(input, o.store(), o, database(input, o, o.store()));
        }
        InputFormat fmt = InputFormat.detect(input);
        switch (fmt) {
            case PMT -> {
                long t0 = System.nanoTime();
                PmtCheck.Scan scan = PmtCheck.scan(input);
                String sys = o.system() != null ? o.system() : scan.header().system();
                try (PmtReader r = PmtCheck.open(input)) {
                    return new Outcome(input, false, o,
                        List.of(score(o, scan.facts(), "linux".equals(sys), r, 0, input.toString(), t0)));
                }
            }
            case XENTRACE -> throw TraceInputException.whole(input, "a xentrace file records Xen's side, not the"
                + " guest's queues: score needs a guest trace (.pmt, ftrace) or a database with mmu_ops rows"
                + " (a xentrace file is for --calibrate)");
            default -> {
                return Ingest.intoTemporaryDatabase(List.of(input), Ingest.Options.defaults(), "score", db -> {
                    List<FileScore> named = new ArrayList<>();
                    for (FileScore f : database(db, o, false)) {
                        named.add(new FileScore(f.fileId(), input.toString(), f.ops(), f.cpus(), f.seconds(),
                            f.checked(), f.others()));
                    }
                    return new Outcome(input, false, o, named);
                });
            }
        }
    }

    /** Scores one op stream; {@code t0}: when work on it began (nanoTime), for the seconds. */
    private static FileScore score(Options o, TraceFacts facts, boolean linuxLazy, MmuOpSource src, int fileId,
                                   String path, long t0) {
        try (Scorer sc = new Scorer(o.schemes(), o.sets(), facts, CheckOptions.defaults().withLinuxLazy(linuxLazy),
                 true, o.threads())) {
            while (src.next()) {
                sc.accept(src.op());
            }
            Scorer.Scores s = sc.finish();
            return new FileScore(fileId, path, sc.ops(), facts.cpus(), (System.nanoTime() - t0) / 1e9, s.checked(),
                s.others());
        }
    }

    private static List<FileScore> database(Path db, Options o, boolean store) throws Exception {
        List<FileScore> out = new ArrayList<>();
        try (Connection c = DuckStore.open(db, store)) {
            if (!CheckRun.hasTable(c, "mmu_ops")) {
                throw TraceInputException.whole(db, "no mmu_ops table: not a ptorder database with a guest trace;"
                    + " ingest the guest trace (.pmt, ftrace) first");
            }
            List<Integer> files = DbOps.files(c);
            if (o.fileId() >= 0) {
                if (!files.contains(o.fileId())) {
                    throw TraceInputException.whole(db, "no mmu_ops rows for file " + o.fileId() + " (files with rows: "
                        + files + ")");
                }
                files = List.of(o.fileId());
            }
            if (files.isEmpty()) {
                throw TraceInputException.whole(db, "no mmu_ops rows: the database holds no guest trace");
            }
            for (int f : files) {
                long t0 = System.nanoTime();
                TraceFacts facts = DbOps.facts(c, f);
                String path = CheckRun.tracePath(c, f, db);
                try (DbOps ops = DbOps.open(c, f)) {
                    out.add(score(o, facts, "linux".equals(o.system()), ops, f, path, t0));
                }
            }
            if (store) {
                ScoreStore.store(c, new Outcome(db, true, o, out));
            }
        }
        return out;
    }
}
