package org.ptorder.ingest.pipeline;

import java.nio.file.Path;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.store.DuckStore;

/** Loads one ftrace text file into the store. */
final class FtraceIngest {
    private FtraceIngest() { }

    static FileReport ingest(DuckStore store, int fileId, Path path, Ingest.Options opts) {
        throw TraceInputException.whole(path, "this input format is recognised but not supported yet");
    }
}
