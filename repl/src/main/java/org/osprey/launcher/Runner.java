package org.osprey.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

import org.osprey.tooling.SourceInfo;

/** {@code osprey run}: loads a file, runs it in a fresh context, and turns the outcome into an exit code. */
public final class Runner {
    /** The program runs as a process: its evaluation yields the exit status (OspreyLanguage.RUN_MIME_TYPE). */
    static final String RUN_MIME_TYPE = "application/x-osprey-run";
    private static final String FIRST_COMPILATION_WAIT = "osprey.FirstCompilationWait";
    private static final String FIBER_PLATFORM_THREADS = "osprey.FiberPlatformThreads";
    private final Map<String, String> options;
    private final java.io.InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final org.graalvm.polyglot.Engine engine;
    private final Path workingDirectory;

    Runner(Map<String, String> options, PrintStream out, PrintStream err) {
        this(options, System.in, out, err, null);
    }

    /** For tests and embedders: explicit streams, and an engine shared between runs (or null). */
    public Runner(Map<String, String> options, java.io.InputStream in, PrintStream out, PrintStream err, org.graalvm.polyglot.Engine engine) {
        this(options, in, out, err, engine, null);
    }

    /**
     * As above, with the program's working directory (an absolute path; null for the JVM's): relative
     * paths in file functions and the commands of spawnProcess start there.
     */
    public Runner(Map<String, String> options, java.io.InputStream in, PrintStream out, PrintStream err, org.graalvm.polyglot.Engine engine,
                    Path workingDirectory) {
        this.options = options;
        this.in = in;
        this.out = out;
        this.err = err;
        this.engine = engine;
        this.workingDirectory = workingDirectory;
    }

    /**
     * Builds the context and creates the language in it, which checks the builtins modules' settings
     * ({@code --websocket-...}, {@code osprey.Plugin.*}): one they refuse is reported as a bad option, as the
     * polyglot layer reports its own, before anything is parsed or run.
     */
    static Context build(Context.Builder builder) {
        Context context = builder.build();
        try {
            context.initialize("osprey");
        } catch (PolyglotException e) {
            context.close();
            if (e.isGuestException()) {
                throw new IllegalArgumentException(e.getMessage());
            }
            throw e;
        }
        return context;
    }

    /**
     * Where a program's bytes stop being UTF-8, as {@code line:column: message}, or null if they are UTF-8.
     * The source is decoded as UTF-8 (spec 0004: strings are UTF-8), where such bytes would become U+FFFD: a
     * file saved as Latin-1 printed "caf\uFFFD" for its "café" without a word.
     */
    static String notUtf8(byte[] bytes) {
        org.osprey.tooling.Utf8Text.Malformed m = org.osprey.tooling.Utf8Text.firstMalformed(bytes);
        if (m == null) {
            return null;
        }
        return m.line() + ":" + m.column() + ": the file is not UTF-8: " + m.why() + " (save the file as UTF-8)";
    }

    /**
     * Why a program file could not be read, in words: the JDK's exceptions give the path alone for a missing
     * or unreadable file, and a file over 2 GB is an OutOfMemoryError ("File size is too large").
     */
    static String readProblem(Throwable e, java.nio.file.Path path) {
        if (e instanceof java.nio.file.NoSuchFileException || !java.nio.file.Files.exists(path)) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException || !java.nio.file.Files.isReadable(path)) {
            return "permission denied";
        }
        if (e instanceof OutOfMemoryError) {
            return "the file is too large (" + path.toFile().length() + " bytes)";
        }
        return e.getMessage();
    }

    static Context.Builder contextBuilder(Map<String, String> options) {
        // The program is the process: websocketKeepAlive() may take its SIGINT and SIGTERM.
        Context.Builder b = Context.newBuilder("osprey").allowAllAccess(true).option("osprey.Signals", "true");
        // Fibers beyond the first 64 alive at once run on virtual threads, whose stacks scripts/osprey makes
        // as large as a platform fiber's (-Xss256m); an embedding application's fibers stay platform threads
        // unless it asks (docs/embedding.md).
        b.option(FIBER_PLATFORM_THREADS, "64");
        // getEnv's variables as UTF-8 under the C locale too, as the command line's words (Main.utf8Arguments),
        // and as they were before scripts/osprey changed the locale: all of them, none inherited, since one
        // may be taken away.
        Map<String, String> environment = Main.utf8Environment();
        if (!environment.isEmpty()) {
            b.allowEnvironmentAccess(org.graalvm.polyglot.EnvironmentAccess.NONE).environment(environment);
        }
        for (Map.Entry<String, String> e : options.entrySet()) {
            b.option(e.getKey(), e.getValue());
        }
        return b;
    }

    public int runFile(String path) {
        return runFile(path, java.util.List.of());
    }

    /** Runs the file with the arguments its {@code args()} gives. */
    public int runFile(String path, java.util.List<String> arguments) {
        Source source = programSource(path);
        if (source == null) {
            return 1;
        }
        return run(source, arguments, false);
    }

    /** {@code osprey -e CODE}: runs the text as a program file's (named {@code -e} in messages). */
    public int runText(String code, java.util.List<String> arguments) {
        return run(Source.newBuilder("osprey", code, "-e").mimeType(RUN_MIME_TYPE).buildLiteral(), arguments, false);
    }

    /**
     * {@code osprey check}: parses and type-checks each file (and each .osp file under a directory given) as
     * {@code osprey run} would before running it, and runs nothing. Prints the errors of every file that has
     * some; returns 1 if any had, else 0.
     */
    public int checkFiles(java.util.List<String> paths) {
        int status = 0;
        java.util.List<String> files = new java.util.ArrayList<>();
        for (String path : paths) {
            if (new File(path).isDirectory()) {
                // Its programs and the directories under it that cannot be read (their paths, mapped to
                // why), in order of their paths; one that cannot be read does not end the walk, which
                // Files.walk did ("cannot read the directory 'src': java.nio.file.AccessDeniedException:
                // src/private", and nothing in src checked).
                java.util.TreeMap<String, String> found = new java.util.TreeMap<>();
                try {
                    java.nio.file.Files.walkFileTree(Path.of(path), new java.nio.file.SimpleFileVisitor<>() {
                        @Override
                        public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes attributes) {
                            // A link to nothing is said to be missing, as osprey run and check say of it by name,
                            // instead of being passed over as if it were not there.
                            if (f.toString().endsWith(".osp") && (java.nio.file.Files.isRegularFile(f) || attributes.isSymbolicLink() && !java.nio.file.Files.exists(f))) {
                                found.put(f.toString(), null);
                            }
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }

                        @Override
                        public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                            found.put(f.toString(), directoryProblem(e));
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }
                    });
                } catch (IOException e) {
                    found.put(path, directoryProblem(e));
                }
                if (found.isEmpty()) {
                    // Checking nothing is not a pass: a directory of programs named otherwise (or the wrong
                    // directory) gave status 0 with nothing said.
                    err.println("osprey: there is no .osp file in the directory '" + path + "' or under it");
                    status = 1;
                }
                for (Map.Entry<String, String> f : found.entrySet()) {
                    if (f.getValue() == null) {
                        files.add(f.getKey());
                    } else {
                        err.println("osprey: cannot read the directory '" + f.getKey() + "': " + f.getValue());
                        status = 1;
                    }
                }
            } else {
                files.add(path);
            }
        }
        for (String path : files) {
            Source source = programSource(path);
            if (source == null || run(source, java.util.List.of(), true) != 0) {
                status = 1;
            }
        }
        return status;
    }

    private static String directoryProblem(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    }

    /**
     * The program file as a source to run, or null after saying why it cannot be read. A pipe is a file here
     * too, as to :load and other interpreters: {@code osprey run <(generate)} and {@code osprey run /dev/stdin}
     * were refused as "not a file".
     */
    private Source programSource(String path) {
        File file = new File(path);
        if (!file.exists() || file.isDirectory()) {
            err.println("osprey: cannot open '" + path + "': " + (file.exists() ? "not a file" : "no such file"));
            return null;
        }
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(file.toPath());
            String notUtf8 = notUtf8(bytes);
            if (notUtf8 != null) {
                err.println(path + ":" + notUtf8);
                return null;
            }
            // The text as checked, not read a second time (the source keeps the file for tools).
            return Source.newBuilder("osprey", file).content(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).name(path)
                            .mimeType(RUN_MIME_TYPE).build();
        } catch (IOException | OutOfMemoryError e) {
            err.println("osprey: cannot read '" + path + "': " + readProblem(e, file.toPath()));
            return null;
        }
    }

    /** Runs the program in a fresh context, or with {@code checkOnly} parses and checks it only. */
    private int run(Source source, java.util.List<String> arguments, boolean checkOnly) {
        Context.Builder builder = contextBuilder(options).out(out).err(err).in(in).arguments("osprey", arguments.toArray(new String[0]));
        if (engine != null) {
            builder.engine(engine);
        } else {
            builder.option("engine.WarnInterpreterOnly", "false");
            // Fibers beyond the first 64 alive at once run on virtual threads (org.osprey.Fibers.start), which
            // Truffle calls experimental because a debugger cannot change a frame's locals there.
            builder.option("engine.WarnVirtualThreadSupport", "false");
            // A program run as a process waits for its first compilation once it has been pending 0.3 s
            // (org.osprey.CompilationWait; docs/performance.md).
            if (!options.containsKey(FIRST_COMPILATION_WAIT)) {
                builder.option(FIRST_COMPILATION_WAIT, "300");
            }
        }
        if (workingDirectory != null) {
            builder.currentWorkingDirectory(workingDirectory);
        }
        if (in == System.in && stdoutIsTerminal()) {
            builder.option("osprey.LineBuffered", "true");
        }
        try {
            Context context = build(builder);
            running = context;
            int status;
            try {
                if (checkOnly) {
                    context.parse(source);
                    return 0;
                }
                Value result = context.eval(source);
                status = result.fitsInInt() ? result.asInt() : result.fitsInLong() ? (int) result.asLong() : 0;
            } catch (PolyglotException e) {
                status = report(e, err);
            } finally {
                running = null;
                close(context);
            }
            return status;
        } catch (IllegalArgumentException e) {
            err.println(optionError(e, options));
            return 2;
        } catch (PolyglotException e) {
            return report(e, err);
        }
    }

    /**
     * The line to print when the context could not be made from the options given (the polyglot layer's
     * IllegalArgumentException): an option that does not exist, or a value it does not take.
     */
    static String optionError(IllegalArgumentException e, Map<String, String> options) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("\"inspect") || message.contains("\"cpusampler") || message.contains("\"coverage")) {
            return "osprey: the debugging and profiling tools are not on the module path; scripts/osprey adds them"
                            + " (repl/target/tools) for --inspect, --cpusampler and --coverage";
        }
        // A number option's value that is not a number: the polyglot layer passes on Java's message, which
        // names neither the option nor what it takes.
        String prefix = "For input string: \"";
        if (message.startsWith(prefix) && message.endsWith("\"")) {
            String value = message.substring(prefix.length(), message.length() - 1);
            for (Map.Entry<String, String> o : options.entrySet()) {
                if (o.getValue().equals(value)) {
                    return "osprey: --" + o.getKey() + " takes a whole number, not '" + value + "'";
                }
            }
            return "osprey: an option takes a whole number, not '" + value + "'";
        }
        // A WebSocket setting given by its flag is named by the flag.
        for (String option : options.keySet()) {
            String flag = Main.webSocketFlagOf(option);
            if (flag != null) {
                message = message.replace("setting " + option + "=", flag + "=").replace("setting " + option, flag);
            }
        }
        return "osprey: " + message;
    }

    /** The context of the program running now (osprey run), for the launcher's shutdown hook; else null. */
    private static volatile Context running;
    /** Set once the JVM is ending on a signal: the cancelled program's unwinding is not reported. */
    private static volatile boolean ending;

    /**
     * The JVM is ending on a signal (Ctrl-C, SIGTERM) while a program runs (in a sleep, say): its context is
     * closed as at the end of a run, so servers and connections send their close frames (docs/websocket.md,
     * "Ending"). Cancels the program; the caller bounds the wait.
     */
    static void closeRunningOnSignal() {
        ending = true;
        Context c = running;
        if (c != null) {
            closeCancelling(c);
        }
    }

    /** Whether a signal is ending the JVM ({@link #closeRunningOnSignal} has begun): the exit status is the signal's. */
    static boolean endingOnSignal() {
        return ending;
    }

    /** Closes a context, cancelling whatever still runs in it. */
    static void closeCancelling(Context context) {
        try {
            context.close(true);
        } catch (PolyglotException | IllegalStateException e) {
            // closing a cancelled context reports the cancel; it is closed all the same
        }
    }

    /**
     * Closes the run's context: its servers and connections are stopped (docs/websocket.md, "Ending"). A
     * handler still running on one of the WebSocket library's threads (in a sleep, say) keeps the context
     * busy, and the polyglot layer will not close a context in use; the program has ended, so the handler is
     * cancelled.
     */
    private static void close(Context context) {
        try {
            context.close();
        } catch (IllegalStateException busy) {
            closeCancelling(context);
        }
    }

    /** Console.isTerminal() exists from JDK 22; on 21 a non-null console means a terminal. */
    static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Prints a failure the way a user should see it: one line, with the place, never a Java stack trace. */
    static int report(PolyglotException e, PrintStream err) {
        return report(e, err, Runner::location);
    }

    /** {@link #report}, with the places of run-time faults written by {@code location}. */
    static int report(PolyglotException e, PrintStream err, java.util.function.Function<SourceSection, String> location) {
        if (System.getenv("OSPREY_DEBUG") != null) {
            e.printStackTrace(err);
        }
        if (e.isExit()) {
            return e.getExitStatus();
        }
        if (e.isSyntaxError()) {
            err.println(e.getMessage());
            return 1;
        }
        if (e.isCancelled() || e.isInterrupted()) {
            if (!ending) { // a signal's own exit status says it
                err.println("osprey: interrupted");
            }
            return 130;
        }
        String where = "";
        String function = null;
        for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
            // The first frame of the program's own code: a builtin run as a function value (values |> map(log))
            // has a frame of its own without a source, and "osprey: error in function 'log'" said neither where
            // the call was nor which of the program's functions made it.
            if (f.isGuestFrame() && (f.getSourceLocation() != null || function == null)) {
                function = f.getRootName();
                if (f.getSourceLocation() != null) {
                    if (e.getSourceLocation() == null) {
                        where = location.apply(f.getSourceLocation());
                    }
                    break;
                }
            }
        }
        if (e.getSourceLocation() != null) {
            where = location.apply(e.getSourceLocation());
        }
        String in = SourceInfo.inFunction(function);
        if (e.isResourceExhausted()) {
            err.println((where.isEmpty() ? "osprey: " : where + ": ") + "error" + in + ": " + exhausted(e.getMessage()));
            return 1;
        }
        if (e.isGuestException() && !e.isInternalError()) {
            err.println((where.isEmpty() ? "osprey: " : where + ": ") + "error" + in + ": " + e.getMessage());
            return 1;
        }
        // A Java exception from the interpreter or a builtins module (Truffle counts both as the guest's): it
        // said "error: java.lang.ClassCastException: ...", as if the program had made a mistake.
        err.println((where.isEmpty() ? "osprey: " : where + ": ") + "internal error" + in + ": " + shortened(e.getMessage(), 2000));
        err.println("This is a bug in the interpreter or in a builtins module it loaded; please report it with the program that caused it.");
        return 70;
    }

    /**
     * The text cut to its first {@code limit} characters, saying how many more there were: a Java exception's
     * message may hold a value of the program whole (a string of half a gigabyte was printed once).
     */
    static String shortened(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
        return text.substring(0, cut) + "... (" + (text.length() - cut) + " more characters)";
    }

    /**
     * What ran out, from the message of a resource-exhausted failure: Truffle reports a guest stack overflow as
     * "Resource exhausted: Stack overflow"; anything else is memory (the JVM's own message: "Java heap space",
     * "GC overhead limit exceeded", "Metaspace", a thread that could not be created).
     */
    static String exhausted(String message) {
        String m = String.valueOf(message);
        if (m.toLowerCase(Locale.ROOT).contains("stack overflow")) {
            return "stack overflow: the recursion is too deep";
        }
        return "out of memory (" + m + "); a larger heap can be given with OSPREY_JAVA_OPTS=-Xmx<size>, e.g. -Xmx4g";
    }

    static String location(SourceSection s) {
        return s.getSource().getName() + ":" + org.osprey.tooling.SourceInfo.shownLine(s.getSource().getURI(), s.getStartLine()) + ":" + column(s);
    }

    /** The column of a place as a reader counts it, characters and not UTF-16 units (SourceInfo.shownColumn). */
    static int column(SourceSection s) {
        return s.isAvailable() && s.getSource().hasCharacters() ? org.osprey.tooling.SourceInfo.shownColumn(s.getSource().getCharacters(), s.getCharIndex())
                        : s.getStartColumn();
    }
}
