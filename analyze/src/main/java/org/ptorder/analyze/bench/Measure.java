package org.ptorder.analyze.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Wall time and peak anonymous resident memory of child processes, sampled from /proc while they run. */
final class Measure {
    record Result(double seconds, long peakRssKb, int exit, String output) { }

    private Measure() { }

    static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        long peak = 0;
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes()));
            } catch (IOException ignored) {
                // the process output is only informative
            }
        });
        reader.start();
        // waitFor, not sleep: the wall time ends when the process does, not up to 20 ms later
        // (a tenth of a 'wc -l' of a 1 GB file)
        do {
            peak = Math.max(peak, anonRssKb(status));
        } while (!p.waitFor(20, TimeUnit.MILLISECONDS));
        double secs = (System.nanoTime() - t0) / 1e9;
        reader.join();
        return new Result(secs, peak, p.exitValue(), out.toString());
    }

    /**
     * Anonymous resident memory in kB (heap, DuckDB's buffers, native memory) of the process
     * whose status file this is; 0 once it is gone. File-backed pages of the memory-mapped
     * trace are left out: the kernel can drop them at any time, they are page cache.
     */
    static long anonRssKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("RssAnon:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            return 0;
        }
        return 0;
    }
}
