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
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckResult;
import org.ptorder.analyze.check.Checker;
import org.ptorder.analyze.check.DbOps;
import org.ptorder.analyze.check.TraceFacts;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpsTable;
import org.ptorder.ingest.store.DuckStore;

/**
 * {@code ptorder bench check}: checker throughput on a synthesized trace of the given length (and
 * on any databases given), each beside a bare read of the same {@code mmu_ops} rows from DuckDB
 * measured in the same run, because this machine is shared and noisy. Also the checker core alone
 * (ops generated in memory, generation time subtracted), and the most state it held and the peak
 * heap, at two lengths, to show that memory does not grow with the trace.
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
        Path synth = dir.resolve("check-bench-" + ops + ".duckdb");
        if (!Files.exists(synth)) {
            out.printf("writing a synthetic trace of %,d ops into %s ...%n", ops, synth);
            out.flush();
            long t0 = System.nanoTime();
            try (DuckStore st = DuckStore.create(synth)) {
                long n = MmuOpsTable.load(st, new SynthOps(ops, 1), 0);
                st.execute("INSERT INTO trace_files VALUES (0, 'synthetic:" + n + "', 'pmt', 0, '', NULL, 'ns', NULL,"
                    + " NULL, " + 4 + ", 0, " + n + ", 0, 0, 0, 0)");
                st.commit();
            }
            out.printf("  %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        rows.add(measure("synthetic", synth));
        for (Path db : databases) {
            rows.add(measure(db.getFileName().toString(), db));
        }
        if (!keep) {
            Files.deleteIfExists(synth);
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
        out.println("Checker core (ops generated in memory, generation time subtracted; cpu = the checking thread's"
            + " CPU time, which other processes on a shared machine inflate less than the wall time; gc = collector"
            + " pauses):");
        out.printf("%-28s %12s %8s %8s %10s %8s %10s %8s %10s %8s%n", "trace", "ops", "gen s", "check s", "core Mop/s",
            "cpu s", "Mop/cpu-s", "gc s", "peakstate", "heap MB");
        for (long n : new long[] {ops / 10, ops}) {
            core(n);
        }
        out.flush();
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
                    try (DbOps ops = DbOps.open(c, f)) {
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

    private void core(long n) {
        double gen = Double.MAX_VALUE;
        double both = Double.MAX_VALUE;
        double genCpu = Double.MAX_VALUE;
        double bothCpu = Double.MAX_VALUE;
        double gc = Double.MAX_VALUE;
        long state = 0;
        long heap = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < repeats; rep++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            SynthOps s = new SynthOps(n, 1);
            long sum = 0;
            while (s.next()) {
                sum += s.op().cpu;
            }
            gen = Math.min(gen, (System.nanoTime() - t0) / 1e9);
            genCpu = Math.min(genCpu, (threads.getCurrentThreadCpuTime() - c0) / 1e9);
            resetPeaks();
            TraceFacts facts = new TraceFacts();
            facts.declareCpus(SynthOps.cpus());
            facts.add(org.ptorder.ingest.mmu.Op.LOCK, 1);
            facts.add(org.ptorder.ingest.mmu.Op.ACCESS, 1);
            facts.add(org.ptorder.ingest.mmu.Op.FRAME_FREE, 1);
            long gc0 = gcMillis();
            t0 = System.nanoTime();
            c0 = threads.getCurrentThreadCpuTime();
            Checker ch = new Checker(CheckOptions.defaults(), facts, 0);
            s = new SynthOps(n, 1);
            while (s.next()) {
                ch.accept(s.op());
            }
            CheckResult r = ch.finish();
            both = Math.min(both, (System.nanoTime() - t0) / 1e9);
            bothCpu = Math.min(bothCpu, (threads.getCurrentThreadCpuTime() - c0) / 1e9);
            gc = Math.min(gc, (gcMillis() - gc0) / 1e3);
            state = r.peakState();
            heap = Math.max(heap, peakHeapMb());
            if (sum == 42) {
                out.print("");
            }
        }
        double core = Math.max(both - gen, 1e-9);
        double coreCpu = Math.max(bothCpu - genCpu, 1e-9);
        out.printf("%-28s %,12d %8.2f %8.2f %10.2f %8.2f %10.2f %8.2f %10d %8d%n", "synthetic (in memory)", n, gen, both,
            n / core / 1e6, coreCpu, n / coreCpu / 1e6, gc, state, heap);
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
