package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code osprey check FILE.osp...}: every file is parsed and checked as {@code osprey run} would before
 * running it, and nothing runs; each file's errors are printed, and the status is 1 if any file had some.
 */
class CheckCommandTest {
    @TempDir
    Path dir;

    private String file(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file.toString();
    }

    @Test
    void aGoodProgramIsCheckedAndNotRun() throws Exception {
        // Run, it would print, wait for input and then never end.
        String good = file("good.osp", """
                        fn forever(n: int) -> int = forever(n + 1)
                        print("ran")
                        let line = input()
                        print(forever(line))
                        """);
        assertEquals(new OspreyRun(0, "", ""), OspreyRun.piped("5\n", "check", good));
    }

    @Test
    void everyFilesErrorsAreGivenAndTheStatusIsOne() throws Exception {
        String good = file("good.osp", "print(\"ran\")\n");
        String syntax = file("syntax.osp", "let x = 1 +\n");
        String types = file("types.osp", "let x: int = \"a\"\nprint(x)\n");
        String missing = dir.resolve("missing.osp").toString();
        assertEquals(new OspreyRun(1, "", syntax + ":1:12: expected an expression, found end of input\nlet x = 1 +\n           ^\n"
                        + types + ":1:14: type mismatch in the value of 'x': expected int, found string\nlet x: int = \"a\"\n             ^~~\n"
                        + "osprey: cannot open '" + missing + "': no such file\n"),
                        OspreyRun.of("check", good, syntax, types, missing));
    }

    /** A directory stands for every .osp file under it, in order of their paths; other files are left alone. */
    @Test
    void aDirectoryIsEveryProgramInIt() throws Exception {
        Files.createDirectories(dir.resolve("src/inner"));
        file("src/inner/b.osp", "print(nope)\n");
        file("src/a.osp", "print(\"fine\")\n");
        file("src/notes.txt", "let x: int = \"not a program\"\n");
        file("src/z.osp", "let y = 1 +\n");
        String src = dir.resolve("src").toString();
        assertEquals(new OspreyRun(1, "", src + "/inner/b.osp:1:7: unknown name 'nope'\nprint(nope)\n      ^~~~\n"
                        + src + "/z.osp:1:12: expected an expression, found end of input\nlet y = 1 +\n           ^\n"), OspreyRun.of("check", src));
    }

    /** A .osp link to nothing under the directory was passed over in silence: it is a program that is missing. */
    @Test
    void aLinkToNothingIsMissing() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        file("src/a.osp", "print(1)\n");
        Files.createSymbolicLink(dir.resolve("src/b.osp"), Path.of("moved.osp"));
        Files.createSymbolicLink(dir.resolve("src/c.osp"), Path.of("a.osp"));
        String src = dir.resolve("src").toString();
        assertEquals(new OspreyRun(1, "", "osprey: cannot open '" + src + "/b.osp': no such file\n"), OspreyRun.of("check", src));
    }

    /** A directory without programs was a silent success, as if they had been checked and found good. */
    @Test
    void aDirectoryWithoutProgramsIsSaid() throws Exception {
        Files.createDirectories(dir.resolve("src/inner"));
        file("src/inner/a.osprey", "print(1)\n");
        file("b.osp", "print(2)\n");
        String src = dir.resolve("src").toString();
        assertEquals(new OspreyRun(1, "", "osprey: there is no .osp file in the directory '" + src + "' or under it\n"),
                        OspreyRun.of("check", src, dir.resolve("b.osp").toString()));
    }

    @Test
    void checkNeedsAFile() {
        assertEquals(new OspreyRun(2, "", "osprey check: which files? usage: osprey check FILE.osp...\n"), OspreyRun.of("check"));
    }
}
