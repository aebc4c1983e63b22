package org.ptorder.analyze.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.Checker;
import org.ptorder.analyze.check.PmtCheck;
import org.ptorder.analyze.check.TraceFacts;
import org.ptorder.analyze.scheme.Scheme;
import org.ptorder.analyze.scheme.ScoreParams;
import org.ptorder.analyze.scheme.Scorer;
import org.ptorder.ingest.mmu.MmuOpSource;

/**
 * {@code ptorder bench score}: the cost of scoring all eight schemes against one checker pass over
 * the same trace, measured in the same run (best of the repeats, thread CPU time beside wall
 * time, because the machine is shared). The scorer's CPU time is its every thread's summed: the
 * reading thread's and each replay thread's. The trace is the synthetic one of {@code bench check}
 * (generated in memory, the same way for both passes) or a .pmt file.
 */
public final class ScoreBench {
    private final PrintWriter out;
    private final int repeats;
    private final int threads;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();

    /** @param threads the scorer's threads (see {@link Scorer}) */
    public ScoreBench(int repeats, int threads, PrintWriter out) {
        this.repeats = repeats;
        this.threads = threads;
        this.out = out;
    }

    public void run(long ops, List<Path> files) {
        out.printf("scorer threads: %d (the reading thread besides when more than 1)%n", threads);
        out.printf("%-24s %12s %10s %10s %10s %10s %9s %9s%n", "trace", "ops", "check cpu", "check wall", "score cpu",
            "score wall", "cpu ratio", "wall ratio");
        measure("synthetic (in memory)", () -> new SynthOps(ops, 1), SynthOps.cpus());
        for (Path f : files) {
            measure(f.getFileName().toString(), () -> PmtCheck.open(f), PmtCheck.scan(f).header().cpus());
        }
        out.flush();
    }

    private void measure(String name, Supplier<MmuOpSource> src, int cpus) {
        TraceFacts facts;
        try (MmuOpSource s = src.get()) {
            facts = TraceFacts.scan(s);
        }
        facts.declareCpus(cpus);
        double[] check = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] score = {Double.MAX_VALUE, Double.MAX_VALUE};
        long n = 0;
        for (int rep = 0; rep < repeats; rep++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            Checker ch = new Checker(CheckOptions.defaults(), facts, 0);
            try (MmuOpSource s = src.get()) {
                while (s.next()) {
                    ch.accept(s.op());
                }
            }
            n = ch.finish().ops();
            check[0] = Math.min(check[0], (mx.getCurrentThreadCpuTime() - c0) / 1e9);
            check[1] = Math.min(check[1], (System.nanoTime() - w0) / 1e9);

            c0 = mx.getCurrentThreadCpuTime();
            w0 = System.nanoTime();
            LinkedHashMap<String, ScoreParams> sets = new LinkedHashMap<>();
            sets.put("default", ScoreParams.defaults());
            long workers;
            try (MmuOpSource s = src.get();
                 Scorer sc = new Scorer(Arrays.asList(Scheme.values()), sets, facts, CheckOptions.defaults(), true,
                     threads)) {
                while (s.next()) {
                    sc.accept(s.op());
                }
                sc.finish();
                workers = sc.threadsCpuNanos();
            }
            score[0] = Math.min(score[0], (mx.getCurrentThreadCpuTime() - c0 + workers) / 1e9);
            score[1] = Math.min(score[1], (System.nanoTime() - w0) / 1e9);
        }
        out.printf("%-24s %,12d %10.2f %10.2f %10.2f %10.2f %9.2f %9.2f%n", name, n, check[0], check[1], score[0],
            score[1], score[0] / check[0], score[1] / check[1]);
        out.flush();
    }
}
