package org.ptorder.ingest.pipeline;

import java.nio.file.Path;

/** What ingest of one input file produced. */
public record FileReport(int fileId, Path path, String format, long bytes, long records, long warnings) { }
