package org.ptorder.ingest.xentrace;

/**
 * One xentrace record as the merge delivers it. A reused view over the mapped file: valid until
 * the cursor moves, so consumers copy what they keep.
 */
public final class XenRecord {
    /** The words of the record's chunk ({@code CpuStream.words}) and the index of its header there. */
    int[] words;
    int at;
    long seq;
    long offset;
    int cpu;
    int header;
    long tsc;
    boolean tscInherited;

    /** Position in the merged, time-ordered stream, from 0. */
    public long seq() {
        return seq;
    }

    /** Byte offset of the record's header word in the file. */
    public long offset() {
        return offset;
    }

    public int cpu() {
        return cpu;
    }

    public int header() {
        return header;
    }

    /** The 28-bit event id. */
    public int event() {
        return header & 0x0FFFFFFF;
    }

    /** Number of extra 32-bit data words, 0..7. */
    public int words() {
        return (header >>> 28) & 7;
    }

    public boolean hasTsc() {
        return header < 0;
    }

    public long tsc() {
        return tsc;
    }

    /** True when the record carried no TSC and took its CPU's previous one. */
    public boolean tscInherited() {
        return tscInherited;
    }

    /** Data word {@code i} (0-based), as an unsigned value in an int. */
    public int word(int i) {
        return words[at + (header < 0 ? 3 : 1) + i];
    }

    /** Two data words {@code i} (low) and {@code i+1} (high) as one 64-bit value. */
    public long word64(int i) {
        return (word(i) & 0xFFFFFFFFL) | ((long) word(i + 1) << 32);
    }

    /** Size of the record on disk in bytes. */
    public int bytes() {
        return CpuStream.recordSize(header);
    }
}
