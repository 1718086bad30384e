package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How Osprey's errors reach a Java host: PolyglotExceptions with Osprey's message and the source location. */
class ErrorsTest {
    private Context context;

    @BeforeEach
    void open() {
        context = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build();
    }

    @AfterEach
    void close() {
        context.close();
    }

    private PolyglotException evalFails(String name, String code) {
        Source source = Source.newBuilder("osprey", code, name).buildLiteral();
        return assertThrows(PolyglotException.class, () -> context.eval(source));
    }

    @Test
    void aSyntaxErrorIsASyntaxErrorWithItsPlace() {
        PolyglotException e = evalFails("broken.osp", "let x = 1\nlet = 2\n");
        assertTrue(e.isSyntaxError());
        assertFalse(e.isIncompleteSource());
        assertFalse(e.isInternalError());
        SourceSection at = e.getSourceLocation();
        assertEquals("broken.osp", at.getSource().getName());
        assertEquals(2, at.getStartLine());
        assertTrue(e.getMessage().startsWith("broken.osp:2:"), e.getMessage());
        assertEquals(e.getMessage(), e.getGuestObject().toString()); // the report, not "org.osprey.runtime.OspreySyntaxError: ..."
    }

    @Test
    void aTypoInAVeryLongNameIsReportedQuickly() {
        // The "did you mean" once compared the two names with a full table: for names of 40,000 letters that
        // was 6 GB, and the check ended in "out of memory" instead of this message.
        String name = "a".repeat(40_000);
        long started = System.nanoTime();
        PolyglotException e = evalFails("long.osp", "let " + name + " = 1\nprint(" + name + "b)\n");
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "took " + (System.nanoTime() - started) / 1_000_000 + " ms");
        assertTrue(e.isSyntaxError());
        assertFalse(e.isInternalError());
        assertTrue(e.getMessage().startsWith("long.osp:2:7: unknown name '" + name + "b'\n"), e.getMessage().substring(0, 100));
    }

    @Test
    void aTypoInANameIsStillSuggestedWithinAThirdOfItsLength() {
        PolyglotException e = evalFails("typo.osp", "let total = 1\nlet counter = 2\nprint(totla + conuter + cuonter)\n");
        assertTrue(e.getMessage().contains("unknown name 'totla' (did you mean 'total'?)"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown name 'conuter' (did you mean 'counter'?)"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown name 'cuonter' (did you mean 'counter'?)"), e.getMessage());
    }

    @Test
    void aTypeErrorIsReportedAsASyntaxErrorToo() {
        PolyglotException e = evalFails("types.osp", "fn half(n: int) -> int = n\nprint(half(n: \"six\"))\n");
        assertTrue(e.isSyntaxError());
        assertFalse(e.isIncompleteSource());
        assertEquals(2, e.getSourceLocation().getStartLine());
        assertEquals(15, e.getSourceLocation().getStartColumn());
        assertTrue(e.getMessage().contains("types.osp:2:15:"), e.getMessage());
        assertTrue(e.getMessage().contains("string"), e.getMessage());
    }

    @Test
    void unfinishedInputIsIncompleteSource() {
        for (String unfinished : new String[] {"fn f(x: int) -> int = {\n  x + 1\n", "let total = 1 +", "match 3 {\n  1 => \"one\"\n"}) {
            PolyglotException e = evalFails("entry", unfinished);
            assertTrue(e.isSyntaxError(), unfinished);
            assertTrue(e.isIncompleteSource(), unfinished);
        }
    }

    @Test
    void aHabitOfAnotherLanguageAtTheEndIsAnErrorNotAnUnfinishedEntry() {
        // The REPL asks whether an entry goes on: these are wrong, and waiting for more lines would join the
        // next entry to them (which then never ran).
        for (String wrong : new String[] {"x++", "let s = 'text'", "let x = 1 # note", "let y = 5.", "let z = 1_000", "a ** 2"}) {
            assertFalse(org.osprey.tooling.SourceInfo.isIncomplete(wrong), wrong);
            PolyglotException e = evalFails("entry", wrong);
            assertFalse(e.isIncompleteSource(), wrong);
        }
        assertTrue(org.osprey.tooling.SourceInfo.isIncomplete("let s = \"open"), "an unterminated string still goes on");
    }

    @Test
    void anInterpolationClosedWithTheWrongBracketIsAnErrorNotAnUnfinishedEntry() {
        // The string is left open too, but no line after it can make "${name)" right: the REPL says so at once.
        String wrong = "print(\"hello ${name)";
        assertFalse(org.osprey.tooling.SourceInfo.isIncomplete(wrong), wrong);
        assertTrue(org.osprey.tooling.SourceInfo.isIncomplete("print(\"hello ${name"), "an interpolation left open still goes on");
    }

    @Test
    void aRuntimeErrorCarriesOspreysMessageAndThePlace() {
        PolyglotException e = evalFails("buckets.osp", """
                        fn bucketOf(value: int, width: int) -> int = value % width
                        print(bucketOf(value: 9, width: 0))
                        """);
        assertTrue(e.isGuestException());
        assertFalse(e.isSyntaxError());
        assertFalse(e.isInternalError());
        assertEquals("division by zero", e.getMessage());
        assertEquals("division by zero", e.getGuestObject().toString()); // not "org.osprey.runtime.OspreyError: division by zero"
        assertEquals("buckets.osp", e.getSourceLocation().getSource().getName());
        assertEquals(1, e.getSourceLocation().getStartLine());
        assertEquals(46, e.getSourceLocation().getStartColumn());
        PolyglotException.StackFrame top = e.getPolyglotStackTrace().iterator().next();
        assertEquals("bucketOf", top.getRootName());
    }

    @Test
    void aFaultInABlocksLastExpressionIsPlacedThereNotAtTheBlock() {
        PolyglotException e = evalFails("average.osp", """
                        fn average(xs: List<int>) -> int = {
                            let total = fold(xs, 0, fn(acc, x) => acc + x)
                            let n = length(xs)
                            total % n
                        }
                        print(average([]))
                        """);
        assertTrue(e.isGuestException(), e.getMessage());
        assertEquals(4, e.getSourceLocation().getStartLine());
        assertEquals(5, e.getSourceLocation().getStartColumn());
        assertEquals("total % n", e.getSourceLocation().getCharacters().toString());
    }

    /**
     * A statement limit (the polyglot API's ResourceLimits) counts every call of a function whose body is one
     * expression, every turn of a tail loop and of a fold, not only the statements in braces: an endless
     * `fn loop(n) = loop(n + 1)` is stopped by it.
     */
    @Test
    void aStatementLimitStopsLoopsWrittenAsExpressions() {
        for (String program : java.util.List.of("fn loop(n: int) -> int = loop(n + 1)\nprint(loop(0))",
                        "print(range(start: 0, end: 100000) |> fold(0, fn(acc, x) => acc + x))")) {
            org.graalvm.polyglot.ResourceLimits limits = org.graalvm.polyglot.ResourceLimits.newBuilder().statementLimit(1000, null).build();
            Context limited = Context.newBuilder("osprey").resourceLimits(limits).option("engine.WarnInterpreterOnly", "false").build();
            PolyglotException e = assertThrows(PolyglotException.class, () -> limited.eval("osprey", program));
            assertTrue(e.isResourceExhausted(), e.getMessage());
            assertTrue(e.getMessage().contains("Statement count limit of 1000 exceeded"), e.getMessage());
            // The limit cancelled the context; closing it says so once more.
            assertTrue(assertThrows(PolyglotException.class, limited::close).isResourceExhausted());
        }
    }

    /**
     * close(true) (a watchdog's cancel, a time limit) stops split, words and zipToMap between elements. Found by
     * the embedding QA pass: they did not look for a cancel until they were done, so cancelling the split of a
     * 36 MB text into 12 million parts took some 10 s, a zipToMap of 4 million keys 6 s (words, sort, merge,
     * entries: the same).
     */
    @Test
    void aCancelStopsALongBuiltinBetweenElements() throws Exception {
        String text = "let s = repeat(\"ab \", 12000000) ?: \"\"\n";
        String numbers = "let xs = range(0, 4000000) |> toList\n";
        for (String program : java.util.List.of(text + "print(\"ready\")\nlength(split(s, \" \") ?: [])", text + "print(\"ready\")\nlength(words(s))",
                        numbers + "print(\"ready\")\nlength(zipToMap(xs, xs) ?: { 0: 0 })")) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            Context busy = Context.newBuilder("osprey").out(out).option("osprey.LineBuffered", "true").option("engine.WarnInterpreterOnly", "false").build();
            java.util.concurrent.CompletableFuture<PolyglotException> ended = new java.util.concurrent.CompletableFuture<>();
            Thread running = new Thread(() -> {
                try {
                    busy.eval("osprey", program);
                    ended.complete(null);
                } catch (PolyglotException e) {
                    ended.complete(e);
                }
            });
            running.start();
            while (!out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("ready") && !ended.isDone()) {
                Thread.sleep(5); // polled: the program says when it has begun the long call
            }
            Thread.sleep(100); // into the call
            long start = System.nanoTime();
            busy.close(true);
            PolyglotException e = ended.get(60, java.util.concurrent.TimeUnit.SECONDS);
            long millis = (System.nanoTime() - start) / 1_000_000;
            String op = program.substring(program.lastIndexOf('\n') + 1);
            assertTrue(e != null && e.isCancelled(), op + ": " + e);
            assertTrue(millis < 1500, op + ": the cancel took " + millis + " ms");
        }
    }

    /**
     * Small functions are built into their callers (InlinedCall), but an error inside one still comes from
     * the function's own frame: the guest stack names every function, innermost first, with the line of
     * each call, even after the loop that calls them has run hot.
     */
    @Test
    void aRuntimeErrorInASmallFunctionShowsEveryFrame() {
        PolyglotException e = evalFails("hash.osp", """
                        fn step(x: int) -> int = x * 16807 % 2147483647
                        fn hashAt(seed: int, i: int) -> int = step(step(seed + i))
                        let warm = range(start: 0, end: 20000) |> fold(initial: 0, function: (acc, i) => (acc + hashAt(seed: 1, i: i)) % 1000003)
                        print(hashAt(seed: 9223372036854775000, i: warm - warm))
                        """);
        assertTrue(e.isGuestException());
        assertEquals("integer overflow: the result of '*' does not fit in a 64-bit int", e.getMessage());
        assertEquals(1, e.getSourceLocation().getStartLine());
        assertEquals(26, e.getSourceLocation().getStartColumn());
        java.util.List<String> frames = new java.util.ArrayList<>();
        for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
            if (f.isGuestFrame()) {
                frames.add(f.getRootName() + ":" + f.getSourceLocation().getStartLine());
            }
        }
        assertEquals(java.util.List.of("step:1", "hashAt:2", "<program>:4"), frames);
    }

    @Test
    void aRuntimeErrorInAFunctionCalledFromJavaReachesJava() {
        context.eval("osprey", "fn bucketOf(value: int, width: int) -> int = value % width");
        Value bucketOf = context.getBindings("osprey").getMember("bucketOf");
        assertEquals(2, bucketOf.execute(17, 5).asInt());
        PolyglotException e = assertThrows(PolyglotException.class, () -> bucketOf.execute(1, 0));
        assertEquals("division by zero", e.getMessage());
        assertTrue(e.isGuestException());
        // The context is still usable afterwards.
        assertEquals(1, bucketOf.execute(1, 3).asInt());
    }

    /**
     * A Java callback's exception reaches Java as the host's, its stack going from the callback's frames to the
     * Osprey functions that called it. Found by the embedding QA pass: a frame "<foreign function>(Unknown)", the
     * call into the callback, stood between them.
     */
    @Test
    void aJavaCallbacksExceptionShowsTheOspreyFunctionsThatCalledIt() {
        context.eval(Source.newBuilder("osprey", "fn call(f: (int) -> int) -> int = f(1) + 1\nfn outer(f: (int) -> int) -> int = call(f) * 2",
                        "calls.osp").buildLiteral());
        org.graalvm.polyglot.proxy.ProxyExecutable failing = args -> {
            throw new IllegalStateException("the callback failed");
        };
        PolyglotException e = assertThrows(PolyglotException.class, () -> context.getBindings("osprey").getMember("outer").execute(failing));
        assertTrue(e.isHostException());
        assertEquals("the callback failed", e.asHostException().getMessage());
        java.util.List<String> guest = new java.util.ArrayList<>();
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            if (frame.isGuestFrame()) {
                guest.add(frame.getRootName() + " " + (frame.getSourceLocation() == null ? "nowhere" : frame.getSourceLocation().getStartLine()));
            }
        }
        assertEquals(java.util.List.of("call 1", "outer 2"), guest);
    }

    /**
     * A value an option does not take names the option, as the launcher's flags and an embedder's Context.Builder.option
     * give several at once. Found by the embedding QA pass: a switch given "yes" was "Invalid boolean option value
     * 'yes'. The value of the option must be 'true' or 'false'.", naming none.
     */
    @Test
    void aValueAnOptionDoesNotTakeNamesTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Context.newBuilder("osprey").option("osprey.MaxCallDepth", "500").option("osprey.Sandbox", "yes").build());
        assertEquals("--osprey.Sandbox takes true or false, not 'yes'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Context.newBuilder("osprey").option("osprey.InlineSmallFunctions", "TRUE").build());
        assertEquals("--osprey.InlineSmallFunctions takes true or false, not 'TRUE'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Context.newBuilder("osprey").option("osprey.MaxCallDepth", "deep").build());
        assertEquals("--osprey.MaxCallDepth takes a whole number from 1 to 1000000, not 'deep'", e.getMessage());
        try (Context sandboxed = Context.newBuilder("osprey").option("osprey.Sandbox", "true").option("osprey.NoFs", "false")
                        .option("engine.WarnInterpreterOnly", "false").build()) {
            PolyglotException refused = assertThrows(PolyglotException.class, () -> sandboxed.eval("osprey", "readFile(\"notes.txt\")"));
            assertTrue(refused.getMessage().contains("'readFile' is not available"), refused.getMessage());
        }
    }

    @Test
    void recursionTooDeepIsAnErrorNotACrash() {
        try (Context shallow = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").option("osprey.MaxCallDepth", "50").build()) {
            shallow.eval("osprey", "fn depth(n: int) -> int = n == 0 ? 0 : 1 + depth(n: n - 1)");
            Value depth = shallow.getBindings("osprey").getMember("depth");
            assertEquals(40, depth.execute(40).asInt());
            PolyglotException e = assertThrows(PolyglotException.class, () -> depth.execute(100));
            assertEquals("stack overflow in function 'depth': more than 50 calls are nested (raise the limit with the context option osprey.MaxCallDepth)",
                            e.getMessage());
            assertEquals(30, depth.execute(30).asInt());
        }
    }
}
