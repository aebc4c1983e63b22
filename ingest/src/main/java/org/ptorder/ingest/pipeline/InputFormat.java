package org.ptorder.ingest.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ptorder.ingest.common.TraceInput;
import org.ptorder.ingest.common.TraceInputException;

/** Recognises an input by its first bytes (through gzip), never by its name alone. */
public enum InputFormat {
    XENTRACE, FTRACE, PMT;

    public static InputFormat detect(Path path) {
        if (!Files.exists(path)) {
            throw TraceInputException.whole(path, "no such file");
        }
        if (Files.isDirectory(path)) {
            throw TraceInputException.whole(path, "is a directory, expected a trace file");
        }
        byte[] head;
        try (InputStream in = TraceInput.open(path)) {
            head = in.readNBytes(4096);
        } catch (IOException e) {
            throw TraceInputException.whole(path, "cannot read: " + e.getMessage());
        }
        if (head.length == 0) {
            throw TraceInputException.atOffset(path, 0,
                "empty file: expected a xentrace binary, ftrace text or a .pmt trace");
        }
        if (head.length >= 4 && (head[0] & 0xFF) == 0x03 && (head[1] & 0xFF) == 0xF0 && head[2] == 0x01
            && head[3] == 0x20) {
            return XENTRACE;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("#! ptorder-pmap")) {
            return PMT;
        }
        if (text.startsWith("# tracer:") || text.startsWith("cpus=") || text.matches("(?s).*\\[\\d{3}\\].*:.*")) {
            return FTRACE;
        }
        String found = text.chars().limit(16).allMatch(c -> c >= 0x20 && c < 0x7F || c == '\n' || c == '\t')
            ? "text starting '" + text.substring(0, Math.min(24, text.length())).replace("\n", "\\n") + "'"
            : String.format("bytes %02x %02x %02x %02x", head[0], head.length > 1 ? head[1] : 0,
                head.length > 2 ? head[2] : 0, head.length > 3 ? head[3] : 0);
        throw TraceInputException.atOffset(path, 0, "unrecognised input: expected a xentrace binary (starting with"
            + " a CPU-change record, 03 f0 01 20), ftrace text ('# tracer:' or 'cpus=' header) or a .pmt trace"
            + " ('#! ptorder-pmap 1'); found " + found);
    }
}
