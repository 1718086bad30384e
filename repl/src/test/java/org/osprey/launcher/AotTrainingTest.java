package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The REPL session of the AOT cache's training run (AotTraining) does what it is there for: every scripted
 * entry is edited, run and answered, the completion completes, and the session ends with its :quit. If it
 * stopped early, the cache would quietly hold less of the REPL's start.
 */
class AotTrainingTest {
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
