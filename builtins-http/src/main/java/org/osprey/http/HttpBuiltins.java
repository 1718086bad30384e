package org.osprey.http;

import org.osprey.spi.BuiltinProvider;
import org.osprey.spi.BuiltinRegistry;

/**
 * The HTTP functions of spec 0014 over the JDK's own server ({@code com.sun.net.httpserver}) and client
 * ({@code java.net.http}), plus httpServerPort and httpKeepAlive (docs/http.md). Every operation that can fail
 * returns {@code Result<_, string>} with a message that starts with the function's name; nothing here throws
 * into the program. Registration only declares: the JDK's HTTP classes are loaded when a function runs.
 */
public final class HttpBuiltins implements BuiltinProvider {
    static final String CATEGORY = "http";

    @Override
    public void register(BuiltinRegistry r) {
        HttpSettings.declare(r);
        // spec 0014's types. ServerID is also the WebSocket module's: the same alias, declared by both.
        r.declareTypes("""
                        type HttpMethod = GET | POST | PUT | DELETE | PATCH | HEAD | OPTIONS
                        type HttpRequest = { method: HttpMethod, path: string, headers: string, body: string, queryParams: string }
                        type HttpResponse = { status: int, headers: string, contentType: string, streamFd: int, isComplete: bool, partialBody: string }
                        type ServerID = int
                        type ClientID = int
                        """);
        // The functions come with the server and the client.
    }

}
