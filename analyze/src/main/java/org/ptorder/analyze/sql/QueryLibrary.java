package org.ptorder.analyze.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ptorder.ingest.store.Sql;

/**
 * The named queries shipped in the jar (the repo's {@code queries/*.sql}, except schema.sql).
 * Each file starts with a header of {@code -- key: value} lines: name, purpose, params.
 */
public final class QueryLibrary {
    public record Query(String name, String purpose, String params, String sql) { }

    private QueryLibrary() { }

    public static List<Query> all() {
        List<Query> out = new ArrayList<>();
        for (String file : files()) {
            if (!file.equals("schema.sql")) {
                out.add(parse(file.substring(0, file.length() - 4), Sql.resourceOrNull(file)));
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** The query called {@code name}, or null. */
    public static Query find(String name) {
        String text = Sql.resourceOrNull(name + ".sql");
        return text == null || name.equals("schema") ? null : parse(name, text);
    }

    static Query parse(String name, String text) {
        String purpose = "";
        String params = "none";
        for (String line : text.split("\n")) {
            if (!line.startsWith("--")) {
                break;
            }
            String l = line.substring(2).trim();
            if (l.startsWith("purpose:")) {
                purpose = l.substring(8).trim();
            } else if (l.startsWith("params:")) {
                params = l.substring(7).trim();
            }
        }
        return new Query(name, purpose, params, text);
    }

    private static List<String> files() {
        URL url = QueryLibrary.class.getResource(Sql.RESOURCE_DIR + "schema.sql");
        if (url == null) {
            return List.of();
        }
        try {
            if (url.getProtocol().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(url.toURI(), Map.of())) {
                    return list(fs.getPath(Sql.RESOURCE_DIR));
                }
            }
            return list(Path.of(url.toURI()).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString().replace("/", ""))
                .filter(n -> n.endsWith(".sql")).toList());
            Collections.sort(names);
            return names;
        }
    }
}
