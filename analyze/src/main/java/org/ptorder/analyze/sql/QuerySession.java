package org.ptorder.analyze.sql;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptorder.ingest.store.DuckStore;

/**
 * A database opened for exploring, from Java code such as the notebooks in {@code notebooks/}:
 * named queries with parameters (set as 'ptorder sql -p NAME=VALUE' sets them), as rows or as the
 * text table 'ptorder sql' prints.
 */
public final class QuerySession implements AutoCloseable {
    private final Connection conn;

    private QuerySession(Connection conn) {
        this.conn = conn;
    }

    /** Opens {@code db} read-only. */
    public static QuerySession open(Path db) throws SQLException {
        return new QuerySession(DuckStore.open(db, false));
    }

    /** Rows of named query {@code name}; {@code params} alternate names and values: "top", 5, ... */
    public List<Map<String, Object>> rows(String name, Object... params) throws SQLException {
        return withParams(params, () -> rowsOf(named(name).sql()));
    }

    /** Rows of any SQL. */
    public List<Map<String, Object>> sql(String sql) throws SQLException {
        return rowsOf(sql);
    }

    /** Named query {@code name} as the text table 'ptorder sql' prints (at most {@code maxRows} rows). */
    public String table(String name, long maxRows, Object... params) throws SQLException {
        return withParams(params, () -> tableOf(named(name).sql(), maxRows));
    }

    /** Any SQL as the text table 'ptorder sql' prints (at most {@code maxRows} rows). */
    public String tableOf(String sql, long maxRows) throws SQLException {
        StringWriter text = new StringWriter();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql);
             PrintWriter out = new PrintWriter(text)) {
            new ResultPrinter(ResultPrinter.Format.table, maxRows).print(rs, out);
        }
        return text.toString();
    }

    /** Whether the database has a table or view called {@code name} ('scheme_scores' before 'ptorder score': no). */
    public boolean has(String name) throws SQLException {
        return !rowsOf("SELECT 1 FROM information_schema.tables WHERE table_name = '" + name.replace("'", "''")
            + "'").isEmpty();
    }

    /**
     * Sets query parameters as DuckDB variables (read by the queries with getvariable('NAME')):
     * numbers as numbers, anything else as a string literal.
     */
    public static void setParams(Connection c, Map<String, ?> params) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (Map.Entry<String, ?> e : params.entrySet()) {
                if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("bad parameter name '" + e.getKey() + "'");
                }
                String v = String.valueOf(e.getValue());
                String lit = v.matches("-?[0-9]+(\\.[0-9]+)?") ? v : "'" + v.replace("'", "''") + "'";
                st.execute("SET VARIABLE " + e.getKey() + " = " + lit);
            }
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T withParams(Object[] params, SqlWork<T> work) throws SQLException {
        if (params.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in pairs: name, value");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i].toString(), params[i + 1]);
        }
        setParams(conn, p);
        try {
            return work.run();
        } finally {
            try (Statement st = conn.createStatement()) {
                for (String name : p.keySet()) {
                    st.execute("RESET VARIABLE " + name);
                }
            }
        }
    }

    private static QueryLibrary.Query named(String name) {
        QueryLibrary.Query q = QueryLibrary.find(name);
        if (q == null) {
            throw new IllegalArgumentException("no named query '" + name + "'; 'ptorder sql --list' shows them");
        }
        return q;
    }

    private List<Map<String, Object>> rowsOf(String sql) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData m = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    row.put(m.getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
