package org.ptorder.ingest.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** A compact way to declare an Arrow schema whose columns mirror a table of schema.sql. */
public final class Columns {
    private final List<Field> fields = new ArrayList<>();

    public Columns i32(String name) {
        return add(name, new ArrowType.Int(32, true));
    }

    public Columns i64(String name) {
        return add(name, new ArrowType.Int(64, true));
    }

    public Columns u8(String name) {
        return add(name, new ArrowType.Int(8, false));
    }

    public Columns u16(String name) {
        return add(name, new ArrowType.Int(16, false));
    }

    public Columns u32(String name) {
        return add(name, new ArrowType.Int(32, false));
    }

    public Columns u64(String name) {
        return add(name, new ArrowType.Int(64, false));
    }

    public Columns f64(String name) {
        return add(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
    }

    public Columns bool(String name) {
        return add(name, ArrowType.Bool.INSTANCE);
    }

    public Columns str(String name) {
        return add(name, ArrowType.Utf8.INSTANCE);
    }

    private Columns add(String name, ArrowType type) {
        fields.add(new Field(name, FieldType.nullable(type), null));
        return this;
    }

    public Schema schema() {
        return new Schema(fields);
    }
}
