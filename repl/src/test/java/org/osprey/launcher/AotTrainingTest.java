package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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
        OspreyRun r = OspreyRun.of("run", SCRIPTS.resolve("aot-training-websocket.osp").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("WebSocket training: client: replies true\n", r.out());
        assertEquals("", r.err());
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
