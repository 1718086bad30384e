package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.io.IOAccess;
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
}
