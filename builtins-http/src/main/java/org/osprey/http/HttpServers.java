package org.osprey.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.Values;

/**
 * One program's HTTP servers, by ServerID. IDs are positive and never reused while the program runs. A server
 * is bound by httpCreateServer (so its port is known at once and a port in use is that call's Error) and
 * answers once httpListen gives it a handler. Each request is read and answered on a virtual thread of its
 * own, and the handler is called on one of the server's handler threads through
 * {@link BuiltinContext#callFromForeignThread} (one Osprey thread at a time, as for WebSocket handlers). When
 * the program's context closes every server is stopped and its threads end.
 */
final class HttpServers {
    /** Threads per server that call the handler (Osprey runs one handler at a time; the others wait their turn). */
    private static final int THREADS = 4;
    /**
     * How many handler threads a server makes when its handlers wait (a recv, a sleep, a request of their own):
     * a waiting handler holds its thread. With no more than four, four handlers waiting for a message kept the
     * one that would send it from running, and the server answered nothing more. The threads beyond
     * {@link #THREADS} end after {@link #IDLE_SECONDS} without work; a request finding every one busy waits.
     */
    private static final int MAX_THREADS = 64;
    private static final int IDLE_SECONDS = 30;
    /**
     * A handler's thread gets the stack the launcher gives WebSocket handlers and fibers (-Xss256m), whatever
     * -Xss says, so that recursion in a handler stops at osprey.MaxCallDepth with the place of the call, as in
     * main. With 16 MB a handler's recursion overflowed the Java stack long before that limit, and the error
     * named no place. The size is reserved, not used.
     */
    private static final long HANDLER_STACK = 256L << 20;

    final BuiltinContext ctx;
    final HttpSettings settings;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Server> servers = new ConcurrentHashMap<>();
    volatile boolean closed;

    /** A server as the program sees it. */
    static final class Server {
        final long id;
        /** The address as the program wrote it, with the bound port: 127.0.0.1:8080, [::1]:8080. */
        final String where;
        final HttpServer http;
        volatile Object handler;
        /** The threads that call the handler. */
        volatile ExecutorService pool;
        /**
         * The virtual threads that read requests and send answers, one per request. The JDK's server reads a
         * request's head and body on its executor with blocking reads: with the four handler threads doing
         * that, four clients that sent half a request and stopped kept every other client waiting for ever.
         */
        volatile ExecutorService io;
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        /**
         * The virtual threads reading a request (its head, then its body), with when they last got bytes
         * (System.nanoTime). The JDK's server waits for a request's bytes for ever: each client that sent half
         * a request and stopped kept a connection and a thread, until the process had no file descriptors left
         * and the server could accept no one. The watch closes those that wait longer than the ReadTimeout.
         */
        final Map<Thread, Long> reading = new ConcurrentHashMap<>();
        /**
         * The virtual threads sending an answer, with when the last part of it went out. A client that sent
         * a request and never read the answer kept the thread writing it, the connection and the answer's bytes
         * for as long as the server ran. The watch closes those that wait longer than the WriteTimeout.
         */
        final Map<Thread, Long> writing = new ConcurrentHashMap<>();
        volatile java.util.concurrent.ScheduledExecutorService watch;
        volatile boolean stopped;
        /**
         * httpStopServer was called by one of its own handlers: it stops once that handler's answer is sent (the
         * request's {@link Call#stops}), and answers the requests that come meanwhile 503.
         */
        volatile boolean stopping;
        /** The run (REPL entry) that made it listen. */
        volatile long run;
        /** A request has reached it (its head was read), answered or not. */
        volatile boolean asked;
        /** While it listens, its handler may be called; ended once its stop has ended its threads. */
        final org.osprey.spi.CallbackHold hold = new org.osprey.spi.CallbackHold();
        /** Requests whose handler is being called or whose answer is being sent (ServerExchange). */
        private int answering;

        synchronized void answerBegins() {
            answering++;
        }

        synchronized void answerEnds() {
            if (--answering == 0) {
                notifyAll();
            }
        }

        /** Waits until no answer is being made, or {@code millis} have passed. */
        synchronized void awaitAnswers(long millis) {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            try {
                for (long left; answering > 0 && (left = deadline - System.nanoTime()) > 0;) {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Server(long id, String where, HttpServer http) {
            this.id = id;
            this.where = where;
            this.http = http;
        }
    }

    /** A handler's call for one request, as httpStopServer sees it from the handler's thread. */
    static final class Call {
        /** The handler called httpStopServer for its own server: the server stops once this request is answered. */
        volatile boolean stops;
    }

    /** On a handler's thread, the call it is running. */
    private static final ThreadLocal<Call> CALL = new ThreadLocal<>();

    HttpServers(BuiltinContext ctx) {
        this.ctx = ctx;
        this.settings = HttpSettings.from(ctx);
        ctx.onClose(this::closeAll);
        ctx.onInterrupted(this::stopRun);
    }

    /** Why the embedder's context forbids a server (it needs sockets and threads), or null. */
    static String denied(BuiltinContext ctx) {
        if (!ctx.env().isSocketIOAllowed()) {
            return "this context does not allow network access";
        }
        if (!ctx.env().isCreateThreadAllowed()) {
            return "this context does not allow threads, which HTTP needs";
        }
        return null;
    }

    /**
     * Binds a server (httpCreateServer). A failure is kept for httpKeepAlive's note: a program that drops this
     * Error (httpCreateServer(...) ?: -1) and goes on to httpKeepAlive waited for ever with no server, silently.
     */
    Object create(long port, String address) {
        Object made = bind(port, address);
        createFailure = Values.isSuccess(made) ? null : Values.javaString(Values.payload(made));
        return made;
    }

    /** The Error's message of the last httpCreateServer, when it failed; else null. */
    private volatile String createFailure;

    /** An address with a port after it: a name or IPv4 address and ":8080", or an IPv6 one in brackets and ":8080". */
    private static final java.util.regex.Pattern WITH_PORT = java.util.regex.Pattern.compile("([^:\\[\\]]+|\\[[^\\]]*\\]):([0-9]+)");

    private Object bind(long port, String address) {
        if (port < 0 || port > 65535) {
            return Values.error("httpCreateServer: invalid port " + port + ": expected 0 to 65535 (0 picks a free port)");
        }
        if (address.isBlank()) {
            return Values.error("httpCreateServer: invalid address '" + NetWords.shown(address)
                            + "': expected an IP address or host name to listen on, like 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
        }
        // A URL, or an address with its port, was looked up as a host name and refused as "unknown host".
        if (address.contains("/")) {
            return Values.error("httpCreateServer: invalid address '" + NetWords.shown(address) + "': expected an IP address or host name, not a URL, like 127.0.0.1");
        }
        java.util.regex.Matcher withPort = WITH_PORT.matcher(address);
        if (withPort.matches()) {
            return Values.error("httpCreateServer: invalid address '" + NetWords.shown(address) + "': the port is an argument of its own: httpCreateServer(port: "
                            + withPort.group(2) + ", address: \"" + NetWords.shown(withPort.group(1)) + "\")");
        }
        String denied = denied(ctx);
        if (denied != null) {
            return Values.error("httpCreateServer: cannot listen on " + address + ": " + denied);
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return Values.error("httpCreateServer: invalid address '" + NetWords.shown(address) + "': unknown host (expected an IP address like 127.0.0.1 or a host name)");
        }
        // An IPv6 address is shown as in a URL, [::1]:8080, whether the program wrote the brackets or not.
        String host = address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
        if (org.osprey.spi.NetworkFailures.unreachableListenAddress(ip) instanceof String why) {
            return Values.error("httpCreateServer: cannot listen on " + host + ":" + port + ": that is " + why);
        }
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(ip, (int) port), 0);
        } catch (IOException e) {
            return Values.error("httpCreateServer: cannot listen on " + host + ":" + port + ": " + NetWords.describe(e));
        }
        long id = ids.incrementAndGet();
        servers.put(id, new Server(id, host + ":" + http.getAddress().getPort(), http));
        return Values.success(id);
    }

    private Object noServer(String function, long id) {
        return Values.error(function + ": no HTTP server with ID " + id);
    }

    /**
     * The server with this ID, or null; a stopped one's ID gives {@link #STOPPED}. A stopped server is not
     * kept: its JDK server, executors, dead threads and handler (with all the handler's closure holds) stayed
     * for as long as the program ran (with a WebSocket server's, some 90 KB a pair), and a program or REPL
     * session that started and stopped servers grew without bound. IDs are never reused, so an ID given out
     * and no longer here is one that was stopped.
     */
    private Server server(long id) {
        Server s = servers.get(id);
        return s != null || id <= 0 || id > ids.get() ? s : STOPPED;
    }

    /** Stands for every stopped server (its ID is not read). */
    private static final Server STOPPED = stopped();

    private static Server stopped() {
        Server s = new Server(0, "", null);
        s.stopped = true;
        return s;
    }

    Object port(long id) {
        Server s = server(id);
        if (s == null) {
            return noServer("httpServerPort", id);
        }
        if (s.stopped || s.stopping) {
            return Values.error("httpServerPort: HTTP server " + id + " is stopped");
        }
        return Values.success((long) s.http.getAddress().getPort());
    }

    Object listen(long id, Object handler) {
        Server s = server(id);
        if (s == null) {
            return noServer("httpListen", id);
        }
        if (s.stopped || s.stopping) {
            return Values.error("httpListen: HTTP server " + id + " was stopped; create a new server to listen again");
        }
        if (s.pool != null) {
            return Values.error("httpListen: HTTP server " + id + " is already listening on " + s.where);
        }
        AtomicInteger n = new AtomicInteger();
        s.pool = new java.util.concurrent.ThreadPoolExecutor(THREADS, MAX_THREADS, IDLE_SECONDS, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
            Thread t = new Thread(null, () -> {
                try {
                    r.run();
                } finally {
                    s.threads.remove(Thread.currentThread()); // an idle one ended, or the server stopped
                }
            }, "osprey-http-" + id + "-" + n.incrementAndGet(), HANDLER_STACK);
            t.setDaemon(true);
            s.threads.add(t);
            return t;
        }, (call, pool) -> {
            // Every thread is busy: the request waits, on its own virtual thread, until one takes its call. A
            // stop ends the wait (HttpServers.shutDown interrupts the request's thread).
            try {
                pool.getQueue().put(call);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.RejectedExecutionException("the server stopped", e);
            }
        });
        ExecutorService io = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("osprey-http-" + id + "-io-", 1).factory());
        s.io = io;
        s.handler = ctx.withHandlers(handler); // run under the effect handlers in force here (spec 0017)
        // The JDK's server runs a task when a connection has bytes to read: it reads the request's head and,
        // through ServerExchange, its body and answer. Reading is watched until the body is read.
        s.http.setExecutor(task -> io.execute(() -> {
            s.reading.put(Thread.currentThread(), System.nanoTime());
            try {
                task.run();
            } finally {
                s.reading.remove(Thread.currentThread());
            }
        }));
        long readTimeout = settings.readTimeout() * 1_000_000L;
        long writeTimeout = settings.writeTimeout() * 1_000_000L;
        s.watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "osprey-http-" + id + "-watch");
            t.setDaemon(true);
            return t;
        });
        s.watch.scheduleWithFixedDelay(() -> {
            closeStalled(s.reading, readTimeout);
            closeStalled(s.writing, writeTimeout);
        }, 0, Math.max(10, Math.min(1000, Math.min(settings.readTimeout(), settings.writeTimeout()) / 10)), TimeUnit.MILLISECONDS);
        s.http.createContext("/", exchange -> ServerExchange.serve(this, s, exchange));
        s.http.start();
        s.run = ctx.run();
        s.hold.begin(ctx);
        return Values.ok();
    }

    /**
     * Ends the reads or writes ({@code waiting}) that have waited longer than {@code timeout} ns: interrupting
     * a thread blocked on a socket channel closes the channel. An entry is taken out before its thread is
     * interrupted, so a thread that finds its own entry gone (ServerExchange) knows its connection is being
     * closed.
     */
    private static void closeStalled(Map<Thread, Long> waiting, long timeout) {
        long now = System.nanoTime();
        waiting.forEach((thread, since) -> {
            if (now - since > timeout && waiting.remove(thread, since)) {
                thread.interrupt();
            }
        });
    }

    Object stop(long id) {
        Server s = server(id);
        if (s == null) {
            return noServer("httpStopServer", id);
        }
        if (s.stopped || s.stopping) {
            return Values.error("httpStopServer: HTTP server " + id + " is already stopped");
        }
        if (s.threads.contains(Thread.currentThread())) {
            // From one of this server's handlers: stopping now would close the connection the handler is about
            // to answer (the client saw "connection refused" on its retry). The stop follows that answer, not
            // another request's: the 503 of one that came meanwhile started it, and a handler still at work a
            // second later was stopped unanswered.
            s.stopping = true;
            CALL.get().stops = true;
            return Values.ok();
        }
        // Handlers wait for the execution lock this thread holds; stopping must not wait for them with it.
        ctx.blocking(() -> {
            shutDown(s);
            return null;
        });
        ctx.interruptible();
        return Values.ok();
    }

    private void shutDown(Server s) {
        shutDown(s, 0);
    }

    /** How long a stop waits for the answers of the requests whose handlers it stopped (503) to be sent. */
    private static final long ANSWERS_MILLIS = 1000;

    /**
     * Stops the handlers still running on the server's threads (one in an endless loop would never give its
     * thread back), waits up to {@link #ANSWERS_MILLIS} for their requests' answers (503, ServerExchange) to be
     * sent, unbinds the port, waits up to {@code graceSeconds} for the answers the JDK's server is still
     * sending (its stop closes their connections after that) and ends the threads. With the connections closed
     * first, a request whose handler was running when the server stopped (httpStopServer, Ctrl-C or SIGTERM in
     * httpKeepAlive, the program's end) had its connection closed unanswered, or was answered 500, as if its
     * handler had failed, when the stopped handler's answer went out first.
     */
    private void shutDown(Server s, int graceSeconds) {
        synchronized (s) {
            if (s.stopped) {
                return;
            }
            s.stopped = true;
        }
        servers.remove(s.id, s);
        try {
            if (s.pool == null) {
                // Never listened: the JDK's server closes its selector, and with it the listening socket's
                // descriptor, only as its dispatcher thread ends, and that thread starts with start(). Without
                // it each server created and stopped unlistened kept three descriptors until the process ended.
                s.http.start();
            }
            ctx.stopCallbacksOn(s.threads);
            s.awaitAnswers(ANSWERS_MILLIS);
            s.http.stop(graceSeconds);
            for (ExecutorService threads : new ExecutorService[] {s.pool, s.io, s.watch}) {
                if (threads != null) {
                    threads.shutdownNow();
                    if (!s.threads.contains(Thread.currentThread())) {
                        try {
                            threads.awaitTermination(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }
        } finally {
            // No handler of this server is called any more (one still running counts until it returns:
            // BuiltinContext.callFromForeignThread), so a fiber's wait only it could end is a deadlock now.
            s.hold.end(ctx);
        }
    }

    /**
     * The stop a handler asked for (stop), once its answer is sent: on a thread of its own, since it ends the
     * handler's, and with a second's grace: closing the connection at once (stop(0)) sometimes lost that answer.
     */
    void stopAfterAnswer(Server s) {
        Thread t = new Thread(() -> shutDown(s, 1), "osprey-http-" + s.id + "-stop");
        t.setDaemon(true);
        t.start();
    }

    /**
     * What {@link #callHandler} returns for a request the server is stopping under: its handler was stopped
     * (httpStopServer, the signal that ends httpKeepAlive, the program's end), or not called.
     */
    static final Object STOPPING = new Object();

    /**
     * Calls the server's handler on one of its handler threads and waits for it (on the request's virtual
     * thread): its HttpResponse; null if it failed (reported on stderr); {@link #STOPPING} if the server is
     * stopping. {@code made} learns whether the handler stopped its own server.
     */
    Object callHandler(Server s, Call made, String method, String target, String headers, String body) {
        if (closed || s.stopped || s.stopping) {
            return STOPPING;
        }
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.Future<Object> call;
        try {
            call = s.pool.submit(() -> {
                if (s.stopped) {
                    return null; // it waited for a thread while the server stopped
                }
                CALL.set(made);
                try {
                    // The description is read only to report a failure (BuiltinContext.callFromForeignThread).
                    return ctx.callFromForeignThread(s.handler, () -> {
                        failed.set(true);
                        return "HTTP server " + s.id + ", " + method + " " + NetWords.shown(target);
                    }, Values.string(method), Values.string(target), Values.string(headers), Values.string(body));
                } finally {
                    CALL.remove();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return STOPPING; // stopped meanwhile
        }
        try {
            Object response = call.get();
            return response != null || failed.get() ? response : STOPPING;
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        } catch (java.util.concurrent.CancellationException e) {
            return STOPPING;
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return STOPPING;
        }
    }

    /**
     * httpKeepAlive(): waits for SIGINT or SIGTERM (or the context closing; BuiltinContext.waitForEnd), then
     * stops every server. websocketKeepAlive waits the same way, and one signal ends both.
     */
    void keepAlive() {
        String idle = nothingToKeepAlive();
        if (idle != null) {
            ctx.err().println("note: httpKeepAlive: " + idle + "; waiting all the same");
        }
        ctx.waitForEnd(() -> closed);
        ctx.blocking(() -> {
            stopEverything();
            return null;
        });
    }

    /**
     * Why a wait would keep no HTTP server answering, when no server is listening and the program made one that
     * is not (its httpListen was never called, or failed and the program dropped the Error), or the last
     * httpCreateServer failed. Null otherwise (also for a program that made no HTTP server, or stopped every
     * one, whose wait may be for a WebSocket server's sake).
     */
    private String nothingToKeepAlive() {
        Server idle = null;
        for (Server s : servers.values()) {
            if (s.stopped || s.stopping) {
                continue;
            }
            if (s.pool != null) {
                return null;
            }
            if (idle == null || s.id < idle.id) {
                idle = s;
            }
        }
        if (idle != null) {
            return "no HTTP server is listening (server " + idle.id + " was created but httpListen was not called)";
        }
        String failure = createFailure;
        return failure == null ? null : "no HTTP server is listening (" + failure + ")";
    }

    /** A REPL entry was interrupted: stop the servers it made listen. What earlier entries started goes on. */
    private void stopRun(long run) {
        ctx.blocking(() -> {
            for (Server s : servers.values()) {
                if (s.run == run && s.pool != null) {
                    shutDown(s);
                }
            }
            return null;
        });
    }

    private void stopEverything() {
        servers.values().forEach(this::shutDown);
    }

    /** The context is closing: program end, REPL reset, or an embedder closing it. */
    private void closeAll() {
        closed = true;
        if (ctx.takesSignals() && !ctx.interactive()) {
            // A program that listens and then simply ends (as spec 0014's example does) had its server stopped
            // the moment it started, with nothing said and exit code 0: a server no request ever reached is
            // worth a line. One that has answered requests (a client in the same program) ends without a word.
            servers.values().stream().filter(s -> s.pool != null && !s.stopped && !s.stopping && !s.asked).sorted(java.util.Comparator.comparingLong(s -> s.id))
                            .forEach(s -> ctx.err().println("note: HTTP server " + s.id
                                            + " stopped when the program ended, before any request came; a program that should keep serving ends with httpKeepAlive()"));
        }
        stopEverything();
    }
}
