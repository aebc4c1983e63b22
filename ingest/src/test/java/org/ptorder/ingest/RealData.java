package org.ptorder.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Paths of the real captures under ../shared (beside the repo; CI has them there too). */
public final class RealData {
    private RealData() { }

    public static final Path ROOT = locate();

    private static Path locate() {
        // Tests run with the module directory as working directory; the repo root is one up.
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return Path.of("../../shared/data");
    }

    public static Path file(String relative) {
        Path p = ROOT.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "real data missing: " + p);
        return p;
    }

    public static Path exampleBin() {
        return file("real/xentrace-parser-rs_example_xentrace.bin");
    }

    public static Path run(String run, String name) {
        return file("real/qemu-tcg-xen417-pv-dom0/" + run + "/" + name);
    }

    public static final String RUN_A = "run-a-localclock";
    public static final String RUN_B = "run-b-x86tsc";
}
