package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user whose cache directory cannot be written (a service account whose home is /nonexistent, a read-only
 * home): Truffle could not unpack its attach library there, printed nine lines about a repackaged JAR and
 * ran without its optimizing runtime. The launcher gives it a private directory under the temporary
 * directory instead, or says in one line that it runs without the JIT. Here the cache directory is made
 * unwritable for any user, root too, by placing it under a regular file.
 */
class ResourceCacheTest {
    @TempDir
    Path dir;

    private String[] run(Path tmp) throws Exception {
        Path program = dir.resolve("hello.osp");
        Files.writeString(program, "print(\"hello\")\n", StandardCharsets.UTF_8);
        Path file = Files.writeString(dir.resolve("a-file"), "");
        List<String> cmd = new ArrayList<>(ReplPipedTest.osprey("-Djava.io.tmpdir=" + tmp));
        cmd.add("run");
        cmd.add(program.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("XDG_CACHE_HOME", file.resolve("cache").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getErrorStream()));
        // Destroyed only if it did not end: destroying a process closes its streams, and the readers may not
        // have read everything yet ("Stream closed" on a busy machine).
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("osprey did not end");
        }
        return new String[] {Integer.toString(p.exitValue()), out.get(120, TimeUnit.SECONDS), err.get(120, TimeUnit.SECONDS)};
    }

    @Test
    void aPrivateDirectoryUnderTheTemporaryOneIsUsed() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        String[] r = run(tmp);
        assertEquals("0", r[0], r[2]);
        assertEquals("hello\n", r[1]);
        assertEquals("", r[2]);
        Path own = tmp.resolve("osprey-" + System.getProperty("user.name") + "-resources");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own)));
        try (var entries = Files.list(own)) {
            assertTrue(entries.findAny().isPresent(), "Truffle unpacked nothing into " + own);
        }
    }

    @Test
    void aDirectoryOthersCanWriteIsNotUsed() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path own = Files.createDirectory(tmp.resolve("osprey-" + System.getProperty("user.name") + "-resources"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwxrwxrwx"));
        String[] r = run(tmp);
        assertEquals("0", r[0], r[2]);
        assertEquals("hello\n", r[1]);
        assertEquals("osprey: running without the JIT: Truffle needs a cache directory of this user's, and neither "
                        + dir.resolve("a-file/cache/org.graalvm.polyglot") + " nor " + own + " is one (XDG_CACHE_HOME chooses the first)\n", r[2]);
        try (var entries = Files.list(own)) {
            assertTrue(entries.findAny().isEmpty(), "something was put into " + own);
        }
    }
}
