package org.ptorder.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.analyze.scheme.Calibration;
import org.ptorder.analyze.scheme.Scheme;
import org.ptorder.analyze.scheme.ScoreParams;
import org.ptorder.analyze.scheme.ScoreReport;
import org.ptorder.analyze.scheme.ScoreRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Replay a guest trace under every candidate flush scheme and compare correctness and cost.",
        "",
        "The trace's logical operations (enqueues, read-ops, out-of-band reads, RMWs, locks, IPIs, frees) are",
        "re-run as a discrete-event simulation under each scheme of ordering-model §4: S0 none, SN NetBSD as",
        "built, S1 global queue + lock, Sa IPI flush-all before a read-op, Sa' IPI flush with a scoreboard, Sb",
        "condvar wait (timeout, IPI nudge), Ssh shadow tables with CAS, SL Linux style. Each scheme inserts the",
        "flushes, IPI rounds, waits and lock operations it would perform; the gaps between a CPU's operations",
        "stay as compute time and waiting CPUs really wait. The checker runs on every replayed trace, so",
        "violations are measured; costs follow ordering-model §5.1 (README-score.md).",
        "",
        "Prints one table per trace: violations by class, then costs (hypercalls, entries per hypercall, IPIs,",
        "initiator waits, lock contention, shared-line updates, condvar waits, added flushes, change in CPU",
        "time). Given a database, the scores go to table scheme_scores, replacing earlier rows of the file."},
    footer = {"", "Exit codes: 0 ok, 2 bad usage or bad input, 3 internal error.",
        "",
        "Examples:",
        "  ptorder score run.duckdb",
        "  ptorder score trace.pmt --schemes S0,Sa,SL --format json",
        "  ptorder score run-b.duckdb --calibrate run-b.duckdb --sweep uncertain",
        "  ptorder score trace.pmt --sweep ipi_ns=2000:30000:8 --set sa.targets=nonempty",
        "  ptorder score trace.pmt --threads 1                # replay on the reading thread only",
        "  ptorder score --print-costs > costs.properties    # the defaults, with units and ranges"})
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DB|FILE", description = "A ptorder database or a guest trace"
        + " file (.pmt, ftrace).")
    Path input;

    @Option(names = "--schemes", paramLabel = "LIST", defaultValue = "S0,SN,S1,Sa,Sa',Sb,Ssh,SL",
        description = "Schemes to score, comma-separated (default: all eight, ${DEFAULT-VALUE}).")
    String schemes;

    @Option(names = "--costs", paramLabel = "FILE",
        description = "Cost parameters and knobs, 'name = value' lines over the defaults (see --print-costs).")
    Path costs;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Set one parameter or knob (repeatable; after"
        + " --costs).")
    List<String> sets = List.of();

    @Option(names = "--calibrate", paramLabel = "FILE",
        description = "Fit hypercall_ns and mmu_update_entry_ns to Xen-measured mmu_update durations: a database"
            + " (its flush_matches, else its hypercalls) or a xentrace file (with --cpu-hz). Adds the 'calibrated'"
            + " parameter set.")
    Path calibrate;

    @Mixin
    CpuHzOption cpuHz;

    @Option(names = "--sweep", paramLabel = "PARAM=LO:HI:STEPS|uncertain",
        description = "Re-score over a parameter range (repeatable): STEPS points from LO to HI. 'uncertain' sweeps"
            + " every parameter the reference marks uncertain over its range (low and high). Results get low..high"
            + " ranges and the report says whether the ranking holds across them.")
    List<String> sweeps = List.of();

    @Option(names = "--system", paramLabel = "SYSTEM", description = "netbsd or linux: how to read an intent trace"
        + " (as for check). Default: a .pmt's own system=; a database as placed at effect.")
    String system;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "Output: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    ScoreReport.Format format;

    @Option(names = "--file-id", paramLabel = "N", defaultValue = "-1",
        description = "Score only file N of a database (default: every file with mmu_ops rows).")
    int fileId;

    @Option(names = "--no-store", description = "Do not write the scores into the database.")
    boolean noStore;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--print-costs", description = "Print the default cost file (every parameter with unit, range and"
        + " meaning) and exit.")
    boolean printCosts;

    @Override
    public Integer call() throws Exception {
        if (printCosts) {
            io.out().print(ScoreParams.defaultFile());
            io.out().flush();
            return Main.OK;
        }
        if (input == null) {
            throw new UsageException("missing DB|FILE (or --print-costs)");
        }
        CheckArgs.requireSystem(system);
        List<Scheme> list;
        try {
            list = Scheme.parseList(schemes);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--schemes: " + e.getMessage());
        }
        if (list.isEmpty()) {
            throw new UsageException("--schemes: no scheme given");
        }
        ScoreParams base = costs == null ? ScoreParams.defaults() : ScoreParams.read(costs);
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set takes NAME=VALUE; found '" + s + "'");
            }
            try {
                base = base.with(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--set: " + e.getMessage());
            }
        }
        LinkedHashMap<String, ScoreParams> paramSets = new LinkedHashMap<>();
        paramSets.put("default", base);
        ScoreParams sweepBase = base;
        if (calibrate != null) {
            Calibration.Fit fit = Calibration.fit(calibrate, cpuHz.hz());
            io.err().println("ptorder score: calibrated from " + calibrate + ": " + fit.describe());
            sweepBase = fit.apply(base);
            paramSets.put("calibrated", sweepBase);
        }
        List<String> sweepNames = new ArrayList<>();
        for (String s : sweeps) {
            for (var e : sweepPoints(s, sweepBase).entrySet()) {
                paramSets.put(e.getKey(), e.getValue());
                sweepNames.add(e.getKey());
            }
        }
        boolean db = CheckRun.isDuckDb(input);
        if (!db && fileId >= 0) {
            throw new UsageException("--file-id applies to a database");
        }
        ScoreRun.Outcome o = ScoreRun.run(input, new ScoreRun.Options(list, paramSets, sweepNames, system,
            db && !noStore, fileId, threads.threads()));
        ScoreReport.print(o, format, io.out());
        if (o.stored() && o.files().size() > 1) {
            io.err().println("ptorder score: scheme_scores holds one trace's scores: stored file " + o.files().get(0).fileId()
                + " (use --file-id N to store another)");
        }
        return Main.OK;
    }

    /** The parameter sets of one --sweep: names like {@code ipi_ns=2000}. */
    static LinkedHashMap<String, ScoreParams> sweepPoints(String spec, ScoreParams base) {
        LinkedHashMap<String, ScoreParams> out = new LinkedHashMap<>();
        if (spec.equals("uncertain")) {
            for (ScoreParams.Def d : ScoreParams.DEFS) {
                if (d.uncertain()) {
                    out.putAll(sweepPoints(d.name() + "=" + d.low() + ":" + d.high() + ":2", base));
                }
            }
            return out;
        }
        int eq = spec.indexOf('=');
        String[] r = eq < 0 ? new String[0] : spec.substring(eq + 1).split(":");
        if (r.length != 3) {
            throw new UsageException("--sweep takes PARAM=LO:HI:STEPS or 'uncertain'; found '" + spec + "'");
        }
        String name = spec.substring(0, eq).trim();
        ScoreParams.Def d = ScoreParams.def(name);
        if (d == null || !d.numeric()) {
            throw new UsageException("--sweep: '" + name + "' is not a numeric parameter (see --print-costs)");
        }
        double lo;
        double hi;
        int steps;
        try {
            lo = Double.parseDouble(r[0]);
            hi = Double.parseDouble(r[1]);
            steps = Integer.parseInt(r[2]);
        } catch (NumberFormatException e) {
            throw new UsageException("--sweep " + spec + ": LO and HI must be numbers, STEPS a whole number");
        }
        if (steps < 1 || steps > 1000 || hi < lo || lo < 0) {
            throw new UsageException("--sweep " + spec + ": needs 0 <= LO <= HI and 1 <= STEPS <= 1000");
        }
        for (int i = 0; i < steps; i++) {
            double v = steps == 1 ? lo : lo + (hi - lo) * i / (steps - 1);
            ScoreParams p = base.with(name, v);
            out.put(name + "=" + p.knob(name), p);
        }
        return out;
    }
}
