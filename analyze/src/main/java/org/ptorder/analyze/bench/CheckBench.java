package org.ptorder.analyze.bench;

import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckResult;
import org.ptorder.analyze.check.Checker;
import org.ptorder.analyze.check.DbOps;
import org.ptorder.analyze.check.TraceFacts;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpSource;
import org.ptorder.ingest.mmu.MmuOpsTable;
import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.mmu.PrefetchedOps;
import org.ptorder.ingest.store.DuckStore;

/**
 * {@code ptorder bench check}: checker throughput on a synthesized trace of the given length (and
 * on any databases given), each beside a bare read of the same {@code mmu_ops} rows from DuckDB
 * measured in the same run, because this machine is shared and noisy. Each database given is also
 * repeated to the benchmark's length (a long trace with a real kernel's locality and op mix). Also
 * the checker core alone (ops from memory, the source's own time subtracted), with the most state
 * it held and the peak heap, the synthetic trace at two lengths to show that memory does not grow
 * with the trace.
 */
public final class CheckBench {
    private final Path dir;
    private final PrintWriter out;
    private final int repeats;

    public CheckBench(Path dir, int repeats, PrintWriter out) {
        this.dir = dir;
        this.repeats = repeats;
        this.out = out;
    }

    record Row(String name, long ops, double readSecs, double checkSecs, long findings, long peakState,
               long peakHeapMb) { }

    public void run(long ops, List<Path> databases, boolean keep) throws Exception {
        Files.createDirectories(dir);
        List<Row> rows = new ArrayList<>();
        List<Runnable> cores = new ArrayList<>();
        List<Path> scratch = new ArrayList<>();
        Path synth = dir.resolve("check-bench-" + ops + ".duckdb");
        write(synth, () -> new SynthOps(ops, 1), SynthOps.cpus());
        scratch.add(synth);
        rows.add(measure("synthetic", synth));
        cores.add(() -> core("synthetic (in memory)", ops / 10, () -> new SynthOps(ops / 10, 1), synthFacts()));
        cores.add(() -> core("synthetic (in memory)", ops, () -> new SynthOps(ops, 1), synthFacts()));
        for (Path db : databases) {
            String name = db.getFileName().toString();
            rows.add(measure(name, db));
            RepeatedOps.Recorded rec = RepeatedOps.Recorded.load(db);
            List<MmuOp> real = rec.ops();
            TraceFacts facts = rec.facts();
            long times = RepeatedOps.timesFor(real, ops);
            if (times > 1) {
                // the same kernel's trace at the benchmark's length: real locality and op mix
                String rname = name + " x" + times;
                Path rep = dir.resolve("check-bench-" + name + "-x" + times + ".duckdb");
                write(rep, () -> new RepeatedOps(real, times), facts.cpus());
                scratch.add(rep);
                rows.add(measure(rname, rep));
                cores.add(() -> core(rname + " (in memory)", real.size() * times, () -> new RepeatedOps(real, times),
                    facts));
            }
        }
        if (!keep) {
            for (Path p : scratch) {
                Files.deleteIfExists(p);
            }
        }
        out.println();
        out.println("From DuckDB (best of " + repeats + "; read = the same mmu_ops rows streamed as Arrow batches and"
            + " decoded, nothing else):");
        out.printf("%-28s %12s %8s %10s %8s %10s %8s %9s %10s %8s%n", "trace", "ops", "read s", "read Mop/s",
            "check s", "chk Mop/s", "chk/read", "findings", "peakstate", "heap MB");
        for (Row r : rows) {
            out.printf("%-28s %,12d %8.2f %10.2f %8.2f %10.2f %8.2f %9d %10d %8d%n", r.name, r.ops, r.readSecs,
                r.ops / r.readSecs / 1e6, r.checkSecs, r.ops / r.checkSecs / 1e6, r.checkSecs / r.readSecs, r.findings,
                r.peakState, r.peakHeapMb);
        }
        out.flush();
        out.println();
        out.println("Checker core (ops from memory, the source's own time subtracted; cpu = the checking thread's"
            + " CPU time, which other processes on a shared machine inflate less than the wall time; gc = collector"
            + " pauses):");
        out.printf("%-28s %12s %8s %8s %10s %8s %10s %8s %10s %8s%n", "trace", "ops", "gen s", "check s", "core Mop/s",
            "cpu s", "Mop/cpu-s", "gc s", "peakstate", "heap MB");
        cores.forEach(Runnable::run);
        out.flush();
    }

    /** Writes the ops of {@code src} into a scratch database, unless a previous --keep run left it. */
    private void write(Path db, Supplier<MmuOpSource> src, int cpus) throws Exception {
        if (Files.exists(db)) {
            return;
        }
        out.printf("writing %s ...%n", db);
        out.flush();
        long t0 = System.nanoTime();
        try (DuckStore st = DuckStore.create(db); MmuOpSource s = src.get()) {
            long n = MmuOpsTable.load(st, s, 0);
            st.execute("INSERT INTO trace_files VALUES (0, 'bench:" + db.getFileName() + "', 'pmt', 0, '', NULL, 'ns',"
                + " NULL, NULL, " + cpus + ", 0, " + n + ", 0, 0, 0, 0)");
            st.commit();
        }
        out.printf("  %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static TraceFacts synthFacts() {
        TraceFacts facts = new TraceFacts();
        facts.declareCpus(SynthOps.cpus());
        facts.add(Op.LOCK, 1);
        facts.add(Op.ACCESS, 1);
        facts.add(Op.FRAME_FREE, 1);
        return facts;
    }

    private Row measure(String name, Path db) throws Exception {
        double bestRead = Double.MAX_VALUE;
        double bestCheck = Double.MAX_VALUE;
        long n = 0;
        long findings = 0;
        long state = 0;
        long heap = 0;
        for (int rep = 0; rep < repeats; rep++) {
            try (Connection c = DuckStore.open(db, false)) {
                for (int f : DbOps.files(c)) {
                    long t0 = System.nanoTime();
                    long sum = 0;
                    long cnt = 0;
                    try (DbOps ops = DbOps.open(c, f)) {
                        while (ops.next()) {
                            MmuOp o = ops.op();
                            sum += o.seq + o.cpu + o.op.ordinal();
                            cnt++;
                        }
                    }
                    double read = (System.nanoTime() - t0) / 1e9;
                    if (sum == 42) {
                        out.print(""); // keep the loop
                    }
                    resetPeaks();
                    t0 = System.nanoTime();
                    TraceFacts facts = DbOps.facts(c, f);
                    Checker ch = new Checker(CheckOptions.defaults(), facts, f);
                    // as `ptorder check DB` reads: the rows decoded on a second thread
                    try (PrefetchedOps ops = new PrefetchedOps(DbOps.open(c, f), "ptorder-read")) {
                        while (ops.next()) {
                            ch.accept(ops.op());
                        }
                    }
                    CheckResult r = ch.finish();
                    double check = (System.nanoTime() - t0) / 1e9;
                    bestRead = Math.min(bestRead, read);
                    bestCheck = Math.min(bestCheck, check);
                    n = cnt;
                    findings = r.findings().size();
                    state = r.peakState();
                    heap = Math.max(heap, peakHeapMb());
                }
            }
            out.printf("  %s pass %d: read %.2f s, check %.2f s%n", name, rep + 1, bestRead, bestCheck);
            out.flush();
        }
        return new Row(name, n, bestRead, bestCheck, findings, state, heap);
    }

    private void core(String name, long n, Supplier<MmuOpSource> source, TraceFacts facts) {
        double gen = Double.MAX_VALUE;
        double both = Double.MAX_VALUE;
        double genCpu = Double.MAX_VALUE;
        double bothCpu = Double.MAX_VALUE;
        double gc = Double.MAX_VALUE;
        long state = 0;
        long heap = 0;
        long findings = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < repeats; rep++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            long sum = 0;
            try (MmuOpSource s = source.get()) {
                while (s.next()) {
                    sum += s.op().cpu;
                }
            }
            gen = Math.min(gen, (System.nanoTime() - t0) / 1e9);
            genCpu = Math.min(genCpu, (threads.getCurrentThreadCpuTime() - c0) / 1e9);
            resetPeaks();
            long gc0 = gcMillis();
            t0 = System.nanoTime();
            c0 = threads.getCurrentThreadCpuTime();
            Checker ch = new Checker(CheckOptions.defaults(), facts, 0);
            try (MmuOpSource s = source.get()) {
                while (s.next()) {
                    ch.accept(s.op());
                }
            }
            CheckResult r = ch.finish();
            both = Math.min(both, (System.nanoTime() - t0) / 1e9);
            bothCpu = Math.min(bothCpu, (threads.getCurrentThreadCpuTime() - c0) / 1e9);
            gc = Math.min(gc, (gcMillis() - gc0) / 1e3);
            state = r.peakState();
            findings = r.findings().size();
            heap = Math.max(heap, peakHeapMb());
            if (sum == 42) {
                out.print("");
            }
        }
        double core = Math.max(both - gen, 1e-9);
        double coreCpu = Math.max(bothCpu - genCpu, 1e-9);
        out.printf("%-28s %,12d %8.2f %8.2f %10.2f %8.2f %10.2f %8.2f %10d %8d  (%d findings)%n", name, n, gen, both,
            n / core / 1e6, coreCpu, n / coreCpu / 1e6, gc, state, heap, findings);
        out.flush();
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, g.getCollectionTime());
        }
        return ms;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Peak heap since the last reset, summed over the pools (an upper bound of the live peak). */
    private static long peakHeapMb() {
        long b = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                b += p.getPeakUsage().getUsed();
            }
        }
        return b >> 20;
    }
}
