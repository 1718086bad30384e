package org.osprey.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An Osprey server answering clients (raw sockets on 127.0.0.1) that read its answer slowly or not at all.
 * Every wait in these tests is bounded: a server that never lets go of a client fails the test, it does not
 * hang it.
 */
class SlowReaderTest {
    /** An answer larger than what the system's buffers hold between server and client (Linux: 4 MiB and less). */
    static final int BIG = 16 << 20;

    /** ServerAbuseTest's echoing server, with an answer of BIG bytes at /big. */
    static final String SERVER = ServerAbuseTest.SERVER.replace("fn route(", "let big = repeat(\"x\", " + BIG + ") ?: \"\"\n\nfn route(")
                    .replace("\"/name\" =>", "\"/big\" => text(status: 200, headers: \"\", contentType: \"text/plain\", body: big)\n    \"/name\" =>");

    static final String GET_BIG = "GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    @AfterEach
    void noServerThreadsLeft() throws InterruptedException {
        Osprey.awaitNoThreads("osprey-http");
        Osprey.awaitNoThreads("HTTP-Dispatcher");
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aClientThatReadsNothingOfItsAnswerIsCutOffAfterTheWriteTimeoutAndOthersAreAnsweredMeanwhile() throws Exception {
        // The JDK's server writes an answer with no time limit: a client that sent a request and never read the
        // answer kept the connection, the thread writing it and the answer's bytes for as long as the server ran.
        try (Osprey.Background p = new Osprey.Background(SERVER, Map.of("osprey.Plugin.http.WriteTimeout", "2000"));
                        RawHttp first = RawHttp.connect(p.port(), 16384);
                        RawHttp second = RawHttp.connect(p.port(), 16384)) {
            int port = p.port();
            long sent = System.nanoTime();
            first.send(GET_BIG);
            second.send(GET_BIG);
            first.awaitBytes();
            second.awaitBytes();
            ServerAbuseTest.assertServing(port);
            long served = millisSince(sent);
            assertTrue(served < 2000, "answered after " + served + " ms, when the stalled clients may have been cut off already");
            for (RawHttp stalled : new RawHttp[] {first, second}) {
                stalled.awaitClosedByServer(Duration.ofSeconds(10));
                long closed = millisSince(sent);
                assertTrue(closed >= 2000 && closed < 8000, "closed after " + closed + " ms");
            }
            // Closed, and dropped by the JDK's server too: it kept each in its tables, buffers and all.
            Osprey.awaitJdkServerConnections(0);
            ServerAbuseTest.assertServing(port);
            assertEquals("", p.err.text());
        }
    }

    @Test
    void aClientThatKeepsReadingALargeAnswerSlowlyGetsAllOfIt() throws Exception {
        // The WriteTimeout is for a client that takes nothing: one that keeps reading is answered to the end,
        // however much longer than the WriteTimeout the whole answer takes.
        try (Osprey.Background p = new Osprey.Background(SERVER, Map.of("osprey.Plugin.http.WriteTimeout", "1000"));
                        RawHttp slow = RawHttp.connect(p.port(), 65536)) {
            long start = System.nanoTime();
            slow.send(GET_BIG);
            assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: " + BIG + "\r\n\r\n", RawHttp.dated(slow.readHead()));
            InputStream in = slow.socket.getInputStream();
            byte[] b = new byte[65536];
            long got = 0;
            long paced = 0;
            for (int n; (n = in.read(b)) >= 0;) {
                got += n;
                if (got - paced >= 256 << 10) {
                    paced = got;
                    Thread.sleep(25); // about 10 MB a second at most: 16 MiB take well over the WriteTimeout
                }
            }
            long took = millisSince(start);
            assertEquals(BIG, got);
            assertTrue(took > 1000, "the whole answer came in " + took + " ms, within the WriteTimeout: the test proves nothing");
            ServerAbuseTest.assertServing(p.port());
            assertEquals("", p.err.text());
        }
    }
}
