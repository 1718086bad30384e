package org.osprey.http;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.function.Consumer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS of an https:// client: the JDK's default context, whose engines are shown to the request that
 * makes one, so that a request whose time ran out can tell a handshake the server never answered. A
 * plain HTTP server that waits for a request line, as the JDK's server (and so Osprey's own) does, reads a
 * TLS hello as the start of one and says nothing: the request ran into its timeout and said only "no complete
 * answer within 5000 ms".
 */
final class HandshakeWatch {
    private HandshakeWatch() {
    }

    /** On the thread starting a request, what is told of each engine made for it (a new connection's). */
    private static final ThreadLocal<Consumer<SSLEngine>> MADE = new ThreadLocal<>();

    /** The default TLS context, its engines shown to {@link #watching}'s caller. */
    static SSLContext context() throws java.security.NoSuchAlgorithmException {
        SSLContext real = SSLContext.getDefault();
        return new SSLContext(new Spi(real), real.getProvider(), real.getProtocol()) {
        };
    }

    /**
     * Runs {@code start} (a sendAsync that begins the request on this thread: the client's executor runs
     * tasks where they are handed over) and returns a question: whether the engine of the connection it made
     * has sent its hello and still waits for the server's first answer. False when no new connection was
     * made (a pooled one, which finished its handshake long ago).
     */
    static java.util.function.BooleanSupplier watching(Runnable start) {
        SSLEngine[] made = new SSLEngine[1];
        MADE.set(e -> made[0] = e);
        try {
            start.run();
        } finally {
            MADE.remove();
        }
        return () -> made[0] != null && made[0].getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP;
    }

    private static SSLEngine shown(SSLEngine e) {
        Consumer<SSLEngine> watcher = MADE.get();
        if (watcher != null) {
            watcher.accept(e);
        }
        return e;
    }

    /** Everything as the default context does it; an engine is also shown to the request making it. */
    private static final class Spi extends SSLContextSpi {
        private final SSLContext real;

        Spi(SSLContext real) {
            this.real = real;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            real.init(km, tm, sr);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return shown(real.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return shown(real.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return real.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return real.getSupportedSSLParameters();
        }
    }
}
