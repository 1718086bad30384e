package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code osprey run --inspect} and {@code --cpusampler} with the GraalVM tools on the module path (as
 * scripts/osprey puts them there): the inspector starts and says where to connect, the sampler's profile
 * names the Osprey functions.
 */
class ToolsTest {
    private static final String PROGRAM = """
                    fn fib(n: int) -> int = n < 2 ? n : fib(n - 1) + fib(n - 2)
                    fn main() -> int = {
                        print("fib(25) = ${fib(25)}")
                        0
                    }
                    """;

    @TempDir
    Path dir;
    private Path file;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void program() throws IOException {
        file = Files.writeString(dir.resolve("fib.osp"), PROGRAM);
    }

    private int osprey(String... args) {
        return Main.run(args, new ByteArrayInputStream(new byte[0]), false, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void inspectStartsTheDebuggerAndPrintsWhereToConnect() throws IOException {
        int port = freePort();
        int exit = osprey("run", file.toString(), "--inspect=127.0.0.1:" + port, "--inspect.Suspend=false");
        String errors = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, errors);
        assertTrue(errors.contains("Debugger listening on ws://127.0.0.1:" + port + "/"), errors);
        assertTrue(errors.contains("devtools://devtools/bundled/js_app.html?ws=127.0.0.1:" + port + "/"), errors);
        assertEquals("fib(25) = 75025\n", out.toString(StandardCharsets.UTF_8));
    }

    /**
     * A debugger client speaking the Chrome DevTools protocol to the inspector, as Chromium would: the program
     * waits at its first statement until the client says to run, the pause names the function and line, and
     * resuming lets the program finish.
     */
    @Test
    void aDevToolsClientPausesAndResumesTheProgram() throws Exception {
        int port = freePort();
        int[] exit = {-1};
        Thread program = new Thread(() -> exit[0] = osprey("run", file.toString(), "--inspect=127.0.0.1:" + port), "osprey-inspected");
        program.start();
        String url = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (url == null) {
            Matcher m = Pattern.compile("ws://127\\.0\\.0\\.1:" + port + "/\\S+").matcher(err.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                url = m.group();
            } else if (System.nanoTime() > deadline || !program.isAlive()) {
                throw new AssertionError("no inspector URL; stderr: " + err.toString(StandardCharsets.UTF_8));
            } else {
                Thread.sleep(20);
            }
        }
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), listener).get(30, TimeUnit.SECONDS);
        ws.sendText("{\"id\":1,\"method\":\"Runtime.enable\"}", true).get();
        ws.sendText("{\"id\":2,\"method\":\"Debugger.enable\"}", true).get();
        ws.sendText("{\"id\":3,\"method\":\"Runtime.runIfWaitingForDebugger\"}", true).get();
        String paused = awaitMessage(messages, "\"method\":\"Debugger.paused\"");
        assertTrue(paused.contains("\"functionName\":\"main\""), paused);
        assertTrue(paused.matches("(?s).*\"lineNumber\":2\\b.*"), paused); // zero-based: line 3, print(...)
        ws.sendText("{\"id\":4,\"method\":\"Debugger.resume\"}", true).get();
        program.join(TimeUnit.SECONDS.toMillis(60));
        ws.abort();
        assertEquals(0, exit[0], err.toString(StandardCharsets.UTF_8));
        assertEquals("fib(25) = 75025\n", out.toString(StandardCharsets.UTF_8));
    }

    private static String awaitMessage(BlockingQueue<String> messages, String containing) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String m = messages.poll(1, TimeUnit.SECONDS);
            if (m != null && m.contains(containing)) {
                return m;
            }
        }
        throw new AssertionError("no message containing " + containing);
    }

    /**
     * Sampled every millisecond, on a fib long enough to be sampled: once this machine's JVM was warm from the
     * tests before, fib(25) could end inside the sampler's default 10 ms period and leave no sample at all.
     */
    @Test
    void cpusamplerPrintsAProfileNamingTheOspreyFunctions() throws IOException {
        Files.writeString(file, PROGRAM.replace("25", "29"));
        int exit = osprey("run", file.toString(), "--cpusampler", "--cpusampler.Period=1");
        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(output.startsWith("fib(29) = 514229\n"), output);
        assertTrue(output.contains("Sampling Histogram"), output);
        assertTrue(output.matches("(?s).*\\n +fib +\\|.*"), output);
    }

    /**
     * A small function is built into its caller unless a tool needs its frame: with --cpusampler the launcher
     * turns that off (osprey.InlineSmallFunctions), so the profile names it instead of counting it as the caller's.
     */
    @Test
    void cpusamplerNamesSmallFunctionsToo() throws IOException {
        Files.writeString(file, """
                        fn mix(x: int) -> int = x * 16807 % 2147483647
                        print(range(start: 0, end: 1000000) |> fold(initial: 0, function: (acc, i) => (acc + mix(i)) % 1000003))
                        """);
        int exit = osprey("run", file.toString(), "--cpusampler");
        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(output.startsWith("477840\n"), output);
        assertTrue(output.matches("(?s).*\\n +mix +\\|.*"), output);
    }

    private static final String BRANCHES = """
                    fn classify(n: int) -> string = match n {
                        0 => "zero"
                        1 => "one"
                        _ => {
                            let big = n > 100
                            big ? "big" : "other"
                        }
                    }
                    fn unused(x: int) -> int = x + 1
                    fn main() -> int = {
                        print(classify(0))
                        print(classify(5))
                        0
                    }
                    """;

    /**
     * --coverage marks each line that ran (+) and each that did not (-): an arm never taken and a function
     * never called among them. Before the tagging was fixed, a function whose body is one expression showed as
     * called with none of its lines run, and a small function built into its caller showed its lines not run.
     */
    @Test
    void coverageMarksTheLinesThatRanAndTheArmsThatDidNot() throws IOException {
        Files.writeString(file, BRANCHES);
        int exit = osprey("run", file.toString(), "--coverage", "--coverage.Output=detailed");
        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(output.startsWith("zero\nother\n"), output);
        assertTrue(output.contains("""
                        + fn classify(n: int) -> string = match n {
                        +     0 => "zero"
                        -     1 => "one"
                        +     _ => {
                        +         let big = n > 100
                        +         big ? "big" : "other"
                        +     }
                        + }
                        - fn unused(x: int) -> int = x + 1
                          fn main() -> int = {
                        +     print(classify(0))
                        +     print(classify(5))
                        +     0
                          }
                        """), output);
    }

    /** The same in lcov's format, written to a file for other tools; the tool says where, after the program's output. */
    @Test
    void coverageWritesLcovToAFile() throws IOException {
        Files.writeString(file, BRANCHES);
        Path info = dir.resolve("coverage.info");
        int exit = osprey("run", file.toString(), "--coverage", "--coverage.Output=lcov", "--coverage.OutputFile=" + info);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertEquals("zero\nother\nPrinting output to " + info + "\n", out.toString(StandardCharsets.UTF_8));
        java.util.List<String> lcov = Files.readAllLines(info);
        assertTrue(lcov.contains("SF:" + file), lcov.toString());
        for (String line : java.util.List.of("FNDA:1,classify", "FNDA:0,unused", "FNDA:1,main", "DA:2,1", "DA:3,0", "DA:9,0", "DA:12,1")) {
            assertTrue(lcov.contains(line), line + " in " + lcov);
        }
    }
}
