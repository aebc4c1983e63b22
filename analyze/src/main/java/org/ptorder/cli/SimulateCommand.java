package org.ptorder.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.sim.InjectionKind;
import org.ptorder.ingest.sim.SimConfig;
import org.ptorder.ingest.sim.SimStats;
import org.ptorder.ingest.sim.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Simulate a multi-vCPU PV guest and write its page-table traffic as a .pmt trace.",
        "",
        "Processes fork, exec, mmap, fault, mprotect, madvise and munmap on N vCPUs; each operation",
        "is lowered to MMU ops the way NetBSD (xpq queue, flush before every mmuext op, Xen",
        "MULTI shootdowns) or Linux (lazy-MMU multicall batches of 32, remote flushes in the same",
        "batch, write_cr3 in lazy CPU mode) does it, with locks, IPIs and a timing model. The same",
        "seed gives the same bytes. Without --inject the trace has no ordering violation; with it,",
        "bugs of the given kinds are planted and --truth lists each with the class and label",
        "'ptorder check' must report. README-simulate.md has the details.",
        "",
        "Workloads: fork-exec, munmap-storm, mprotect, mixed (like the real capture run-a).",
        "Injection kinds: flush-after-unlock, no-flush-before-shootdown, free-before-shootdown,",
        "unpin-pending, cas-over-pending, oob-read-pending, migrate-before-flush, raw-invlpg-all;",
        "'all' plants every kind."},
    footer = {"", "Examples:",
        "  ptorder simulate -o mixed.pmt --system linux --cpus 2 --ops 1M --workload mixed --seed 1",
        "  ptorder simulate -o bugs.pmt --system netbsd --cpus 4 --duration 2s --inject all:0.001 --truth bugs.json",
        "  ptorder simulate -o run.pmt --xentrace run.xen --ops 500k && ptorder ingest run.pmt run.xen --cpu-hz 2G -o run.duckdb"})
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
        description = "The .pmt file to write (gzip-compressed if it ends in .gz).")
    Path output;

    @Option(names = "--system", defaultValue = "linux", paramLabel = "S",
        description = "netbsd or linux (default ${DEFAULT-VALUE}).")
    String system;

    @Option(names = "--cpus", defaultValue = "2", paramLabel = "N", description = "vCPUs, 1..64 (default ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--ops", paramLabel = "N",
        description = "Stop after N events (ops), at the next operation boundary: 100000, 500k, 1M, 2G.")
    String ops;

    @Option(names = "--duration", paramLabel = "T", description = "Stop after T of simulated time: 500ms, 2s, 100us.")
    String duration;

    @Option(names = "--workload", defaultValue = "mixed", paramLabel = "NAME",
        description = "fork-exec, munmap-storm, mprotect or mixed (default ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "K", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--inject", paramLabel = "KIND[:RATE]",
        description = {"Plant bugs of KIND (repeatable; 'all' for every kind). RATE is the chance per scheduling",
            "step that an episode starts (default " + InjectionKind.DEFAULT_RATE + ")."})
    List<String> inject = new ArrayList<>();

    @Option(names = "--truth", paramLabel = "FILE.json", description = "Write what was planted, for checking a checker.")
    Path truth;

    @Option(names = "--xentrace", paramLabel = "FILE",
        description = "Also write the matching Xen hypercall records as a xentrace binary (TSC rate 2 GHz).")
    Path xentrace;

    @Override
    public Integer call() throws Exception {
        long maxEvents = ops == null ? 0 : parseCount(ops);
        long maxNs = duration == null ? 0 : parseDuration(duration);
        if (ops == null && duration == null) {
            throw new UsageException("give --ops N or --duration T");
        }
        if (ops != null && duration != null) {
            throw new UsageException("give --ops or --duration, not both");
        }
        Map<InjectionKind, Double> kinds = parseInjections(inject);
        SimConfig cfg;
        try {
            cfg = new SimConfig(system.toLowerCase(Locale.ROOT), cpus, maxEvents, maxNs, workload, seed, kinds);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (truth != null && kinds.isEmpty()) {
            io.err().println("note: no --inject given, so the truth file lists nothing planted");
        }
        long t0 = System.nanoTime();
        Simulator.Result r;
        List<Path> written = new ArrayList<>();
        try (Out pmt = new Out(output, output.toString().endsWith(".gz"));
             Out xen = xentrace == null ? null : new Out(xentrace, false);
             Out tr = truth == null ? null : new Out(truth, false)) {
            Progress p = TerminalProgress.forStderr(maxEvents > 0 ? " M ops" : " ms", maxEvents > 0 ? 1_000_000 : 1_000_000);
            r = Simulator.run(cfg, pmt.stream, xen == null ? null : xen.stream, tr == null ? null : tr.stream, p);
            pmt.commit();
            written.add(output);
            if (xen != null) {
                xen.commit();
                written.add(xentrace);
            }
            if (tr != null) {
                tr.commit();
                written.add(truth);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        SimStats st = r.stats();
        PrintWriter out = io.out();
        out.printf("%d events (%s, %d vCPUs, %s, seed %d), %.3f s simulated, %.1f MB -> %s%n", st.events(), cfg.system(),
            cfg.cpus(), cfg.workload(), cfg.seed(), st.simulatedNs() / 1e9, st.bytes() / 1e6, output);
        out.printf("%.2f s, %.2f M events/s; %d hypercalls (%d multicalls), %d PTE updates, %d remote flushes%n", secs,
            st.events() / Math.max(secs, 1e-9) / 1e6, st.hypercalls(), st.multicalls(), st.pteWrites(),
            st.remoteInvalidations());
        if (!kinds.isEmpty()) {
            out.printf("planted %d bug(s)%s%n", st.planted(), r.planted().isEmpty() ? "" : ":");
            r.planted().forEach((k, n) -> out.printf("  %-26s %d%n", k.text(), n));
        }
        for (Path p : written.subList(1, written.size())) {
            out.printf("wrote %s%n", p);
        }
        return Main.OK;
    }

    /** An output file written under a temporary name and renamed into place when complete. */
    private static final class Out implements AutoCloseable {
        final Path target;
        final Path tmp;
        final OutputStream stream;
        private boolean done;

        Out(Path target, boolean gzip) throws IOException {
            this.target = target;
            Path dir = target.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            this.tmp = (dir == null ? Path.of(".") : dir).resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            OutputStream o = Files.newOutputStream(tmp);
            this.stream = gzip ? new GZIPOutputStream(o, 1 << 16) : new BufferedOutputStream(o, 1 << 16);
        }

        void commit() throws IOException {
            stream.close();
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                try {
                    stream.close();
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
    }

    static Map<InjectionKind, Double> parseInjections(List<String> specs) {
        Map<InjectionKind, Double> m = new EnumMap<>(InjectionKind.class);
        for (String spec : specs) {
            String name = spec;
            double rate = InjectionKind.DEFAULT_RATE;
            int colon = spec.indexOf(':');
            if (colon >= 0) {
                name = spec.substring(0, colon);
                try {
                    rate = Double.parseDouble(spec.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new UsageException("--inject " + spec + ": the rate must be a number in [0, 1]");
                }
                if (!(rate >= 0 && rate <= 1)) {
                    throw new UsageException("--inject " + spec + ": the rate must be in [0, 1]");
                }
            }
            if (name.equals("all")) {
                for (InjectionKind k : InjectionKind.values()) {
                    m.put(k, rate);
                }
                continue;
            }
            InjectionKind k = InjectionKind.parse(name);
            if (k == null) {
                StringBuilder known = new StringBuilder("all");
                for (InjectionKind x : InjectionKind.values()) {
                    known.append(", ").append(x.text());
                }
                throw new UsageException("--inject: unknown kind '" + name + "'; known: " + known);
            }
            m.put(k, rate);
        }
        return m;
    }

    /** 1000, 500k, 1M, 2G (decimal multiples). */
    static long parseCount(String text) {
        String t = text.trim();
        long mult = 1;
        char last = t.isEmpty() ? ' ' : Character.toLowerCase(t.charAt(t.length() - 1));
        if (last == 'k' || last == 'm' || last == 'g') {
            mult = last == 'k' ? 1_000 : last == 'm' ? 1_000_000 : 1_000_000_000;
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t) * mult;
            if (!(v >= 1) || v > 9e18) {
                throw new NumberFormatException();
            }
            return (long) v;
        } catch (NumberFormatException e) {
            throw new UsageException("--ops: expected a count such as 100000, 500k, 1M; found '" + text + "'");
        }
    }

    /** 2s, 500ms, 100us, 5000ns, 1.5s. */
    static long parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double scale;
        String num;
        if (t.endsWith("ms")) {
            scale = 1e6;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            scale = 1e3;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ns")) {
            scale = 1;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            scale = 1e9;
            num = t.substring(0, t.length() - 1);
        } else {
            throw new UsageException("--duration: expected a time with a unit such as 2s, 500ms, 100us; found '" + text + "'");
        }
        try {
            double ns = Double.parseDouble(num) * scale;
            if (!(ns >= 1) || ns > 9e18) {
                throw new NumberFormatException();
            }
            return (long) ns;
        } catch (NumberFormatException e) {
            throw new UsageException("--duration: expected a time such as 2s, 500ms, 100us; found '" + text + "'");
        }
    }
}
