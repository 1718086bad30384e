package org.osprey.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client from the JDK (java.net.http), independent of the library under test. */
final class JdkClient implements AutoCloseable {
    final WebSocket socket;
    final BlockingQueue<String> messages;
    final CompletableFuture<Integer> closeCode;
    private final HttpClient http;

    private JdkClient(HttpClient http, WebSocket socket, BlockingQueue<String> messages, CompletableFuture<Integer> closeCode) {
        this.http = http;
        this.socket = socket;
        this.messages = messages;
        this.closeCode = closeCode;
    }

    static JdkClient connect(String url) throws Exception {
        return connect(url, null);
    }

    static JdkClient connect(String url, String origin) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            b.header("Origin", origin);
        }
        WebSocket socket = b.buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(partial.toString());
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closeCode.complete(-1);
            }
        }).get(10, TimeUnit.SECONDS);
        return new JdkClient(http, socket, messages, closeCode);
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    String next() throws InterruptedException {
        String m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s");
        }
        return m;
    }

    int awaitClose() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            socket.abort();
        }
        http.close();
    }
}
