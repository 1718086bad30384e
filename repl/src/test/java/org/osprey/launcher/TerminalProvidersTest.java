package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.jline.nativ.OSInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REPL's choice of JLine terminal (Repl.terminalProviders): JLine's JNI terminal only with the native
 * library the build unpacked, loaded from there; the exec provider otherwise; JLine's own choice when the
 * launcher did not say where the libraries are.
 */
class TerminalProvidersTest {
    @TempDir
    Path root;

    @AfterEach
    void forgetTheLibrary() {
        System.clearProperty("library.jline.path");
        System.clearProperty("library.jline.name");
    }

    @Test
    void withTheLibraryForThisPlatformTheJniTerminalLoadsItFromThere() throws IOException {
        Path dir = Files.createDirectories(root.resolve("org/jline/nativ/Linux/x86_64"));
        Files.write(dir.resolve(System.mapLibraryName("jlinenative")), new byte[]{1});
        assertEquals("jni,exec", Repl.terminalProviders(root.toString(), "Linux/x86_64"));
        assertEquals(dir.toString(), System.getProperty("library.jline.path"));
        assertEquals(System.mapLibraryName("jlinenative"), System.getProperty("library.jline.name"));
    }

    @Test
    void withoutItTheExecTerminal() throws IOException {
        Files.createDirectories(root.resolve("org/jline/nativ/Linux/x86_64"));
        assertEquals("exec", Repl.terminalProviders(root.toString(), "Linux/x86_64"));
        assertEquals("exec", Repl.terminalProviders(root.toString(), "Plan9/mips"));
        assertNull(System.getProperty("library.jline.path"));
    }

    @Test
    void withoutTheLaunchersWordJLineChooses() {
        assertNull(Repl.terminalProviders(null, "Linux/x86_64"));
        assertNull(System.getProperty("library.jline.path"));
    }

    /** What scripts/osprey points at: the build's unpacked copy of every library JLine ships for this platform. */
    @Test
    void theBuildUnpackedJLinesLibraryForThisPlatform() {
        String platform = OSInfo.getNativeLibFolderPathForCurrentOS();
        Path dir = Paths.get("target", "jline-native", "org", "jline", "nativ").resolve(platform);
        int shipped = 0;
        for (String name : new String[]{System.mapLibraryName("jlinenative"), "libjlinenative.jnilib"}) {
            if (OSInfo.class.getResource("/org/jline/nativ/" + platform + "/" + name) != null) {
                shipped++;
                assertTrue(Files.isRegularFile(dir.resolve(name)), "not unpacked: " + dir.resolve(name).toAbsolutePath());
            }
        }
        if (platform.equals("Linux/x86_64")) {
            assertEquals(1, shipped, "JLine ships a library for " + platform);
        }
    }
}
