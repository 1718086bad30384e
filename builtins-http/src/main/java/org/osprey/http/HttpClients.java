package org.osprey.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.Values;

/**
 * One program's HTTP clients, by ClientID: a base URL, a timeout and a JDK HttpClient each. A request waits
 * for its answer with the context's lock released (handlers of this program's own servers answer meanwhile)
 * and can be ended by Ctrl-C; its timeout covers the whole exchange, connecting and reading the body
 * included. Closed clients and the context's end close the JDK clients and their threads.
 */
final class HttpClients {
    private final BuiltinContext ctx;
    private final HttpSettings settings;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();

    /** {@code tls}: an https:// client, whose TLS context is {@link HandshakeWatch}'s. */
    private record Client(String base, long timeout, HttpClient http, boolean tls) {
    }

    HttpClients(BuiltinContext ctx) {
        this.ctx = ctx;
        this.settings = HttpSettings.from(ctx);
        ctx.onClose(this::closeAll);
    }

    Object create(String baseUrl, long timeout) {
        if (timeout <= 0 || timeout > Integer.MAX_VALUE) {
            // Above that, the deadline in nanoseconds overflowed and every request timed out at once.
            return Values.error("httpCreateClient: invalid timeout " + timeout + ": expected milliseconds from 1 to " + Integer.MAX_VALUE
                            + " (about 24 days), e.g. 5000");
        }
        if (org.osprey.spi.NetworkFailures.leadingBlank(baseUrl) instanceof String blank) {
            return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl) + "': " + blank);
        }
        if (!baseUrl.contains("://")) {
            // 127.0.0.1:8080 was read as a URL of the scheme "127.0.0.1", and refused for its first character.
            return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl) + "': expected http:// or https://, e.g. http://127.0.0.1:8080");
        }
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            if (e.getReason().equals("Expected authority")) {
                return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl) + "': it names no host");
            }
            return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl) + "': " + e.getReason().toLowerCase(java.util.Locale.ROOT)
                            + (e.getIndex() >= 0 ? " (character " + (e.getIndex() + 1) + ")" : ""));
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl) + "': expected http:// or https://, e.g. http://127.0.0.1:8080");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            String authority = uri.getRawAuthority();
            return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl) + "': "
                            + (authority == null || authority.isEmpty() ? "it names no host" : "'" + authority + "' is not a host and port"));
        }
        if (org.osprey.spi.NetworkFailures.emptyPort(uri, "http") instanceof String why) {
            return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl) + "': " + why);
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl) + "': port " + uri.getPort() + " is out of range (1 to 65535)");
        }
        if (uri.getRawUserInfo() != null) {
            // The JDK's client sends no user or password from the URL: the server was asked without them.
            return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl)
                            + "': a user and password in the URL are not sent; give an Authorization header with each request instead");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Values.error("httpCreateClient: invalid URL '" + NetWords.shown(baseUrl) + "': a base URL has no query or fragment; give those in each request's path");
        }
        String denied = HttpServers.denied(ctx);
        if (denied != null) {
            return Values.error("httpCreateClient: " + denied);
        }
        // The executor runs each task where it is handed over: a request starts on the program's thread (request)
        // and its answer is read on the client's selector thread, which then completes it. With the JDK's own
        // executor a request went from the program's thread to a worker, to the selector thread, to a worker
        // again and to the common pool before the program's thread woke: five threads for one request, where a
        // program's server and client on one machine spent most of a request's time waking them.
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofMillis(timeout)).executor(Runnable::run);
        boolean tls = scheme.equalsIgnoreCase("https");
        if (tls) {
            try {
                builder.sslContext(HandshakeWatch.context());
            } catch (java.security.NoSuchAlgorithmException e) {
                return Values.error("httpCreateClient: this Java runtime has no TLS, which https:// needs");
            }
        }
        HttpClient http = builder.build();
        long id = ids.incrementAndGet();
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        clients.put(id, new Client(base, timeout, http, tls));
        return Values.success(id);
    }

    Object close(long id) {
        Client c = clients.remove(id);
        if (c == null) {
            return noClient("httpCloseClient", id);
        }
        c.http.shutdownNow();
        return Values.ok();
    }

    private Object noClient(String function, long id) {
        return Values.error(function + ": no HTTP client with ID " + id + (id > 0 && id <= ids.get() ? " (it was closed)" : ""));
    }

    /** A request of {@code function} (httpGet, ...): Success with the HttpResponse, or an Error saying what went wrong. */
    Object request(String function, long id, String method, String path, String headers, String body) {
        Client c = clients.get(id);
        if (c == null) {
            return noClient(function, id);
        }
        if (!path.isEmpty() && !path.startsWith("/")) {
            return Values.error(function + ": invalid path '" + NetWords.shown(path) + "': expected a path starting with '/', e.g. \"/users\"");
        }
        String url = c.base + path;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Values.error(function + ": invalid path '" + NetWords.shown(path) + "': " + e.getReason().toLowerCase(java.util.Locale.ROOT)
                            + (e.getIndex() >= 0 ? " (character " + (e.getIndex() - c.base.length() + 1) + " of the path)" : ""));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        try {
            for (HeaderLines.Header h : HeaderLines.parse(headers)) {
                String bad = HeaderLines.unsendable(h.value());
                if (bad != null) {
                    return Values.error(function + ": the value of the header '" + h.name() + "' " + bad);
                }
                if (h.name().equalsIgnoreCase("Transfer-Encoding")) {
                    // The JDK's client let it through beside its own Content-Length: a request servers refuse.
                    return Values.error(function + ": the header \"" + h.name() + "\" is set by the client itself and cannot be given");
                }
                b.header(h.name(), h.value());
            }
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.startsWith("restricted header name")) {
                // Host, Content-Length, Connection, Expect, Upgrade: the JDK's client sets them itself.
                return Values.error(function + ": the header " + m.substring("restricted header name: ".length())
                                + " is set by the client itself and cannot be given");
            }
            return Values.error(function + ": " + (m.startsWith("the header") ? m : "invalid header: " + m));
        }
        boolean noBody = body.isEmpty() && !method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH");
        if (noBody && method.equals("GET")) {
            // GET(), DELETE() and HEAD() send no Content-Length; method(m, noBody()) sent "Content-Length: 0", which
            // RFC 9110 (section 8.6) says a request with no content of a method that expects none should not carry.
            b.GET();
        } else if (noBody && method.equals("DELETE")) {
            b.DELETE();
        } else if (noBody && method.equals("HEAD")) {
            b.HEAD();
        } else {
            b.method(method, noBody ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        java.util.concurrent.atomic.AtomicReference<String> notHttp = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<LimitedBody.Answer> whole = new CompletableFuture<>();
        HttpRequest request = b.build();
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<HttpResponse<byte[]>>> sent = new java.util.concurrent.atomic.AtomicReference<>();
        // Whether the request's new TLS connection still waits for the server's first answer to its hello.
        java.util.concurrent.atomic.AtomicReference<java.util.function.BooleanSupplier> unanswered = new java.util.concurrent.atomic.AtomicReference<>(() -> false);
        long deadline = System.nanoTime() + c.timeout * 1_000_000L;
        boolean late;
        try {
            // The deadline bounds the whole exchange, the body included; the request has no timeout of the JDK's
            // (each one set a timer, and woke the client's selector thread to set it). Ctrl-C ends the wait.
            ctx.waitUntil(() -> {
                if (sent.get() == null) {
                    // The request starts on this thread (the client's executor runs what it is given where it is
                    // given), with the execution lock released: a host name's lookup may take seconds.
                    Runnable start = () -> sent.set(c.http.sendAsync(request, LimitedBody.handler(settings.maxBodySize(), notHttp, whole)));
                    if (c.tls) {
                        unanswered.set(HandshakeWatch.watching(start));
                    } else {
                        start.run();
                    }
                    CompletableFuture<HttpResponse<byte[]>> answer = sent.get();
                    // A failure before or while the body is read comes only through the JDK's future.
                    answer.whenComplete((r, failed) -> {
                        if (failed != null) {
                            whole.completeExceptionally(failed);
                        }
                    });
                }
                return answered(whole, deadline);
            }, 1);
        } finally {
            late = !whole.isDone();
            if (late && sent.get() != null) {
                sent.get().cancel(true); // the JDK's client then closes the connection
            }
        }
        String to = method + " " + url;
        if (unanswered.get().getAsBoolean()) {
            // The wait's deadline came first, or the JDK's connect timeout, which covers the handshake too.
            return Values.error(function + ": " + to + ": the server did not answer the TLS handshake within " + c.timeout
                            + " ms (a server of plain http://, as httpCreateServer's are, does not speak https://)");
        }
        if (late) {
            return Values.error(function + ": " + to + ": no complete answer within " + c.timeout + " ms");
        }
        LimitedBody.Answer r;
        try {
            r = whole.get();
        } catch (ExecutionException e) {
            if (clients.get(id) != c) {
                // httpCloseClient (in another fiber, or a handler) ended it: the JDK's words were "shutdownNow".
                return Values.error(function + ": " + to + ": the client was closed (httpCloseClient) before the answer came");
            }
            if (notHttp.get() != null) {
                return Values.error(function + ": " + to + ": the server's answer is not valid HTTP (" + notHttp.get() + ")");
            }
            return Values.error(function + ": " + to + ": " + NetWords.describe(e.getCause() == null ? e : e.getCause(), c.timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Values.error(function + ": " + to + ": interrupted");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", (long) r.status());
        fields.put("headers", Values.string(HeaderLines.format(r.headers().map())));
        fields.put("contentType", Values.string(r.headers().firstValue("Content-Type").orElse("")));
        fields.put("streamFd", -1L);
        fields.put("isComplete", true);
        fields.put("partialBody", Values.string(new String(r.body(), StandardCharsets.UTF_8)));
        return Values.success(Values.record(ctx, "HttpResponse", fields));
    }

    /**
     * Whether the answer came or the deadline passed, after waiting up to 50 ms for the answer itself: the
     * request's wait checks this every millisecond, and without the wait on the answer each waiting request
     * woke its thread a thousand times a second (20 requests to a server taking 10 s used five times the
     * CPU time of one). An interrupt (Ctrl-C, a cancel) is kept for the wait's own sleep, which handles it.
     */
    private static boolean answered(CompletableFuture<?> answer, long deadline) {
        long left = deadline - System.nanoTime();
        if (!answer.isDone() && left > 0) {
            try {
                answer.get(Math.min(left, 50_000_000L), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | java.util.concurrent.TimeoutException | java.util.concurrent.CancellationException e) {
                // what the answer is (or that it failed) is read after the wait
            }
        }
        return answer.isDone() || System.nanoTime() - deadline > 0;
    }

    private void closeAll() {
        clients.values().forEach(c -> c.http.shutdownNow());
        clients.clear();
    }
}
