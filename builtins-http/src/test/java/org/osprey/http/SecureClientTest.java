package org.osprey.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The client over https:// to a local TLS server (the JDK's HttpsServer) whose certificate, for 127.0.0.1, the
 * JDK's keytool makes for this test: refused while the JVM's default trust store does not know it, answered
 * once the default SSL context trusts it. The client's TLS context wraps the default one (HandshakeWatch) and
 * its executor runs the JDK client's tasks where they are handed over, so this is the path that checks both.
 */
class SecureClientTest {
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
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        ctx.init(withKeys ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void httpsAnswersComeThroughAndAnUntrustedCertificateIsRefused(@TempDir Path dir) throws Exception {
        Path ks = keystore(dir);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context(ks, true)));
        server.createContext("/", exchange -> {
            byte[] body = (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                            + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String program = HttpClientTest.SHOW + """
                        let client = httpCreateClient(baseUrl: "https://127.0.0.1:PORT", timeout: 10000) ?: -1
                        show(label: "get", r: httpGet(clientID: client, path: "/one", headers: ""))
                        show(label: "post", r: httpPost(clientID: client, path: "/two", body: "over TLS", headers: ""))
                        show(label: "again", r: httpGet(clientID: client, path: "/three?x=1", headers: ""))
                        """.replace("PORT", Integer.toString(server.getAddress().getPort()));
        SSLContext before = SSLContext.getDefault();
        try {
            assertEquals(new Osprey.Run("""
                            get: httpGet: GET https://127.0.0.1:PORT/one: TLS handshake failed: the server's certificate is not trusted
                            post: httpPost: POST https://127.0.0.1:PORT/two: TLS handshake failed: the server's certificate is not trusted
                            again: httpGet: GET https://127.0.0.1:PORT/three?x=1: TLS handshake failed: the server's certificate is not trusted
                            """, "", ""), HttpServerTest.sanitize(Osprey.run(program)));
            SSLContext.setDefault(context(ks, false));
            assertEquals(new Osprey.Run("""
                            get: 200 GET /one\s
                            post: 200 POST /two over TLS
                            again: 200 GET /three?x=1\s
                            """, "", ""), HttpServerTest.sanitize(Osprey.run(program)));
        } finally {
            SSLContext.setDefault(before);
            server.stop(0);
        }
    }
}
