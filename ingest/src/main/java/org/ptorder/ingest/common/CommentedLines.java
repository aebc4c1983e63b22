package org.ptorder.ingest.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small settings file written by hand: one entry per line, {@code #} starts a comment, blank lines skipped. */
public final class CommentedLines {
    private CommentedLines() { }

    /** A line's text without its comment, trimmed, and its 1-based number for error messages. */
    public record Line(int number, String text) { }

    /**
     * The entries of {@code file}. When it cannot be read, the error names the file and says
     * {@code cannotRead}, then why (e.g. "cannot read the cost file: ...").
     */
    public static List<Line> read(Path file, String cannotRead) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw TraceInputException.whole(file, cannotRead + ": " + e.getMessage());
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int hash = l.indexOf('#');
            String t = (hash >= 0 ? l.substring(0, hash) : l).trim();
            if (!t.isEmpty()) {
                out.add(new Line(i + 1, t));
            }
        }
        return out;
    }
}
