package org.ptorder.ingest.common;

/** Progress of long work, in units the caller chooses (usually bytes). */
public interface Progress {
    void start(String task, long total);

    void update(long done);

    void finish();

    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) { }

        @Override
        public void update(long done) { }

        @Override
        public void finish() { }
    };
}
