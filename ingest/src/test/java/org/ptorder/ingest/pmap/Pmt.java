package org.ptorder.ingest.pmap;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.mmu.MmuOp;

/** Test helpers: read .pmt text into a list of ops; compare ops field by field. */
final class Pmt {
    private Pmt() { }

    static final Path NAME = Path.of("t.pmt");

    static List<MmuOp> read(String text) {
        return read(text, WarningSink.IGNORE);
    }

    static List<MmuOp> read(String text, WarningSink warnings) {
        try (PmtReader r = reader(text, 0, warnings)) {
            List<MmuOp> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.op().copy());
            }
            return out;
        }
    }

    static PmtReader reader(String text, long cpuHz, WarningSink warnings) {
        return new PmtReader(NAME, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), cpuHz, warnings);
    }

    static WarningList warnings() {
        return new WarningList();
    }

    /** Every public instance field of an op by name, minus those listed; for assertEquals diffs. */
    static Map<String, Object> fields(MmuOp o, String... except) {
        Map<String, Object> m = new LinkedHashMap<>();
        outer:
        for (Field f : MmuOp.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            for (String e : except) {
                if (e.equals(f.getName())) {
                    continue outer;
                }
            }
            try {
                m.put(f.getName(), f.get(o));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return m;
    }

    /** Only the fields that are present (not NONE / -1 / null), as text, for readable expectations. */
    static String present(MmuOp o, String... except) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : fields(o, except).entrySet()) {
            Object v = e.getValue();
            if (v == null || Objects.equals(v, MmuOp.NONE) || (v instanceof Integer i && i == -1 && !e.getKey().equals("cpu"))) {
                continue;
            }
            if (v instanceof Long l) {
                v = "0x" + Long.toHexString(l);
            } else if (v instanceof java.util.BitSet s) {
                v = MmuOp.cpuList(s);
            }
            sb.append(sb.length() > 0 ? " " : "").append(e.getKey()).append('=').append(v);
        }
        return sb.toString();
    }
}
