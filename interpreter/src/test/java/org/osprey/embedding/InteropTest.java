package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyHashMap;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Osprey seen from a Java host through the polyglot API: top-level declarations in the bindings, functions
 * called with Java arguments, and Osprey values as polyglot values.
 */
class InteropTest {
    private Context context;

    @BeforeEach
    void open() {
        context = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build();
        context.eval("osprey", """
                        type Point = { x: int, y: int }
                        type Shape = Circle { radius: float } | Square { side: float } | Empty

                        fn add(a: int, b: int) -> int = a + b
                        fn scale(factor: float, p: Point) -> Point = Point { x: toInt(toFloat(p.x) * factor), y: p.y }
                        fn greet(name: string) -> string = "Hello, ${name}!"
                        fn total(xs: List<int>) -> int = fold(xs, 0, fn(acc, x) => acc + x)
                        fn area(s: Shape) -> float = match s {
                            Circle { radius } => 3.0 * radius * radius
                            Square { side } => side * side
                            Empty => 0.0
                        }
                        fn safeDivide(a: int, b: int) -> Result<float, MathError> = a / b
                        fn twice(f: (int) -> int, x: int) -> int = f(f(x))
                        fn identity(x) = x
                        fn sameAges(ages: Map<string, int>) -> Map<string, int> = ages
                        fn people(ages: Map<string, int>) -> int = length(ages)

                        let origin = Point { x: 1, y: 2 }
                        let shapes = [Circle { radius: 1.0 }, Square { side: 2.0 }, Empty]
                        let ages = { "ann": 31, "bob": 42 }
                        let flag = true
                        let ratio = 0.5
                        let name = "osprey"
                        """);
    }

    @AfterEach
    void close() {
        context.close();
    }

    private Value top(String name) {
        return context.getBindings("osprey").getMember(name);
    }

    @Test
    void bindingsHoldTheTopLevelDeclarations() {
        Set<String> names = new TreeSet<>(context.getBindings("osprey").getMemberKeys());
        assertEquals(new TreeSet<>(List.of("add", "scale", "greet", "total", "area", "safeDivide", "twice", "identity", "sameAges", "people", "origin",
                        "shapes", "ages", "flag", "ratio", "name")), names);
        assertTrue(top("add").canExecute());
        assertFalse(context.getBindings("osprey").hasMember("Point"));
    }

    @Test
    void theBindingsFunctionsCanBeInvokedAsMembers() {
        // Found by the embedding QA pass: bindings.invokeMember("add", 3, 4) (and JavaScript's osprey.add(3, 4) on
        // the bindings) was an unsupported operation; only getMember("add").execute(3, 4) worked.
        Value bindings = context.getBindings("osprey");
        assertTrue(bindings.canInvokeMember("add"));
        assertFalse(bindings.canInvokeMember("origin"));
        assertFalse(bindings.canInvokeMember("nothing"));
        assertEquals(7, bindings.invokeMember("add", 3, 4).asInt());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bindings.invokeMember("add", 3, "four"));
        assertTrue(e.getMessage().contains("add: argument 2 ('b') must be int, not the string \"four\""), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> bindings.invokeMember("origin"));
    }

    /**
     * A function value tells where it is written (Value.getSourceLocation), as Truffle's tools and an
     * application showing a callback expect; a builtin has no place. Found by the embedding QA pass: every
     * function's location was null.
     */
    @Test
    void aFunctionTellsWhereItIsWritten() {
        context.eval(Source.create("osprey", """
                        fn inc(n: int) -> int = n + 1
                        let lambda = fn(s: string) => s + "!"
                        let builtin = toUpperCase
                        fn triple(n: int) = n * 3
                        type Tool = { run: (int) -> int }
                        let tool = Tool { run: triple }
                        """));
        org.graalvm.polyglot.SourceSection inc = top("inc").getSourceLocation();
        assertEquals("fn inc(n: int) -> int = n + 1", inc.getCharacters().toString());
        assertEquals(1, inc.getStartLine());
        org.graalvm.polyglot.SourceSection lambda = top("lambda").getSourceLocation();
        assertEquals(2, lambda.getStartLine());
        assertEquals("fn(s: string) => s + \"!\"", lambda.getCharacters().toString());
        assertEquals(null, top("builtin").getSourceLocation());
        // triple gives a Result, which the field's type unwraps: the field holds an adapter around triple.
        assertEquals("Success(6)", top("triple").execute(2).toString());
        assertEquals(6, top("tool").invokeMember("run", 2).asInt());
        assertEquals("fn triple(n: int) = n * 3", top("tool").getMember("run").getSourceLocation().getCharacters().toString());
    }

    @Test
    void primitivesAreJavaPrimitives() {
        assertTrue(top("flag").isBoolean());
        assertTrue(top("flag").asBoolean());
        assertEquals(0.5, top("ratio").asDouble());
        assertEquals("osprey", top("name").asString());
        assertEquals(7, top("add").execute(3, 4).asInt());
        assertEquals(7L, top("add").execute(3L, 4L).asLong());
        assertEquals("Hello, Java!", top("greet").execute("Java").asString());
    }

    @Test
    void aRecordFieldHoldingAFunctionCanBeInvokedAsAMember() {
        context.eval("osprey", """
                        type Tool = { name: string, run: (int) -> int }
                        let tool = Tool { name: "inc", run: fn(n) => n + 1 }
                        """);
        Value tool = top("tool");
        assertTrue(tool.canInvokeMember("run"));
        assertFalse(tool.canInvokeMember("name"));
        assertEquals(5, tool.invokeMember("run", 4).asInt());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tool.invokeMember("run", "four"));
        assertTrue(e.getMessage().contains("must be int, not the string \"four\""), e.getMessage());
    }

    @Test
    void recordsAreObjectsWithTheirFieldsAsMembers() {
        Value p = top("origin");
        assertEquals(List.of("x", "y"), List.copyOf(p.getMemberKeys()));
        assertEquals(1, p.getMember("x").asInt());
        assertEquals(2, p.getMember("y").asInt());
        assertEquals("Point", p.getMetaObject().getMetaSimpleName());
        assertEquals("Point { x: 1, y: 2 }", p.toString());
        Value scaled = top("scale").execute(3, p);
        assertEquals(3, scaled.getMember("x").asInt());
        assertTrue(scaled.getMetaObject().isMetaInstance(p));
        // The meta objects of int and string take the Java values Osprey takes as ints and strings.
        Value intType = context.eval("osprey", "1").getMetaObject();
        Value stringType = context.eval("osprey", "\"s\"").getMetaObject();
        assertTrue(intType.isMetaInstance(5) && intType.isMetaInstance(5L) && !intType.isMetaInstance("5"));
        assertTrue(stringType.isMetaInstance("x") && stringType.isMetaInstance('x') && !stringType.isMetaInstance(5));
    }

    @Test
    void unionVariantsCarryTheirVariantNameAsMetaObject() {
        Value shapes = top("shapes");
        assertTrue(shapes.hasArrayElements());
        assertEquals(3, shapes.getArraySize());
        Value circle = shapes.getArrayElement(0);
        assertEquals("Circle", circle.getMetaObject().getMetaSimpleName());
        assertEquals("Shape.Circle", circle.getMetaObject().getMetaQualifiedName());
        assertEquals(1.0, circle.getMember("radius").asDouble());
        assertEquals("Empty", shapes.getArrayElement(2).getMetaObject().getMetaSimpleName());
        assertEquals(4.0, top("area").execute(shapes.getArrayElement(1)).asDouble());
    }

    @Test
    void resultsAreReadableAsVariants() {
        Value ok = top("safeDivide").execute(7, 2);
        assertEquals("Result.Success", ok.getMetaObject().getMetaQualifiedName());
        assertEquals(3.5, ok.getMember("value").asDouble());
        Value failed = top("safeDivide").execute(1, 0);
        assertEquals("Error", failed.getMetaObject().getMetaSimpleName());
        assertEquals("DivisionByZero", failed.getMember("message").getMetaObject().getMetaSimpleName());
        assertEquals("Error(DivisionByZero)", failed.toString());
    }

    @Test
    void mapsAreHashes() {
        Value ages = top("ages");
        assertTrue(ages.hasHashEntries());
        assertEquals(2, ages.getHashSize());
        assertEquals(42, ages.getHashValue("bob").asInt());
        assertFalse(ages.hasHashEntry("carl"));
        Map<String, Integer> copy = ages.as(new org.graalvm.polyglot.TypeLiteral<Map<String, Integer>>() {
        });
        assertEquals(Map.of("ann", 31, "bob", 42), copy);
        assertEquals("Map", ages.getMetaObject().getMetaSimpleName());
    }

    @Test
    void hashesBecomeOspreyMaps() {
        Map<Object, Object> java = new java.util.HashMap<>(Map.of("cy", 7, "dee", 9));
        assertEquals(2, top("people").execute(ProxyHashMap.from(java)).asInt());
        Value back = top("sameAges").execute(ProxyHashMap.from(java));
        assertEquals(9, back.getHashValue("dee").asInt());
        java.put("eve", "old");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("people").execute(ProxyHashMap.from(java)));
        assertTrue(e.getMessage().contains("people: argument 1 ('ages') must be Map<string, int>, not a hash whose value for the key \"eve\" is the"
                        + " string \"old\""), e.getMessage());
    }

    /**
     * A hash given for a parameter of generic type whose keys no Osprey map has (a float, a list, null) is refused
     * naming such a key. Found by the embedding QA pass: the message wanted the very type the hash had made, "must be
     * Map<float, string>, not a hash whose entries do not fit", which no hash could ever satisfy.
     */
    @Test
    void aHashWithKeysNoMapHasIsRefusedNamingSuchAKey() {
        String keys = " (a map's keys are int, string or bool)";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(ProxyHashMap.from(Map.of(1.5, "a"))));
        assertTrue(e.getMessage().contains("identity: argument 1 ('x') must be an Osprey value, not a hash with the key the float 1.5" + keys
                        + " Provided"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(ProxyHashMap.from(Map.of(ProxyArray.fromArray(1), "a"))));
        assertTrue(e.getMessage().contains("must be an Osprey value, not a hash with the key a value of type List ([1])" + keys), e.getMessage());
        java.util.Map<Object, Object> nullKey = new java.util.HashMap<>();
        nullKey.put(null, 1);
        e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(ProxyHashMap.from(nullKey)));
        assertTrue(e.getMessage().contains("must be an Osprey value, not a hash with the key null" + keys), e.getMessage());
        // Inside a list too, and in a parameter whose map type leaves the key type open.
        context.eval("osprey", "fn count<K, V>(m: Map<K, V>) -> int = length(m)");
        e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(ProxyArray.fromArray(ProxyHashMap.from(Map.of(2.5, 1)))));
        assertTrue(e.getMessage().contains("must be an Osprey value, not an array holding a hash with the key the float 2.5" + keys), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("count").execute(ProxyHashMap.from(Map.of(2.5, 1))));
        assertTrue(e.getMessage().contains("count: argument 1 ('m') must be Map<T, U>, not a hash with the key the float 2.5" + keys), e.getMessage());
        assertEquals(1, top("count").execute(ProxyHashMap.from(Map.of(true, 1))).asInt());
        assertEquals(1, top("identity").execute(ProxyHashMap.from(Map.of(7, "a"))).getHashSize());
    }

    @Test
    void metaObjectsOfPrimitivesUseOspreysNames() {
        assertEquals("int", top("add").execute(1, 2).getMetaObject().getMetaSimpleName());
        assertEquals("float", top("ratio").getMetaObject().getMetaSimpleName());
        assertEquals("string", top("name").getMetaObject().getMetaSimpleName());
        assertEquals("bool", top("flag").getMetaObject().getMetaSimpleName());
        assertEquals("List", top("shapes").getMetaObject().getMetaSimpleName());
        assertEquals("function", top("add").getMetaObject().getMetaSimpleName());
    }

    @Test
    void arraysBecomeOspreyLists() {
        assertEquals(6, top("total").execute(ProxyArray.fromList(List.of(1, 2, 3))).asInt());
        assertEquals(0, top("total").execute(ProxyArray.fromArray()).asInt());
    }

    @Test
    void javaArraysAndListsAreListsWhereTheEmbedderAllowsHostAccess() {
        try (Context open = Context.newBuilder("osprey").allowHostAccess(HostAccess.ALL).option("engine.WarnInterpreterOnly", "false").build()) {
            open.eval("osprey", "fn total(xs: List<int>) -> int = fold(xs, 0, fn(acc, x) => acc + x)");
            Value total = open.getBindings("osprey").getMember("total");
            assertEquals(10, total.execute(new int[] {1, 2, 3, 4}).asInt());
            assertEquals(6, total.execute(List.of(1, 2, 3)).asInt());
        }
        // Without host access a Java array is an opaque object, which no Osprey type fits. Found by the embedding
        // QA pass: the message named its class only, not that the context was the reason or what to pass instead.
        String how = ", which this context lets Osprey use only with host access (give %s, or build the context with"
                        + " allowHostAccess(HostAccess.ALL))";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("total").execute(new int[] {1}));
        assertTrue(e.getMessage().contains("total: argument 1 ('xs') must be List<int>, not a Java object (") && e.getMessage().contains(
                        how.formatted("a ProxyArray")), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("total").execute(new java.util.ArrayList<>(List.of(1, 2))));
        assertTrue(e.getMessage().contains("must be List<int>, not a Java object (") && e.getMessage().contains(how.formatted("a ProxyArray")),
                        e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("people").execute(Map.of("ann", 31)));
        assertTrue(e.getMessage().contains("people: argument 1 ('ages') must be Map<string, int>, not a Java object (")
                        && e.getMessage().contains(how.formatted("a ProxyHashMap")), e.getMessage());
        java.util.function.IntUnaryOperator plusOne = x -> x + 1;
        e = assertThrows(IllegalArgumentException.class, () -> top("twice").execute(plusOne, 1));
        assertTrue(e.getMessage().contains("twice: argument 1 ('f') must be (int) -> int, not a Java object (")
                        && e.getMessage().contains(how.formatted("a ProxyExecutable")), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(List.of("a")));
        assertTrue(e.getMessage().contains("identity: argument 1 ('x') must be an Osprey value, not a Java object (")
                        && e.getMessage().contains(how.formatted("a ProxyArray")), e.getMessage());
        // Any other Java object is named as before.
        e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(new StringBuilder("x")));
        assertTrue(e.getMessage().contains("identity: argument 1 ('x') must be an Osprey value, not a Java object (java.lang.StringBuilder) Provided"), e.getMessage());
    }

    @Test
    void javaFunctionsCanBePassedWhereAFunctionIsExpected() {
        ProxyExecutable plusTen = args -> args[0].asInt() + 10;
        assertEquals(25, top("twice").execute(plusTen, 5).asInt());
        // A string reaches Java as a String: "" + args[0] is its text, not TruffleString's class name.
        context.eval("osprey", "fn through(f: (string) -> string, s: string) -> string = f(s)");
        ProxyExecutable shout = args -> "" + args[0] + "!";
        assertEquals("Hello, ada!!", top("through").execute(shout, top("greet").execute("ada")).asString());
    }

    /**
     * A Java callback writing to the stream Osprey prints to (System.out by default) comes after what Osprey
     * printed before calling it. Found by the embedding QA pass: Osprey's output was still in its buffer, so the
     * callback's lines came first.
     */
    @Test
    void whatOspreyPrintedIsOutBeforeAJavaCallbackRuns() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (Context printing = Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").build()) {
            printing.eval("osprey", "fn report(log: (string) -> unit) -> unit = {\n    print(\"step 1\")\n    log(\"step 2\")\n    print(\"step 3\")\n}");
            ProxyExecutable log = a -> {
                out.writeBytes((a[0].asString() + " (from Java)\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return null;
            };
            printing.getBindings("osprey").getMember("report").execute(log);
        }
        assertEquals("step 1\nstep 2 (from Java)\nstep 3\n", out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void genericFunctionsTakeAnyOspreyValue() {
        assertEquals(5, top("identity").execute(5).asInt());
        assertEquals("x", top("identity").execute("x").asString());
        assertEquals(3, top("identity").execute(ProxyArray.fromArray(1, 2, 3)).getArraySize());
    }

    /**
     * An array or hash that does not fit is refused naming the first element or entry that does not. Found by the
     * embedding QA pass: the message said "an array whose elements do not fit", leaving the embedder to find
     * which of them; and a JavaScript object (or ProxyObject) given for a map was just "an object".
     */
    @Test
    void aCollectionThatDoesNotFitNamesWhatInItDoesNot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("total").execute(ProxyArray.fromArray(1, 2, 2.5, "x")));
        assertTrue(e.getMessage().contains("total: argument 1 ('xs') must be List<int>, not an array whose element at index 2 is the float 2.5"),
                        e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("people").execute(ProxyHashMap.from(Map.of("ann", 31, "bob", "old"))));
        assertTrue(e.getMessage().contains("people: argument 1 ('ages') must be Map<string, int>, not a hash whose value for the key \"bob\" is"
                        + " the string \"old\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("people").execute(ProxyHashMap.from(Map.of(7, 31))));
        assertTrue(e.getMessage().contains("people: argument 1 ('ages') must be Map<string, int>, not a hash with the key the int 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("people").execute(org.graalvm.polyglot.proxy.ProxyObject.fromMap(Map.of("ann", 31))));
        assertTrue(e.getMessage().contains("people: argument 1 ('ages') must be Map<string, int>, not an object with members, which is not a hash"
                        + " (give a hash: a ProxyHashMap, a JavaScript Map)"), e.getMessage());
    }

    /**
     * NaN and the infinities, which no Osprey float is (docs/language.md), are refused where Java gives them
     * for a float: as an argument, in a generic argument, and as the result of a Java function. Found by the
     * embedding QA pass: Java's Double.NaN passed to {@code show} printed "NaN", and a Java function returning
     * Double.NEGATIVE_INFINITY gave Osprey "-Infinity".
     */
    @Test
    void nanAndTheInfinitiesAreRefusedAsFloats() {
        context.eval("osprey", """
                        fn show(x: float) -> string = toString(x)
                        fn showAll(xs: List<float>) -> string = toString(xs)
                        fn showResult(f: (int) -> float) -> string = toString(f(1))
                        """);
        String never = " (an Osprey float is never NaN or infinite)";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("show").execute(Double.NaN));
        assertTrue(e.getMessage().contains("show: argument 1 ('x') must be float, not NaN" + never), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("identity: argument 1 ('x') must be an Osprey value, not Infinity" + never), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("showAll").execute(ProxyArray.fromArray(1.5, Double.NaN)));
        assertTrue(e.getMessage().contains("showAll: argument 1 ('xs') must be List<float>, not an array whose element at index 1 is NaN" + never),
                        e.getMessage());
        PolyglotException p = assertThrows(PolyglotException.class,
                        () -> top("showResult").execute((ProxyExecutable) args -> Double.NEGATIVE_INFINITY));
        assertTrue(p.isGuestException(), p.toString());
        assertEquals("a function of another language returned -Infinity" + never + " where float was expected", p.getMessage());
        assertEquals("2.5", top("show").execute(2.5).asString());
        assertEquals(-1.5, top("identity").execute(-1.5).asDouble());
    }

    @Test
    void anArgumentOfTheWrongTypeIsRefusedNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("add").execute(1, "two"));
        assertTrue(e.getMessage().contains("add: argument 2 ('b') must be int, not the string \"two\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("add").execute(1.5, 2));
        assertTrue(e.getMessage().contains("add: argument 1 ('a') must be int, not the float 1.5"), e.getMessage());
        // A BigInteger beyond 64 bits converts to a float: the message names the integer it was.
        e = assertThrows(IllegalArgumentException.class, () -> top("add").execute(java.math.BigInteger.ONE.shiftLeft(70), 2));
        assertTrue(e.getMessage().contains("add: argument 1 ('a') must be int, not the integer 1180591620717411303424, outside int's range"),
                        e.getMessage());
        assertEquals(3, top("add").execute(java.math.BigInteger.ONE, 2).asInt());
        e = assertThrows(IllegalArgumentException.class, () -> top("total").execute(ProxyArray.fromArray("a")));
        assertTrue(e.getMessage().contains("total: argument 1 ('xs') must be List<int>"), e.getMessage());
        // An array too long for a list is refused at once (it was copied until the heap ran out).
        ProxyArray endless = new ProxyArray() {
            @Override
            public Object get(long index) {
                return 1;
            }

            @Override
            public void set(long index, Value value) {
                throw new UnsupportedOperationException("read-only: Osprey copies an array it is given and never writes it");
            }

            @Override
            public long getSize() {
                return Long.MAX_VALUE;
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> top("total").execute(endless));
        assertTrue(e.getMessage().contains("total: argument 1 ('xs') must be List<int>, not an array of 9223372036854775807 elements, more than a list can hold"),
                        e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("area").execute(top("origin")));
        assertTrue(e.getMessage().contains("area: argument 1 ('s') must be Shape, not a value of type Point (Point { x: 1, y: 2 })"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("area").execute(org.graalvm.polyglot.proxy.ProxyObject.fromMap(Map.of("r", 1))));
        assertTrue(e.getMessage().contains("area: argument 1 ('s') must be Shape, not an object"), e.getMessage()); // not "a org.graalvm..."
        e = assertThrows(IllegalArgumentException.class, () -> top("add").execute(1));
        assertTrue(e.getMessage().contains("Expected 2 argument(s) but got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("greet").execute((Object) null));
        assertTrue(e.getMessage().contains("greet: argument 1 ('name') must be string, not null Provided"), e.getMessage()); // not "a value of type unit (())"
    }

    @Test
    void aClosureOfAGenericFunctionTakesTheTypesOfTheCallThatMadeIt() {
        // Found by the embedding QA pass: y's type is makeStore's T, which the closure's own signature leaves
        // free, so "bad" went into a List<int> and Osprey code summing it failed with a ClassCastException.
        // The captured values say what T was (items holds ints).
        context.eval("osprey", """
                        fn makeStore(x) = {
                            mut items = [x]
                            fn(y) => {
                                items = items + [y]
                                items
                            }
                        }
                        let store = makeStore(1)
                        fn stored() -> int = fold(store(0), 0, fn(a, b) => a + b)
                        fn pairWith(x) = fn(y) => (x, y)
                        fn keyed(key) = {
                            let m = set({}, key, 1)
                            fn(k) => m[k] ?: 0
                        }
                        fn either(x) = fn(other) => [x, other]
                        """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("store").execute("bad"));
        assertTrue(e.getMessage().contains("argument 1 ('y') must be int, not the string \"bad\""), e.getMessage());
        assertEquals(2, top("store").execute(2).getArraySize()); // [1, 2]: the refused call changed nothing
        assertEquals(3, top("stored").execute().asInt()); // [1, 2, 0]
        Value pair = top("pairWith").execute("a"); // y's type is the closure's own, not pairWith's: anything goes
        assertEquals(1.5, pair.execute(1.5).getArrayElement(1).asDouble());
        assertEquals("a", pair.execute(true).getArrayElement(0).asString());
        Value byKey = top("keyed").execute("one"); // k must be a key of m: a string
        e = assertThrows(IllegalArgumentException.class, () -> byKey.execute(1));
        assertTrue(e.getMessage().contains("argument 1 ('k') must be string, not the int 1"), e.getMessage());
        assertEquals(1, byKey.execute("one").asInt());
        Value same = top("either").execute(ProxyArray.fromArray(1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> same.execute(ProxyArray.fromArray("x")));
        assertTrue(e.getMessage().contains("must be List<int>"), e.getMessage());
        assertEquals(2, same.execute(ProxyArray.fromArray(3)).getArraySize());
    }

    @Test
    void declaredTypeParametersTakeWhatEachCallGives() {
        // A function's declared T is rigid while its body is checked; a call from outside chooses it afresh,
        // and a closure made by a call keeps that call's choice.
        context.eval("osprey", """
                        fn same<T>(x: T) -> T = x
                        fn collector<T>(first: T) -> (T) -> List<T> = {
                            mut items: List<T> = [first]
                            (y: T) => {
                                items = items + [y]
                                items
                            }
                        }
                        let names = collector(first: "a")
                        """);
        assertEquals(5, top("same").execute(5).asInt());
        assertEquals("s", top("same").execute("s").asString());
        assertEquals(2, top("names").execute("b").getArraySize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("names").execute(3));
        assertTrue(e.getMessage().contains("argument 1 ('y') must be string, not the int 3"), e.getMessage());
        Value numbers = top("collector").execute(1);
        assertEquals(2, numbers.execute(2).getArraySize());
        assertThrows(IllegalArgumentException.class, () -> numbers.execute("two"));
    }

    @Test
    void anOspreyFunctionOfTheWrongTypeIsRefusedByItsSignature() {
        // Before, only the count of parameters was compared, and twice(greet, 1) failed inside the interpreter
        // with a ClassCastException (an internal error) when greet got an int.
        context.eval("osprey", """
                        fn apply(f, x) = f(x)
                        fn callAll(fs: List<(int) -> int>) -> int = fold(fs, 0, fn(acc, f) => acc + f(1))
                        fn negate(v: float) -> float = -v
                        fn inc(n: int) -> int = n + 1
                        """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("twice").execute(top("greet"), 1));
        assertTrue(e.getMessage().contains("twice: argument 1 ('f') must be (int) -> int, not the function greet, (string) -> string"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("twice").execute(top("negate"), 1));
        assertTrue(e.getMessage().contains("must be (int) -> int, not the function negate, (float) -> float"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("callAll").execute(ProxyArray.fromArray(top("inc"), top("greet"))));
        assertTrue(e.getMessage().contains("callAll: argument 1 ('fs') must be List<(int) -> int>"), e.getMessage());
        // A generic parameter: the function fixes the type the other argument must have.
        e = assertThrows(IllegalArgumentException.class, () -> top("apply").execute(top("greet"), 1));
        assertTrue(e.getMessage().contains("apply: argument 2 ('x') must be string, not the int 1"), e.getMessage());
        assertEquals("Hello, ada!", top("apply").execute(top("greet"), "ada").asString());
        assertEquals(4, top("twice").execute(top("inc"), 2).asInt());
        assertEquals(4, top("callAll").execute(ProxyArray.fromArray(top("inc"), top("inc"))).asInt());
    }

    @Test
    void negativeZeroIsTheIntZero() {
        assertEquals(2, top("add").execute(-0.0, 2).asInt()); // JavaScript's Math.round(-0.2)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("add").execute(-0.5, 2));
        assertTrue(e.getMessage().contains("add: argument 1 ('a') must be int, not the float -0.5"), e.getMessage());
    }

    @Test
    void aRecordOfAnEarlierDeclarationOfItsTypeIsRefusedSayingSo() {
        Value old = top("origin");
        context.eval("osprey", "type Point = { x: int, y: int, z: int }\nfn norm(p: Point) -> int = p.x + p.y + p.z");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("norm").execute(old));
        assertTrue(e.getMessage().contains("norm: argument 1 ('p') must be Point as this context declares it now, not a Point of another"
                        + " context or of an earlier declaration of Point"), e.getMessage());
    }

    /**
     * A record of another context reaches a function wrapped by Truffle; found by the embedding QA pass, it was
     * refused as "not an object". Lists and functions of another context are copied or called, records are not.
     */
    @Test
    void aRecordOfAnotherContextIsRefusedSayingWhereItCameFrom() {
        try (Context other = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            other.eval("osprey", "type Point = { x: int, y: int }\nlet corner = Point { x: 3, y: 4 }\nlet xs = [1, 2, 3]");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> top("scale").execute(2.0, other.getBindings("osprey").getMember("corner")));
            assertTrue(e.getMessage().contains("scale: argument 2 ('p') must be Point, not a Point of another context (Point { x: 3, y: 4 }), which"
                            + " cannot be used in this one"), e.getMessage());
            assertEquals(6, top("total").execute(other.getBindings("osprey").getMember("xs")).asInt());
        }
    }

    /**
     * A function of another context is called through Truffle, as another language's function is, and its
     * argument and result are checked at the call; found by the embedding QA pass, the messages called it "a
     * function of another language", which sent the reader looking for JavaScript. They name it now.
     */
    @Test
    void aFunctionOfAnotherContextIsNamedInTheMessagesOfItsCall() {
        try (Context other = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            other.eval("osprey", "fn inc(x: int) -> int = x + 1\nfn square(x: int) = x * x\nfn shout(s: string) -> string = s + \"!\"");
            Value functions = other.getBindings("osprey");
            assertEquals(5, top("twice").execute(functions.getMember("inc"), 3).asInt());
            PolyglotException e = assertThrows(PolyglotException.class, () -> top("twice").execute(functions.getMember("shout"), 3));
            assertEquals("calling the function shout of another context failed: shout: argument 1 ('s') must be string, not the int 3", e.getMessage());
            assertEquals("f(x)", e.getSourceLocation().getCharacters().toString());
            e = assertThrows(PolyglotException.class, () -> top("twice").execute(functions.getMember("square"), 3));
            assertEquals("the function square of another context returned a Success of another context (Success(9)), which cannot be used in this one"
                            + " where int was expected", e.getMessage());
            // Another language's function is named as before.
            ProxyExecutable text = args -> "ten";
            e = assertThrows(PolyglotException.class, () -> top("twice").execute(text, 5));
            assertEquals("a function of another language returned the string \"ten\" where int was expected", e.getMessage());
        }
    }

    /**
     * A function of another language or of another context given for a parameter of generic type is refused saying
     * why: nothing tells its types there, which a parameter of function type does. Found by the embedding QA pass:
     * the message was "must be an Osprey value, not a function", though an Osprey function of this context is taken.
     */
    @Test
    void aForeignFunctionForAGenericParameterIsRefusedSayingWhy() {
        String why = " (only a parameter of function type, such as (int) -> int, takes it: nothing tells its types here)";
        ProxyExecutable javaFunction = args -> 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(javaFunction));
        assertTrue(e.getMessage().contains("identity: argument 1 ('x') must be an Osprey value, not a function of another language" + why + " Provided"),
                        e.getMessage());
        try (Context other = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            other.eval("osprey", "fn inc(x: int) -> int = x + 1");
            Value inc = other.getBindings("osprey").getMember("inc");
            e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(inc));
            assertTrue(e.getMessage().contains("identity: argument 1 ('x') must be an Osprey value, not the function inc of another context" + why),
                            e.getMessage());
            assertEquals(4, top("twice").execute(inc, 2).asInt()); // a parameter of function type takes it
        }
        assertEquals("<fn add>", top("identity").execute(top("add")).toString()); // and a generic one this context's own
    }

    /**
     * An array given where no list is taken is named as an array; found by the embedding QA pass, it was "an array
     * whose elements do not fit", which said that an array of other elements would have done, for a tuple too.
     */
    @Test
    void anArrayWhereNoListIsTakenIsNamedAsAnArray() {
        context.eval("osprey", "fn firstOf(t: (int, string)) -> int = 1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("firstOf").execute(ProxyArray.fromArray(1, "a")));
        assertTrue(e.getMessage().contains("firstOf: argument 1 ('t') must be (int, string), not an array (a tuple parameter takes only a tuple"
                        + " that Osprey made) Provided"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("add").execute(ProxyArray.fromArray(1), 2));
        assertTrue(e.getMessage().contains("add: argument 1 ('a') must be int, not an array Provided"), e.getMessage());
        // Where a list is taken, the element that does not fit is named, as before.
        e = assertThrows(IllegalArgumentException.class, () -> top("identity").execute(ProxyArray.fromArray(1, "a")));
        assertTrue(e.getMessage().contains("identity: argument 1 ('x') must be an Osprey value, not an array whose elements do not fit"), e.getMessage());
    }

    /**
     * An object of another language given for a record or union type is refused saying that only Osprey makes
     * such a value; found by the embedding QA pass, it was "not an object", for a ProxyObject or a JavaScript
     * object with exactly the record's fields too.
     */
    @Test
    void anObjectWhereARecordIsTakenIsRefusedSayingWhereOneComesFrom() {
        ProxyObject point = ProxyObject.fromMap(Map.of("x", 1, "y", 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("scale").execute(2.0, point));
        assertTrue(e.getMessage().contains("scale: argument 2 ('p') must be Point, not an object (only Osprey makes a Point: call an Osprey"
                        + " function that returns one) Provided"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("area").execute(ProxyObject.fromMap(Map.of("radius", 1.0))));
        assertTrue(e.getMessage().contains("area: argument 1 ('s') must be Shape, not an object (only Osprey makes a Shape: call an Osprey"
                        + " function that returns one) Provided"), e.getMessage());
        assertEquals("Point { x: 2, y: 2 }", top("scale").execute(2.0, top("origin")).toString());
    }

    @Test
    void oneTypeVariableIsOneTypeAcrossTheArgumentsOfACall() {
        context.eval("osprey", """
                        fn pair(a, b) = [a, b]
                        fn put(m, k, v) = set(m, k, v)
                        fn sorted(xs) = sort(xs)
                        """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("pair").execute(1, "x"));
        assertTrue(e.getMessage().contains("pair: argument 2 ('b') must be int, not the string \"x\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("sorted").execute(ProxyArray.fromArray(2, "a", 1)));
        assertTrue(e.getMessage().contains("sorted: argument 1 ('xs') must be List<"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("put").execute(ProxyHashMap.from(new java.util.HashMap<>()), 1.5, 1));
        assertTrue(e.getMessage().contains("put: argument 2 ('k')"), e.getMessage());
        assertEquals("[1, 2]", top("pair").execute(1, 2).toString());
        assertEquals("[1, 2, 3]", top("sorted").execute(ProxyArray.fromArray(3, 1, 2)).toString());
        assertEquals(5, top("put").execute(ProxyHashMap.from(new java.util.HashMap<>()), "k", 5).getHashValue("k").asInt());
    }

    @Test
    void aForeignFunctionReturningTheWrongTypeStopsWithAClearError() {
        ProxyExecutable text = args -> "ten";
        PolyglotException e = assertThrows(PolyglotException.class, () -> top("twice").execute(text, 5));
        assertTrue(e.isGuestException());
        assertEquals("a function of another language returned the string \"ten\" where int was expected", e.getMessage());
        // At the Osprey call that called it (the inner f(x) of twice), not nowhere.
        assertEquals("f(x)", e.getSourceLocation().getCharacters().toString());
        ProxyExecutable nothing = args -> null;
        e = assertThrows(PolyglotException.class, () -> top("twice").execute(nothing, 5));
        assertEquals("a function of another language returned null where int was expected", e.getMessage());
        // A generic result is one type for all the function's results in the call that passed it.
        context.eval("osprey", "fn mapAll(f) = [1, 2, 3] |> map(f)");
        int[] calls = {0};
        ProxyExecutable mixed = args -> calls[0]++ == 1 ? "s" : 1;
        e = assertThrows(PolyglotException.class, () -> top("mapAll").execute(mixed));
        assertEquals("a function of another language returned the string \"s\" where int was expected", e.getMessage());
        ProxyExecutable same = args -> "v" + args[0].asInt();
        assertEquals("[\"v1\", \"v2\", \"v3\"]", top("mapAll").execute(same).toString());
    }

    @Test
    void aForeignFunctionGivenBackToJavaKeepsTheResultTypeItWasGivenWith() {
        // Found by the embedding QA pass: a Java function passed as a (string) -> string comes back from Osprey as
        // an Osprey function value whose results are checked against string. Its type was "takes anything, gives
        // anything", so twice took it as an (int) -> int and Osprey's int arithmetic got a string: an internal
        // ClassCastException.
        context.eval("osprey", """
                        fn keep(f: (string) -> string) = f
                        fn callAll(fs: List<(int) -> int>) -> int = fold(fs, 0, fn(acc, f) => acc + f(1))
                        fn through(f: (string) -> string, s: string) -> string = f(s)
                        """);
        ProxyExecutable exclaim = args -> args[0] + "!";
        Value kept = top("keep").execute(exclaim);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top("twice").execute(kept, 3));
        assertTrue(e.getMessage().contains("twice: argument 1 ('f') must be (int) -> int, not the function <foreign function>, (T) -> string"),
                        e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> top("callAll").execute(ProxyArray.fromArray(kept)));
        assertTrue(e.getMessage().contains("callAll: argument 1 ('fs') must be List<(int) -> int>"), e.getMessage());
        assertEquals("a!", top("through").execute(kept, "a").asString());
        assertEquals("b!", kept.execute("b").asString());
    }

    @Test
    void callsFromSeveralJavaThreadsTakeTurns() throws Exception {
        Value add = top("add");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Long>> sums = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                sums.add(pool.submit(() -> {
                    long sum = 0;
                    for (int i = 0; i < 1000; i++) {
                        sum += add.execute(i, 1).asLong();
                    }
                    return sum;
                }));
            }
            for (java.util.concurrent.Future<Long> sum : sums) {
                assertEquals(500500L, sum.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void evaluationsFromSeveralJavaThreadsTakeTurnsAndTheBindingsCanBeReadMeanwhile() throws Exception {
        // Found by the embedding QA pass: Context.eval checks its program before the program's root takes the
        // execution lock, and the bindings were read without it, so a program declaring something on another
        // thread changed the session under them: a ConcurrentModificationException (an internal error).
        context.eval("osprey", "mut evaluations = 0");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            List<java.util.concurrent.Future<?>> writers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        context.eval("osprey", "evaluations = evaluations + 1\nlet declared" + thread + "x" + i + " = " + i);
                    }
                }));
            }
            java.util.concurrent.Future<?> reader = pool.submit(() -> {
                Value bindings = context.getBindings("osprey");
                while (!writers.stream().allMatch(java.util.concurrent.Future::isDone)) {
                    for (String name : bindings.getMemberKeys()) {
                        bindings.getMember(name);
                    }
                }
            });
            for (java.util.concurrent.Future<?> f : writers) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            reader.get(120, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(400, top("evaluations").asInt());
        assertEquals(99, top("declared3x99").asInt());
    }

    @Test
    void laterEvaluationsSeeEarlierDeclarationsAndAddToTheBindings() {
        context.eval("osprey", "fn addThree(a: int, b: int, c: int) -> int = add(a: add(a: a, b: b), b: c)");
        assertEquals(6, top("addThree").execute(1, 2, 3).asInt());
    }

    @Test
    void aModulesFunctionsAreMembersAndEachJavaThreadHasItsOwnInstance() throws InterruptedException {
        context.eval("osprey", """
                        module Counter {
                            mut count = 0
                            fn increment() -> int = {
                                count = count + 1
                                count
                            }
                        }
                        """);
        Value increment = top("Counter.increment");
        assertEquals(1, increment.execute().asInt());
        assertEquals(2, increment.execute().asInt());
        assertFalse(context.getBindings("osprey").hasMember("Counter.count"), "a module's values are each fiber's own");
        int[] other = new int[2];
        Thread t = new Thread(() -> {
            other[0] = increment.execute().asInt();
            other[1] = increment.execute().asInt();
        });
        t.start();
        t.join();
        assertEquals(1, other[0], "another thread starts with an instance of its own");
        assertEquals(2, other[1]);
        assertEquals(3, context.eval("osprey", "Counter.increment()").asInt(), "the program's thread kept its instance");
    }
}
