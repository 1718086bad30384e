package org.osprey.websocket;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, showing one page, driven over the DevTools protocol (a WebSocket from the
 * JDK's client) so a test can read the page while it runs. The flags are those known to work on these
 * machines: without the background-networking ones Chromium keeps trying to reach Google's hosts.
 */
final class HeadlessChromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket devtools;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    /** The Chromium binary: $OSPREY_CHROMIUM, else the first of the usual paths that exists, else null. */
    static Path find() {
        String env = System.getenv("OSPREY_CHROMIUM");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        return Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").map(Path::of).filter(Files::isExecutable)
                        .findFirst().orElse(null);
    }

    static HeadlessChromium open(Path binary, String url) throws Exception {
        Path profile = Files.createTempDirectory("osprey-chromium");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*", url)
                                        .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile());
        // Chromium puts its singleton socket and lock in a directory of its own under TMPDIR: keep it in the profile, deleted with it.
        pb.environment().put("TMPDIR", profile.toString());
        Process p = pb.start();
        try {
            return new HeadlessChromium(p, profile, url);
        } catch (Exception | AssertionError e) {
            stop(p);
            deleteTree(profile);
            throw e;
        }
    }

    private HeadlessChromium(Process process, Path profile, String url) throws Exception {
        this.process = process;
        this.profile = profile;
        int port = debuggingPort();
        String target = pageTarget(port, url.substring(0, url.indexOf(':') + 1));
        this.devtools = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(target), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            @SuppressWarnings("unchecked")
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    Map<String, Object> m = (Map<String, Object>) Json.parse(partial.toString());
                    partial.setLength(0);
                    if (m.get("id") instanceof Double id) {
                        CompletableFuture<Map<String, Object>> f = pending.remove(id.intValue());
                        if (f != null) {
                            f.complete(m);
                        }
                    }
                }
                w.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Chromium writes the port it chose to DevToolsActivePort in the profile once it listens. */
    private int debuggingPort() throws Exception {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= 2) {
                    return Integer.parseInt(lines.get(0).strip());
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("Chromium ended with " + process.exitValue() + ":\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Chromium did not open its DevTools port within 30 s:\n" + log());
            }
            Thread.sleep(20);
        }
    }

    /** The DevTools WebSocket of the page whose URL starts with the prefix, once Chromium lists it. */
    @SuppressWarnings("unchecked")
    private String pageTarget(int port, String urlPrefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                            HttpResponse.BodyHandlers.ofString());
            last = r.body();
            for (Object t : (List<Object>) Json.parse(last)) {
                Map<String, Object> target = (Map<String, Object>) t;
                if ("page".equals(target.get("type")) && String.valueOf(target.get("url")).startsWith(urlPrefix)) {
                    return (String) target.get("webSocketDebuggerUrl");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Chromium lists no page for " + urlPrefix + ": " + last);
            }
            Thread.sleep(20);
        }
    }

    String log() {
        try {
            return Files.readString(profile.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The value of a JavaScript expression in the page. */
    @SuppressWarnings("unchecked")
    Object evaluate(String expression) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        devtools.sendText("{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":" + Json.quote(expression)
                        + ",\"returnByValue\":true}}", true).get(10, TimeUnit.SECONDS);
        Map<String, Object> m = reply.get(10, TimeUnit.SECONDS);
        if (m.get("error") != null) {
            throw new AssertionError("DevTools: " + m.get("error"));
        }
        Map<String, Object> result = (Map<String, Object>) m.get("result");
        if (result.get("exceptionDetails") != null) {
            throw new AssertionError("the page threw: " + result.get("exceptionDetails"));
        }
        return ((Map<String, Object>) result.get("result")).get("value");
    }

    /** Evaluates the expression until its value (as text) satisfies the condition; fails after the timeout. */
    String await(String expression, Predicate<String> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String value = String.valueOf(evaluate(expression));
            if (condition.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page never showed what was expected; " + expression + " is:\n" + value);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        devtools.abort();
        http.close();
        stop(process);
        deleteTree(profile);
    }

    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing more to do
        }
    }
}
