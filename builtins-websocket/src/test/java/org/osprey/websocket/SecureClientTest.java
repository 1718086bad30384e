package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * websocketConnect with wss:// against a local TLS echo server whose certificate (for localhost and
 * 127.0.0.1) is made by the JDK's keytool for this test. The client trusts it through the JVM's default
 * SSL context; a server it does not trust is refused with a message saying so.
 */
class SecureClientTest {
    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    static Path keystore(Path dir) throws Exception {
        Path ks = dir.resolve("test.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "test",
                        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                                        .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool failed: " + out);
        return ks;
    }

    static SSLContext context(Path ks, boolean withKeys) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (withKeys) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, "changeit".toCharArray());
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        } else {
            ctx.init(null, tmf.getTrustManagers(), null);
        }
        return ctx;
    }

    static final class TlsEcho extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);

        TlsEcho(SSLContext ctx) {
            super(new InetSocketAddress("127.0.0.1", 0));
            setWebSocketFactory(new DefaultSSLWebSocketServerFactory(ctx));
            setReuseAddr(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            conn.send("secure " + message);
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }

    @Test
    void aServerThatNeverAnswersTheTlsHandshakeIsNamedAsForWs() throws Exception {
        // It said "timed out", where ws:// says "no answer to the WebSocket handshake within 1 s".
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            String program = """
                            fn h(m: string) -> Result<Success, string> = Success()
                            print(toString(websocketConnect(url: "wss://127.0.0.1:PORT/x", messageHandler: h)))
                            """.replace("PORT", Integer.toString(silent.getLocalPort()));
            try (RunningProgram p = new RunningProgram("silent.osp", program, java.util.Map.of("osprey.Plugin.websocket.ConnectTimeout", "1"))) {
                p.join();
                assertEquals(List.of("Error(cannot connect to wss://127.0.0.1:" + silent.getLocalPort()
                                + "/x: no answer to the TLS handshake within 1 s)"), p.out().lines());
            }
        }
    }

    @Test
    void aWssUrlToAWsServerIsNamedAtOnce() throws Exception {
        // The server waited its handshake timeout for the end of a request that never came, and the client then
        // said what the JDK says ("Remote host terminated the handshake"), or that the TLS handshake timed out.
        String program = """
                        let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/x") ?: -1
                        websocketServerListen(serverID: s)
                        let port = websocketServerPort(serverID: s) ?: 0
                        fn h(m: string) -> Result<Success, string> = Success()
                        print(toString(websocketConnect(url: "wss://127.0.0.1:${port}/x", messageHandler: h)))
                        print("PORT ${port}")
                        """;
        try (RunningProgram p = new RunningProgram("mixed.osp", program,
                        java.util.Map.of("osprey.Plugin.websocket.HandshakeTimeout", "30", "osprey.Plugin.websocket.ConnectTimeout", "20"))) {
            long t0 = System.nanoTime();
            p.join();
            List<String> out = p.out().lines();
            String port = out.get(1).substring(5);
            assertEquals("Error(cannot connect to wss://127.0.0.1:" + port
                            + "/x: TLS handshake failed: the server does not speak TLS (a ws:// server?) or closed the connection)", out.get(0));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "the server answers a TLS hello at once");
        }
    }

    @Test
    void wssConnectionsWorkAndAnUntrustedCertificateIsRefused(@TempDir Path dir) throws Exception {
        Path ks = keystore(dir);
        TlsEcho server = new TlsEcho(context(ks, true));
        server.start();
        assertTrue(server.started.await(10, TimeUnit.SECONDS));
        SSLContext before = SSLContext.getDefault();
        String program = """
                        mut replies = 0
                        fn show(m: string) -> Result<Success, string> = {
                            print("got: ${m}")
                            replies = replies + 1
                            Success()
                        }
                        fn awaitReply(tries: int) -> Unit = match replies == 0 && tries > 0 {
                            true => {
                                sleep(10)
                                awaitReply(tries - 1)
                            }
                            false => ()
                        }
                        match websocketConnect(url: "wss://localhost:PORT/", messageHandler: show) {
                            Success id => {
                                websocketSend(wsID: id, message: "hello over TLS")
                                awaitReply(1000)
                                websocketClose(wsID: id)
                                ()
                            }
                            Err message => print("failed: ${message}")
                        }
                        """.replace("PORT", Integer.toString(server.getPort()));
        try {
            // Untrusted: the JVM's default trust store does not know the test certificate.
            try (RunningProgram p = RunningProgram.start("untrusted.osp", program)) {
                p.join();
                assertEquals(List.of("failed: cannot connect to wss://localhost:" + server.getPort()
                                + "/: TLS handshake failed: the server's certificate is not trusted"), p.out().lines());
            }
            SSLContext.setDefault(context(ks, false));
            try (RunningProgram p = RunningProgram.start("trusted.osp", program)) {
                p.join();
                assertEquals(List.of("got: secure hello over TLS"), p.out().lines());
            }
        } finally {
            SSLContext.setDefault(before);
            server.stop(1000);
        }
    }
}
