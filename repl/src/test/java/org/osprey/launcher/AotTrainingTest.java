package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The training run of the AOT cache (AotTraining, scripts/jdk.sh) does what it is there for: the WebSocket
 * program gets its server and client talking, and every scripted REPL entry is edited, run and answered. If
 * either stopped early, the cache would quietly hold less of what those programs need at start.
 */
class AotTrainingTest {
    static final Path SCRIPTS = Paths.get("..", "scripts").toAbsolutePath().normalize();

    @Test
    void theCommandsAreSeparatedByDoubleDashes() {
        assertEquals(List.of(List.of("run", "--engine.CompileImmediately=true", "a.osp"), List.of("run", "b.osp")),
                        AotTraining.commands(new String[]{"run", "--engine.CompileImmediately=true", "a.osp", "--", "run", "b.osp"}));
        assertEquals(List.of(List.of("run", "a.osp")), AotTraining.commands(new String[]{"run", "a.osp"}));
    }

    @Test
    void theWebSocketProgramTalksOverLoopback() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"run", SCRIPTS.resolve("aot-training-websocket.osp").toString()}, new ByteArrayInputStream(new byte[0]),
                        false, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertEquals("WebSocket training: client: replies true\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theScriptedSessionRunsEveryEntryAndQuits() {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        assertEquals(0, AotTraining.repl(screen));
        String text = TerminalDriver.Screen.plain(screen.toString(StandardCharsets.UTF_8));
        int at = 0;
        for (String answer : List.of(
                        "answer : Result<int, MathError> = Success(42)",
                        "square : (int) -> int",
                        "1764 : int",
                        "[2, 3, 4] : List<int>",
                        "<repl>:1:7: type mismatch in the right operand of '+': expected string, found int",
                        "square : (int) -> int",
                        "osprey> square(n: 3)",
                        "9 : int",
                        "osprey> :quit")) {
            int found = text.indexOf(answer, at);
            assertTrue(found >= 0, "missing, in order: " + answer + "\n" + text);
            at = found + answer.length();
        }
    }
}
