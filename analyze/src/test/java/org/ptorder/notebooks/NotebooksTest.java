package org.ptorder.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.analyze.sql.QuerySession;
import org.ptorder.testdata.TestDatabases;

/**
 * Executes every notebook of {@code notebooks/} headless, as a user's 'jupyter nbconvert --execute'
 * would, on the Java kernel that notebooks/install-kernel.sh installs, and checks what the cells
 * printed and drew: on the real capture run-b, and (findings, schemes) on simulated traces with
 * planted bugs. The kernel gets this module's test class path (target/classes of ingest and
 * analyze and the dependency jars) instead of the shaded jar, which 'mvn test' does not build.
 * Needs Debian's jupyter-nbconvert and python3-ipykernel (.ci/run installs them): without them the
 * test is skipped, except under CI=true, where it fails.
 */
class NotebooksTest {
    /** Debian's Python: the default python3 here may be another one without Jupyter. */
    static final String PYTHON = "/usr/bin/python3";
    /**
     * nbclient waits this long for the kernel's first kernel_info_reply. The JVM and JShell took
     * 5-18 s to answer at a load average of 14 on this 2-core machine and up to 36 s at 20; the
     * default 60 s leaves too little room (notebooks/README.md, "Kernel start-up").
     */
    static final int STARTUP_TIMEOUT_S = 240;

    static Path notebooks;
    @TempDir
    static Path work;

    @BeforeAll
    static void installKernel() throws Exception {
        notebooks = repo().resolve("notebooks");
        boolean jupyter = new File(PYTHON).canExecute()
            && run(List.of(PYTHON, "-m", "jupyter", "nbconvert", "--version"), Map.of(), notebooks, 60).exit == 0;
        if (!jupyter && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("jupyter nbconvert missing under CI: .ci/run installs jupyter-nbconvert");
        }
        Assumptions.assumeTrue(jupyter, "Debian's jupyter-nbconvert / python3-ipykernel not installed");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Result install = run(List.of("sh", notebooks.resolve("install-kernel.sh").toString(), "--classpath",
            cp.replace(File.pathSeparator, ";")), Map.of(), notebooks, 600);
        assertEquals(0, install.exit, install.out);
    }

    @Test
    void exploreTraceOnRunB() throws Exception {
        Path db = TestDatabases.runB();
        Assumptions.assumeTrue(db != null, "real data missing");
        Map<String, String> out = execute("explore-trace", db);
        try (QuerySession s = QuerySession.open(db)) {
            for (Map<String, Object> f : s.sql("SELECT records FROM trace_files")) {
                assertTrue(out.get("trace_files").contains(" " + f.get("records") + " "), out.get("trace_files"));
            }
            long calls = ((Number) s.sql("SELECT count(*) AS n FROM hypercalls WHERE op = 1 AND NOT preempted"
                + " AND count IS NOT NULL").get(0).get("n")).longValue();
            assertTrue(out.get("batch_plot").contains("image/png"), out.get("batch_plot"));
            assertTrue(out.get("batch_plot").contains(", " + calls + " calls"), out.get("batch_plot"));
            long enq = ((Number) s.sql("SELECT count(*) AS n FROM mmu_ops WHERE op = 'enq'").get(0).get("n")).longValue();
            assertTrue(out.get("depth_plot").contains("image/png"), out.get("depth_plot"));
            assertTrue(out.get("depth_plot").contains("2 CPUs, " + enq + " enqueues"), out.get("depth_plot"));
        }
        assertTrue(out.get("queries").contains("pending_queue_depth"), out.get("queries"));
        assertTrue(out.get("fanout").contains("invlpg_multi"), out.get("fanout"));
    }

    @Test
    void findingsOnRunBSayThereAreNone() throws Exception {
        Path db = TestDatabases.runB();
        Assumptions.assumeTrue(db != null, "real data missing");
        Map<String, String> out = execute("findings", db);
        assertTrue(out.get("open").contains("0 findings"), out.get("open"));
        assertTrue(out.get("by_class").contains("no findings"), out.get("by_class"));
        assertTrue(!out.get("time_plot").contains("image/png"));
    }

    @Test
    void findingsOnPlantedBugsDrillIntoOne() throws Exception {
        Path db = TestDatabases.simulatedWithBugs();
        Map<String, String> out = execute("findings", db);
        try (QuerySession s = QuerySession.open(db)) {
            Map<String, Object> first = s.sql("SELECT finding, class, writer_seq FROM findings WHERE finding ="
                + " (SELECT min(finding) FILTER (WHERE label = 'OBSERVED') FROM findings)").get(0);
            long total = ((Number) s.sql("SELECT count(*) AS n FROM violations").get(0).get("n")).longValue();
            assertTrue(out.get("open").contains(total + " findings"), out.get("open"));
            assertTrue(out.get("detail").contains("class          " + first.get("class")), out.get("detail"));
            assertTrue(out.get("context").lines().anyMatch(l -> l.startsWith(first.get("writer_seq") + " ")
                && l.contains("writer") && l.contains("enq")), out.get("context"));
        }
        assertTrue(out.get("by_class").contains("V5-pending"), out.get("by_class"));
        assertTrue(out.get("time_plot").contains("image/png"), out.get("time_plot"));
    }

    @Test
    void schemesOnRunB() throws Exception {
        Path db = TestDatabases.runB();
        Assumptions.assumeTrue(db != null, "real data missing");
        TestDatabases.ensureSchemeScores(db);
        Map<String, String> out = execute("schemes", db);
        assertTrue(out.get("open").matches("(?s).*scheme_scores: [2-9][0-9]* schemes.*"), out.get("open"));
        assertTrue(out.get("comparison").contains("hypercalls"), out.get("comparison"));
        assertTrue(out.get("cost_plot").contains("image/png"), out.get("cost_plot"));
        assertTrue(out.get("cost_plot").contains("ipis_sent"), out.get("cost_plot"));
    }

    @Test
    void committedNotebooksCarryNoOutputs() throws Exception {
        try (var files = Files.list(notebooks)) {
            List<Path> ipynb = files.filter(p -> p.toString().endsWith(".ipynb")).toList();
            assertEquals(3, ipynb.size(), ipynb.toString());
            for (Path p : ipynb) {
                String text = Files.readString(p);
                assertTrue(!text.contains("\"output_type\"") && !text.matches("(?s).*\"execution_count\": [0-9].*"),
                    p + " has outputs: clear them before committing");
            }
        }
    }

    /** Runs one notebook on {@code db}; returns each tagged cell's outputs (stream text, MIME types of data). */
    private static Map<String, String> execute(String name, Path db) throws Exception {
        Path outDir = Files.createDirectories(work.resolve(name + "-" + System.nanoTime()));
        Map<String, String> env = Map.of("JUPYTER_PATH", notebooks.resolve("target/jupyter").toString(),
            "JUPYTER_RUNTIME_DIR", outDir.resolve("runtime").toString(),
            "JUPYTER_DATA_DIR", outDir.resolve("data").toString(),
            "PTORDER_DB", db.toString());
        Result r = run(List.of(PYTHON, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
            "--ExecutePreprocessor.kernel_name=ptorder-java",
            "--ExecutePreprocessor.startup_timeout=" + STARTUP_TIMEOUT_S,
            "--ExecutePreprocessor.timeout=600",
            "--output-dir", outDir.toString(), name + ".ipynb"), env, notebooks, 1200);
        assertEquals(0, r.exit, name + " failed:\n" + tail(r.out));
        // The executed notebook is JSON; Python (there anyway) lists each code cell's outputs.
        Result cells = run(List.of(PYTHON, "-c", String.join("\n",
            "import json, sys",
            "for c in json.load(open(sys.argv[1]))['cells']:",
            "    if c['cell_type'] != 'code': continue",
            "    print('@@cell ' + ','.join(c['metadata'].get('tags', [])))",
            "    for o in c['outputs']:",
            "        print(''.join(o.get('text', '')) + ' '.join(o.get('data', {}).keys()))"),
            outDir.resolve(name + ".ipynb").toString()), Map.of(), outDir, 60);
        assertEquals(0, cells.exit, cells.out);
        Map<String, String> byTag = new LinkedHashMap<>();
        String tag = null;
        StringBuilder text = new StringBuilder();
        for (String line : (cells.out + "@@cell end\n").split("\n", -1)) {
            if (line.startsWith("@@cell ")) {
                if (tag != null) {
                    byTag.put(tag, text.toString());
                }
                tag = line.substring(7);
                text.setLength(0);
            } else {
                text.append(line).append('\n');
            }
        }
        return byTag;
    }

    private record Result(int exit, String out) { }

    private static Result run(List<String> cmd, Map<String, String> env, Path dir, int timeoutS) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(work, "run", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            throw new AssertionError(cmd.get(0) + " did not finish in " + timeoutS + " s:\n" + tail(Files.readString(log)));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }

    private static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("notebooks/install-kernel.sh"))) {
                return p;
            }
        }
        throw new AssertionError("notebooks/ not found above " + Path.of("").toAbsolutePath());
    }
}
