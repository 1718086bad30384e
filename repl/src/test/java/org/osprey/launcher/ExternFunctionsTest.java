package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * extern functions (spec 0003) of a library of the program's own, built here with the system's C compiler
 * (tests/run/extern has those of the C library): every type of the ABI table each way, {@code --lib} given
 * twice, and an embedder's context without native access.
 */
class ExternFunctionsTest {
    @TempDir
    static Path dir;
    static Path shapes;
    static Path more;

    @BeforeAll
    static void buildLibraries() throws Exception {
        shapes = compile("shapes", """
                        #include <stdbool.h>
                        #include <stdint.h>
                        #include <string.h>
                        #include <stdlib.h>
                        static int64_t calls = 0;
                        int64_t rect_area(int64_t w, int64_t h) { calls++; return w * h; }
                        double circle_area(double r) { calls++; return 3.0 * r * r; }
                        bool is_square(int64_t w, int64_t h) { calls++; return w == h; }
                        bool negate(bool b) { calls++; return !b; }
                        const char *shape_name(int64_t sides) { calls++; return sides == 3 ? "triangle" : sides == 4 ? "quadrilateral" : "polygon"; }
                        int64_t utf8_bytes(const char *s) { calls++; return (int64_t) strlen(s); }
                        const char *nothing(void) { return NULL; }
                        const char *greeting(void) { return "smile \\xF0\\x9F\\x98\\x80 caf\\xC3\\xA9"; }
                        const char *not_utf8(void) { return "a\\xFF" "b"; }
                        const char *same(const char *s) { return s; }
                        void reset(void) { calls = 0; }
                        int64_t call_count(void) { return calls; }
                        """);
        more = compile("more", """
                        #include <stdint.h>
                        int64_t rect_area(int64_t w, int64_t h) { return -1; }
                        int64_t triple(int64_t x) { return 3 * x; }
                        """);
    }

    private static Path compile(String name, String code) throws Exception {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, code, StandardCharsets.UTF_8);
        Path so = dir.resolve("lib" + name + ".so");
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-o", so.toString(), c.toString()).inheritIO().start();
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new AssertionError("gcc could not build " + so);
        }
        return so;
    }

    private static OspreyRun run(String program, String... flags) throws Exception {
        Path file = Files.createTempFile(dir, "program", ".osp");
        Files.writeString(file, program, StandardCharsets.UTF_8);
        String[] args = new String[flags.length + 2];
        args[0] = "run";
        System.arraycopy(flags, 0, args, 1, flags.length);
        args[args.length - 1] = file.toString();
        return OspreyRun.of(args);
    }

    @Test
    void everyTypeOfTheTableGoesBothWays() throws Exception {
        OspreyRun r = run("""
                        extern fn rect_area(w: int, h: int) -> int
                        extern fn circle_area(r: float) -> float
                        extern fn is_square(w: int, h: int) -> bool
                        extern fn negate(b: bool) -> bool
                        extern fn shape_name(sides: int) -> string
                        extern fn utf8_bytes(s: string) -> int
                        extern fn reset()
                        extern fn call_count() -> int
                        reset()
                        print(rect_area(w: 3, h: 4))
                        print(rect_area(w: 9223372036854775807, h: 1))
                        print(circle_area(2.0))
                        print(is_square(w: 2, h: 2))
                        print(is_square(w: 2, h: 3))
                        print(negate(true))
                        print(negate(false))
                        print(shape_name(3) + " " + shape_name(4) + " " + shape_name(7))
                        print(utf8_bytes("naïve ☃"))
                        print(call_count())
                        """, "--lib=" + shapes);
        assertEquals(new OspreyRun(0, "12\n9223372036854775807\n12\ntrue\nfalse\nfalse\ntrue\ntriangle quadrilateral polygon\n10\n11\n", ""), r);
    }

    @Test
    void stringsComeBackAsUtf8() throws Exception {
        OspreyRun r = run("""
                        extern fn greeting() -> string
                        extern fn not_utf8() -> string
                        extern fn same(s: string) -> string
                        print(greeting())
                        print(length(greeting()))
                        print(not_utf8())
                        print(same("naïve 😀 日本") == "naïve 😀 日本")
                        """, "--lib=" + shapes);
        assertEquals(new OspreyRun(0, "smile 😀 café\n12\na\uFFFDb\ntrue\n", ""), r);
    }

    /**
     * C's exit() ends the process there, without Osprey's own buffer of standard output flushed (as a crash in
     * C does): what the program printed before it called C is written out first, and C's printed text follows.
     */
    @Test
    void whatWasPrintedBeforeCallingCIsOutWhenCExits() throws Exception {
        Path file = Files.createTempFile(dir, "program", ".osp");
        Files.writeString(file, """
                        extern fn puts(s: string) -> int
                        extern fn exit(status: int)
                        print("from Osprey")
                        puts("from C")
                        exit(3)
                        print("never")
                        """, StandardCharsets.UTF_8);
        java.util.List<String> command = new java.util.ArrayList<>(ReplPipedTest.osprey());
        command.addAll(java.util.List.of("run", file.toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, p.waitFor());
        assertEquals("from Osprey\nfrom C\n", out);
    }

    @Test
    void librariesAreSearchedInTheOrderGiven() throws Exception {
        String program = """
                        extern fn rect_area(w: int, h: int) -> int
                        extern fn triple(x: int) -> int
                        print(rect_area(w: 2, h: 5))
                        print(triple(7))
                        """;
        assertEquals(new OspreyRun(0, "10\n21\n", ""), run(program, "--lib=" + shapes, "--lib=" + more));
        assertEquals(new OspreyRun(0, "-1\n21\n", ""), run(program, "--lib=" + more, "--lib=" + shapes));
    }

    @Test
    void aNullStringStopsTheProgramWithAMessage() throws Exception {
        OspreyRun r = run("""
                        extern fn nothing() -> string
                        print("before")
                        print(nothing())
                        """, "--lib=" + shapes);
        assertEquals(1, r.exit());
        assertEquals("before\n", r.out());
        assertEquals(true, r.err().contains("the C function 'nothing' gave a null pointer where its declaration promises a string"), r.err());
    }

    @Test
    void aFunctionOfNoLibraryGivenIsAnErrorBeforeTheProgramRuns() throws Exception {
        OspreyRun r = run("""
                        print("never")
                        extern fn triple(x: int) -> int
                        """, "--lib=" + shapes);
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(true, r.err().contains("no C function named 'triple' in the libraries given (" + shapes + ") or the C library"), r.err());
    }

    @Test
    void aContextWithoutNativeAccessRefusesExternFunctions() {
        try (Context context = Context.newBuilder("osprey").allowNativeAccess(false).build()) {
            PolyglotException e = org.junit.jupiter.api.Assertions.assertThrows(PolyglotException.class,
                            () -> context.eval("osprey", "extern fn labs(n: int) -> int\nprint(labs(-1))\n"));
            assertEquals(true, e.getMessage().contains("extern functions need native access, which this context does not allow"), e.getMessage());
        }
        try (Context context = Context.newBuilder("osprey").allowNativeAccess(true).build()) {
            assertEquals(5L, context.eval("osprey", "extern fn labs(n: int) -> int\nlabs(-5)\n").asLong());
            // a string goes to C as an array of its bytes, which needs no host access of the embedder's
            assertEquals(4L, context.eval("osprey", "extern fn strlen(s: string) -> int\nstrlen(\"😀\")\n").asLong());
            assertEquals("😀!", context.eval("osprey", "extern fn strstr(h: string, n: string) -> string\nstrstr(h: \"a😀!\", n: \"😀\")\n").asString());
        }
    }
}
