package org.osprey.builtins;

import org.osprey.runtime.Display;
import org.osprey.runtime.Strings;
import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;

/**
 * The process functions of spec 0012, and getEnv (category "process", which --no-fs and --sandbox take away). A command
 * runs with {@code /bin/sh -c} in the context's working directory (or, given as a list of words, as that program with
 * those arguments, without a shell); its callback gets
 * {@code (processId, 1, line)} for each line on standard output, {@code (processId, 2, line)} for each line
 * on standard error, and last {@code (processId, 3, exitCode)} with the code as text, the event types of
 * the spec's example. How the events reach the program is {@link ProcessTable}'s business.
 */
final class ProcessBuiltins {
    private ProcessBuiltins() {
    }

    static final String CATEGORY = "process";

    static void register(BuiltinRegistry r) {
        r.function("spawnProcess(command: string, callback: fn(int, int, string) -> unit) -> Result<ProcessResult, string>", CATEGORY,
                        "Starts the command with /bin/sh -c; the callback gets (id, 1, line) per stdout line, (id, 2, line) per stderr line, (id, 3, exit code) at the end.",
                        (c, a) -> table(c).spawn(Strings.java(a[0]), a[1]));
        r.function("spawnProcess(command: List<string>, callback: fn(int, int, string) -> unit) -> Result<ProcessResult, string>", CATEGORY,
                        "Starts the program named first with the other words as its arguments, without a shell (an extension): no word is shell syntax.",
                        (c, a) -> table(c).spawn(words((org.osprey.runtime.ListValue) a[0]), a[1]));
        // Pure text, so not taken away with the process functions: a sandboxed program may still build a command line.
        r.function("shellQuote(text: string) -> string", "core",
                        "The text as one word for /bin/sh (an extension): spawnProcess(\"wc -l ${shellQuote(path)}\", ...) passes any path safely.",
                        (c, a) -> Values.string(shellQuote(Strings.java(a[0]))));
        r.function("getEnv(name: string) -> Result<string, string>", CATEGORY,
                        "The value of an environment variable of the process (an extension), or an Error if it is not set.",
                        (c, a) -> getEnv(c, Strings.java(a[0])));
        r.function("awaitProcess(processId: int) -> int", CATEGORY,
                        "Waits until the process has exited and its callback has had every event; returns the exit code.",
                        (c, a) -> table(c).await((long) a[0]));
        r.function("cleanupProcess(processId: int) -> unit", CATEGORY,
                        "Forgets the process, killing it first if it is still running; its callback gets nothing more.",
                        (c, a) -> {
                            table(c).cleanup((long) a[0]);
                            return Values.unit();
                        });
    }

    /**
     * One word for the shell, whatever the text holds: as it is when every character is one the shell takes
     * literally (letters, digits and {@code @%+=:,./_-}), else inside single quotes, where the shell
     * interprets nothing, with each {@code '} written as {@code '\''} (end the quotes, a quoted quote, start
     * again). The empty text is {@code ''}, an empty word rather than none.
     */
    static String shellQuote(String text) {
        if (!text.isEmpty() && text.chars().allMatch(ch -> ch < 128 && (Character.isLetterOrDigit(ch) || "@%+=:,./_-".indexOf(ch) >= 0))) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static java.util.List<String> words(org.osprey.runtime.ListValue list) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Object w : list.toArray()) {
            out.add(Strings.java(w));
        }
        return out;
    }

    /** getEnv: the variable from the environment the context was given (an embedder's is empty unless it allows it). */
    private static Object getEnv(BuiltinContext c, String name) {
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            return Values.error("'" + Display.visible(name) + "' is not a name an environment variable can have");
        }
        String value = ((org.osprey.OspreyContext) c).env.getEnvironment().get(name);
        return value == null ? Values.error("environment variable " + Display.visible(name) + " is not set") : Values.success(Values.string(value));
    }

    static ProcessTable table(BuiltinContext c) {
        return c.state(ProcessTable.class, () -> new ProcessTable(c));
    }
}
