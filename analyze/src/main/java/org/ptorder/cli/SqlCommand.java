package org.ptorder.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.ptorder.analyze.sql.QueryLibrary;
import org.ptorder.analyze.sql.QuerySession;
import org.ptorder.analyze.sql.ResultPrinter;
import org.ptorder.ingest.store.DuckStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Query a ptorder database with SQL (DuckDB dialect).",
        "",
        "Give the SQL as an argument, a named query with -q, a file with -f, or nothing: on a",
        "terminal that opens an interactive prompt (history in ~/.ptorder_history; end statements",
        "with ';'; .tables, .schema T, .queries, .q NAME, .format F, .quit), otherwise the SQL is",
        "read from standard input. 'ptorder sql --list' shows the named queries; the tables are",
        "documented in schema.sql ('ptorder sql DB -q schema' is not needed: '.schema' shows them)."},
    footer = {"", "Examples:",
        "  ptorder sql run.duckdb -q hypercalls_per_vcpu",
        "  ptorder sql run.duckdb \"SELECT op, count(*) FROM hypercalls GROUP BY op\" --format csv",
        "  ptorder sql run.duckdb -q busiest_intervals -p bucket_us=500"})
final class SqlCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DB", description = "The database (from 'ptorder ingest').")
    Path db;

    @Parameters(index = "1", arity = "0..1", paramLabel = "QUERY", description = "SQL to run.")
    String query;

    @Option(names = {"-q", "--query"}, paramLabel = "NAME", description = "Run the named query NAME (see --list).")
    String named;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Run the SQL in FILE.")
    Path file;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
        description = "Set a query parameter (a DuckDB variable read with getvariable('NAME')).")
    Map<String, String> params = Map.of();

    @Option(names = "--list", description = "List the named queries and exit.")
    boolean list;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "Output: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    ResultPrinter.Format format;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "1000",
        description = "Rows shown by the table and markdown formats (default ${DEFAULT-VALUE}).")
    long maxRows;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = io.out();
        if (list) {
            for (QueryLibrary.Query q : QueryLibrary.all()) {
                out.printf("%-28s %s%n", q.name(), q.purpose());
                if (!q.params().equals("none")) {
                    out.printf("%-28s   params: %s%n", "", q.params());
                }
            }
            return Main.OK;
        }
        if (db == null) {
            throw new UsageException("missing DB (a file written by 'ptorder ingest')");
        }
        int given = (query != null ? 1 : 0) + (named != null ? 1 : 0) + (file != null ? 1 : 0);
        if (given > 1) {
            throw new UsageException("give only one of QUERY, -q NAME and -f FILE");
        }
        String sql = query;
        if (named != null) {
            QueryLibrary.Query q = QueryLibrary.find(named);
            if (q == null) {
                throw new UsageException("no named query '" + named + "'; 'ptorder sql --list' shows them");
            }
            sql = q.sql();
        } else if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new UsageException("cannot read SQL file " + file);
            }
            sql = Files.readString(file, StandardCharsets.UTF_8);
        }
        try (Connection c = DuckStore.open(db, false)) {
            setParams(c);
            ResultPrinter printer = new ResultPrinter(format, maxRows);
            if (sql != null) {
                return run(c, sql, printer, out) ? Main.OK : Main.BAD_INPUT;
            }
            if (System.console() != null) {
                return interactive(c, out);
            }
            String stdin = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            return run(c, stdin, printer, out) ? Main.OK : Main.BAD_INPUT;
        }
    }

    private void setParams(Connection c) throws SQLException {
        try {
            QuerySession.setParams(c, params);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Runs one SQL text; prints the last statement's result. False on an SQL error. */
    private boolean run(Connection c, String sql, ResultPrinter printer, PrintWriter out) {
        try (Statement st = c.createStatement()) {
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    printer.print(rs, out);
                }
            } else {
                out.printf("ok (%d row%s changed)%n", st.getUpdateCount(), st.getUpdateCount() == 1 ? "" : "s");
            }
            out.flush();
            return true;
        } catch (SQLException e) {
            out.flush();
            io.err().println("SQL error: " + e.getMessage().strip());
            io.err().flush();
            return false;
        }
    }

    private int interactive(Connection c, PrintWriter out) throws IOException {
        Path history = Path.of(System.getProperty("user.home"), ".ptorder_history");
        try (Terminal term = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(term).appName("ptorder")
                .variable(LineReader.HISTORY_FILE, history).build();
            PrintWriter tout = term.writer();
            tout.println("ptorder sql on " + db + ". End statements with ';'. .help for commands, .quit to leave.");
            ResultPrinter.Format fmt = format;
            StringBuilder pending = new StringBuilder();
            while (true) {
                String line;
                try {
                    line = reader.readLine(pending.length() == 0 ? "ptorder> " : "    ...> ");
                } catch (UserInterruptException e) {
                    pending.setLength(0);
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                String t = line.strip();
                if (pending.length() == 0 && t.startsWith(".")) {
                    String[] w = t.split("\\s+");
                    switch (w[0]) {
                        case ".quit": case ".exit": return Main.OK;
                        case ".tables":
                            run(c, "SELECT table_name, table_type FROM information_schema.tables ORDER BY 1",
                                new ResultPrinter(fmt, maxRows), tout);
                            break;
                        case ".schema":
                            run(c, w.length > 1
                                ? "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '"
                                    + w[1].replace("'", "''") + "' ORDER BY ordinal_position"
                                : "SELECT table_name, string_agg(column_name, ', ' ORDER BY ordinal_position) AS columns"
                                    + " FROM information_schema.columns GROUP BY 1 ORDER BY 1",
                                new ResultPrinter(fmt, maxRows), tout);
                            break;
                        case ".queries":
                            for (QueryLibrary.Query q : QueryLibrary.all()) {
                                tout.printf("%-28s %s%n", q.name(), q.purpose());
                            }
                            break;
                        case ".q":
                            QueryLibrary.Query q = w.length > 1 ? QueryLibrary.find(w[1]) : null;
                            if (q == null) {
                                tout.println("usage: .q NAME (see .queries)");
                            } else {
                                run(c, q.sql(), new ResultPrinter(fmt, maxRows), tout);
                            }
                            break;
                        case ".format":
                            try {
                                fmt = ResultPrinter.Format.valueOf(w.length > 1 ? w[1] : "");
                            } catch (IllegalArgumentException e) {
                                tout.println("formats: " + List.of(ResultPrinter.Format.values()));
                            }
                            break;
                        default:
                            tout.println(".tables  .schema [TABLE]  .queries  .q NAME  .format table|csv|json|markdown  .quit");
                    }
                    continue;
                }
                pending.append(line).append('\n');
                if (t.endsWith(";")) {
                    run(c, pending.toString(), new ResultPrinter(fmt, maxRows), tout);
                    pending.setLength(0);
                }
            }
        }
        return Main.OK;
    }
}
