import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The WebSocket benchmark's load client, on the JDK's own WebSocket client (java.net.http), so that it
 * shares no code with the servers it measures. Each mode prints one line starting with RESULT.
 *
 *   java Load.java echo URL CONNECTIONS WARMUP_S MEASURE_S SIZE
 *       closed loop: every connection sends a message of SIZE characters, waits for the echo, sends the
 *       next; reports echoes per second and round-trip percentiles measured after the warm-up
 *   java Load.java broadcast URL CLIENTS MESSAGES ROUNDS
 *       one client sends "go MESSAGES"; every client must receive "0" .. "MESSAGES-1" in order
 *   java Load.java hold URL CONNECTIONS HOLD_S
 *       opens that many connections, checks each with one echo, keeps them open HOLD_S seconds
 */
public final class Load {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    /** One connection: whole text messages go to the consumer, in order. */
    static final class Conn implements WebSocket.Listener {
        final Consumer<String> onMessage;
        final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws;
        private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

        Conn(Consumer<String> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String m = partial.toString();
                partial.setLength(0);
                onMessage.accept(m);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(-1);
        }

        /** The JDK client allows one send at a time: sends are chained. */
        synchronized void send(String text) {
            sending = sending.thenCompose(x -> ws.sendText(text, true));
        }

        void close() {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                ws.abort();
            }
        }
    }

    static CompletableFuture<Conn> open(String url, Consumer<String> onMessage) {
        Conn c = new Conn(onMessage);
        return HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(URI.create(url), c).thenApply(ws -> {
            c.ws = ws;
            return c;
        });
    }

    /** Opens n connections, at most 200 handshakes at a time; the consumers are made per index. */
    static List<Conn> openMany(String url, int n, java.util.function.IntFunction<Consumer<String>> consumers) throws Exception {
        Semaphore inFlight = new Semaphore(200);
        List<CompletableFuture<Conn>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            all.add(open(url, consumers.apply(i)).whenComplete((c, e) -> inFlight.release()));
        }
        List<Conn> conns = new ArrayList<>();
        for (CompletableFuture<Conn> f : all) {
            conns.add(f.get(60, TimeUnit.SECONDS));
        }
        return conns;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> echo(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "broadcast" -> broadcast(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "hold" -> hold(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------ echo

    /** 0: warming up, 1: measuring, 2: stopping. */
    static volatile int phase;

    static final class Echoer implements Consumer<String> {
        Conn conn;
        final String payload;
        long sentAt;
        long seq;
        long count;
        long[] latencies = new long[1 << 16];
        int n;
        volatile String wrong;
        final CountDownLatch stopped = new CountDownLatch(1);

        Echoer(int index, int size) {
            StringBuilder b = new StringBuilder();
            while (b.length() < size) {
                b.append((char) ('a' + (index + b.length()) % 26));
            }
            payload = b.toString();
        }

        String next() {
            seq++;
            return seq + ":" + payload;
        }

        void first() {
            String m = next();
            sentAt = System.nanoTime();
            conn.send(m);
        }

        @Override
        public void accept(String m) {
            long now = System.nanoTime();
            if (!m.equals(seq + ":" + payload)) {
                wrong = "expected echo " + seq + " but got " + (m.length() > 40 ? m.substring(0, 40) + "..." : m);
            }
            int p = phase;
            if (p == 1) {
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = now - sentAt;
                count++;
            }
            if (p == 2) {
                stopped.countDown();
                return;
            }
            String next = next();
            sentAt = System.nanoTime();
            conn.send(next);
        }
    }

    static void echo(String url, int connections, int warmup, int measure, int size) throws Exception {
        List<Echoer> echoers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            echoers.add(new Echoer(i, size));
        }
        List<Conn> conns = openMany(url, connections, i -> echoers.get(i));
        for (int i = 0; i < connections; i++) {
            echoers.get(i).conn = conns.get(i);
        }
        echoers.forEach(Echoer::first);
        Thread.sleep(warmup * 1000L);
        long t0 = System.nanoTime();
        phase = 1;
        Thread.sleep(measure * 1000L);
        phase = 2;
        long t1 = System.nanoTime();
        for (Echoer e : echoers) {
            if (!e.stopped.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("a connection stopped answering");
            }
        }
        long total = 0;
        int all = 0;
        for (Echoer e : echoers) {
            if (e.wrong != null) {
                throw new AssertionError(e.wrong);
            }
            total += e.count;
            all += e.n;
        }
        long[] lat = new long[all];
        int k = 0;
        for (Echoer e : echoers) {
            System.arraycopy(e.latencies, 0, lat, k, e.n);
            k += e.n;
        }
        Arrays.sort(lat);
        double seconds = (t1 - t0) / 1e9;
        System.out.printf("RESULT echo connections=%d size=%d echoes_per_s=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f%n", connections, size,
                        total / seconds, pct(lat, 0.50), pct(lat, 0.99), pct(lat, 0.999));
        conns.forEach(Conn::close);
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1000.0;
    }

    // ------------------------------------------------------------------ broadcast

    static void broadcast(String url, int clients, int messages, int rounds) throws Exception {
        AtomicInteger[] expected = new AtomicInteger[clients];
        String[] wrong = new String[1];
        CountDownLatch[] done = {new CountDownLatch(clients)};
        for (int i = 0; i < clients; i++) {
            expected[i] = new AtomicInteger();
        }
        List<Conn> conns = openMany(url, clients, i -> m -> {
            int want = expected[i].getAndIncrement();
            if (!m.equals(Integer.toString(want % messages))) {
                wrong[0] = "client " + i + " expected " + (want % messages) + " but got " + m;
            }
            if ((want + 1) % messages == 0) {
                done[0].countDown();
            }
        });
        for (int r = 0; r < rounds; r++) {
            done[0] = new CountDownLatch(clients);
            long t0 = System.nanoTime();
            conns.get(0).send("go " + messages);
            if (!done[0].await(120, TimeUnit.SECONDS)) {
                throw new AssertionError("round " + r + ": " + done[0].getCount() + " of " + clients + " clients did not get all " + messages + " messages");
            }
            long t1 = System.nanoTime();
            if (wrong[0] != null) {
                throw new AssertionError(wrong[0]);
            }
            double ms = (t1 - t0) / 1e6;
            System.out.printf("RESULT broadcast round=%d clients=%d messages=%d complete_in_order=true ms=%.1f deliveries_per_s=%.0f%n", r, clients,
                            messages, ms, clients * (double) messages / (ms / 1000));
        }
        conns.forEach(Conn::close);
    }

    // ------------------------------------------------------------------ hold

    static void hold(String url, int connections, int holdSeconds) throws Exception {
        CountDownLatch answered = new CountDownLatch(connections);
        long t0 = System.nanoTime();
        List<Conn> conns = openMany(url, connections, i -> m -> answered.countDown());
        long t1 = System.nanoTime();
        for (Conn c : conns) {
            c.send("ping");
        }
        if (!answered.await(120, TimeUnit.SECONDS)) {
            throw new AssertionError(answered.getCount() + " of " + connections + " connections did not answer");
        }
        long t2 = System.nanoTime();
        System.out.printf("RESULT hold connections=%d all_open_and_answering=true connect_s=%.2f ping_all_s=%.2f%n", connections, (t1 - t0) / 1e9,
                        (t2 - t1) / 1e9);
        System.out.println("HOLDING");
        System.out.flush();
        Thread.sleep(holdSeconds * 1000L);
        int open = 0;
        for (Conn c : conns) {
            if (!c.closed.isDone()) {
                open++;
            }
        }
        System.out.printf("RESULT hold still_open_after_%ds=%d%n", holdSeconds, open);
        for (Conn c : conns) {
            c.ws.abort();
        }
    }
}
