package org.osprey.builtins;

import java.io.IOException;

import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.OspreyContext;
import org.osprey.runtime.Display;
import org.osprey.runtime.Strings;
import org.osprey.runtime.Unit;
import org.osprey.spi.BuiltinException;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;

/** print, toString, input, readLine, args, the clocks, sleep and the number conversions (spec 0012 Basic I/O, spec 0004). */
final class CoreBuiltins {
    private CoreBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.function("print(value: T) -> unit", "core", "Prints a value and a line break; a Result from arithmetic prints its value.",
                        (ctx, a) -> {
                            if (a[0] instanceof TruffleString s) {
                                ((OspreyContext) ctx).printLine(s);
                            } else {
                                ((OspreyContext) ctx).printLine(Display.show(a[0]));
                            }
                            return Unit.INSTANCE;
                        });
        r.function("printErr(value: T) -> unit", "core",
                        "Prints a value and a line break on standard error (an extension): messages that are not the program's output.",
                        (ctx, a) -> {
                            // err() flushes standard output first, so the two streams keep the program's order on a terminal.
                            ((OspreyContext) ctx).err().println(a[0] instanceof TruffleString s ? Strings.java(s) : Display.show(a[0]));
                            return Unit.INSTANCE;
                        });
        r.function("toString(value: T) -> string", "core", "The value as text: 42, 2.5, true, Success(3), Point { x: 1, y: 2 }.",
                        (ctx, a) -> Display.showString(a[0]));
        r.function("input() -> int", "core", "Reads a line from standard input and returns it as an int.", (ctx, a) -> input(ctx));
        r.function("readLine() -> Result<string, string>", "core",
                        "Reads a line of text from standard input (an extension: spec 0012's input() reads ints); Error at the end of input.",
                        // The output is flushed when the read waits (OspreyContext.blockingWithoutFlush).
                        (ctx, a) -> readLine((OspreyContext) ctx));
        r.function("args() -> List<string>", "core",
                        "The program's arguments (an extension): the words after its file in osprey run FILE.osp a b, and all after --; empty in the REPL.",
                        (ctx, a) -> Values.list(java.util.Arrays.stream(((OspreyContext) ctx).env.getApplicationArguments()).map(Values::string).toList()));
        r.function("now() -> int", "core", "The time of day (an extension): milliseconds since 1970-01-01 00:00 UTC.", (ctx, a) -> System.currentTimeMillis());
        r.function("nanoTime() -> int", "core",
                        "A clock for measuring (an extension): nanoseconds since some fixed moment of this run; only differences mean something.",
                        (ctx, a) -> System.nanoTime());
        r.function("sleep(milliseconds: int) -> unit", "core", "Pauses this program; event handlers keep running meanwhile.",
                        (ctx, a) -> {
                            long ms = Math.max(0, (long) a[0]);
                            // In nanoseconds, at most Long.MAX_VALUE: the deadline may wrap around, and sleepUntil
                            // compares by difference (a deadline compared as a number ended sleep(9223372036854775807)
                            // at once).
                            long nanos = Math.min(ms, Long.MAX_VALUE / 1_000_000L) * 1_000_000L;
                            ((OspreyContext) ctx).sleepUntil(System.nanoTime() + nanos);
                            return Unit.INSTANCE;
                        });
        // The node builder compiles direct calls of these into nodes (Intrinsics); these run when they are values.
        r.function("toFloat(value: int) -> float", "core", "The int as a float.", (Intrinsics.IntToFloat) (ctx, a) -> (double) (long) a[0]);
        r.function("toFloat(value: float) -> float", "core", (Intrinsics.Identity) (ctx, a) -> a[0]);
        r.function("toInt(value: float) -> int", "core", "The float truncated toward zero (NaN is 0; beyond the int range, the nearest int).",
                        (Intrinsics.FloatToInt) (ctx, a) -> (long) (double) a[0]);
        r.function("toInt(value: int) -> int", "core", (Intrinsics.Identity) (ctx, a) -> a[0]);
    }

    private static Object readLine(OspreyContext ctx) {
        try {
            Object ready = ctx.bufferedInputText();
            if (ready != null) {
                return Values.success(ready);
            }
        } catch (IOException e) {
            return Values.error("cannot read standard input: " + FileErrors.reason(e));
        }
        return ctx.blockingWithoutFlush(() -> {
            try {
                Object line = ctx.readInputText();
                return line == null ? Values.error("end of input") : Values.success(line);
            } catch (IOException e) {
                return Values.error("cannot read standard input: " + FileErrors.reason(e));
            }
        });
    }

    /** Spec 0012: {@code input() -> int} reads an integer from a line of standard input. */
    private static Object input(org.osprey.spi.BuiltinContext ctx) {
        // As readLine: other fibers take their turns and handlers run while the program waits for the line,
        // and the output is flushed when the read waits.
        Object read = ((OspreyContext) ctx).blockingWithoutFlush(() -> {
            try {
                return ctx.readInputLine();
            } catch (IOException e) {
                return e;
            }
        });
        if (read instanceof IOException e) {
            throw new BuiltinException("input: cannot read standard input: " + FileErrors.reason(e));
        }
        String line = (String) read;
        if (line == null) {
            throw new BuiltinException("input: standard input ended before a number was read");
        }
        String t = line.strip();
        // What parseInt accepts (one sign, ASCII digits): Long.parseLong alone also took "+-5" once the '+'
        // was cut, and the digits of other scripts.
        if (!StringBuiltins.isInteger(t)) {
            // Quoted as a string in a list is, so that what does not show (a byte-order mark) is seen.
            throw new BuiltinException("input: expected an integer, got " + Display.repr(Strings.of(t)));
        }
        try {
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            throw new BuiltinException("input: " + t + " is beyond the int range");
        }
    }

}
