package org.ptorder.ingest.ftrace;

import java.nio.charset.StandardCharsets;

/**
 * One event line, as offsets into the reader's buffer: valid only until the reader's next
 * call (the reader hands out pooled objects, so take {@code line()} again after each
 * {@code next()}). Keeping offsets instead of strings is what lets a million-line file parse
 * without a million small allocations.
 */
public final class FtraceLine {
    public byte[] buf;
    public long lineNo;           // 1-based line number in the (decompressed) file
    public int start;             // first byte of the line
    public int end;               // end of the line, without the newline
    public int commStart;
    public int commEnd;           // comm is empty for '<...>' (unknown) only when unknownComm is set
    public boolean unknownComm;
    public int pid;
    public int cpu;
    public int flagsStart;
    public int flagsEnd;          // == flagsStart when the layout prints no flags
    public int timeStart;
    public int timeEnd;           // the printed timestamp, without the ':'
    public long time;             // ns for 'seconds.fraction' clocks, cycles for integer clocks
    public boolean cycles;        // the timestamp had no fraction: a counter such as x86-tsc
    public int nameStart;
    public int nameEnd;           // event name without any 'system:' prefix
    public int fieldsStart;       // the text after 'name: ', leading blanks skipped
    public EventKind kind;

    public String comm() {
        return unknownComm ? null : text(commStart, commEnd);
    }

    public String name() {
        return text(nameStart, nameEnd);
    }

    public String fields() {
        return text(fieldsStart, end);
    }

    public String rawTime() {
        return text(timeStart, timeEnd);
    }

    public String flags() {
        return flagsEnd > flagsStart ? text(flagsStart, flagsEnd) : null;
    }

    public String text() {
        return text(start, end);
    }

    private String text(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }

    /** True when the fields are libtraceevent's raw fallback ({@code [FAILED TO PARSE] k=v ...}). */
    public boolean failedToParse() {
        return Fields.startsWith(buf, fieldsStart, end, Fields.FAILED_TO_PARSE);
    }
}
