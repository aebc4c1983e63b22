package org.ptorder.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.ptorder.ingest.common.TraceInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ptorder}: the command-line entry point. */
@Command(name = "ptorder",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Finds cross-CPU page-table update ordering bugs in paravirtualised Xen guests from traces.",
        "",
        "Typical use:",
        "  ptorder analyze xen.trace ftrace.txt --cpu-hz 2.1G -o out/   ingest + check + report (out/report.html)",
        "  ptorder ingest xen.trace --cpu-hz 2.1G -o run.duckdb   load a xentrace capture",
        "  ptorder summary xen.trace                              xenalyze-style PV summary",
        "  ptorder check trace.duckdb --fail-on latent            ordering violations, with evidence",
        "  ptorder score trace.duckdb                             every flush scheme: violations and cost",
        "  ptorder report run.duckdb -o report.html               HTML, Markdown or JSON report",
        "  ptorder diff before.duckdb after.duckdb                what changed between two analyses",
        "  ptorder sql run.duckdb -q hypercalls_per_vcpu          explore with SQL",
        "  ptorder simulate -o t.pmt --ops 1M --inject all --truth t.json   make a trace with known bugs",
        "  ptorder demo                                           see it all on a built-in trace",
        ""},
    footer = {"", "Exit codes: 0 ok, 1 findings matched --fail-on, 2 bad usage or bad input, 3 internal error.",
        "Run 'ptorder help COMMAND' for a command's options."},
    subcommands = {
        AnalyzeCommand.class,
        IngestCommand.class,
        CheckCommand.class,
        ScoreCommand.class,
        SummaryCommand.class,
        DumpCommand.class,
        ReportCommand.class,
        DiffCommand.class,
        SqlCommand.class,
        ExportCommand.class,
        SimulateCommand.class,
        DemoCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FINDINGS = 1;
    public static final int BAD_INPUT = 2;
    public static final int INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code (the tests call this directly). */
    public static int execute(String... args) {
        // Buffered: dump and sql print millions of lines; flushed when the command ends.
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8),
            1 << 16));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        try {
            return commandLine(out, err).execute(args);
        } finally {
            out.flush();
        }
    }

    static final int HELP_WIDTH = 110;

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        // The descriptions are written as lines of up to ~100 characters; picocli's default
        // 80 would re-wrap each of them mid-sentence.
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(Main::exitCode);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getOut().flush();
            PrintWriter e = cmd.getErr();
            Throwable t = unwrap(ex);
            if (t instanceof TraceInputException tie) {
                e.println("ptorder: " + tie.oneLine());
            } else if (t instanceof UsageException ue) {
                e.println(cmd.getCommandSpec().qualifiedName() + ": " + ue.getMessage()); // e.g. "ptorder bench ftrace"
            } else {
                e.println("ptorder: internal error: " + t);
                if (System.getenv("PTORDER_DEBUG") != null) {
                    t.printStackTrace(e);
                } else {
                    e.println("(set PTORDER_DEBUG=1 for the stack trace)");
                }
            }
            e.flush();
            return exitCode(t);
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("ptorder: " + ex.getMessage());
            e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return BAD_INPUT;
        });
        return cl;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException
            || t instanceof java.io.UncheckedIOException && t.getCause() instanceof java.nio.file.NoSuchFileException)
            && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static int exitCode(Throwable t) {
        Throwable u = unwrap(t);
        if (u instanceof TraceInputException || u instanceof UsageException
            || u instanceof CommandLine.ParameterException) {
            return BAD_INPUT;
        }
        return INTERNAL;
    }
}
