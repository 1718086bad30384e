package org.osprey.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** TLS for wss:// client connections: the JVM's default trust, and the host name checked against the certificate. */
final class Tls {
    private Tls() {
    }

    /** A connected socket whose TLS handshake has completed; a failure is the exception that says why. */
    static Socket connect(URI uri, int timeoutMillis) throws IOException {
        String host = uri.getHost();
        int port = uri.getPort() == -1 ? 443 : uri.getPort();
        SSLContext context;
        try {
            context = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new SSLException("no TLS implementation is available", e);
        }
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(timeoutMillis);
            try {
                tls.startHandshake();
            } catch (java.net.SocketTimeoutException e) {
                // In the words ws:// uses for a server that does not answer its handshake.
                throw new java.net.SocketTimeoutException("no answer to the TLS handshake within " + timeoutMillis / 1000 + " s");
            }
            tls.setSoTimeout(0);
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }
}
