package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Evaluations in one context build one session, as REPL entries do: each sees the declarations of those
 * that ran before it, whatever the polyglot layer caches, and a parse that never runs changes nothing.
 */
class SessionTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Context context;

    @BeforeEach
    void open() {
        context = Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").build();
    }

    @AfterEach
    void close() {
        context.close();
    }

    private String printed() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    /**
     * An interactive source (Source.Builder.interactive(true)) is a REPL entry: what it declares and the value
     * of its last expression are printed with their types, and its fn main is declared, not run
     * (docs/embedding.md); the same text as a plain source prints nothing and runs main.
     */
    @Test
    void anInteractiveSourceIsAReplEntry() {
        interactive("let y = 41");
        assertEquals("y : int = 41\n", printed());
        assertEquals("Success(42)", interactive("y + 1").toString());
        assertEquals("Success(42) : Result<int, MathError>\n", printed());
        interactive("fn main() -> int = 3");
        assertEquals("main : () -> int\n", printed());
        assertEquals(3, context.eval(Source.create("osprey", "fn main() -> int = 3")).asInt());
        context.eval("osprey", "let z = 1\nz");
        assertEquals("", printed());
    }

    private Value interactive(String text) {
        return context.eval(Source.newBuilder("osprey", text, "entry").interactive(true).buildLiteral());
    }

    @Test
    void theSameTextEvaluatedAgainSeesTheDeclarationsMadeSince() {
        // context.eval(String, String) makes a cached Source: the polyglot layer hands the second evaluation of
        // the same text the call target of the first, parsed when x was 1.
        context.eval("osprey", "let x = 1");
        context.eval("osprey", "print(x)");
        context.eval("osprey", "let x = \"now a string\"");
        context.eval("osprey", "print(x)");
        context.eval("osprey", "fn g() -> int = 1");
        context.eval("osprey", "print(g())");
        context.eval("osprey", "fn g() -> int = 2");
        context.eval("osprey", "print(g())");
        assertEquals("1\nnow a string\n1\n2\n", printed());
        // A program that declares something, run twice, declares it twice.
        context.eval("osprey", "mut counter = 0");
        context.eval("osprey", "counter = counter + 1");
        context.eval("osprey", "counter = counter + 1");
        assertEquals(2, context.getBindings("osprey").getMember("counter").asInt());
    }

    @Test
    void theSameProgramRunAgainWithNothingDeclaredBetweenIsNotParsedAgain() {
        // An embedder running one script again and again (and the steady benchmark) keeps the script's
        // functions, and with them their compiled code; a declaration in between makes it parse again. The
        // parsed program is held here (a cached Source's parse may be collected between evaluations).
        Value program = context.parse("osprey", "fn step(n: int) -> int = n + 1\nprint(step(1))");
        program.execute();
        Value first = context.getBindings("osprey").getMember("step");
        program.execute();
        program.execute();
        assertTrue(first.equals(context.getBindings("osprey").getMember("step")), "the same function after running the script again");
        context.eval("osprey", "let other = 1");
        program.execute();
        assertFalse(first.equals(context.getBindings("osprey").getMember("step")), "parsed again after another declaration");
        assertEquals("2\n2\n2\n2\n", printed());
    }

    @Test
    void aParseThatIsNeverRunChangesNothing() {
        context.eval("osprey", "fn f() -> int = 1\nlet v = 10");
        Value parsed = context.parse("osprey", "fn f() -> string = \"new\"\nlet v = \"new\"");
        assertEquals(1, context.getBindings("osprey").getMember("f").execute().asInt());
        assertEquals(10, context.getBindings("osprey").getMember("v").asInt());
        context.eval("osprey", "print(v + 1)");
        assertEquals("11\n", printed());
        parsed.execute(); // run later, it declares what it declares, checked against the session as it is then
        assertEquals("new", context.getBindings("osprey").getMember("f").execute().asString());
    }

    /**
     * A later evaluation may call the main of an earlier one; only a program's own main runs when it starts.
     * Found by the embedding QA pass: 'main()' in a later evaluation was refused with "main is called when the
     * program starts ...; this call would run it a second time", though that evaluation declares no main.
     */
    @Test
    void aLaterEvaluationMayCallTheMainOfAnEarlierOne() {
        assertEquals(3, context.eval("osprey", "fn main() -> int = {\n    print(\"main ran\")\n    3\n}").asInt());
        assertEquals("main ran\n", printed());
        assertEquals(3, context.eval("osprey", "main()").asInt());
        assertEquals("main ran\n", printed());
        PolyglotException e = assertThrows(PolyglotException.class, () -> context.eval("osprey", "fn main() -> int = 4\nmain()"));
        assertTrue(e.getMessage().contains("this call would run it a second time"), e.getMessage());
    }

    @Test
    void anEvaluationWithoutMainIsWorthItsLastExpression() {
        assertEquals(7, context.eval("osprey", "let a = 3\na + 4").getMember("value").asInt()); // Success(7): arithmetic gives a Result
        assertEquals("ab", context.eval("osprey", "\"a\" + \"b\"").asString());
        assertTrue(context.eval("osprey", "let b = 1").isNull());
        assertEquals(5, context.eval("osprey", "fn main() -> int = 5\n\"ignored\"").asInt());
        // A ternary and ?: are expressions (matches inside); a match and a block are statements there.
        assertEquals(1, context.eval("osprey", "true ? 1 : 2").asInt());
        assertEquals("no", context.eval("osprey", "(1 < 0 ? \"yes\" : \"no\")").asString());
        assertEquals(5, context.eval("osprey", "let r: Result<int, string> = Error(\"x\")\nr ?: 5").asInt());
        assertTrue(context.eval("osprey", "match 1 {\n    1 => print(\"one\")\n    _ => 0\n}").isNull());
        assertTrue(context.eval("osprey", "{\n    let c = 2\n    c\n}").isNull());
    }

    @Test
    void anEvaluationWaitingForAnotherThreadIsCancelledWithoutRunning() throws Exception {
        ByteArrayOutputStream shared = new ByteArrayOutputStream();
        Context both = Context.newBuilder("osprey").out(shared).allowCreateThread(true).option("engine.WarnInterpreterOnly", "false")
                        .option("osprey.LineBuffered", "true").build(); // "spinning" is seen while it spins
        java.util.List<String> outcomes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread spinning = new Thread(() -> {
            try {
                both.eval("osprey", "fn spin(n: int) -> int = spin(n + 1)\nprint(\"spinning\")\nprint(spin(0))");
            } catch (PolyglotException e) {
                outcomes.add("A " + e.isCancelled());
            }
        });
        spinning.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!shared.toString(StandardCharsets.UTF_8).contains("spinning") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        Thread waiting = new Thread(() -> {
            try {
                both.eval("osprey", "print(\"B ran\")");
                outcomes.add("B returned");
            } catch (PolyglotException e) {
                outcomes.add("B " + e.isCancelled());
            }
        });
        waiting.start();
        while (waiting.getState() != Thread.State.WAITING && System.nanoTime() < deadline) { // parked on the execution lock
            Thread.onSpinWait();
        }
        both.close(true);
        spinning.join(30_000);
        waiting.join(30_000);
        assertEquals("spinning\n", shared.toString(StandardCharsets.UTF_8));
        assertEquals(java.util.Set.of("A true", "B true"), new java.util.HashSet<>(outcomes));
    }

    @Test
    void anEvaluationThatFaultedGivesItsUnrunNamesBack() {
        context.eval("osprey", "let limit = 1");
        PolyglotException e = assertThrows(PolyglotException.class, () -> context.eval("osprey", "let q: int = 5 % 0\nlet limit = 10"));
        assertTrue(e.isGuestException(), e.getMessage());
        assertEquals(1, context.getBindings("osprey").getMember("limit").asInt());
        assertFalse(context.getBindings("osprey").hasMember("q"));
        context.eval("osprey", "print(limit)");
        assertEquals("1\n", printed());
    }
}
