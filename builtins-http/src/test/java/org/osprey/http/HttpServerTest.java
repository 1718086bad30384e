package org.osprey.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Osprey HTTP servers over real sockets on 127.0.0.1 with ports the system picks, asked by Osprey's own client
 * in the same run or by the JDK's client. Each test checks afterwards that no server thread is left behind.
 */
class HttpServerTest {
    /** A handler's helpers, shared by the programs below. */
    static final String TEXT = """
                    fn text(status: int, headers: string, body: string) -> HttpResponse =
                        HttpResponse { status: status, headers: headers, contentType: "text/plain", streamFd: -1, isComplete: true, partialBody: body }

                    fn fetch(client: int, path: string) -> unit = match httpGet(clientID: client, path: path, headers: "") {
                        Success { value: r } => print("${path}: ${r.status} ${r.partialBody}")
                        Error { message } => print("${path}: ${message}")
                    }

                    """;

    @AfterEach
    void noServerThreadsLeft() throws InterruptedException {
        Osprey.awaitNoThreads("osprey-http");
        Osprey.awaitNoThreads("HTTP-Dispatcher");
    }

    @Test
    void aServerAnswersAClientOfTheSameRunRoutingByMethodAndPath() {
        String program = """
                        fn reply(status: int, body: string) -> HttpResponse = HttpResponse {
                            status: status, headers: "Cache-Control: no-store", contentType: "application/json",
                            streamFd: -1, isComplete: true, partialBody: body
                        }

                        fn route(method: string, path: string, headers: string, body: string) -> HttpResponse = match method {
                            "GET" => match path {
                                "/health" => reply(status: 200, body: "{\\"ok\\":true}")
                                "/books" => reply(status: 200, body: "[\\"Dune\\",\\"Emma\\"]")
                                _ => reply(status: 404, body: "{\\"missing\\":\\"${path}\\"}")
                            }
                            "POST" => match path {
                                "/books" => reply(status: 201, body: "{\\"added\\":\\"${body}\\"}")
                                _ => reply(status: 404, body: "{\\"missing\\":\\"${path}\\"}")
                            }
                            _ => reply(status: 405, body: "{\\"refused\\":\\"${method}\\"}")
                        }

                        fn show(label: string, answer: Result<HttpResponse, string>) -> unit = match answer {
                            Success { value: r } => print("${label}: ${r.status} ${r.contentType} ${r.partialBody}")
                            Error { message } => print("${label}: ${message}")
                        }

                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        print("listen: ${toString(httpListen(serverID: server, handler: route))}")
                        let client = httpCreateClient(baseUrl: "http://127.0.0.1:${httpServerPort(serverID: server) ?: -1}", timeout: 5000) ?: -1
                        show(label: "health", answer: httpGet(clientID: client, path: "/health", headers: ""))
                        show(label: "list", answer: httpGet(clientID: client, path: "/books", headers: "Accept: application/json"))
                        show(label: "add", answer: httpPost(clientID: client, path: "/books", body: "Ulysses", headers: ""))
                        show(label: "wrong path", answer: httpPost(clientID: client, path: "/authors", body: "x", headers: ""))
                        show(label: "put", answer: httpPut(clientID: client, path: "/books", body: "x", headers: ""))
                        show(label: "delete", answer: httpDelete(clientID: client, path: "/books", headers: ""))
                        show(label: "options", answer: httpRequest(clientID: client, method: OPTIONS, path: "/books", headers: "", body: ""))
                        show(label: "unknown", answer: httpGet(clientID: client, path: "/nowhere", headers: ""))
                        print("close: ${toString(httpCloseClient(clientID: client))}")
                        print("stop: ${toString(httpStopServer(serverID: server))}")
                        """;
        assertEquals(new Osprey.Run("""
                        listen: Success(())
                        health: 200 application/json {"ok":true}
                        list: 200 application/json ["Dune","Emma"]
                        add: 201 application/json {"added":"Ulysses"}
                        wrong path: 404 application/json {"missing":"/authors"}
                        put: 405 application/json {"refused":"PUT"}
                        delete: 405 application/json {"refused":"DELETE"}
                        options: 405 application/json {"refused":"OPTIONS"}
                        unknown: 404 application/json {"missing":"/nowhere"}
                        close: Success(())
                        stop: Success(())
                        """, "", ""), Osprey.run(program));
    }

    @Test
    void theHandlerSeesMethodPathWithQueryHeadersAndBody() {
        String program = TEXT + """
                        fn echo(method: string, path: string, headers: string, body: string) -> HttpResponse =
                            text(status: 200, headers: "X-Seen: yes", body: "${method} ${path} [${body}]\\n${headers}")

                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: echo)
                        let client = httpCreateClient(baseUrl: "http://127.0.0.1:${httpServerPort(serverID: server) ?: -1}/", timeout: 5000) ?: -1
                        match httpPost(clientID: client, path: "/search?q=osprey&page=2", body: "héllo ✓", headers: "X-One: 1\\nX-Two: a, b") {
                            Success { value: r } => print("${r.status} ${r.contentType}\\n${r.partialBody}\\n--\\n${r.headers}")
                            Error { message } => print(message)
                        }
                        """;
        Osprey.Run run = Osprey.run(program);
        // The JDK's server gives names with a capital first letter; its client gives the answer's in lower case.
        String port = run.out().replaceAll("(?s).*Host: 127\\.0\\.0\\.1:(\\d+).*", "$1");
        assertEquals("""
                        200 text/plain
                        POST /search?q=osprey&page=2 [héllo ✓]
                        Content-length: 10
                        Host: 127.0.0.1:PORT
                        User-agent: Java-http-client/VERSION
                        X-one: 1
                        X-two: a, b
                        --
                        content-length: LENGTH
                        content-type: text/plain
                        date: DATE
                        x-seen: yes
                        """.replace("PORT", port).replace("VERSION", System.getProperty("java.version"))
                        .replace("LENGTH", Integer.toString(128 + port.length() + System.getProperty("java.version").length())), run.out().replaceAll("date: .*", "date: DATE"));
        assertEquals("", run.err());
    }

    @Test
    void aRequestWithNoBodyOfAMethodThatExpectsNoneCarriesNoContentLength() {
        // RFC 9110 section 8.6: such a request should not carry Content-Length; GET, DELETE and HEAD sent "0".
        String program = TEXT + """
                        fn lengths(method: string, path: string, headers: string, body: string) -> HttpResponse =
                            text(status: 200, headers: "X-Lengths: ${join(lines(headers) |> filter(fn(l: string) => startsWith(l, "Content-length")) |> toList, ";")}", body: "")

                        fn seen(label: string, answer: Result<HttpResponse, string>) -> unit = match answer {
                            Success { value: r } => print("${label}: [${lines(r.headers) |> filter(fn(l: string) => startsWith(l, "x-lengths")) |> toList |> join(",")}]")
                            Error { message } => print("${label}: ${message}")
                        }

                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: lengths)
                        let client = httpCreateClient(baseUrl: "http://127.0.0.1:${httpServerPort(serverID: server) ?: -1}", timeout: 5000) ?: -1
                        seen(label: "get", answer: httpGet(clientID: client, path: "/", headers: ""))
                        seen(label: "delete", answer: httpDelete(clientID: client, path: "/", headers: ""))
                        seen(label: "head", answer: httpRequest(clientID: client, method: HEAD, path: "/", headers: "", body: ""))
                        seen(label: "get with a body", answer: httpRequest(clientID: client, method: GET, path: "/", headers: "", body: "abc"))
                        seen(label: "empty post", answer: httpPost(clientID: client, path: "/", body: "", headers: ""))
                        """;
        assertEquals(new Osprey.Run("""
                        get: [x-lengths:\s]
                        delete: [x-lengths:\s]
                        head: [x-lengths:\s]
                        get with a body: [x-lengths: Content-length: 3]
                        empty post: [x-lengths: Content-length: 0]
                        """, "", ""), Osprey.run(program));
    }

    @Test
    void aHandlerThatFailsIsAnswered500WithOneLineOnStderrAndTheServerGoesOn() {
        String program = TEXT + """
                        fn share(total: int, people: int) -> int = total % people

                        fn down(n: int) -> int = down(n + 1) + 1

                        fn serve(method: string, path: string, headers: string, body: string) -> HttpResponse = match path {
                            "/divide" => text(status: 200, headers: "", body: "${share(total: 10, people: 0)}")
                            "/deep" => text(status: down(0), headers: "", body: "")
                            "/status" => text(status: 42, headers: "", body: "")
                            "/headers" => text(status: 200, headers: "no colon", body: "")
                            "/stream" => HttpResponse { status: 200, headers: "", contentType: "", streamFd: 3, isComplete: false, partialBody: "" }
                            _ => text(status: 200, headers: "", body: "fine")
                        }

                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: serve)
                        let client = httpCreateClient(baseUrl: "http://127.0.0.1:${httpServerPort(serverID: server) ?: -1}", timeout: 5000) ?: -1
                        ["/divide", "/ok", "/deep", "/status", "/headers", "/stream", "/ok"] |> forEach(fn(p: string) => fetch(client: client, path: p))
                        """;
        assertEquals(new Osprey.Run("""
                        /divide: 500 internal server error
                        /ok: 200 fine
                        /deep: 500 internal server error
                        /status: 500 internal server error
                        /headers: 500 internal server error
                        /stream: 500 internal server error
                        /ok: 200 fine
                        """, """
                        test.osp:9:44: error in function 'share': HTTP server 1, GET /divide: division by zero
                        test.osp:11:26: error: HTTP server 1, GET /deep: stack overflow in function 'down': more than 1000 calls are nested (raise the limit with the context option osprey.MaxCallDepth)
                        error: HTTP server 1, GET /status: the handler returned status 42 (expected 200 to 599); answered 500
                        error: HTTP server 1, GET /headers: the handler's headers are not valid: the header line 'no colon' is not "Name: value"; answered 500
                        error: HTTP server 1, GET /stream: the handler returned streamFd 3: streaming a body from a file descriptor is not supported (use -1 and partialBody); answered 500
                        """, ""), Osprey.run(program, Map.of("osprey.MaxCallDepth", "1000")));
    }

    @Test
    void badArgumentsAndIdsAreErrorValues() {
        String program = TEXT + """
                        fn show(label: string, r: Result<int, string>) -> unit = match r {
                            Success { value } => print("${label}: ok ${value > 0}")
                            Error { message } => print("${label}: ${message}")
                        }

                        fn done(label: string, r: Result<unit, string>) -> unit = match r {
                            Success _ => print("${label}: ok")
                            Error { message } => print("${label}: ${message}")
                        }

                        show(label: "port", r: httpCreateServer(port: 70000, address: "127.0.0.1"))
                        show(label: "negative port", r: httpCreateServer(port: -1, address: "127.0.0.1"))
                        show(label: "empty address", r: httpCreateServer(port: 0, address: ""))
                        show(label: "unknown host", r: httpCreateServer(port: 0, address: "no-such-host.invalid"))
                        show(label: "not ours", r: httpCreateServer(port: 0, address: "192.0.2.1"))
                        show(label: "multicast", r: httpCreateServer(port: 0, address: "224.0.0.1"))
                        show(label: "broadcast", r: httpCreateServer(port: 0, address: "255.255.255.255"))
                        show(label: "with port", r: httpCreateServer(port: 0, address: "127.0.0.1:8080"))
                        show(label: "v6 with port", r: httpCreateServer(port: 0, address: "[::1]:8080"))
                        show(label: "url", r: httpCreateServer(port: 8080, address: "http://127.0.0.1"))
                        show(label: "port of nothing", r: httpServerPort(serverID: 42))
                        done(label: "listen nothing", r: httpListen(serverID: 42, handler: fn(m: string, p: string, h: string, b: string) => text(status: 200, headers: "", body: "")))
                        done(label: "stop nothing", r: httpStopServer(serverID: 42))
                        let s = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        let ok = fn(m: string, p: string, h: string, b: string) => text(status: 200, headers: "", body: "")
                        show(label: "port", r: httpServerPort(serverID: s))
                        done(label: "listen", r: httpListen(serverID: s, handler: ok))
                        done(label: "stop", r: httpStopServer(serverID: s))
                        done(label: "stop twice", r: httpStopServer(serverID: s))
                        done(label: "listen stopped", r: httpListen(serverID: s, handler: ok))
                        show(label: "port stopped", r: httpServerPort(serverID: s))
                        """;
        assertEquals(new Osprey.Run("""
                        port: httpCreateServer: invalid port 70000: expected 0 to 65535 (0 picks a free port)
                        negative port: httpCreateServer: invalid port -1: expected 0 to 65535 (0 picks a free port)
                        empty address: httpCreateServer: invalid address '': expected an IP address or host name to listen on, like 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)
                        unknown host: httpCreateServer: invalid address 'no-such-host.invalid': unknown host (expected an IP address like 127.0.0.1 or a host name)
                        not ours: httpCreateServer: cannot listen on 192.0.2.1:0: that address does not belong to this machine
                        multicast: httpCreateServer: cannot listen on 224.0.0.1:0: that is a multicast address, which no TCP connection can reach (listen on 127.0.0.1, 0.0.0.0 or an address of this machine)
                        broadcast: httpCreateServer: cannot listen on 255.255.255.255:0: that is the broadcast address, which no TCP connection can reach (listen on 127.0.0.1, 0.0.0.0 or an address of this machine)
                        with port: httpCreateServer: invalid address '127.0.0.1:8080': the port is an argument of its own: httpCreateServer(port: 8080, address: "127.0.0.1")
                        v6 with port: httpCreateServer: invalid address '[::1]:8080': the port is an argument of its own: httpCreateServer(port: 8080, address: "[::1]")
                        url: httpCreateServer: invalid address 'http://127.0.0.1': expected an IP address or host name, not a URL, like 127.0.0.1
                        port of nothing: httpServerPort: no HTTP server with ID 42
                        listen nothing: httpListen: no HTTP server with ID 42
                        stop nothing: httpStopServer: no HTTP server with ID 42
                        port: ok true
                        listen: ok
                        stop: ok
                        stop twice: httpStopServer: HTTP server 1 is already stopped
                        listen stopped: httpListen: HTTP server 1 was stopped; create a new server to listen again
                        port stopped: httpServerPort: HTTP server 1 is stopped
                        """, "", ""), Osprey.run(program));
    }

    @Test
    void anIpv6AddressIsShownInBracketsOnceWhetherOrNotTheProgramWroteThem() {
        // Written as in a URL, [2001:db8::1], the address was shown as [[2001:db8::1]]:0. 2001:db8::1 is a
        // documentation address (RFC 3849), on no machine: listening on it fails with or without IPv6.
        Osprey.Run run = Osprey.run("""
                        print(httpCreateServer(port: 0, address: "2001:db8::1"))
                        print(httpCreateServer(port: 0, address: "[2001:db8::1]"))
                        """);
        String[] lines = run.out().split("\n");
        assertEquals(2, lines.length, run.toString());
        for (String line : lines) {
            assertTrue(line.startsWith("Error(httpCreateServer: cannot listen on [2001:db8::1]:0: "), line);
        }
    }

    @Test
    void aStoppedServerIsNotKept() throws Exception {
        // Every stopped server stayed whole for as long as the program ran (the JDK's server, its executors and
        // dead threads, the handler and what it closes over): a program starting and stopping servers grew
        // without bound.
        String program = TEXT + """
                        fn cycle(n: int, last: int) -> int = match n {
                            0 => last
                            _ => {
                                let s = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                                let greeting = "server ${n}"
                                httpListen(serverID: s, handler: fn(m: string, p: string, h: string, b: string) => text(status: 200, headers: "", body: greeting))
                                httpStopServer(serverID: s)
                                cycle(n: n - 1, last: s)
                            }
                        }
                        let last = cycle(n: 200, last: 0)
                        print("stop: ${toString(httpStopServer(serverID: last))}")
                        print("port: ${toString(httpServerPort(serverID: last))}")
                        print("next: ${toString(httpServerPort(serverID: last + 1))}")
                        httpKeepAlive()
                        """;
        try (Osprey.Background p = new Osprey.Background(program, Map.of())) {
            p.out.await("next: ", Duration.ofSeconds(60));
            long held = Osprey.heldObjects("sun.net.httpserver.ServerImpl");
            assertTrue(held < 20, held + " stopped servers are still held");
            assertEquals("""
                            stop: Error(httpStopServer: HTTP server 200 is already stopped)
                            port: Error(httpServerPort: HTTP server 200 is stopped)
                            next: Error(httpServerPort: no HTTP server with ID 201)
                            """, p.out.text());
        }
    }

    /** How many of this JVM's file descriptors are of a kind ("eventpoll", "socket"), as /proc/self/fd shows them. */
    static long descriptors(String kind) throws java.io.IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().contains(kind);
                } catch (java.io.IOException e) {
                    return false; // closed meanwhile (the listing's own descriptor among them)
                }
            }).count();
        }
    }

    @Test
    void aServerStoppedBeforeItListenedLeavesNoDescriptorsBehind() throws Exception {
        // The JDK's server closes its selector (and the listening socket registered with it) only as its
        // dispatcher thread ends, and that thread starts with httpListen: each server created and stopped without
        // listening kept three descriptors (an epoll, an eventfd and the socket's) for as long as the program ran.
        String program = """
                        fn cycle(n: int) -> int = match n {
                            0 => 0
                            _ => {
                                let s = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                                httpStopServer(serverID: s)
                                cycle(n - 1)
                            }
                        }
                        print("cycled ${cycle(50)}")
                        """;
        // The first socket closed makes the JDK's one descriptor for closing sockets; it stays for good.
        assertEquals(new Osprey.Run("cycled 0\n", "", ""), Osprey.run(program.replace("cycle(50)", "cycle(1)")));
        long polls = descriptors("eventpoll");
        long sockets = descriptors("socket");
        assertEquals(new Osprey.Run("cycled 0\n", "", ""), Osprey.run(program));
        // Not more than before (a client of an earlier test may close its own meanwhile).
        long pollsAfter = descriptors("eventpoll");
        long socketsAfter = descriptors("socket");
        assertTrue(pollsAfter <= polls && socketsAfter <= sockets,
                        "before: " + polls + " epolls, " + sockets + " sockets; after: " + pollsAfter + " epolls, " + socketsAfter + " sockets");
    }

    @Test
    void aStoppedServerRefusesAndItsPortCanBeUsedByANewServer() {
        String program = TEXT + """
                        let ok = fn(m: string, p: string, h: string, b: string) => text(status: 200, headers: "", body: "served by ${p}")
                        let first = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        let port = httpServerPort(serverID: first) ?: -1
                        match httpCreateServer(port: port, address: "127.0.0.1") {
                            Success _ => print("a second server on the same port?")
                            Error { message } => print(message)
                        }
                        httpListen(serverID: first, handler: ok)
                        let client = httpCreateClient(baseUrl: "http://127.0.0.1:${port}", timeout: 5000) ?: -1
                        fetch(client: client, path: "/first")
                        httpStopServer(serverID: first)
                        fetch(client: client, path: "/stopped")
                        let second = httpCreateServer(port: port, address: "127.0.0.1") ?: -1
                        print("same port: ${(httpServerPort(serverID: second) ?: -1) == port}")
                        httpListen(serverID: second, handler: ok)
                        fetch(client: client, path: "/second")
                        """;
        Osprey.Run run = Osprey.run(program);
        assertEquals("""
                        httpCreateServer: cannot listen on 127.0.0.1:PORT: address already in use
                        /first: 200 served by /first
                        /stopped: httpGet: GET http://127.0.0.1:PORT/stopped: connection refused (is a server listening there?)
                        same port: true
                        /second: 200 served by /second
                        """, sanitize(run).out());
        assertEquals("", run.err() + run.failure());
    }

    @Test
    void aHandlerThatStopsItsOwnServerStillAnswersFirst() {
        // The stop closed the connection the handler was answering; the JDK's client retried and reported
        // "connection refused" for the request that stopped the server.
        String program = TEXT + """
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => match p {
                            "/stop" => text(status: 200, headers: "", body: "stopping: ${toString(httpStopServer(serverID: server))}, again: ${toString(httpStopServer(serverID: server))}")
                            _ => text(status: 200, headers: "", body: "up")
                        })
                        let client = httpCreateClient(baseUrl: "http://127.0.0.1:${httpServerPort(serverID: server) ?: -1}", timeout: 5000) ?: -1
                        ["/", "/stop"] |> forEach(fn(p: string) => fetch(client: client, path: p))
                        // Refused once the stop is done, 503 "the server is stopping" just before: never "up".
                        let served = match httpGet(clientID: client, path: "/after", headers: "") {
                            Success { value } => value.partialBody == "up"
                            Error _ => false
                        }
                        print("served after the stop: ${served}")
                        print(toString(httpStopServer(serverID: server)))
                        """;
        assertEquals(new Osprey.Run("""
                        /: 200 up
                        /stop: 200 stopping: Success(()), again: Error(httpStopServer: HTTP server 1 is already stopped)
                        served after the stop: false
                        Error(httpStopServer: HTTP server 1 is already stopped)
                        """, "", ""), sanitize(Osprey.run(program)));
    }

    @Test
    void aHandlerThatStopsItsOwnServerAndTakesAWhileIsAnsweredAlthoughAnotherRequestWasRefusedMeanwhile() {
        // The 503 of the request that came meanwhile started the stop, whose second of grace ended before the
        // handler that asked for it had answered: it was stopped, and its client, retrying, was refused.
        String program = TEXT + """
                        let stopped = Channel<string> { capacity: 1 }
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => match p {
                            "/stop" => {
                                send(stopped, toString(httpStopServer(serverID: server)))
                                sleep(2000) // the handler's last work, longer than the JDK's server is given to finish answers
                                text(status: 200, headers: "", body: "stopped, and answered")
                            }
                            _ => text(status: 200, headers: "", body: "up")
                        })
                        let client = httpCreateClient(baseUrl: "http://127.0.0.1:${httpServerPort(serverID: server) ?: -1}", timeout: 10000) ?: -1
                        let stopper = spawn fetch(client: client, path: "/stop")
                        print("the handler's stop: ${recv(stopped) ?: "none"}")
                        fetch(client: client, path: "/meanwhile")
                        await(stopper)
                        """;
        assertEquals(new Osprey.Run("""
                        the handler's stop: Success(())
                        /meanwhile: 503 the server is stopping
                        /stop: 200 stopped, and answered
                        """, "", ""), sanitize(Osprey.run(program)));
    }

    /** The answer to a request whose handler was stopped, or not called, because its server was stopping. */
    static final String STOPPING = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nDate: DATE\r\nContent-type: text/plain; charset=utf-8\r\n"
                    + "Content-length: 22\r\n\r\nthe server is stopping";

    @Test
    void aRequestWhoseHandlerIsRunningWhenTheServerStopsIsAnswered503() throws Exception {
        // The stop closed the connections first: the client of a handler still at work got no answer at all.
        String program = TEXT + """
                        let started = Channel<string> { capacity: 1 }
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => {
                            send(started, p)
                            sleep(60000)
                            text(status: 200, headers: "", body: "too late")
                        })
                        print("PORT ${httpServerPort(serverID: server) ?: -1}")
                        let path = recv(started) ?: "none"
                        print("stopping while ${path} is answered: ${toString(httpStopServer(serverID: server))}")
                        """;
        Osprey.Background p = new Osprey.Background(program, Map.of());
        try (p; RawHttp client = RawHttp.connect(p.port())) {
            client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(STOPPING, RawHttp.dated(client.readToEnd()));
            p.join();
        }
        assertEquals("PORT " + p.port() + "\nstopping while /slow is answered: Success(())\n", p.out.text());
        assertEquals("", p.err.text());
    }

    @Test
    void handlersWaitingForAMessageDoNotKeepTheHandlerThatSendsItFromRunning() {
        // Long polling: each /wait waits in its handler for a message that /send's handler sends. With four
        // handler threads, four waiting handlers held them all, /send was never called, and the server answered
        // nothing more, ever.
        String program = TEXT + """
                        let messages = Channel<string> { capacity: 100 }
                        let entered = Channel<string> { capacity: 100 }
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => match p {
                            "/wait" => {
                                send(entered, p)
                                text(status: 200, headers: "", body: recv(messages) ?: "none")
                            }
                            _ => {
                                range(0, 6) |> forEach(fn(i: int) => send(messages, "message"))
                                text(status: 200, headers: "", body: "sent")
                            }
                        })
                        let client = httpCreateClient(baseUrl: "http://127.0.0.1:${httpServerPort(serverID: server) ?: -1}", timeout: 10000) ?: -1
                        let waiting = range(0, 6) |> map(fn(i: int) => spawn fetch(client: client, path: "/wait")) |> toList
                        range(0, 4) |> forEach(fn(i: int) => recv(entered))
                        fetch(client: client, path: "/send")
                        waiting |> forEach(fn(f) => await(f))
                        """;
        Osprey.Run run = sanitize(Osprey.run(program));
        assertEquals(new Osprey.Run("", "", ""), new Osprey.Run("", run.err(), run.failure()));
        // Which answer arrives first, /send's or those of the waiters it released, is the servers' timing.
        assertEquals(java.util.List.of("/send: 200 sent", "/wait: 200 message", "/wait: 200 message", "/wait: 200 message", "/wait: 200 message",
                        "/wait: 200 message", "/wait: 200 message"), run.out().lines().sorted().toList());
    }

    @Test
    void concurrentRequestsAreAllAnswered() throws Exception {
        String program = TEXT + """
                        mut served = 0
                        fn count(method: string, path: string, headers: string, body: string) -> HttpResponse = {
                            served = served + 1
                            text(status: 200, headers: "", body: "${path} ${body}")
                        }
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: count)
                        print("PORT ${httpServerPort(serverID: server) ?: -1}")
                        httpKeepAlive()
                        """;
        try (Osprey.Background p = new Osprey.Background(program, Map.of()); HttpClient java = HttpClient.newHttpClient()) {
            int port = p.port();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(java.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/n" + i)).timeout(Duration.ofSeconds(20))
                                .POST(HttpRequest.BodyPublishers.ofString("body" + i)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            TreeSet<String> bodies = new TreeSet<>();
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get();
                assertEquals(200, r.statusCode());
                bodies.add(r.body());
            }
            assertEquals(40, bodies.size());
            for (int i = 0; i < 40; i++) {
                assertTrue(bodies.contains("/n" + i + " body" + i), bodies::toString);
            }
        }
    }

    @Test
    void bigBodiesGoBothWaysAndTheLimitIsKept() {
        String program = TEXT + """
                        fn echo(method: string, path: string, headers: string, body: string) -> HttpResponse = match path {
                            "/echo" => text(status: 200, headers: "", body: body)
                            _ => text(status: 200, headers: "", body: "x" |> repeat(3000) ?: "")
                        }
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: echo)
                        let client = httpCreateClient(baseUrl: "http://127.0.0.1:${httpServerPort(serverID: server) ?: -1}", timeout: 10000) ?: -1
                        let big = "0123456789abcdef" |> repeat(COUNT) ?: ""
                        match httpPost(clientID: client, path: "/echo", body: big, headers: "") {
                            Success { value: r } => print("echo: ${r.status} ${length(r.partialBody)} ${r.partialBody == big}")
                            Error { message } => print("echo: ${message}")
                        }
                        match httpGet(clientID: client, path: "/large", headers: "") {
                            Success { value: r } => print("large: ${r.status} ${length(r.partialBody)}")
                            Error { message } => print("large: ${message}")
                        }
                        """;
        assertEquals(new Osprey.Run("""
                        echo: 200 4194304 true
                        large: 200 3000
                        """, "", ""), Osprey.run(program.replace("COUNT", "262144")));
        assertEquals(new Osprey.Run("""
                        echo: 413 35 false
                        large: httpGet: GET http://127.0.0.1:PORT/large: the answer's body is larger than 2000 bytes (the limit, osprey.Plugin.http.MaxBodySize)
                        """, "", ""), sanitize(Osprey.run(program.replace("COUNT", "256"),
                        Map.of("osprey.Plugin.http.MaxBodySize", "2000"))));
    }

    @Test
    void aChunkedRequestBodyOverTheLimitIsRefusedWithoutCallingTheHandler() throws Exception {
        String program = TEXT + """
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => {
                            print("handler called with ${length(b)} characters")
                            text(status: 200, headers: "", body: "${length(b)}")
                        })
                        print("PORT ${httpServerPort(serverID: server) ?: -1}")
                        httpKeepAlive()
                        """;
        try (Osprey.Background p = new Osprey.Background(program, Map.of("osprey.Plugin.http.MaxBodySize", "100000"));
                        HttpClient java = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + p.port() + "/upload");
            // ofInputStream has no length: the JDK's client sends the body chunked, with no Content-Length to check first.
            HttpResponse<String> big = java.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(new byte[300_000]))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, big.statusCode());
            assertEquals("request body larger than 100000 bytes", big.body());
            HttpResponse<String> small = java.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(new byte[100_000]))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("200 100000", small.statusCode() + " " + small.body());
            assertEquals("PORT " + p.port() + "\nhandler called with 100000 characters\n", p.out.text());
        }
    }

    @Test
    void anUploadFarOverTheLimitIsAnswered413RatherThanReset() throws Exception {
        // Clients send their whole body before they read the answer. Of a body over the limit the server read 16
        // MiB at most (none of one whose Content-Length said more), closed the connection with the rest unread,
        // and the client saw the connection reset: a 50 MB upload to a server with the default limit got no 413.
        String program = TEXT + """
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => {
                            print("handler called with ${length(b)} characters")
                            text(status: 200, headers: "", body: "${length(b)}")
                        })
                        print("PORT ${httpServerPort(serverID: server) ?: -1}")
                        httpKeepAlive()
                        """;
        byte[] big = new byte[40 << 20];
        try (Osprey.Background p = new Osprey.Background(program, Map.of("osprey.Plugin.http.MaxBodySize", "1000"));
                        HttpClient java = HttpClient.newHttpClient()) {
            int port = p.port();
            URI uri = URI.create("http://127.0.0.1:" + port + "/upload");
            HttpResponse<String> sized = java.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals("413 request body larger than 1000 bytes", sized.statusCode() + " " + sized.body());
            HttpResponse<String> chunked = java.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(big))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("413 request body larger than 1000 bytes", chunked.statusCode() + " " + chunked.body());
            try (RawHttp raw = RawHttp.connect(port)) {
                raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + big.length + "\r\n\r\n" + "a".repeat(big.length));
                assertEquals("HTTP/1.1 413 Request Entity Too Large\r\nConnection: close\r\nDate: DATE\r\nContent-type: text/plain; charset=utf-8\r\n"
                                + "Content-length: 35\r\n\r\nrequest body larger than 1000 bytes", RawHttp.dated(raw.readToEnd()));
            }
            HttpResponse<String> small = java.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("fits")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals("200 4", small.statusCode() + " " + small.body());
            assertEquals("PORT " + port + "\nhandler called with 4 characters\n", p.out.text());
        }
    }

    @Test
    void clientsThatSendHalfARequestDoNotKeepOthersWaiting() throws Exception {
        // The JDK's server reads requests on its executor with blocking reads; with the four handler threads
        // as that executor, four such clients (here eight) stopped the server answering anyone.
        String program = TEXT + """
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: fn(m: string, p: string, h: string, b: string) -> HttpResponse => text(status: 200, headers: "", body: "up"))
                        print("PORT ${httpServerPort(serverID: server) ?: -1}")
                        httpKeepAlive()
                        """;
        List<java.net.Socket> stalled = new ArrayList<>();
        try (Osprey.Background p = new Osprey.Background(program, Map.of()); HttpClient jdk = HttpClient.newHttpClient()) {
            int port = p.port();
            for (int i = 0; i < 8; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                s.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                stalled.add(s);
            }
            Thread.sleep(200);
            HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals("200 up", r.statusCode() + " " + r.body());
        } finally {
            for (java.net.Socket s : stalled) {
                s.close();
            }
        }
    }

    static Osprey.Run sanitize(Osprey.Run r) {
        return new Osprey.Run(r.out().replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT"), r.err(), r.failure());
    }
}
