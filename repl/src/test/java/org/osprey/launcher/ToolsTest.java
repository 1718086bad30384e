package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    private Path file;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void program() throws IOException {
        file = Files.createTempFile("osprey-tools-", ".osp");
        Files.writeString(file, PROGRAM);
    }

    @AfterEach
    void remove() throws IOException {
        Files.deleteIfExists(file);
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

    @Test
    void cpusamplerPrintsAProfileNamingTheOspreyFunctions() {
        int exit = osprey("run", file.toString(), "--cpusampler");
        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(output.startsWith("fib(25) = 75025\n"), output);
        assertTrue(output.contains("Sampling Histogram"), output);
        assertTrue(output.matches("(?s).*\\n +fib +\\|.*"), output);
    }
}
