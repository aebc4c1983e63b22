package org.ptorder.ingest.common;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Bad input that stops ingest of one file: names the file, the place (byte offset or
 * line:column) and what was expected there. The CLI turns it into a one-line message, exit 2.
 */
public final class TraceInputException extends RuntimeException {
    private final Path file;
    private final String where;

    public TraceInputException(Path file, String where, String message) {
        super(message);
        this.file = file;
        this.where = where;
    }

    public static TraceInputException atOffset(Path file, long offset, String message) {
        return new TraceInputException(file, "offset " + offset, message);
    }

    public static TraceInputException atLine(Path file, long line, int column, String message) {
        return new TraceInputException(file, "line " + line + (column > 0 ? ", column " + column : ""), message);
    }

    /**
     * A text input that could not be read past line {@code linesRead}: a cut-off or damaged gzip
     * stream (EOFException "Unexpected end of ZLIB input stream"), or a failing disk.
     */
    public static TraceInputException readError(Path file, long linesRead, IOException e) {
        return atLine(file, linesRead + 1, 0,
            "expected readable input after line " + linesRead + "; found a read error: " + e.getMessage());
    }

    public static TraceInputException whole(Path file, String message) {
        return new TraceInputException(file, null, message);
    }

    public Path file() {
        return file;
    }

    /** One line for a terminal: {@code file: offset N: message}. */
    public String oneLine() {
        return file + ": " + (where == null ? "" : where + ": ") + getMessage();
    }
}
