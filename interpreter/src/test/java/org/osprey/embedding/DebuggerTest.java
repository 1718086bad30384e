package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Consumer;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

import com.oracle.truffle.api.debug.Breakpoint;
import com.oracle.truffle.api.debug.DebugScope;
import com.oracle.truffle.api.debug.DebugStackFrame;
import com.oracle.truffle.api.debug.DebugValue;
import com.oracle.truffle.api.debug.Debugger;
import com.oracle.truffle.api.debug.DebuggerSession;
import com.oracle.truffle.api.debug.SuspendedEvent;

/**
 * The Truffle debugger on Osprey code, as the Chrome inspector drives it: a breakpoint on a line, stepping
 * over and into calls, and the local variables of each frame with their values and Osprey types.
 */
class DebuggerTest {
    private static final String PROGRAM = """
                    fn greet(name: string) -> string = {
                        let greeting = "Hello, ${name}"
                        greeting + "!"
                    }
                    fn main() -> int = {
                        let who = "Ada"
                        let count = 3
                        let message = greet(who)
                        print(message)
                        0
                    }
                    """;

    /** One line per suspension: the line, the function, and the locals that have a value. */
    private static String describe(SuspendedEvent event) {
        DebugStackFrame frame = event.getTopStackFrame();
        StringJoiner locals = new StringJoiner(", ");
        for (DebugScope scope = frame.getScope(); scope != null && !scope.isFunctionScope(); scope = scope.getParent()) {
            addLocals(scope, locals);
        }
        DebugScope function = frame.getScope();
        while (function != null && !function.isFunctionScope()) {
            function = function.getParent();
        }
        if (function != null) {
            addLocals(function, locals);
        }
        return event.getSourceSection().getStartLine() + " " + frame.getName() + " [" + locals + "]";
    }

    private static void addLocals(DebugScope scope, StringJoiner locals) {
        for (DebugValue v : scope.getDeclaredValues()) {
            if (v.isReadable() && !v.isNull()) {
                String type = v.getMetaObject() == null ? "?" : v.getMetaObject().getMetaSimpleName();
                locals.add(v.getName() + "=" + v.toDisplayString() + ": " + type);
            }
        }
    }

    /** Where a run stopped (as {@link #describe}) and what it printed. */
    private record Stops(List<String> seen, String out) {
    }

    /**
     * Runs {@code program} with a breakpoint on {@code line}; at the i-th stop, {@code steps.get(i)} (if any)
     * says how to go on, else the run continues.
     */
    private static Stops run(String program, String name, int line, List<Consumer<SuspendedEvent>> steps) {
        List<String> seen = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Source source = Source.newBuilder("osprey", program, name).buildLiteral();
        try (Context context = Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").build();
                        DebuggerSession session = Debugger.find(context.getEngine()).startSession(event -> {
                            seen.add(describe(event));
                            int i = seen.size() - 1;
                            if (i < steps.size()) {
                                steps.get(i).accept(event);
                            }
                        })) {
            session.install(Breakpoint.newBuilder(source.getURI()).lineIs(line).build());
            context.eval(source);
        }
        return new Stops(seen, out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> debug(int line, List<Consumer<SuspendedEvent>> steps) {
        Stops stops = run(PROGRAM, "greet.osp", line, steps);
        List<String> seen = new ArrayList<>(stops.seen());
        seen.add("output: " + stops.out().strip());
        return seen;
    }

    @Test
    void aBreakpointOnALineThenStepIntoAndOver() {
        List<String> seen = debug(8, List.of(e -> e.prepareStepInto(1), e -> e.prepareStepOver(1), e -> e.prepareStepOver(1),
                        e -> e.prepareStepOver(1), e -> e.prepareContinue()));
        assertEquals(List.of(
                        "8 main [who=\"Ada\": string, count=3: int]",
                        "2 greet [name=\"Ada\": string]",
                        "3 greet [name=\"Ada\": string, greeting=\"Hello, Ada\": string]",
                        "8 main [who=\"Ada\": string, count=3: int]",
                        "9 main [who=\"Ada\": string, count=3: int, message=\"Hello, Ada!\": string]",
                        "output: Hello, Ada!"), seen);
    }

    @Test
    void stepOverWalksTheFunctionLineByLine() {
        List<String> seen = debug(6, List.of(e -> e.prepareStepOver(1), e -> e.prepareStepOver(1), e -> e.prepareStepOver(1),
                        e -> e.prepareStepOver(1), e -> e.prepareContinue()));
        assertEquals(List.of(
                        "6 main []",
                        "7 main [who=\"Ada\": string]",
                        "8 main [who=\"Ada\": string, count=3: int]",
                        "9 main [who=\"Ada\": string, count=3: int, message=\"Hello, Ada!\": string]",
                        "10 main [who=\"Ada\": string, count=3: int, message=\"Hello, Ada!\": string]",
                        "output: Hello, Ada!"), seen);
    }

    /**
     * A lambda written in place in a fold over a range runs in its caller's frame (InlinedLoop): it still
     * stops once per element, with the caller's locals and the lambda's.
     */
    @Test
    void aBreakpointInTheLambdaOfAFoldOverARange() {
        List<String> seen = new ArrayList<>();
        Source source = Source.newBuilder("osprey", """
                        fn total(n: int) -> int = range(start: 0, end: n) |> fold(initial: 0, function: (acc, i) => {
                            let square: int = i * i
                            acc + square
                        })
                        print(total(3))
                        """, "fold.osp").buildLiteral();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").build();
                        DebuggerSession session = Debugger.find(context.getEngine()).startSession(event -> seen.add(describe(event)))) {
            session.install(Breakpoint.newBuilder(source.getURI()).lineIs(2).build());
            session.install(Breakpoint.newBuilder(source.getURI()).lineIs(3).build());
            context.eval(source);
        }
        // Before its let, an element does not see the last element's square.
        assertEquals(List.of(
                        "2 total [n=3: int, acc=0: int, i=0: int]",
                        "3 total [n=3: int, acc=0: int, i=0: int, square=0: int]",
                        "2 total [n=3: int, acc=0: int, i=1: int]",
                        "3 total [n=3: int, acc=0: int, i=1: int, square=1: int]",
                        "2 total [n=3: int, acc=1: int, i=2: int]",
                        "3 total [n=3: int, acc=1: int, i=2: int, square=4: int]"), seen);
        assertEquals("5\n", out.toString(StandardCharsets.UTF_8));
    }

    /**
     * A small function is built into its caller (InlinedCall); a debugger that attaches after the program has
     * run it still stops inside it, in the function's own frame with its own locals.
     */
    @Test
    void aBreakpointInASmallFunctionAfterItRan() {
        List<String> seen = new ArrayList<>();
        Source source = Source.newBuilder("osprey", """
                        fn step(x: int) -> int {
                            let doubled: int = x * 2
                            doubled + 1
                        }
                        fn run(n: int) -> int = range(start: 0, end: n) |> fold(initial: 0, function: (acc, i) => acc + step(i))
                        """, "small.osp").buildLiteral();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").build()) {
            context.eval(source);
            Value run = context.getBindings("osprey").getMember("run");
            assertEquals(10000, run.execute(100).asInt());
            try (DebuggerSession session = Debugger.find(context.getEngine()).startSession(event -> seen.add(describe(event)))) {
                session.install(Breakpoint.newBuilder(source.getURI()).lineIs(3).build());
                assertEquals(4, run.execute(2).asInt());
            }
        }
        assertEquals(List.of("3 step [x=0: int, doubled=0: int]", "3 step [x=1: int, doubled=2: int]"), seen);
    }

    /**
     * A let of arithmetic in a function keeps the plain number in its slot (or the Error when it failed); the
     * debugger still shows the variable as the Result it is.
     */
    @Test
    void anArithmeticLetIsShownAsItsResult() {
        Stops stops = run("""
                        fn parts(x: int) -> int {
                            let a = x * 2
                            let f = toFloat(x) / 4.0
                            let b = x % 0
                            a + 1
                        }
                        print(parts(3))
                        """, "lets.osp", 5, List.of());
        assertEquals(List.of("5 parts [x=3: int, a=Success(6): Success, f=Success(0.75): Success, b=Error(DivisionByZero): Error]"), stops.seen());
        assertEquals("7\n", stops.out());
    }

    /** The same in a lambda built into its caller's frame (a fold over a range). */
    @Test
    void anArithmeticLetInAnInPlaceLambdaIsShownAsItsResult() {
        Stops stops = run("""
                        fn total(n: int) -> int = range(start: 0, end: n) |> fold(initial: 0, function: (acc, i) => {
                            let square = i * i
                            acc + square
                        })
                        print(total(2))
                        """, "foldlet.osp", 3, List.of());
        assertEquals(List.of(
                        "3 total [n=2: int, acc=0: int, i=0: int, square=Success(0): Success]",
                        "3 total [n=2: int, acc=0: int, i=1: int, square=Success(1): Success]"), stops.seen());
        assertEquals("1\n", stops.out());
    }

    /**
     * Small functions calling each other in tail position run as one loop, each built into the other; the
     * debugger still stops in the function it asked for, in its own frame, and a deep call before it attached
     * ran in constant stack.
     */
    @Test
    void aBreakpointInAMutualTailCallPartner() {
        List<String> seen = new ArrayList<>();
        Source source = Source.newBuilder("osprey", """
                        fn isEven(n: int) -> bool = n == 0 ? true : isOdd(n - 1)
                        fn isOdd(n: int) -> bool {
                            let m: int = n - 1
                            n == 0 ? false : isEven(m)
                        }
                        """, "parity.osp").buildLiteral();
        try (Context context = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            context.eval(source);
            Value isEven = context.getBindings("osprey").getMember("isEven");
            assertTrue(isEven.execute(1_000_000).asBoolean());
            try (DebuggerSession session = Debugger.find(context.getEngine()).startSession(event -> seen.add(describe(event)))) {
                session.install(Breakpoint.newBuilder(source.getURI()).lineIs(4).build());
                assertTrue(isEven.execute(4).asBoolean());
            }
        }
        assertEquals(List.of("4 isOdd [n=3: int, m=2: int]", "4 isOdd [n=1: int, m=0: int]"), seen);
    }

    /**
     * A call of a recursive function tests the function's base case in the caller (PeeledCall); with the
     * debugger attached, after the program has run such calls, the recursive case stops in the function's
     * own frame, as often and with the same locals as with nothing built in place.
     */
    @Test
    void aBreakpointInARecursionWhoseBaseCaseTheCallerTests() {
        String program = """
                        fn fib(n: int) -> int = match n {
                            0 => 0
                            1 => 1
                            _ => {
                                let a: int = fib(n - 1)
                                a + fib(n - 2)
                            }
                        }
                        """;
        assertEquals(List.of("5 fib [n=4: int]", "5 fib [n=3: int]", "5 fib [n=2: int]", "5 fib [n=2: int]"), stopsInFib(program, true));
        assertEquals(stopsInFib(program, false), stopsInFib(program, true));
    }

    private static List<String> stopsInFib(String program, boolean inPlace) {
        List<String> seen = new ArrayList<>();
        Source source = Source.newBuilder("osprey", program, "fib.osp").buildLiteral();
        try (Context context = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false")
                        .option("osprey.InlineSmallFunctions", Boolean.toString(inPlace)).build()) {
            context.eval(source);
            Value fib = context.getBindings("osprey").getMember("fib");
            assertEquals(6765, fib.execute(20).asInt());
            try (DebuggerSession session = Debugger.find(context.getEngine()).startSession(event -> seen.add(describe(event)))) {
                session.install(Breakpoint.newBuilder(source.getURI()).lineIs(5).build());
                assertEquals(3, fib.execute(4).asInt());
            }
        }
        return seen;
    }

    @Test
    void aBreakpointOnATopLevelStatement() {
        Stops stops = run("let a = 1\nlet b = \"x\"\nprint(b)\nprint(a)\n", "top.osp", 3, List.of());
        assertEquals(List.of("3 <program> [a=1: int, b=\"x\": string]"), stops.seen());
        assertEquals("x\n1\n", stops.out());
    }
}
