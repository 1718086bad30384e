package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * Strings grown at one + or interpolation site are appended in place (StringNodes.Chain): the site keeps a
 * builder behind the string it made last, and only the thread that made it appends to it. Here the same code
 * grows strings on several threads: contexts of one engine at the same time, one context entered by several
 * host threads in turn, and a string handed from thread to thread. Every result must be exactly the text
 * Java builds for it, and the program checks each step itself (length, endsWith, startsWith, ==).
 */
class GrowingStringsTest {
    /**
     * step extends s at three sites that each take back what they made (so the second and later rounds
     * append in place): three + of piece, two interpolations that start with the string, two a + b + c.
     */
    static final String PROGRAM = """
                    let start = repeat("=", 1030) ?: ""
                    fn step(s: string, piece: string, i: int) -> string = {
                        mut t = s
                        range(0, 3) |> forEach(fn(j) => {
                            t = t + piece
                        })
                        range(0, 2) |> forEach(fn(j) => {
                            t = "${t}${i}.${j};"
                        })
                        range(0, 2) |> forEach(fn(j) => {
                            t = t + "<" + piece + ">"
                        })
                        t
                    }
                    fn grown(s: string, piece: string, i: int) -> string = {
                        let next = step(s: s, piece: piece, i: i)
                        let want = length(s) + 5 * length(piece) + 2 * length(toString(i)) + 10
                        let same = next == s + piece + piece + piece + "${i}.0;${i}.1;<${piece}><${piece}>"
                        match length(next) == want && endsWith(next, "<${piece}>") && startsWith(next, s) && same {
                            true => next
                            false => "broken at ${i}"
                        }
                    }
                    fn build(piece: string, n: int) -> string =
                        range(0, n) |> fold(initial: start, function: (acc, i) => grown(s: acc, piece: piece, i: i))
                    """;
    static final String START = "=".repeat(1030);

    /** What step(s, piece, i) makes, in Java. */
    static void step(StringBuilder s, String piece, int i) {
        s.append(piece).append(piece).append(piece).append(i).append(".0;").append(i).append(".1;");
        s.append('<').append(piece).append('>').append('<').append(piece).append('>');
    }

    static String built(String piece, int n) {
        StringBuilder s = new StringBuilder(START);
        for (int i = 0; i < n; i++) {
            step(s, piece, i);
        }
        return s.toString();
    }

    static Context.Builder context() {
        return Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false");
    }

    static Value function(Context context, String name) {
        return context.getBindings("osprey").getMember(name);
    }

    /** Four contexts of one engine run the same Source at once, each growing its own strings, ten times. */
    @Test
    void contextsOfOneEngineGrowStringsAtTheSameTime() throws Exception {
        String[] pieces = {"a", "é🙂", "xyz", "ß\n"};
        int rounds = 10;
        int steps = 150;
        try (Engine engine = Engine.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            Source source = Source.create("osprey", PROGRAM);
            CyclicBarrier together = new CyclicBarrier(pieces.length);
            ExecutorService threads = Executors.newFixedThreadPool(pieces.length);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (String piece : pieces) {
                    results.add(threads.submit(() -> {
                        List<String> made = new ArrayList<>();
                        try (Context context = Context.newBuilder("osprey").engine(engine).build()) {
                            context.eval(source);
                            Value build = function(context, "build");
                            together.await(60, TimeUnit.SECONDS);
                            for (int round = 0; round < rounds; round++) {
                                made.add(build.execute(piece, steps).asString());
                            }
                        }
                        return made;
                    }));
                }
                for (int t = 0; t < pieces.length; t++) {
                    String expected = built(pieces[t], steps);
                    List<String> made = results.get(t).get(120, TimeUnit.SECONDS);
                    assertEquals(rounds, made.size());
                    for (String s : made) {
                        assertEquals(expected, s, "piece " + pieces[t]);
                    }
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /**
     * One context, three host threads, each with a string of its own that it hands back to step again and
     * again: the calls take turns (the context's lock), so each site meets the strings of the threads in
     * whatever order they come, and a chain made on one thread is met by another.
     */
    @Test
    void hostThreadsTakeTurnsGrowingTheirOwnStringsInOneContext() throws Exception {
        String[] pieces = {"ab", "ü", "🙂x"};
        int steps = 200;
        try (Context context = context().build()) {
            context.eval("osprey", PROGRAM);
            Value grown = function(context, "grown");
            Value start = context.getBindings("osprey").getMember("start");
            CyclicBarrier together = new CyclicBarrier(pieces.length);
            ExecutorService threads = Executors.newFixedThreadPool(pieces.length);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (String piece : pieces) {
                    results.add(threads.submit(() -> {
                        StringBuilder expected = new StringBuilder(START);
                        Value s = start;
                        together.await(60, TimeUnit.SECONDS);
                        for (int i = 0; i < steps; i++) {
                            s = grown.execute(s, piece, i);
                            step(expected, piece, i);
                            if (i % 25 == 0) {
                                assertEquals(expected.toString(), s.asString(), "piece " + piece + " step " + i);
                            }
                        }
                        return s.asString();
                    }));
                }
                for (int t = 0; t < pieces.length; t++) {
                    assertEquals(built(pieces[t], steps), results.get(t).get(120, TimeUnit.SECONDS), "piece " + pieces[t]);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /**
     * One string handed round three host threads, each extending it at the same sites: every site meets a
     * string that the site made in place on another thread.
     */
    @Test
    void aStringHandedFromThreadToThreadIsExtendedAtTheSameSites() throws Exception {
        String[] pieces = {"a", "é", "🙂"};
        int steps = 240;
        try (Context context = context().build()) {
            context.eval("osprey", PROGRAM);
            Value grown = function(context, "grown");
            List<BlockingQueue<Object[]>> inboxes = new ArrayList<>();
            for (int t = 0; t < pieces.length; t++) {
                inboxes.add(new LinkedBlockingQueue<>());
            }
            BlockingQueue<Value> done = new LinkedBlockingQueue<>();
            ExecutorService threads = Executors.newFixedThreadPool(pieces.length);
            try {
                for (int t = 0; t < pieces.length; t++) {
                    int me = t;
                    threads.submit(() -> {
                        while (true) { // until the last step, or shutdownNow's interrupt for the others
                            Object[] message = inboxes.get(me).take(); // {string, step}
                            int i = (Integer) message[1];
                            if (i == steps) {
                                done.add((Value) message[0]);
                                return null;
                            }
                            Value next = grown.execute(message[0], pieces[me], i);
                            inboxes.get((me + 1) % pieces.length).add(new Object[]{next, i + 1});
                        }
                    });
                }
                inboxes.get(0).add(new Object[]{context.getBindings("osprey").getMember("start"), 0});
                Value last = done.poll(120, TimeUnit.SECONDS);
                StringBuilder expected = new StringBuilder(START);
                for (int i = 0; i < steps; i++) {
                    step(expected, pieces[i % pieces.length], i);
                }
                assertEquals(expected.toString(), last == null ? null : last.asString());
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
