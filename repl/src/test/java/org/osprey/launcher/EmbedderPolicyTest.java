package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.io.ProcessHandler;
import org.junit.jupiter.api.Test;

/**
 * An embedder that builds its own Context decides what Osprey programs may touch; the file and process
 * functions respect that and say so in their Error values instead of failing with a Java exception.
 * ({@code osprey run} allows everything; --no-fs and --sandbox remove the functions altogether.)
 */
class EmbedderPolicyTest {
    private static String run(Context.Builder builder, String program) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context c = builder.out(out).err(out).option("engine.WarnInterpreterOnly", "false").build()) {
            c.eval("osprey", program);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutFileAccessEveryFileFunctionSaysSo() {
        String out = run(Context.newBuilder("osprey").allowIO(IOAccess.NONE), """
                        print(readFile("notes.txt"))
                        print(writeFile("notes.txt", "x"))
                        print(deleteFile("notes.txt"))
                        print(createDirectory("d"))
                        print(fileExists("notes.txt"))
                        """);
        assertEquals("""
                        Error(cannot read 'notes.txt': file access is not allowed here)
                        Error(cannot write 'notes.txt': file access is not allowed here)
                        Error(cannot delete 'notes.txt': file access is not allowed here)
                        Error(cannot create directory 'd': file access is not allowed here)
                        false
                        """, out);
    }

    @Test
    void withoutProcessCreationSpawnProcessSaysSo() {
        String out = run(Context.newBuilder("osprey").allowIO(IOAccess.ALL).allowCreateThread(true).allowCreateProcess(false), """
                        print(spawnProcess("echo hi", fn(id, kind, data) => print(data)))
                        """);
        assertEquals("Error(cannot run 'echo hi': this context does not allow running processes)\n", out);
    }

    @Test
    void withoutThreadsSpawnProcessSaysSo() {
        String out = run(Context.newBuilder("osprey").allowIO(IOAccess.ALL).allowCreateThread(false).allowCreateProcess(true), """
                        print(spawnProcess("echo hi", fn(id, kind, data) => print(data)))
                        """);
        assertEquals("Error(cannot run 'echo hi': this context does not allow threads, which running a process needs)\n", out);
    }

    private static final String ECHO = """
                    match spawnProcess("echo hi", fn(id, kind, data) => kind == 1 ? print("out: ${data}") : ()) {
                        Success { value } => print("exit ${awaitProcess(value.processId)}")
                        Error { message } => print(message)
                    }
                    """;

    @Test
    void theEmbeddersProcessHandlerDecides() {
        ProcessHandler refuse = command -> {
            throw new java.io.IOException("the embedder refused " + command.getCommand());
        };
        String out = run(Context.newBuilder("osprey").allowIO(IOAccess.ALL).allowCreateThread(true).allowCreateProcess(true).processHandler(refuse), ECHO);
        assertEquals("cannot run 'echo hi': /bin/sh could not be started (the embedder refused [/bin/sh, -c, echo hi])\n", out);
        // A handler that starts the process itself, as a logging or vetting host does.
        java.util.List<java.util.List<String>> started = new java.util.ArrayList<>();
        ProcessHandler log = command -> {
            started.add(command.getCommand());
            return new ProcessBuilder(command.getCommand()).start();
        };
        out = run(Context.newBuilder("osprey").allowIO(IOAccess.ALL).allowCreateThread(true).allowCreateProcess(true).processHandler(log), ECHO);
        assertEquals("out: hi\nexit 0\n", out);
        assertEquals(java.util.List.of(java.util.List.of("/bin/sh", "-c", "echo hi")), started);
    }

    @Test
    void processesNeedFileAccessAndSaySo() {
        String out = run(Context.newBuilder("osprey").allowIO(IOAccess.NONE).allowCreateThread(true).allowCreateProcess(true), ECHO);
        assertEquals("cannot run 'echo hi': this context does not allow file access, which running a process needs\n", out);
    }

    private static PolyglotException rejected(Context.Builder builder, String program) {
        try (Context c = builder.option("engine.WarnInterpreterOnly", "false").build()) {
            return assertThrows(PolyglotException.class, () -> c.eval(Source.newBuilder("osprey", program, "app.osp").buildLiteral()));
        }
    }

    @Test
    void theLaunchersRestrictionsAreContextOptions() {
        PolyglotException e = rejected(Context.newBuilder("osprey").allowAllAccess(true).option("osprey.Sandbox", "true"),
                        "print(readFile(\"notes.txt\"))\n");
        assertTrue(e.isSyntaxError());
        assertTrue(e.getMessage().contains("'readFile' is not available: fs functions are disabled (--no-fs or --sandbox)"), e.getMessage());
        e = rejected(Context.newBuilder("osprey").allowAllAccess(true).option("osprey.NoFs", "true"), "print(spawnProcess(\"ls\", fn(id, kind, data) => ()))\n");
        assertTrue(e.getMessage().contains("'spawnProcess' is not available: process functions are disabled"), e.getMessage());
        e = rejected(Context.newBuilder("osprey").allowAllAccess(true).option("osprey.NoWebSocket", "true"),
                        "print(websocketCreateServer(port: 0, address: \"127.0.0.1\", path: \"/\"))\n");
        assertTrue(e.getMessage().contains("'websocketCreateServer' is not available: websocket functions are disabled"), e.getMessage());
        e = rejected(Context.newBuilder("osprey").allowAllAccess(true).option("osprey.Sandbox", "true"),
                        "print(websocketConnect(url: \"ws://127.0.0.1:1/\", messageHandler: fn(m) => Success(())))\n");
        assertTrue(e.getMessage().contains("'websocketConnect' is not available"), e.getMessage());
        e = rejected(Context.newBuilder("osprey").allowAllAccess(true).option("osprey.NoHttp", "true"),
                        "print(httpCreateServer(port: 0, address: \"127.0.0.1\"))\n");
        assertTrue(e.getMessage().contains("'httpCreateServer' is not available: http functions are disabled (--no-http or --sandbox)"), e.getMessage());
        e = rejected(Context.newBuilder("osprey").allowAllAccess(true).option("osprey.Sandbox", "true"),
                        "print(httpCreateClient(baseUrl: \"http://127.0.0.1:1\", timeout: 100))\n");
        assertTrue(e.getMessage().contains("'httpCreateClient' is not available: http functions are disabled"), e.getMessage());
    }

    @Test
    void aContextWithThePolyglotDefaultsRunsPureOspreyAndRefusesTheRest() {
        // Context.create's defaults: no IO, no host access, no threads, no processes.
        String out = run(Context.newBuilder("osprey"), """
                        fn fib(n: int) -> int = n < 2 ? n : fib(n - 1) + fib(n - 2)
                        let squares = [1, 2, 3] |> map(fn(x) => x * x)
                        print("${fib(20)} ${squares}")
                        print(readFile("notes.txt"))
                        print(spawnProcess("echo hi", fn(id, kind, data) => print(data)))
                        match websocketCreateServer(port: 0, address: "127.0.0.1", path: "/") {
                            Success { value } => print(websocketServerListen(value))
                            Error { message } => print(message)
                        }
                        print(websocketConnect(url: "ws://127.0.0.1:1/", messageHandler: fn(m) => Success(())))
                        print(httpCreateServer(port: 0, address: "127.0.0.1"))
                        print(httpCreateClient(baseUrl: "http://127.0.0.1:1", timeout: 100))
                        """);
        assertEquals("""
                        6765 [1, 4, 9]
                        Error(cannot read 'notes.txt': file access is not allowed here)
                        Error(cannot run 'echo hi': this context does not allow running processes)
                        Error(cannot listen for WebSocket connections: this context does not allow network access)
                        Error(cannot connect to ws://127.0.0.1:1/: this context does not allow network access)
                        Error(httpCreateServer: cannot listen on 127.0.0.1: this context does not allow network access)
                        Error(httpCreateClient: this context does not allow network access)
                        """, out);
    }

    @Test
    void webSocketsNeedThreadsAsWellAsSockets() {
        String out = run(Context.newBuilder("osprey").allowIO(IOAccess.ALL).allowCreateThread(false), """
                        print(websocketConnect(url: "ws://127.0.0.1:1/", messageHandler: fn(m) => Success(())))
                        """);
        assertEquals("Error(cannot connect to ws://127.0.0.1:1/: this context does not allow threads, which WebSockets need)\n", out);
        out = run(Context.newBuilder("osprey").allowIO(IOAccess.ALL).allowCreateThread(false), """
                        print(httpCreateServer(port: 0, address: "127.0.0.1"))
                        print(httpCreateClient(baseUrl: "http://127.0.0.1:1", timeout: 100))
                        """);
        assertEquals("Error(httpCreateServer: cannot listen on 127.0.0.1: this context does not allow threads, which HTTP needs)\n"
                        + "Error(httpCreateClient: this context does not allow threads, which HTTP needs)\n", out);
    }
}
