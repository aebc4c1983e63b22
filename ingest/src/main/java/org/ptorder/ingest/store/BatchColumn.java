package org.ptorder.ingest.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * One column of the batch a {@link TableWriter} is building, held in a plain Java array and
 * copied into a fresh Arrow vector in one bulk move when the batch is full. Setting a cell is an
 * array store and a bit in the validity words; through Arrow's own setters it was a bounds-checked
 * off-heap write plus a read-modify-write of the validity byte, and the two cost the ingest most of
 * its Java time (0.2 us per record, measured with JFR on a 300 MB xentrace file).
 * The validity words have Arrow's layout (bit i of the little-endian bitmap = row i), so they are
 * copied as they are.
 */
public abstract sealed class BatchColumn {
    long[] valid;

    BatchColumn(int rows) {
        valid = new long[words(rows)];
    }

    static int words(int rows) {
        return (rows + 63) >>> 6;
    }

    /**
     * Makes room for {@code rows} cells, keeping those set. Columns start small and grow to a
     * whole batch, so a writer of a few rows (most tables) allocates little.
     */
    void grow(int rows) {
        valid = Arrays.copyOf(valid, words(rows));
    }

    /** A column for an Arrow field as {@link Columns} declares them. */
    static BatchColumn of(Field f, int rows) {
        ArrowType t = f.getType();
        if (t instanceof ArrowType.Int i) {
            return switch (i.getBitWidth()) {
                case 8 -> new I8(rows);
                case 16 -> new I16(rows);
                case 32 -> new I32(rows);
                default -> new I64(rows);
            };
        }
        if (t instanceof ArrowType.FloatingPoint) {
            return new F64(rows);
        }
        if (t instanceof ArrowType.Bool) {
            return new Bool(rows);
        }
        if (t instanceof ArrowType.Utf8) {
            return new Utf8(rows);
        }
        throw new IllegalArgumentException("no batch column for Arrow type " + t + " of " + f.getName());
    }

    final void markValid(int row) {
        valid[row >>> 6] |= 1L << row;
    }

    /** Moves the first {@code rows} cells into {@code v} and empties this column for the next batch. */
    final void moveTo(FieldVector v, int rows) {
        fill(v, rows);
        copyBits(valid, v.getValidityBuffer(), rows);
        v.setValueCount(rows);
        clear(rows);
    }

    /** Forgets the first {@code rows} cells: the column starts a new batch. */
    void clear(int rows) {
        Arrays.fill(valid, 0, (rows + 63) >>> 6, 0L);
    }

    abstract void fill(FieldVector v, int rows);

    static ByteBuffer window(ArrowBuf buf, long bytes) {
        return buf.nioBuffer(0, (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies a bitmap of {@code rows} bits (Arrow's layout) into {@code buf}. */
    static void copyBits(long[] bits, ArrowBuf buf, int rows) {
        int bytes = (rows + 7) >>> 3;
        ByteBuffer b = window(buf, bytes);
        int words = bytes >>> 3;
        b.asLongBuffer().put(bits, 0, words);
        for (int i = words << 3; i < bytes; i++) {
            b.put(i, (byte) (bits[i >>> 3] >>> ((i & 7) << 3)));
        }
    }

    private static ArrowBuf allocate(FieldVector v, int rows) {
        ((BaseFixedWidthVector) v).allocateNew(rows);
        return v.getDataBuffer();
    }

    /** TINYINT / UTINYINT. */
    public static final class I8 extends BatchColumn {
        private byte[] cells;

        I8(int rows) {
            super(rows);
            cells = new byte[rows];
        }

        @Override
        void grow(int rows) {
            super.grow(rows);
            cells = Arrays.copyOf(cells, rows);
        }

        public void set(int row, int v) {
            cells[row] = (byte) v;
            markValid(row);
        }

        @Override
        void fill(FieldVector v, int rows) {
            window(allocate(v, rows), rows).put(cells, 0, rows);
        }
    }

    /** SMALLINT / USMALLINT. */
    public static final class I16 extends BatchColumn {
        private short[] cells;

        I16(int rows) {
            super(rows);
            cells = new short[rows];
        }

        @Override
        void grow(int rows) {
            super.grow(rows);
            cells = Arrays.copyOf(cells, rows);
        }

        public void set(int row, int v) {
            cells[row] = (short) v;
            markValid(row);
        }

        @Override
        void fill(FieldVector v, int rows) {
            window(allocate(v, rows), 2L * rows).asShortBuffer().put(cells, 0, rows);
        }
    }

    /** INTEGER / UINTEGER. */
    public static final class I32 extends BatchColumn {
        private int[] cells;

        I32(int rows) {
            super(rows);
            cells = new int[rows];
        }

        @Override
        void grow(int rows) {
            super.grow(rows);
            cells = Arrays.copyOf(cells, rows);
        }

        public void set(int row, int v) {
            cells[row] = v;
            markValid(row);
        }

        @Override
        void fill(FieldVector v, int rows) {
            window(allocate(v, rows), 4L * rows).asIntBuffer().put(cells, 0, rows);
        }
    }

    /** BIGINT / UBIGINT. */
    public static final class I64 extends BatchColumn {
        private long[] cells;

        I64(int rows) {
            super(rows);
            cells = new long[rows];
        }

        @Override
        void grow(int rows) {
            super.grow(rows);
            cells = Arrays.copyOf(cells, rows);
        }

        public void set(int row, long v) {
            cells[row] = v;
            markValid(row);
        }

        @Override
        void fill(FieldVector v, int rows) {
            window(allocate(v, rows), 8L * rows).asLongBuffer().put(cells, 0, rows);
        }
    }

    /** DOUBLE. */
    public static final class F64 extends BatchColumn {
        private double[] cells;

        F64(int rows) {
            super(rows);
            cells = new double[rows];
        }

        @Override
        void grow(int rows) {
            super.grow(rows);
            cells = Arrays.copyOf(cells, rows);
        }

        public void set(int row, double v) {
            cells[row] = v;
            markValid(row);
        }

        @Override
        void fill(FieldVector v, int rows) {
            window(allocate(v, rows), 8L * rows).asDoubleBuffer().put(cells, 0, rows);
        }
    }

    /** BOOLEAN: bit-packed like the validity. */
    public static final class Bool extends BatchColumn {
        private long[] bits;

        Bool(int rows) {
            super(rows);
            bits = new long[valid.length];
        }

        @Override
        void grow(int rows) {
            super.grow(rows);
            bits = Arrays.copyOf(bits, valid.length);
        }

        public void set(int row, boolean v) {
            long bit = 1L << row;
            if (v) {
                bits[row >>> 6] |= bit;
            } else {
                bits[row >>> 6] &= ~bit;
            }
            markValid(row);
        }

        @Override
        void fill(FieldVector v, int rows) {
            copyBits(bits, allocate(v, rows), rows);
        }
    }

    /** VARCHAR: the bytes of every cell end to end, and their end offsets. */
    public static final class Utf8 extends BatchColumn {
        private int[] ends;
        private byte[] bytes = new byte[1 << 16];
        private int used;
        private int filled; // rows whose end offset is written

        Utf8(int rows) {
            super(rows);
            ends = new int[rows];
        }

        @Override
        void grow(int rows) {
            super.grow(rows);
            ends = Arrays.copyOf(ends, rows);
        }

        /**
         * A cell from {@code len} bytes of {@code src}, which should be UTF-8. DuckDB refuses a
         * batch holding anything else, so invalid sequences are stored as U+FFFD instead;
         * returns false when that happened, so the caller can say so.
         */
        public boolean set(int row, byte[] src, int off, int len) {
            if (Utf8Text.isAscii(src, off, len) || Utf8Text.isValid(src, off, len)) {
                put(row, src, off, len);
                return true;
            }
            byte[] repaired = Utf8Text.repaired(src, off, len);
            put(row, repaired, 0, repaired.length);
            return false;
        }

        private void put(int row, byte[] src, int off, int len) {
            padTo(row);
            if (used + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + len));
            }
            System.arraycopy(src, off, bytes, used, len);
            used += len;
            ends[row] = used;
            filled = row + 1;
            markValid(row);
        }

        /** Rows before {@code row} left unset are NULL: empty in the data. */
        private void padTo(int row) {
            for (; filled < row; filled++) {
                ends[filled] = used;
            }
        }

        @Override
        void fill(FieldVector v, int rows) {
            padTo(rows);
            VarCharVector vc = (VarCharVector) v;
            vc.allocateNew(Math.max(used, 1), rows);
            ByteBuffer offsets = window(vc.getOffsetBuffer(), 4L * (rows + 1));
            offsets.putInt(0, 0);
            offsets.position(4);
            offsets.asIntBuffer().put(ends, 0, rows);
            vc.getDataBuffer().setBytes(0, bytes, 0, used);
            vc.setLastSet(rows - 1);
        }

        @Override
        void clear(int rows) {
            super.clear(rows);
            used = 0;
            filled = 0;
        }
    }
}
