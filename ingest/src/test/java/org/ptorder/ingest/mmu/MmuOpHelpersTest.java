package org.ptorder.ingest.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** clear() and copy() must cover every field, including ones added to MmuOp later. */
class MmuOpHelpersTest {
    @Test
    void copyAndClearCoverEveryField() throws Exception {
        MmuOp o = new MmuOp();
        int i = 1;
        for (Field f : instanceFields()) {
            Class<?> t = f.getType();
            if (t == long.class) {
                f.setLong(o, 1000 + i);
            } else if (t == int.class) {
                f.setInt(o, 100 + i);
            } else if (t == String.class) {
                f.set(o, "s" + i);
            } else if (t == BitSet.class) {
                BitSet s = new BitSet();
                s.set(i);
                f.set(o, s);
            } else if (t == Op.class) {
                f.set(o, Op.RMW);
            } else {
                throw new AssertionError("test does not know how to fill " + f);
            }
            i++;
        }
        MmuOp c = o.copy();
        assertEquals(values(o), values(c));
        assertNotSame(o.mask, c.mask);
        assertNotSame(o.dst, c.dst);

        Map<String, Object> fresh = values(new MmuOp());
        assertNotEquals(fresh, values(o));
        o.clear();
        assertEquals(fresh, values(o));
    }

    private static Iterable<Field> instanceFields() {
        java.util.List<Field> out = new java.util.ArrayList<>();
        for (Field f : MmuOp.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                out.add(f);
            }
        }
        return out;
    }

    private static Map<String, Object> values(MmuOp o) throws IllegalAccessException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : instanceFields()) {
            m.put(f.getName(), f.get(o));
        }
        return m;
    }
}
