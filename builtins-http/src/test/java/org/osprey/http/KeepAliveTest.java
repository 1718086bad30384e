package org.osprey.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * httpKeepAlive keeps a server answering until SIGTERM (or Ctrl-C), as osprey run delivers them, then stops
 * it and the program goes on; a handler spinning at the signal does not keep the program from ending.
 */
class KeepAliveTest {
    @AfterEach
    void noServerThreadsLeft() throws InterruptedException {
        Osprey.awaitNoThreads("osprey-http");
        Osprey.awaitNoThreads("HTTP-Dispatcher");
    }

    /**
     * Runs the program with this JVM's SIGTERM taken by a handler of the test's first (so that a signal that
     * comes before the program's wait is not the JVM's end), lets {@code talk} use it, then raises SIGTERM
     * until the program ends by itself. Returns what it printed.
     */
    private static String untilSigterm(String program, Talk talk) throws Exception {
        SignalHandler previous = Signal.handle(new Signal("TERM"), s -> {
        });
        try (Osprey.Background p = new Osprey.Background(program, Map.of("osprey.Signals", "true")); HttpClient java = HttpClient.newHttpClient()) {
            talk.with(p, java, p.port());
            for (int attempt = 0; attempt < 100 && p.running(); attempt++) {
                Signal.raise(new Signal("TERM"));
                Thread.sleep(100);
            }
            p.join();
            return p.out.text();
        } finally {
            Signal.handle(new Signal("TERM"), previous);
        }
    }

    private interface Talk {
        void with(Osprey.Background p, HttpClient java, int port) throws Exception;
    }

    @Test
    void sigtermEndsTheWaitAndTheServerIsStopped() throws Exception {
        String program = HttpServerTest.TEXT + """
                        let id = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: id, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => text(status: 200, headers: "", body: "up"))
                        print("PORT ${httpServerPort(serverID: id) ?: -1}")
                        httpKeepAlive()
                        print("keep-alive ended; stopping again: ${toString(httpStopServer(serverID: id))}")
                        """;
        int[] port = new int[1];
        String out = untilSigterm(program, (p, java, at) -> {
            port[0] = at;
            assertEquals("up", java.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at + "/")).build(), HttpResponse.BodyHandlers.ofString()).body());
        });
        assertEquals("PORT " + port[0] + "\nkeep-alive ended; stopping again: Error(httpStopServer: HTTP server 1 is already stopped)\n", out);
    }

    /**
     * A keep-alive with no HTTP server to keep answering says so on standard error and still waits: the program
     * dropped the Error of a server on a port in use (and of the httpListen that followed), or never called
     * httpListen. It waited silently for ever. A listening server, or none made at all, gets no note.
     */
    @Test
    void aWaitWithNoServerListeningSaysWhy() throws Exception {
        String listen = "httpListen(serverID: id, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => text(status: 200, headers: \"\", body: \"\"))\n";
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals("note: httpKeepAlive: no HTTP server is listening (httpCreateServer: cannot listen on 127.0.0.1:" + port
                            + ": address already in use); waiting all the same",
                            noteOf("let id = httpCreateServer(port: " + port + ", address: \"127.0.0.1\") ?: -1\n" + listen));
        }
        assertEquals("note: httpKeepAlive: no HTTP server is listening (server 2 was created but httpListen was not called); waiting all the same", noteOf("""
                        let a = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        let b = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpStopServer(serverID: a)
                        """));
        assertEquals("", noteOf(""));
        assertEquals("", noteOf("let id = httpCreateServer(port: 0, address: \"127.0.0.1\") ?: -1\n" + listen));
    }

    /** What the program (then "waiting" and httpKeepAlive()) printed on standard error once it waits; it is then closed. */
    private static String noteOf(String program) throws Exception {
        try (Osprey.Background p = new Osprey.Background(HttpServerTest.TEXT + program + "print(\"waiting\")\nhttpKeepAlive()\n", Map.of())) {
            p.out.await("waiting", Duration.ofSeconds(30));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Thread.getAllStackTraces().values().stream().noneMatch(KeepAliveTest::waitsInKeepAlive)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the program never waited in httpKeepAlive: " + p.out.text() + p.err.text());
                }
                Thread.sleep(5); // polled: no event says that a thread has begun to wait
            }
            return p.err.text().strip();
        }
    }

    private static boolean waitsInKeepAlive(StackTraceElement[] stack) {
        boolean waiting = false;
        for (StackTraceElement frame : stack) {
            waiting |= frame.getMethodName().equals("waitUntil");
            if (waiting && frame.getClassName().equals(HttpServers.class.getName()) && frame.getMethodName().equals("keepAlive")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void sigtermEndsTheWaitWhileAHandlerSpins() throws Exception {
        // A handler in an endless loop holds the execution lock the program needs back: the signal stops it.
        String program = HttpServerTest.TEXT + """
                        fn spin(n: int) -> int = spin(n + 1)
                        let id = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: id, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => {
                            print("spinning on ${p}")
                            text(status: 200 + spin(0), headers: "", body: "")
                        })
                        print("PORT ${httpServerPort(serverID: id) ?: -1}")
                        httpKeepAlive()
                        print("keep-alive ended")
                        """;
        int[] port = new int[1];
        String out = untilSigterm(program, (p, java, at) -> {
            port[0] = at;
            java.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at + "/spin")).timeout(Duration.ofSeconds(20)).build(),
                            HttpResponse.BodyHandlers.ofString());
            p.out.await("spinning on /spin", Duration.ofSeconds(20));
        });
        assertEquals("PORT " + port[0] + "\nspinning on /spin\nkeep-alive ended\n", out);
    }

    @Test
    void aRequestInFlightAtTheSignalIsAnswered503() throws Exception {
        // Its handler was stopped and the connection closed at once: the client got no answer, or, when the
        // stopped handler's answer went out first, "500 internal server error", as if the handler had failed.
        String program = HttpServerTest.TEXT + """
                        let id = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: id, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => {
                            print("answering ${p}")
                            sleep(60000)
                            text(status: 200, headers: "", body: "too late")
                        })
                        print("PORT ${httpServerPort(serverID: id) ?: -1}")
                        httpKeepAlive()
                        print("keep-alive ended")
                        """;
        RawHttp[] client = new RawHttp[1];
        try {
            String out = untilSigterm(program, (p, java, at) -> {
                client[0] = RawHttp.connect(at);
                client[0].send("POST /order HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
                p.out.await("answering /order", Duration.ofSeconds(20));
            });
            assertEquals(HttpServerTest.STOPPING, RawHttp.dated(client[0].readToEnd()));
            assertEquals("answering /order\nkeep-alive ended\n", out.substring(out.indexOf('\n') + 1));
        } finally {
            if (client[0] != null) {
                client[0].close();
            }
        }
    }
}
