package org.ptorder.cli;

import org.ptorder.ingest.common.TimeBase;
import picocli.CommandLine.Option;

/** {@code --cpu-hz}: the TSC rate. There is no default: without it, times stay in cycles. */
final class CpuHzOption {
    private long hz;

    @Option(names = "--cpu-hz", paramLabel = "HZ",
        description = {"TSC rate of the traced host, e.g. 2095996000, 2.1G or 2095.996M.",
            "Xen prints it at boot ('TSC ... MHz'). Without it times are shown in cycles."})
    void set(String text) {
        try {
            hz = TimeBase.parseHz(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--cpu-hz: " + e.getMessage());
        }
    }

    long hz() {
        return hz;
    }
}
