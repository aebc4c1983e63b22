package org.ptorder.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ptorder.ingest.common.Progress;

/** A progress bar on stderr when it is a terminal; nothing in a pipe or under CI. */
final class TerminalProgress implements Progress {
    private final String unit;
    private final long unitSize;
    private ProgressBar bar;

    private TerminalProgress(String unit, long unitSize) {
        this.unit = unit;
        this.unitSize = unitSize;
    }

    static Progress forStderr() {
        return forStderr(" MB", 1_000_000);
    }

    /** A bar counting in {@code unit}s of {@code unitSize} (e.g. " M ops", 1e6). */
    static Progress forStderr(String unit, long unitSize) {
        boolean tty = System.console() != null && System.getenv("CI") == null;
        return tty ? new TerminalProgress(unit, unitSize) : Progress.NONE;
    }

    @Override
    public void start(String task, long total) {
        finish();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(total, 1))
            .setStyle(ProgressBarStyle.ASCII).setUnit(unit, unitSize).showSpeed().setUpdateIntervalMillis(200)
            .continuousUpdate().clearDisplayOnFinish().build();
    }

    @Override
    public void update(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
