package org.ptorder.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ptorder.ingest.common.Progress;

/** A progress bar on stderr when it is a terminal; nothing in a pipe or under CI. */
final class TerminalProgress implements Progress {
    private ProgressBar bar;

    static Progress forStderr() {
        boolean tty = System.console() != null && System.getenv("CI") == null;
        return tty ? new TerminalProgress() : Progress.NONE;
    }

    @Override
    public void start(String task, long total) {
        finish();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(total, 1))
            .setStyle(ProgressBarStyle.ASCII).setUnit(" MB", 1_000_000).showSpeed().setUpdateIntervalMillis(200)
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
