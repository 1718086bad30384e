package org.osprey.http;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinProvider;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;

/**
 * The HTTP functions of spec 0014 over the JDK's own server ({@code com.sun.net.httpserver}) and client
 * ({@code java.net.http}), plus httpServerPort and httpKeepAlive (docs/http.md), and urlEncode and urlDecode (PercentEncoding). Every operation that can fail
 * returns {@code Result<_, string>} with a message that starts with the function's name; nothing here throws
 * into the program. Registration only declares: the JDK's HTTP classes are loaded when a function runs.
 */
public final class HttpBuiltins implements BuiltinProvider {
    static final String CATEGORY = "http";

    @Override
    public void register(BuiltinRegistry r) {
        r.countsCallbacks(); // a listening server (HttpServers.Server.hold)
        HttpSettings.declare(r);
        // spec 0014's types. ServerID is also the WebSocket module's: the same alias, declared by both.
        r.declareTypes("""
                        type HttpMethod = GET | POST | PUT | DELETE | PATCH | HEAD | OPTIONS
                        type HttpRequest = { method: HttpMethod, path: string, headers: string, body: string, queryParams: string }
                        type HttpResponse = { status: int, headers: string, contentType: string, streamFd: int, isComplete: bool, partialBody: string }
                        type ServerID = int
                        type ClientID = int
                        """);
        r.function("httpCreateServer(port: int, address: string) -> Result<ServerID, string>", CATEGORY,
                        "Binds a server to the address and port (0 picks a free port); it answers once httpListen gives it a handler.",
                        (c, a) -> servers(c).create((long) a[0], s(a[1])));
        r.function("httpServerPort(serverID: ServerID) -> Result<int, string>", CATEGORY,
                        "The port the server is bound to (useful after creating it with port 0).", (c, a) -> servers(c).port((long) a[0]));
        r.function("httpListen(serverID: ServerID, handler: (string, string, string, string) -> HttpResponse) -> Result<unit, string>", CATEGORY,
                        "Starts answering requests: the handler gets method, path, headers and body and returns the HttpResponse.",
                        (c, a) -> servers(c).listen((long) a[0], a[1]));
        r.function("httpStopServer(serverID: ServerID) -> Result<unit, string>", CATEGORY,
                        "Stops the server: unbinds its port and ends its threads.", (c, a) -> servers(c).stop((long) a[0]));
        r.function("httpKeepAlive() -> unit", CATEGORY,
                        "Waits until the program is interrupted (Ctrl-C, SIGTERM), then stops every HTTP server; handlers run meanwhile.",
                        (c, a) -> {
                            servers(c).keepAlive();
                            return Values.unit();
                        });
        r.function("httpCreateClient(baseUrl: string, timeout: int) -> Result<ClientID, string>", CATEGORY,
                        "A client for an http:// or https:// base URL; timeout (ms) bounds each request, connecting included.",
                        (c, a) -> clients(c).create(s(a[0]), (long) a[1]));
        r.function("httpGet(clientID: ClientID, path: string, headers: string) -> Result<HttpResponse, string>", CATEGORY,
                        "Sends GET for the path (after the base URL); headers are \"Name: value\" lines.",
                        (c, a) -> clients(c).request("httpGet", (long) a[0], "GET", s(a[1]), s(a[2]), ""));
        r.function("httpPost(clientID: ClientID, path: string, body: string, headers: string) -> Result<HttpResponse, string>", CATEGORY,
                        "Sends POST with the body.", (c, a) -> clients(c).request("httpPost", (long) a[0], "POST", s(a[1]), s(a[3]), s(a[2])));
        r.function("httpPut(clientID: ClientID, path: string, body: string, headers: string) -> Result<HttpResponse, string>", CATEGORY,
                        "Sends PUT with the body.", (c, a) -> clients(c).request("httpPut", (long) a[0], "PUT", s(a[1]), s(a[3]), s(a[2])));
        r.function("httpDelete(clientID: ClientID, path: string, headers: string) -> Result<HttpResponse, string>", CATEGORY,
                        "Sends DELETE for the path.", (c, a) -> clients(c).request("httpDelete", (long) a[0], "DELETE", s(a[1]), s(a[2]), ""));
        r.function("httpRequest(clientID: ClientID, method: HttpMethod, path: string, headers: string, body: string) -> Result<HttpResponse, string>",
                        CATEGORY, "Sends a request with any method of HttpMethod.",
                        (c, a) -> clients(c).request("httpRequest", (long) a[0], Values.variantName(a[1]), s(a[2]), s(a[3]), s(a[4])));
        r.function("httpCloseClient(clientID: ClientID) -> Result<unit, string>", CATEGORY,
                        "Closes the client and its connections.", (c, a) -> clients(c).close((long) a[0]));
        PercentEncoding.declare(r);
    }

    static HttpServers servers(BuiltinContext c) {
        return c.state(HttpServers.class, () -> new HttpServers(c));
    }

    static HttpClients clients(BuiltinContext c) {
        return c.state(HttpClients.class, () -> new HttpClients(c));
    }

    private static String s(Object v) {
        return Values.javaString(v);
    }
}
