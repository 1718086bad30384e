/**
 * The steady-state timer shared by the plain Java cases and the Osprey harness: runs a body over and over for
 * a warm-up period (so the JIT has compiled it), then for a measured period, and prints one line:
 * {@code NAME RESULT MS_PER_ITERATION ITERATIONS}. The result of the last run is printed so a wrong answer
 * cannot go unnoticed.
 */
final class Steady {
    interface Body {
        long run() throws Exception;
    }

    private Steady() {
    }

    static void report(String name, double warmup, double measure, Body body) {
        try {
            long result = 0;
            long end = System.nanoTime() + (long) (warmup * 1e9);
            do {
                result = body.run();
            } while (System.nanoTime() < end);
            int iterations = 0;
            long start = System.nanoTime();
            end = start + (long) (measure * 1e9);
            long last;
            do {
                result = body.run();
                iterations++;
                last = System.nanoTime();
            } while (last < end);
            double ms = (last - start) / 1e6 / iterations;
            System.out.printf("%s %d %.3f %d%n", name, result, ms, iterations);
        } catch (Exception e) {
            System.out.println(name + " failed: " + e);
        }
    }
}
