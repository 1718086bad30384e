import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * The plain Java side of the benchmark suite: every case of bench/suite/osprey with the same algorithm and
 * parameters (recursion where the Osprey program recurses, a loop where it folds over a range), written as
 * a Java programmer would (long arithmetic, records, ArrayList, HashMap, StringBuilder).
 *
 * {@code java Cases NAME} runs one case once and prints its result (standard input: the seed line, 0 for
 * the fixed seed). {@code java Cases NAME WARMUP MEASURE} is the steady-state mode of run.sh: it repeats the
 * case for WARMUP seconds, then for MEASURE seconds measured, and prints the mean time per iteration in ms.
 */
public final class Cases {
    static final long P = 1_000_000_007L;
    static final String[] VOCABULARY = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog"};

    // ------------------------------------------------------------------ call-heavy recursion

    static long fib(long n) {
        if (n == 0) {
            return 0;
        }
        if (n == 1) {
            return 1;
        }
        return fib(n - 1) + fib(n - 2);
    }

    static long tak(long x, long y, long z) {
        if (x > y) {
            return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
        }
        return z;
    }

    static long ack(long m, long n) {
        if (m == 0) {
            return n + 1;
        }
        if (n == 0) {
            return ack(m - 1, 1);
        }
        return ack(m - 1, ack(m, n - 1));
    }

    static long coin(long kind) {
        return switch ((int) kind) {
            case 1 -> 1;
            case 2 -> 5;
            case 3 -> 10;
            case 4 -> 25;
            default -> 50;
        };
    }

    static long ways(long amount, long kind) {
        if (amount == 0) {
            return 1;
        }
        if (amount < 0 || kind == 0) {
            return 0;
        }
        return ways(amount - coin(kind), kind) + ways(amount, kind - 1);
    }

    static long hanoi(long n, long moves) {
        if (n == 0) {
            return moves;
        }
        return hanoi(n - 1, hanoi(n - 1, moves) + 1);
    }

    static long binom(long n, long k) {
        if (k == 0 || k == n) {
            return 1;
        }
        return binom(n - 1, k - 1) + binom(n - 1, k);
    }

    static boolean isEven(long n) {
        return n == 0 ? true : isOdd(n - 1);
    }

    static boolean isOdd(long n) {
        return n == 0 ? false : isEven(n - 1);
    }

    static long mutual() {
        long acc = 0;
        for (long i = 1; i < 130000; i++) {
            if (isEven(i % 1000)) {
                acc++;
            }
        }
        return acc;
    }

    // ------------------------------------------------------------------ arithmetic

    static long collatzSteps(long n) {
        if (n == 1) {
            return 0;
        }
        return n % 2 == 0 ? 1 + collatzSteps(n / 2) : 1 + collatzSteps(3 * n + 1);
    }

    static long collatz() {
        long acc = 0;
        for (long i = 1; i < 100001; i++) {
            acc += collatzSteps(i);
        }
        return acc;
    }

    static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    static long coprime() {
        long n = 2000;
        long count = 0;
        for (long i = 1; i <= n; i++) {
            for (long j = 1; j <= n; j++) {
                if (gcd(i, j) == 1) {
                    count++;
                }
            }
        }
        return count;
    }

    static long digitSum(long n) {
        return n < 10 ? n : n % 10 + digitSum(n / 10);
    }

    static long digitsum() {
        long acc = 0;
        for (long i = 1; i < 2000001; i++) {
            acc += digitSum(i);
        }
        return acc;
    }

    static long factorial() {
        long acc = 1;
        for (long i = 1; i <= 10_000_000; i++) {
            acc = acc * i % P;
        }
        return acc;
    }

    static long gcdsum() {
        long acc = 0;
        for (long i = 1; i < 2_000_000; i++) {
            acc += gcd(i, 1234567);
        }
        return acc;
    }

    static long newton(long n, long x) {
        long y = (x + n / x) / 2;
        return y < x ? newton(n, y) : x;
    }

    static long isqrt(long n) {
        return n < 2 ? n : newton(n, n);
    }

    static long isqrtSum() {
        long acc = 0;
        for (long i = 1; i < 1_000_001; i++) {
            acc += isqrt(i);
        }
        return acc;
    }

    static long josephus() {
        long acc = 0;
        for (long i = 2; i < 10_000_001; i++) {
            acc = (acc + 7) % i;
        }
        return acc;
    }

    static long loopK(long i, long j, long k, long acc) {
        while (k != 0) {
            acc = (acc + i * j * k) % P;
            k--;
        }
        return acc;
    }

    static long loopJ(long i, long j, long n, long acc) {
        while (j != 0) {
            acc = loopK(i, j, n, acc);
            j--;
        }
        return acc;
    }

    static long loopI(long i, long n, long acc) {
        while (i != 0) {
            acc = loopJ(i, n, n, acc);
            i--;
        }
        return acc;
    }

    static long powmod(long base, long e, long acc) {
        return e == 0 ? acc : powmod(base, e - 1, acc * base % P);
    }

    static long powmodSum() {
        long acc = 0;
        for (long i = 1; i < 1_000_000; i++) {
            acc = (acc + powmod(i, 20, 1)) % P;
        }
        return acc;
    }

    static boolean hasFactor(long n, long d) {
        if (d * d > n) {
            return false;
        }
        return n % d == 0 ? true : hasFactor(n, d + 1);
    }

    static long primes() {
        long count = 0;
        for (long n = 2; n < 200_000; n++) {
            if (n >= 2 && !hasFactor(n, 2)) {
                count++;
            }
        }
        return count;
    }

    static final int SIZE = 300;
    static final int LIMIT = 50;

    static long escape(double cr, double ci, double zr, double zi, long k) {
        double zr2 = zr * zr;
        double zi2 = zi * zi;
        if (k == LIMIT || zr2 + zi2 > 4.0) {
            return k;
        }
        return escape(cr, ci, zr2 - zi2 + cr, 2.0 * zr * zi + ci, k + 1);
    }

    static long mandelbrot() {
        long acc = 0;
        for (int y = 0; y < SIZE; y++) {
            double ci = -1.5 + 3.0 * y / SIZE;
            for (int x = 0; x < SIZE; x++) {
                acc += escape(-2.0 + 3.0 * x / SIZE, ci, 0.0, 0.0, 0);
            }
        }
        return acc;
    }

    // ------------------------------------------------------------------ data structures

    record Tree(Tree left, Tree right) {
    }

    static Tree make(long depth) {
        if (depth == 0) {
            return new Tree(null, null);
        }
        return new Tree(make(depth - 1), make(depth - 1));
    }

    static long check(Tree t) {
        return t == null ? 0 : 1 + check(t.left) + check(t.right);
    }

    static long binarytrees() {
        long acc = 0;
        for (int i = 0; i < 1200; i++) {
            acc += check(make(13));
        }
        return acc;
    }

    static long step(long x) {
        return x * 16807 % 2147483647;
    }

    static long hashAt(long seed, long i) {
        return step(step(seed + i));
    }

    sealed interface Expr permits Lit, Add, Mul {
    }

    record Lit(long value) implements Expr {
    }

    record Add(Expr left, Expr right) implements Expr {
    }

    record Mul(Expr left, Expr right) implements Expr {
    }

    static Expr build(long seed, long index, long depth) {
        if (depth == 0) {
            return new Lit(hashAt(seed, index) % 1000);
        }
        long op = hashAt(seed, index) % 2;
        Expr left = build(seed, index * 2 + 1, depth - 1);
        Expr right = build(seed, index * 2 + 2, depth - 1);
        return op == 0 ? new Add(left, right) : new Mul(left, right);
    }

    static long evaluate(Expr e) {
        return switch (e) {
            case Lit l -> l.value();
            case Add a -> (evaluate(a.left()) + evaluate(a.right())) % P;
            case Mul m -> evaluate(m.left()) * evaluate(m.right()) % P;
        };
    }

    static long exprtree(long seed) {
        long acc = 0;
        for (long t = 0; t < 10; t++) {
            acc = (acc + evaluate(build(seed + t * 7, 1, 14))) % P;
        }
        return acc;
    }

    static List<Long> buildList(long seed) {
        List<Long> xs = new ArrayList<>();
        for (long i = 0; i < 4000; i++) {
            xs.add(hashAt(seed, i) % 1000);
        }
        return xs;
    }

    static long sumFrom(List<Long> xs, int i) {
        return i == xs.size() ? 0 : xs.get(i) + sumFrom(xs, i + 1);
    }

    static long belowFrom(List<Long> xs, int i) {
        return i == xs.size() ? 0 : (xs.get(i) < 500 ? 1 : 0) + belowFrom(xs, i + 1);
    }

    static long listops(long seed) {
        long acc = 0;
        for (long t = 0; t < 8; t++) {
            List<Long> xs = buildList(seed + t * 131);
            acc = (acc + sumFrom(xs, 0) + belowFrom(xs, 0)) % P;
        }
        return acc;
    }

    static long score(String w) {
        return w.length() + (w.contains("o") ? 7 : 0) + (w.startsWith("t") ? 3 : 0);
    }

    static long textstats(long seed) {
        long acc = 0;
        for (long i = 0; i < 200_000; i++) {
            acc += score(VOCABULARY[(int) (hashAt(seed, i) % 8)]);
        }
        return acc;
    }

    static long wordfreq(long seed) {
        Map<String, Long> counts = new HashMap<>();
        counts.put("the", 0L);
        for (long i = 0; i < 200_000; i++) {
            String w = VOCABULARY[(int) (hashAt(seed, i) % 8)];
            counts.merge(w, 1L, Long::sum);
        }
        long result = 0;
        for (int k = 0; k < 8; k++) {
            result += (k + 1) * counts.getOrDefault(VOCABULARY[k], 0L);
        }
        return result;
    }

    static String buildString(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i % 97).append(',');
        }
        return s.toString();
    }

    static long strbuild() {
        long acc = 0;
        for (int r = 0; r < 300; r++) {
            acc += buildString(1000 + r).length();
        }
        return acc;
    }

    enum Cell { EMPTY, X, O }

    record Move(int index, int score) {
    }

    static final int[][] LINES = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {2, 5, 8}, {0, 4, 8}, {2, 4, 6}};

    static Cell[] emptyBoard() {
        Cell[] board = new Cell[9];
        Arrays.fill(board, Cell.EMPTY);
        return board;
    }

    static Cell other(Cell p) {
        return p == Cell.X ? Cell.O : Cell.X;
    }

    static Cell winner(Cell[] board) {
        for (int[] line : LINES) {
            Cell c = board[line[0]];
            if (c != Cell.EMPTY && c == board[line[1]] && c == board[line[2]]) {
                return c;
            }
        }
        return Cell.EMPTY;
    }

    static List<Integer> freeCells(Cell[] board) {
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            if (board[i] == Cell.EMPTY) {
                free.add(i);
            }
        }
        return free;
    }

    static Cell[] place(Cell[] board, int i, Cell p) {
        Cell[] next = board.clone();
        next[i] = p;
        return next;
    }

    /** Score from X's point of view; quicker wins and slower losses score higher. */
    static int minimax(Cell[] board, Cell turn, int depth) {
        Cell w = winner(board);
        if (w != Cell.EMPTY) {
            return w == Cell.X ? 10 - depth : depth - 10;
        }
        List<Integer> free = freeCells(board);
        if (free.isEmpty()) {
            return 0;
        }
        int best = turn == Cell.X ? -100 : 100;
        for (int i : free) {
            int s = minimax(place(board, i, turn), other(turn), depth + 1);
            best = turn == Cell.X ? Math.max(best, s) : Math.min(best, s);
        }
        return best;
    }

    /** Scores every move of {@code player} and mixes them with the (first) best move. */
    static long analyse(Cell[] board, Cell player) {
        List<Move> moves = new ArrayList<>();
        for (int i : freeCells(board)) {
            moves.add(new Move(i, minimax(place(board, i, player), other(player), 1)));
        }
        Move best = new Move(-1, player == Cell.X ? -1000 : 1000);
        long mix = 0;
        for (Move m : moves) {
            if (player == Cell.X ? m.score() > best.score() : m.score() < best.score()) {
                best = m;
            }
            mix = (mix * 31 + (m.index() + 1) * (m.score() + 20)) % P;
        }
        return (mix * 10 + best.index()) % P;
    }

    /** Position t: 1 + t % 3 marks, X first, each on a free cell chosen by the seed. */
    static Cell[] opening(long seed, int t) {
        Cell[] board = emptyBoard();
        for (int j = 0; j < 1 + t % 3; j++) {
            List<Integer> free = freeCells(board);
            board = place(board, free.get((int) (hashAt(seed + t * 17L, j) % free.size())), j % 2 == 0 ? Cell.X : Cell.O);
        }
        return board;
    }

    static long minimaxSum(long seed) {
        long acc = analyse(emptyBoard(), Cell.X);
        for (int t = 0; t < 6; t++) {
            acc = (acc * 131 + analyse(opening(seed, t), t % 3 == 1 ? Cell.X : Cell.O)) % P;
        }
        return acc;
    }

    // ------------------------------------------------------------------ dispatch

    static LongUnaryOperator find(String name) {
        return switch (name) {
            case "ackermann" -> s -> ack(3, 10);
            case "binarytrees" -> s -> binarytrees();
            case "coins" -> s -> ways(600, 5);
            case "collatz" -> s -> collatz();
            case "coprime" -> s -> coprime();
            case "digitsum" -> s -> digitsum();
            case "exprtree" -> Cases::exprtree;
            case "factorial" -> s -> factorial();
            case "fib" -> s -> fib(35);
            case "gcdsum" -> s -> gcdsum();
            case "hanoi" -> s -> hanoi(25, 0);
            case "isqrt" -> s -> isqrtSum();
            case "josephus" -> s -> josephus();
            case "listops" -> Cases::listops;
            case "mandelbrot" -> s -> mandelbrot();
            case "minimax" -> Cases::minimaxSum;
            case "mutual" -> s -> mutual();
            case "nestedloop" -> s -> loopI(250, 250, 0);
            case "pascal" -> s -> binom(27, 13);
            case "powmod" -> s -> powmodSum();
            case "primes" -> s -> primes();
            case "strbuild" -> s -> strbuild();
            case "tak" -> s -> tak(32, 16, 8);
            case "textstats" -> Cases::textstats;
            case "wordfreq" -> Cases::wordfreq;
            default -> null;
        };
    }

    public static void main(String[] args) throws IOException {
        LongUnaryOperator c = args.length == 0 ? null : find(args[0]);
        if (c == null) {
            System.err.println("usage: java Cases CASE [WARMUP_SECONDS MEASURE_SECONDS]");
            System.exit(2);
        }
        String line = new BufferedReader(new InputStreamReader(System.in)).readLine();
        long mode = line == null || line.isBlank() ? 0 : Long.parseLong(line.trim());
        long seed = mode == 0 ? 1 : mode;
        if (args.length == 1) {
            System.out.println(c.applyAsLong(seed));
            return;
        }
        Steady.report(args[0], Double.parseDouble(args[1]), Double.parseDouble(args[2]), () -> c.applyAsLong(seed));
    }
}
