import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntToLongFunction;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.MapValue;

/**
 * The collections benchmark (issue 3): time per operation of List append, `xs + [x]`, prepend, index, and
 * Map insert and lookup at 10^3 .. 10^6 elements, for three implementations measured in the same run:
 *
 * <ul>
 * <li><b>osprey</b>: the Osprey functions of collections.osp, run by the interpreter with the Graal JIT,
 * called through the polyglot API; each call does all its operations inside Osprey;
 * <li><b>persistent</b>: the interpreter's own List and Map classes called directly from Java, which shows
 * what the data structures cost without the interpreter around them;
 * <li><b>java.util</b>: ArrayList (append, index), ArrayDeque (prepend), HashMap (insert, lookup), the
 * mutable baseline a Java programmer would reach for; how it grows from 10^3 to 10^6 is what the machine's
 * caches do to any structure.
 * </ul>
 *
 * Every measurement does about OPS operations (building OPS / n structures of n elements for the building
 * cases; OPS reads for index and lookup, at indices jumping by a large prime stride, and once more in
 * order, which shows how much of the growth is the memory hierarchy's), is repeated REPS times
 * after WARMUP unmeasured calls (and, before a case's first size, after at least WARMUP_SECONDS of calls).
 * Two tables come out, in nanoseconds per operation: the best repetition, which is the least disturbed by
 * whatever else the machine runs, and the median.
 *
 * Usage: Harness collections.osp OPS WARMUP REPS WARMUP_SECONDS n1 n2 ...
 */
public final class Harness {
    private static final int STRIDE = 7919;
    private static long sink;

    private interface Measured {
        /** Runs about {@code ops} operations on structures of {@code n} elements; returns a checksum. */
        long run(int n, int ops);
    }

    private record Case(String op, String impl, Measured body) {
    }

    public static void main(String[] args) throws Exception {
        Path program = Path.of(args[0]);
        int ops = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        double warmupSeconds = Double.parseDouble(args[4]);
        int[] sizes = Arrays.stream(args, 5, args.length).mapToInt(Integer::parseInt).toArray();

        // The program's functions stay defined in the context; an interactive source's last expression is its
        // value (and is echoed, here to nowhere), which is how the harness gets each function.
        try (Context context = Context.newBuilder("osprey").out(OutputStream.nullOutputStream()).build()) {
            context.eval(Source.newBuilder("osprey", program.toFile()).build());
            Value appendRounds = function(context, "appendRounds");
            Value plusRounds = function(context, "plusRounds");
            Value prependRounds = function(context, "prependRounds");
            Value makeList = function(context, "makeList");
            Value indexOps = function(context, "indexOps");
            Value insertRounds = function(context, "insertRounds");
            Value makeMap = function(context, "makeMap");
            Value lookupOps = function(context, "lookupOps");
            System.out.println("engine: " + context.getEngine().getImplementationName() + ", JVM " + System.getProperty("java.vm.version"));

            Map<Integer, Value> lists = new HashMap<>();
            Map<Integer, Value> maps = new HashMap<>();
            List<Case> cases = List.of(
                            new Case("List append", "osprey", (n, k) -> appendRounds.execute(n, rounds(n, k)).asLong()),
                            new Case("List append", "persistent", (n, k) -> persistentAppend(n, rounds(n, k))),
                            new Case("List append", "java.util", (n, k) -> arrayListAdd(n, rounds(n, k))),
                            new Case("List xs + [x]", "osprey", (n, k) -> plusRounds.execute(n, rounds(n, k)).asLong()),
                            new Case("List prepend", "osprey", (n, k) -> prependRounds.execute(n, rounds(n, k)).asLong()),
                            new Case("List prepend", "persistent", (n, k) -> persistentPrepend(n, rounds(n, k))),
                            new Case("List prepend", "java.util", (n, k) -> dequeAddFirst(n, rounds(n, k))),
                            new Case("List index", "osprey",
                                            (n, k) -> indexOps.execute(lists.computeIfAbsent(n, x -> makeList.execute(x)), n, k, STRIDE).asLong()),
                            new Case("List index", "persistent", (n, k) -> persistentIndex(n, k, STRIDE)),
                            new Case("List index", "java.util", (n, k) -> arrayListGet(n, k, STRIDE)),
                            new Case("List index in order", "osprey",
                                            (n, k) -> indexOps.execute(lists.computeIfAbsent(n, x -> makeList.execute(x)), n, k, 1).asLong()),
                            new Case("List index in order", "persistent", (n, k) -> persistentIndex(n, k, 1)),
                            new Case("List index in order", "java.util", (n, k) -> arrayListGet(n, k, 1)),
                            new Case("Map insert", "osprey", (n, k) -> insertRounds.execute(n, rounds(n, k)).asLong()),
                            new Case("Map insert", "persistent", (n, k) -> persistentInsert(n, rounds(n, k))),
                            new Case("Map insert", "java.util", (n, k) -> hashMapPut(n, rounds(n, k))),
                            new Case("Map lookup", "osprey",
                                            (n, k) -> lookupOps.execute(maps.computeIfAbsent(n, x -> makeMap.execute(x)), n, k, STRIDE).asLong()),
                            new Case("Map lookup", "persistent", (n, k) -> persistentLookup(n, k, STRIDE)),
                            new Case("Map lookup", "java.util", (n, k) -> hashMapGet(n, k, STRIDE)),
                            new Case("Map lookup in order", "osprey",
                                            (n, k) -> lookupOps.execute(maps.computeIfAbsent(n, x -> makeMap.execute(x)), n, k, 1).asLong()),
                            new Case("Map lookup in order", "persistent", (n, k) -> persistentLookup(n, k, 1)),
                            new Case("Map lookup in order", "java.util", (n, k) -> hashMapGet(n, k, 1)));

            // op -> impl -> ns/op per size: the best of the repetitions, and their median
            Map<String, Map<String, double[]>> results = new LinkedHashMap<>();
            Map<String, Map<String, double[]>> medians = new LinkedHashMap<>();
            String only = System.getProperty("cases", "");
            for (Case c : cases) {
                if (!(c.op + " " + c.impl).contains(only)) {
                    continue;
                }
                double[] row = results.computeIfAbsent(c.op, x -> new LinkedHashMap<>()).computeIfAbsent(c.impl, x -> new double[sizes.length]);
                double[] medianRow = medians.computeIfAbsent(c.op, x -> new LinkedHashMap<>()).computeIfAbsent(c.impl, x -> new double[sizes.length]);
                for (int s = 0; s < sizes.length; s++) {
                    int n = sizes[s];
                    int done = ops(n, ops, c.op);
                    // Before a case's first size, calls for at least WARMUP_SECONDS, so that the JIT has
                    // compiled the Osprey code even when the machine is busy; then WARMUP calls per size.
                    long warmUntil = s == 0 ? System.nanoTime() + (long) (warmupSeconds * 1e9) : 0;
                    for (int w = 0; w < warmup || System.nanoTime() < warmUntil; w++) {
                        sink += c.body.run(n, ops);
                    }
                    double[] times = new double[reps];
                    for (int r = 0; r < reps; r++) {
                        long t0 = System.nanoTime();
                        sink += c.body.run(n, ops);
                        times[r] = (System.nanoTime() - t0) / (double) done;
                    }
                    Arrays.sort(times);
                    row[s] = times[0];
                    medianRow[s] = times[reps / 2];
                    System.out.printf(Locale.ROOT, "RESULT op=%s impl=%s n=%d best=%.1f median=%.1f max=%.1f ns/op%n", c.op.replace(' ', '_'),
                                    c.impl, n, times[0], medianRow[s], times[reps - 1]);
                }
                lists.clear();
                maps.clear();
            }
            printTable("Best of the repetitions, ns per operation", results, sizes);
            printTable("Median of the repetitions, ns per operation", medians, sizes);
        }
        System.out.println("(checksum " + sink + ")");
    }

    private static Value function(Context context, String name) throws java.io.IOException {
        Value f = context.eval(Source.newBuilder("osprey", name, "<harness>").interactive(true).build());
        if (!f.canExecute()) {
            throw new IllegalStateException(name + " is not a function of collections.osp: " + f);
        }
        return f;
    }

    private static int rounds(int n, int ops) {
        return Math.max(1, ops / n);
    }

    private static int ops(int n, int ops, String op) {
        return op.contains("index") || op.contains("lookup") ? ops : rounds(n, ops) * n;
    }

    private static void printTable(String title, Map<String, Map<String, double[]>> results, int[] sizes) {
        StringBuilder head = new StringBuilder("| operation | implementation |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (int n : sizes) {
            head.append(" n = ").append(String.format(Locale.ROOT, "%,d", n)).append(" |");
            rule.append("---|");
        }
        head.append(" growth ").append(sizes[0]).append(" → ").append(sizes[sizes.length - 1]).append(" |");
        rule.append("---|");
        System.out.println();
        System.out.println(title + " (growth = the largest size over the smallest, same implementation):");
        System.out.println();
        System.out.println(head);
        System.out.println(rule);
        for (Map.Entry<String, Map<String, double[]>> op : results.entrySet()) {
            for (Map.Entry<String, double[]> impl : op.getValue().entrySet()) {
                StringBuilder line = new StringBuilder("| " + op.getKey() + " | " + impl.getKey() + " |");
                double[] v = impl.getValue();
                for (double x : v) {
                    line.append(String.format(Locale.ROOT, " %.1f |", x));
                }
                line.append(String.format(Locale.ROOT, " %.2f× |", v[v.length - 1] / v[0]));
                System.out.println(line);
            }
        }
    }

    // ---- the interpreter's persistent structures, called from Java

    private static long persistentAppend(int n, int rounds) {
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            ListValue l = ListValue.EMPTY;
            for (long i = 0; i < n; i++) {
                l = l.append(i);
            }
            total += l.size();
        }
        return total;
    }

    private static long persistentPrepend(int n, int rounds) {
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            ListValue l = ListValue.EMPTY;
            for (long i = 0; i < n; i++) {
                l = l.prepend(i);
            }
            total += l.size();
        }
        return total;
    }

    private static final Map<Integer, ListValue> PERSISTENT_LISTS = new HashMap<>();
    private static final Map<Integer, MapValue> PERSISTENT_MAPS = new HashMap<>();

    private static long persistentIndex(int n, int ops, int stride) {
        ListValue l = PERSISTENT_LISTS.computeIfAbsent(n, x -> {
            Object[] a = new Object[x];
            for (int i = 0; i < x; i++) {
                a[i] = (long) i;
            }
            return ListValue.of(a);
        });
        return reads(n, ops, stride, k -> (Long) l.get(k));
    }

    private static long persistentInsert(int n, int rounds) {
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            MapValue m = MapValue.EMPTY;
            for (long i = 0; i < n; i++) {
                m = m.put(i, i);
            }
            total += m.size();
        }
        return total;
    }

    private static long persistentLookup(int n, int ops, int stride) {
        MapValue m = PERSISTENT_MAPS.computeIfAbsent(n, x -> {
            MapValue out = MapValue.EMPTY;
            for (long i = 0; i < x; i++) {
                out = out.put(i, i);
            }
            return out;
        });
        return reads(n, ops, stride, k -> (Long) m.get((long) k));
    }

    // ---- java.util

    private static long arrayListAdd(int n, int rounds) {
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            ArrayList<Long> l = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                l.add(i);
            }
            total += l.size();
        }
        return total;
    }

    private static long dequeAddFirst(int n, int rounds) {
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            ArrayDeque<Long> d = new ArrayDeque<>();
            for (long i = 0; i < n; i++) {
                d.addFirst(i);
            }
            total += d.size();
        }
        return total;
    }

    private static final Map<Integer, ArrayList<Long>> ARRAY_LISTS = new HashMap<>();
    private static final Map<Integer, HashMap<Long, Long>> HASH_MAPS = new HashMap<>();

    private static long arrayListGet(int n, int ops, int stride) {
        ArrayList<Long> l = ARRAY_LISTS.computeIfAbsent(n, x -> {
            ArrayList<Long> out = new ArrayList<>();
            for (long i = 0; i < x; i++) {
                out.add(i);
            }
            return out;
        });
        return reads(n, ops, stride, l::get);
    }

    private static long hashMapPut(int n, int rounds) {
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            HashMap<Long, Long> m = new HashMap<>();
            for (long i = 0; i < n; i++) {
                m.put(i, i);
            }
            total += m.size();
        }
        return total;
    }

    private static long hashMapGet(int n, int ops, int stride) {
        HashMap<Long, Long> m = HASH_MAPS.computeIfAbsent(n, x -> {
            HashMap<Long, Long> out = new HashMap<>();
            for (long i = 0; i < x; i++) {
                out.put(i, i);
            }
            return out;
        });
        return reads(n, ops, stride, k -> m.get((long) k));
    }

    /** The same reading pattern as indexOps/lookupOps in collections.osp: element (i * stride) % n. */
    private static long reads(int n, int ops, int stride, IntToLongFunction read) {
        long sum = 0;
        for (long i = 0; i < ops; i++) {
            sum += read.applyAsLong((int) ((i * stride) % n));
        }
        return sum;
    }
}
