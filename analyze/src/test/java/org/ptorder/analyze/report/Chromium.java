package org.ptorder.analyze.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.ptorder.analyze.sql.Json;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket on the loopback
 * interface, from the JDK's own client): navigate, evaluate, collect console errors and network
 * requests, take screenshots. Every test that uses it fails under CI when Chromium is missing
 * ({@code .ci/run} installs it); on a developer's machine without it, the test is skipped.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");

    private final Process proc;
    private final Path userDir;
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> events = new ArrayList<>();

    /** Skips (developer machine) or fails (CI) when there is no Chromium. */
    static void require() {
        if (!Files.isExecutable(BINARY)) {
            if (System.getenv("CI") != null) {
                throw new AssertionError(BINARY + " is missing under CI: .ci/run must install Debian's chromium");
            }
            Assumptions.assumeTrue(false, "no " + BINARY + " here (apt-get install chromium); browser test skipped");
        }
    }

    private Chromium(Process proc, Path userDir, WebSocket ws) {
        this.proc = proc;
        this.userDir = userDir;
        this.ws = ws;
    }

    static Chromium launch() throws Exception {
        require();
        Path userDir = Files.createTempDirectory("ptorder-chromium");
        Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + userDir, "--remote-debugging-port=0",
            "--window-size=1200,900", "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> browserWs = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(l);
                    if (m.find()) {
                        browserWs.complete(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // the browser went away
            }
            browserWs.complete(null);
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        String url = browserWs.get(60, TimeUnit.SECONDS);
        if (url == null) {
            p.destroyForcibly();
            throw new AssertionError("chromium exited without a DevTools endpoint");
        }
        // the page target's own socket: /json/list on the same port
        URI base = URI.create(url.replaceFirst("^ws://", "http://"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String pageWs = null;
        for (int tries = 0; tries < 50 && pageWs == null; tries++) {
            String list = http.send(HttpRequest.newBuilder(base.resolve("/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            for (Object t : MiniJson.arr(MiniJson.parse(list))) {
                Map<String, Object> m = MiniJson.obj(t);
                if ("page".equals(m.get("type"))) {
                    pageWs = (String) m.get("webSocketDebuggerUrl");
                    break;
                }
            }
            if (pageWs == null) {
                Thread.sleep(100);
            }
        }
        if (pageWs == null) {
            p.destroyForcibly();
            throw new AssertionError("no page target in " + base);
        }
        Chromium[] self = new Chromium[1];
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
            private final StringBuilder buf = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                buf.append(data);
                if (last) {
                    String msg = buf.toString();
                    buf.setLength(0);
                    while (self[0] == null) {
                        Thread.onSpinWait();
                    }
                    self[0].receive(MiniJson.obj(MiniJson.parse(msg)));
                }
                w.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        Chromium c = new Chromium(p, userDir, ws);
        self[0] = c;
        return c;
    }

    private void receive(Map<String, Object> msg) {
        Object id = msg.get("id");
        if (id != null) {
            CompletableFuture<Map<String, Object>> f = pending.remove(((Double) id).intValue());
            if (f != null) {
                f.complete(msg);
            }
        } else {
            synchronized (events) {
                events.add(msg);
                events.notifyAll();
            }
        }
    }

    /** Sends one command; {@code params} is a JSON object text. Returns its result, or fails on a protocol error. */
    Map<String, Object> call(String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        pending.put(id, f);
        StringBuilder sb = new StringBuilder("{\"id\": ").append(id).append(", \"method\": ");
        Json.string(sb, method);
        sb.append(", \"params\": ").append(params).append('}');
        ws.sendText(sb, true).get(30, TimeUnit.SECONDS);
        Map<String, Object> r = f.get(60, TimeUnit.SECONDS);
        if (r.containsKey("error")) {
            throw new AssertionError(method + ": " + r.get("error"));
        }
        return MiniJson.obj(r.get("result"));
    }

    /** Loads a URL and waits for its load event. */
    void navigate(String url) throws Exception {
        int before;
        synchronized (events) {
            before = events.size();
        }
        StringBuilder p = new StringBuilder("{\"url\": ");
        Json.string(p, url);
        call("Page.navigate", p.append('}').toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (events) {
            while (events.subList(before, events.size()).stream().noneMatch(e -> "Page.loadEventFired".equals(e.get("method")))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no load event for " + url);
                }
                events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    /** Evaluates an expression in the page and returns its value (JSON-able values only). */
    Object eval(String expression) throws Exception {
        StringBuilder p = new StringBuilder("{\"expression\": ");
        Json.string(p, expression);
        Map<String, Object> r = call("Runtime.evaluate", p.append(", \"returnByValue\": true}").toString());
        if (r.containsKey("exceptionDetails")) {
            throw new AssertionError("page threw: " + r.get("exceptionDetails"));
        }
        return MiniJson.obj(r.get("result")).get("value");
    }

    /** Console errors, uncaught exceptions and error log entries seen so far, one line each. */
    List<String> errors() {
        List<String> out = new ArrayList<>();
        synchronized (events) {
            for (Map<String, Object> e : events) {
                Object m = e.get("method");
                Map<String, Object> p = MiniJson.obj(e.get("params"));
                if ("Runtime.consoleAPICalled".equals(m) && List.of("error", "assert").contains(p.get("type"))) {
                    out.add("console." + p.get("type") + ": " + p.get("args"));
                } else if ("Runtime.exceptionThrown".equals(m)) {
                    out.add("exception: " + p.get("exceptionDetails"));
                } else if ("Log.entryAdded".equals(m)
                    && "error".equals(MiniJson.obj(p.get("entry")).get("level"))) {
                    out.add("log: " + MiniJson.obj(p.get("entry")).get("text"));
                }
            }
        }
        return out;
    }

    /** URLs of every request the page made (Network.enable must have been called). */
    List<String> requests() {
        List<String> out = new ArrayList<>();
        synchronized (events) {
            for (Map<String, Object> e : events) {
                if ("Network.requestWillBeSent".equals(e.get("method"))) {
                    out.add((String) MiniJson.obj(MiniJson.obj(e.get("params")).get("request")).get("url"));
                }
            }
        }
        return out;
    }

    /** A PNG of the whole page (up to {@code maxHeight} CSS pixels tall). */
    byte[] screenshot(int width, int maxHeight) throws Exception {
        Map<String, Object> m = call("Page.getLayoutMetrics", "{}");
        double h = (Double) MiniJson.obj(m.get("cssContentSize")).get("height");
        int height = (int) Math.min(maxHeight, Math.ceil(h));
        Map<String, Object> r = call("Page.captureScreenshot", "{\"format\": \"png\", \"captureBeyondViewport\": true,"
            + " \"clip\": {\"x\": 0, \"y\": 0, \"width\": " + width + ", \"height\": " + height + ", \"scale\": 1}}");
        return java.util.Base64.getDecoder().decode((String) r.get("data"));
    }

    @Override
    public void close() throws Exception {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser is being stopped anyway
        }
        // only the processes this test started: the browser and its own children
        List<ProcessHandle> kids = proc.descendants().toList();
        proc.destroy();
        if (!proc.waitFor(10, TimeUnit.SECONDS)) {
            proc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        kids.forEach(ProcessHandle::destroy);
        try (Stream<Path> s = Files.walk(userDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
