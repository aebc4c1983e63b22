package org.ptorder.ingest.sim;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The simulator benchmark (issue 5): events generated per second to a .pmt file, and peak resident
 * memory, for 1 M and 100 M events. Each size runs in a child JVM with the same fixed heap
 * ({@code -Xmx256m}), sampled from {@code /proc/PID/status} every 20 ms, so the two peaks compare
 * like for like; the .pmt goes to {@code /tmp} and is deleted afterwards. Also a run to a null
 * stream, to separate generation and formatting from the file system.
 *
 * <pre>
 * mvn -q -o test-compile -pl ingest
 * java -cp ingest/target/classes:ingest/target/test-classes:$(cat /tmp/cp.txt) org.ptorder.ingest.sim.SimulateBench [1M,100M] [linux|netbsd] [workload]
 * </pre>
 * (the class path only needs ingest's classes; no dependency is loaded.)
 */
public final class SimulateBench {
    private SimulateBench() { }

    public static void main(String[] args) throws Exception {
        String[] sizes = (args.length > 0 ? args[0] : "1M,10M,100M").split(",");
        String system = args.length > 1 ? args[1] : "linux";
        String workload = args.length > 2 ? args[2] : "mixed";
        System.out.printf("%-8s %-9s %-10s %10s %8s %8s %8s %8s %12s %12s%n", "system", "workload", "output", "events",
            "s", "M ev/s", "MB", "MB/s", "peak RSS MB", "live heap MB");
        for (String size : sizes) {
            long n = parse(size);
            for (boolean toFile : new boolean[] {false, true}) {
                Path out = Path.of("/tmp", "ptorder-bench-" + ProcessHandle.current().pid() + ".pmt");
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    Child.class.getName(), system, workload, Long.toString(n), toFile ? out.toString() : "-"));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                Path status = Path.of("/proc", Long.toString(p.pid()), "status");
                long peak = 0;
                while (p.isAlive()) {
                    peak = Math.max(peak, rssKb(status));
                    Thread.sleep(20);
                }
                String line = new String(p.getInputStream().readAllBytes()).strip();
                Files.deleteIfExists(out);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("child failed: " + line);
                }
                String[] f = line.split(" ");
                long events = Long.parseLong(f[0]);
                double secs = Double.parseDouble(f[1]);
                long bytes = Long.parseLong(f[2]);
                long live = Long.parseLong(f[3]);
                System.out.printf("%-8s %-9s %-10s %10d %8.2f %8.2f %8.0f %8.0f %12.0f %12.1f%n", system, workload,
                    toFile ? "/tmp file" : "null", events, secs, events / secs / 1e6, bytes / 1e6, bytes / 1e6 / secs,
                    peak / 1024.0, live / 1e6);
            }
        }
    }

    static long parse(String s) {
        s = s.trim();
        char c = Character.toUpperCase(s.charAt(s.length() - 1));
        long mult = c == 'K' ? 1_000 : c == 'M' ? 1_000_000 : c == 'G' ? 1_000_000_000 : 1;
        return (long) (Double.parseDouble(mult == 1 ? s : s.substring(0, s.length() - 1)) * mult);
    }

    static long rssKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            return 0;
        }
        return 0;
    }

    /**
     * One simulation in this JVM: prints "events seconds bytes live", live being the heap in use
     * after a full collection at the end, while the simulator and its writer are still reachable.
     */
    public static final class Child {
        private Child() { }

        public static void main(String[] a) throws Exception {
            SimConfig cfg = new SimConfig(a[0], 2, Long.parseLong(a[2]), 0, a[1], 1, Map.of());
            long t0 = System.nanoTime();
            SimStats st;
            long[] live = new long[1];
            Simulator.endHook = () -> {
                System.gc();
                live[0] = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            };
            try (OutputStream o = a[3].equals("-") ? OutputStream.nullOutputStream() : new FileOutputStream(a[3])) {
                st = Simulator.run(cfg, o, null, null).stats();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.println(st.events() + " " + secs + " " + st.bytes() + " " + live[0]);
        }
    }
}
