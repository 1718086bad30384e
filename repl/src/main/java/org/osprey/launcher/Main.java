package org.osprey.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osprey.tooling.ProgramOutput;

/**
 * The {@code osprey} command: {@code osprey run FILE}, {@code osprey FILE.osp}, {@code osprey} for the REPL.
 * Runs everything on a thread with a large stack, since recursion is how Osprey loops.
 */
public final class Main {
    static final String VERSION = "0.1.0";
    /** Osprey programs recurse deeply; the JVM's default 8 MiB main stack would cut them short. */
    static final long STACK_BYTES = 1L << 30;

    private Main() {
    }

    public static void main(String[] commandLine) throws InterruptedException {
        String[] args = utf8Arguments(commandLine);
        int[] exit = {0};
        // What programs print is UTF-8 whatever the locale; under the C locale System.err's and System.out's
        // charset is ASCII, and the launcher's own lines lost their other characters: an error's source line
        // read 'print("?" + 1)'.
        if (!System.err.charset().equals(java.nio.charset.StandardCharsets.UTF_8)) {
            System.setErr(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, java.nio.charset.StandardCharsets.UTF_8));
        }
        ResourceCache.choose(System.err);
        AnnotationProxies.startMaking();
        PrintStream out = new PrintStream(new StandardOutput(), false, java.nio.charset.StandardCharsets.UTF_8);
        Thread t = new Thread(null, () -> {
            try {
                exit[0] = run(args, out, System.err);
            } catch (OutOfMemoryError e) {
                System.err.println("osprey: out of memory: " + e.getMessage());
                exit[0] = 1;
            } catch (RuntimeException | Error e) {
                // A bug of the launcher's: one line, and a failure, not the JVM's trace and exit code 0.
                System.err.println("osprey: internal error: " + e);
                exit[0] = 1;
            }
        }, "osprey-main", STACK_BYTES);
        // Stopped by a signal (Ctrl-C, SIGTERM), the JVM runs its shutdown hooks instead of the end of the run
        // below (which halts without them): what the program printed is still in its context's buffer when
        // the output is a pipe or a file, and its servers and connections are still open.
        Runtime.getRuntime().addShutdownHook(new Thread(Main::endOnSignal, "osprey-end"));
        // A run longer than 5 s gets its heap collected in full when what survives young collections has
        // doubled (HeapWatch), instead of growing toward a quarter of the machine's memory first, and when it
        // has been idle for 10 s after the heap grew by half, which gives back what a burst of work left.
        // OSPREY_JAVA_OPTS=-Dosprey.heapWatch=false leaves the collector to itself.
        if (!"false".equals(System.getProperty("osprey.heapWatch"))) {
            HeapWatch.start(5_000, 64L << 20, 10_000);
        }
        t.start();
        t.join();
        System.out.flush();
        System.err.flush();
        if (Runner.endingOnSignal()) {
            // A signal (Ctrl-C, SIGTERM) is ending the JVM and its shutdown hook closed the program, which is why
            // the run returned (as cancelled: 130). The exit status is the signal's (143 for SIGTERM), which the
            // JVM gives once its hooks are done; a halt here would race it with the run's 130.
            while (true) {
                Thread.sleep(Long.MAX_VALUE);
            }
        }
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            // The run's context is closed and its output flushed: nothing is left for the JVM's shutdown hooks
            // but Truffle's and Graal's bookkeeping for engines already closed, about 30 ms of a short run.
            // A flight recording (-XX:StartFlightRecording, which brings in jdk.jfr) is written by a hook, so
            // then the JVM exits the ordinary way.
            Runtime.getRuntime().halt(exit[0]);
        }
        System.exit(exit[0]);
    }

    /**
     * The command line's words read as UTF-8. The JVM decodes them in the locale's encoding, which under the
     * C or POSIX locale (cron, many containers, ssh without LANG) is ASCII: there {@code osprey run f.osp é}
     * gave args() {@code ["\uFFFD\uFFFD"]}, and the text of {@code -e} lost its other characters the same
     * way, while Osprey reads and prints text as UTF-8 everywhere else. So the words are read again from
     * /proc/self/cmdline, whose last ones they are; where there is none, or its words are not the ones the
     * JVM decoded, they stay as the JVM gave them.
     */
    static String[] utf8Arguments(String[] args) {
        java.nio.charset.Charset platform = platformCharset();
        if (args.length == 0 || platform == null || platform.equals(java.nio.charset.StandardCharsets.UTF_8)) {
            return args;
        }
        byte[] line;
        try {
            line = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/cmdline"));
        } catch (java.io.IOException | RuntimeException e) {
            return args;
        }
        List<byte[]> words = nulSeparated(line);
        if (words.size() < args.length) {
            return args;
        }
        String[] decoded = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            byte[] word = words.get(words.size() - args.length + i);
            if (!new String(word, platform).equals(args[i])) {
                return args;
            }
            decoded[i] = new String(word, java.nio.charset.StandardCharsets.UTF_8);
        }
        return decoded;
    }

    /**
     * The environment a program sees (its getEnv, and the commands it spawns), when it is not the JVM's own
     * as the JVM decoded it; empty when it is. Two cases, each giving every variable:
     * <ul>
     * <li>The JVM decoded the variables otherwise than as UTF-8 (the C locale's ASCII, where getEnv gave
     * "\uFFFD\uFFFD" for "é"): they are read again from /proc/self/environ.
     * <li>scripts/osprey ran the JVM with the C locale's UTF-8 form, so that file names are UTF-8, and says in
     * OSPREY_LOCALE_WAS what the variable it changed held ({@code LC_ALL=C}, or {@code LC_CTYPE} alone when it
     * was not set): the program sees it as it was, and not that word.
     * </ul>
     * Read once: every context the launcher makes ({@code osprey check} makes one a file) gets the same.
     */
    static Map<String, String> utf8Environment() {
        return Utf8Environment.VARIABLES;
    }

    private static final class Utf8Environment {
        static final String LOCALE_WAS = "OSPREY_LOCALE_WAS";
        static final Map<String, String> VARIABLES = read();

        private static Map<String, String> read() {
            Map<String, String> variables = decodedAgain();
            String was = System.getenv(LOCALE_WAS);
            if (was == null) {
                return variables;
            }
            variables = new LinkedHashMap<>(variables.isEmpty() ? System.getenv() : variables);
            variables.remove(LOCALE_WAS);
            int eq = was.indexOf('=');
            String name = eq < 0 ? was : was.substring(0, eq);
            if (name.equals("LC_ALL") || name.equals("LC_CTYPE")) {
                if (eq < 0) {
                    variables.remove(name);
                } else {
                    variables.put(name, was.substring(eq + 1));
                }
            }
            return variables;
        }

        private static Map<String, String> decodedAgain() {
            java.nio.charset.Charset platform = platformCharset();
            if (platform == null || platform.equals(java.nio.charset.StandardCharsets.UTF_8)) {
                return Map.of();
            }
            byte[] all;
            try {
                all = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/environ"));
            } catch (java.io.IOException | RuntimeException e) {
                return Map.of();
            }
            Map<String, String> variables = new LinkedHashMap<>();
            for (byte[] entry : nulSeparated(all)) {
                String variable = new String(entry, java.nio.charset.StandardCharsets.UTF_8);
                int eq = variable.indexOf('=');
                if (eq > 0) {
                    variables.put(variable.substring(0, eq), variable.substring(eq + 1));
                }
            }
            return variables;
        }
    }

    /** The words of a /proc file such as cmdline or environ, each ended by a 0 byte. */
    private static List<byte[]> nulSeparated(byte[] bytes) {
        List<byte[]> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                words.add(java.util.Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        return words;
    }

    /** The charset the JVM decoded the command line and the environment with, or null if unknown. */
    private static java.nio.charset.Charset platformCharset() {
        try {
            return java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The process's standard output, for what programs and the launcher print. A PrintStream over it would
     * keep the write's failure to itself, and a program printing to a pipe whose reader is gone ({@code
     * osprey run gen.osp | head -1}) would run on, printing into nothing: as a C or Python program killed by
     * SIGPIPE, the process ends there, with 141 (128 + SIGPIPE) and no message. Any other failure (a full
     * disk) ends it with a message and 1. The context buffers what a program prints (OspreyContext), so this
     * sees a write per 16 KB or per line, never per character.
     */
    static final class StandardOutput extends java.io.OutputStream {
        private final java.io.FileOutputStream fd = new java.io.FileOutputStream(java.io.FileDescriptor.out);

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                fd.write(b, off, len);
            } catch (java.io.IOException e) {
                String why = String.valueOf(e.getMessage());
                boolean readerGone = why.contains("Broken pipe");
                if (!readerGone) {
                    System.err.println("osprey: cannot write to standard output: " + why);
                    System.err.flush();
                }
                // The program ends here, and its processes with it, as at any end of a program (with the halt
                // they went on running: a spawned sleep outlived osprey run x.osp | head -1).
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                Runtime.getRuntime().halt(readerGone ? 141 : 1);
            }
        }
    }

    /**
     * Writes out what the program printed and has not been flushed, then closes the running program's
     * context so its servers and connections end with close frames; waits at most 3 s in all (a server
     * gives its clients up to 2 s to answer), since a pipe that nobody reads any more, or a client that does
     * not answer, must not keep the process from ending.
     */
    private static void endOnSignal() {
        Thread end = new Thread(() -> {
            // The output first, in case closing the program takes longer than the wait; the context flushes
            // again as it closes, which the last line writes out.
            ProgramOutput.flushAll();
            System.out.flush();
            Runner.closeRunningOnSignal();
            System.out.flush();
        }, "osprey-end-on-signal");
        end.setDaemon(true);
        end.start();
        try {
            end.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, Runner.stdoutIsTerminal(), out, err);
    }

    /**
     * The command with explicit streams. Without a file it starts the REPL: on the system terminal when
     * {@code terminal} is true, else reading entries from {@code in} (piped input).
     */
    static int run(String[] args, java.io.InputStream in, boolean terminal, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        // Options may come before or after the file (spec 0016 writes `osprey program.osp --sandbox`); after
        // "--" every word is an argument for the program, also one that starts with '-'.
        boolean rest = false;
        String code = null; // osprey -e CODE
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            if (rest) {
                positional.add(a);
                continue;
            }
            switch (a) {
                case "--" -> rest = true;
                case "-e", "--eval" -> {
                    if (k + 1 == args.length) {
                        err.println("osprey: " + a + " needs the program's text, as in osprey -e 'print(1 + 2)'");
                        return 2;
                    }
                    // The text takes the place of a file: after one (or a command, or the program's first
                    // argument) it would have replaced what came before it in silence.
                    if (code != null || !positional.isEmpty()) {
                        err.println("osprey: " + a + (code != null ? " given twice (one -e holds the whole program, its lines separated by line breaks or ';')"
                                        : " after '" + positional.get(0) + "' (-e CODE takes the place of a file; an argument for the program that starts with '-' goes after --)"));
                        return 2;
                    }
                    code = args[++k];
                }
                case "--lib", "--lib=" -> {
                    err.println("osprey: --lib takes the library's path after '=': --lib=./libshapes.so");
                    return 2;
                }
                case "--run" -> {
                    // spec 0016's examples run the compiler with --run; running is what this command does
                }
                case "--llvm", "--compile" -> {
                    err.println("osprey: " + a + " is an option of Osprey's compiler (spec 0016's examples); this interpreter runs the program"
                                    + " itself: leave it out");
                    return 2;
                }
                case "--help", "-h" -> {
                    out.print(usage());
                    return 0;
                }
                case "--version", "-V" -> {
                    out.println(versionLine());
                    return 0;
                }
                default -> {
                    if (addOption(a, options)) {
                        continue;
                    }
                    if (a.startsWith("-") && !a.equals("-")) {
                        String near = nearestFlag(a);
                        boolean afterProgram = code != null || positional.stream().anyMatch(w -> w.endsWith(".osp"));
                        err.println("osprey: unknown option '" + a + "'" + (near != null ? "; did you mean " + near + "?" : "")
                                        + (afterProgram ? " (an argument for the program that starts with '-' goes after --)" : " (see osprey --help)"));
                        return 2;
                    }
                    positional.add(a);
                }
            }
        }
        String security = securityLine(options);
        if (security != null && (positional.isEmpty() || !List.of("help", "version").contains(positional.get(0)))) {
            err.println(security);
        }
        if (code != null) {
            return new Runner(options, out, err).runText(code, positional);
        }
        if (positional.isEmpty()) {
            try {
                return terminal ? Repl.start(options, out, err) : Repl.piped(options, in, out, err);
            } catch (Session.BadOptions e) {
                err.println(Runner.optionError((IllegalArgumentException) e.getCause(), options));
                return 2;
            }
        }
        String command = positional.get(0);
        switch (command) {
            case "help" -> {
                out.print(usage());
                return 0;
            }
            case "version" -> {
                out.println(versionLine());
                return 0;
            }
            case "run" -> {
                if (positional.size() < 2) {
                    err.println("osprey run: which file? usage: osprey run FILE.osp");
                    return 2;
                }
                return new Runner(options, out, err).runFile(positional.get(1), positional.subList(2, positional.size()));
            }
            case "check" -> {
                if (positional.size() < 2) {
                    err.println("osprey check: which files? usage: osprey check FILE.osp...");
                    return 2;
                }
                return new Runner(options, out, err).checkFiles(positional.subList(1, positional.size()));
            }
            default -> {
                if (command.endsWith(".osp")) {
                    return new Runner(options, out, err).runFile(command, positional.subList(1, positional.size()));
                }
                if (new java.io.File(command).isFile()) {
                    // A script without .osp whose #! line is "#!/usr/bin/env osprey"
                    err.println("osprey: unknown command '" + command + "'; a file whose name does not end in .osp runs with osprey run " + command
                                    + " (in a #! line: #!/usr/bin/env -S osprey run)");
                    return 2;
                }
                err.println("osprey: unknown command '" + command + "'; see osprey --help");
                return 2;
            }
        }
    }

    /**
     * Adds the context option a launcher flag stands for ({@code --sandbox}, {@code --no-fs},
     * {@code --websocket-timeout=30}, {@code --osprey.MaxCallDepth=1000}, ...) and returns true, or returns
     * false if {@code arg} is no such flag. The test corpus reads its {@code .options} files with this too.
     */
    static boolean addOption(String arg, Map<String, String> options) {
        switch (arg) {
            case "--sandbox" -> options.put("osprey.Sandbox", "true");
            case "--no-fs" -> options.put("osprey.NoFs", "true");
            case "--no-websocket" -> options.put("osprey.NoWebSocket", "true");
            case "--no-http" -> options.put("osprey.NoHttp", "true");
            case "--no-ffi" -> options.put("osprey.NoFfi", "true");
            // The Truffle tools (docs/embedding.md#tools); scripts/osprey puts their jars on the module path.
            case "--inspect" -> options.put("inspect", "true");
            case "--cpusampler", "--coverage" -> {
                options.put(arg.substring(2), "true");
                sampled(options);
            }
            default -> {
                if (arg.startsWith("--lib=") && arg.length() > "--lib=".length()) {
                    // extern functions' libraries (spec 0003), looked up in the order given, then the C library
                    String path = java.nio.file.Path.of(arg.substring("--lib=".length())).toAbsolutePath().toString();
                    options.merge("osprey.Libraries", path, (before, added) -> before + java.io.File.pathSeparator + added);
                    return true;
                }
                if (arg.startsWith("--inspect=") || arg.startsWith("--cpusampler=") || arg.startsWith("--coverage=")) {
                    options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
                    if (!arg.startsWith("--inspect=")) {
                        sampled(options);
                    }
                    return true;
                }
                String setting = webSocketFlag(arg);
                if (setting != null) {
                    options.put(setting, arg.substring(arg.indexOf('=') + 1));
                } else if (arg.startsWith("--") && arg.contains("=") && arg.indexOf('.') > 0 && arg.indexOf('.') < arg.indexOf('=')) {
                    options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
                } else if (arg.matches("--[a-z][A-Za-z]*(\\.[A-Za-z]\\w*)*\\.[A-Z]\\w*")) {
                    options.put(arg.substring(2), "true"); // a switch without a value, as GraalVM's launchers take it: --engine.TraceCompilation
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Spec 0016's summary of what the flags took away, for standard error before anything runs, or null when
     * nothing was: {@code Security: SANDBOX MODE - All risky operations disabled}, or {@code Security:
     * Allowed=[...] Blocked=[...]}.
     */
    static String securityLine(Map<String, String> options) {
        if ("true".equals(options.get("osprey.Sandbox"))) {
            return "Security: SANDBOX MODE - All risky operations disabled";
        }
        boolean noFs = "true".equals(options.get("osprey.NoFs"));
        boolean noWebSocket = "true".equals(options.get("osprey.NoWebSocket"));
        boolean noHttp = "true".equals(options.get("osprey.NoHttp"));
        boolean noFfi = "true".equals(options.get("osprey.NoFfi"));
        if (!noFs && !noWebSocket && !noHttp && !noFfi) {
            return null;
        }
        List<String> allowed = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        (noFs ? blocked : allowed).addAll(List.of("FileRead", "FileWrite", "Process"));
        (noFfi ? blocked : allowed).add("FFI"); // spec 0016's order: Allowed=[FileRead,FileWrite,FFI] Blocked=[HTTP,WebSocket]
        (noHttp ? blocked : allowed).add("HTTP");
        (noWebSocket ? blocked : allowed).add("WebSocket");
        return "Security: Allowed=[" + String.join(",", allowed) + "] Blocked=[" + String.join(",", blocked) + "]";
    }

    /**
     * The CPU sampler sees a program's frames, and a small function built into its caller has none, so its
     * time would count as the caller's; the coverage tool would not see such a function's own lines run at
     * all. With either, every call is an ordinary call (unless chosen).
     */
    private static void sampled(Map<String, String> options) {
        options.putIfAbsent("osprey.InlineSmallFunctions", "false");
    }

    /** {@code --websocket-max-message=BYTES} and friends, each with the WebSocket plugin's setting it sets (docs/websocket.md). */
    private static final Map<String, String> WEBSOCKET_FLAGS = Map.of(
                    "--websocket-max-message", "osprey.Plugin.websocket.MaxMessageSize",
                    "--websocket-origins", "osprey.Plugin.websocket.AllowedOrigins",
                    "--websocket-timeout", "osprey.Plugin.websocket.ConnectionLostTimeout",
                    "--websocket-connect-timeout", "osprey.Plugin.websocket.ConnectTimeout",
                    "--websocket-max-unsent", "osprey.Plugin.websocket.MaxUnsentBytes",
                    "--websocket-max-handshake", "osprey.Plugin.websocket.MaxHandshakeSize",
                    "--websocket-handshake-timeout", "osprey.Plugin.websocket.HandshakeTimeout",
                    "--websocket-subprotocols", "osprey.Plugin.websocket.Subprotocols");

    /** The setting a {@code --websocket-...=VALUE} argument sets, or null. */
    static String webSocketFlag(String arg) {
        int eq = arg.indexOf('=');
        return eq < 0 ? null : WEBSOCKET_FLAGS.get(arg.substring(0, eq));
    }

    /**
     * The flag a mistyped one was most likely meant to be ({@code --websocket-max-mesage=10}: {@code
     * --websocket-max-message}), or null: the known flag whose name is closest, if at most two letters
     * (three in a name of over twelve) are added, dropped or changed.
     */
    static String nearestFlag(String arg) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        List<String> flags = new ArrayList<>(List.of("--sandbox", "--no-fs", "--no-websocket", "--no-http", "--no-ffi", "--lib", "--inspect", "--cpusampler",
                        "--coverage", "--plugin-path", "--help", "--version", "--eval"));
        flags.addAll(WEBSOCKET_FLAGS.keySet());
        String best = null;
        int bestDistance = name.length() > 12 ? 4 : 3;
        for (String flag : flags) {
            int d = editDistance(name, flag);
            if (d < bestDistance) {
                best = flag;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Letters added, dropped or changed to make one text the other (Levenshtein). */
    private static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    /** The {@code --websocket-...} flag that sets an option, or null. */
    static String webSocketFlagOf(String option) {
        for (Map.Entry<String, String> f : WEBSOCKET_FLAGS.entrySet()) {
            if (f.getValue().equals(option)) {
                return f.getKey();
            }
        }
        return null;
    }

    static String versionLine() {
        return "osprey " + VERSION + " (Truffle interpreter on " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version") + ")";
    }

    static String usage() {
        return "Osprey " + VERSION + " on GraalVM Truffle\n" + """

                        Usage:
                          osprey run FILE.osp [ARG...]    run a program (its main() result is the exit code);
                                                          args() gives it the ARGs (after --, also those that
                                                          start with '-'); options may come before or after
                          osprey FILE.osp [ARG...]        the same
                          osprey -e CODE [ARG...]         run CODE as a program (also --eval CODE)
                          osprey check FILE.osp|DIR...    check syntax and types only; run nothing
                                                          (a directory: every .osp file in it and in
                                                          the directories under it)
                          osprey [options]                start the interactive REPL
                          osprey --help | --version       (also -h, -V)

                        Options:
                          --sandbox        disable files, processes, WebSockets, HTTP and extern
                                           functions (spec 0016)
                          --no-fs          disable the file and process functions
                          --no-websocket   disable the WebSocket functions
                          --no-http        disable the HTTP functions
                          --no-ffi         disable extern functions (calls of C functions)
                          --lib=PATH       a shared library for extern functions, searched before
                                           the C library (may be given again for more)
                          With any of these, one line on standard error says what is
                          allowed and blocked before the program runs.
                          --websocket-max-message=BYTES
                                           largest WebSocket message accepted (default 1048576)
                          --websocket-origins=ORIGIN,...
                                           Origins a server accepts (default: any)
                          --websocket-timeout=SECONDS
                                           close connections silent this long (ping/pong;
                                           default 60, 0 = never)
                          --websocket-connect-timeout=SECONDS
                                           how long websocketConnect waits (default 10)
                          --websocket-max-unsent=BYTES
                                           data waiting for a peer before sends to it fail
                                           (default 4194304)
                          --websocket-max-handshake=BYTES
                                           largest upgrade request a server reads (default 8192)
                          --websocket-handshake-timeout=SECONDS
                                           how long a server waits for an upgrade request (default 5)
                          --websocket-subprotocols=NAME,...
                                           subprotocols a server accepts (the first a client
                                           offers) and a client offers (default: none)
                          --osprey.Plugin.http.MaxBodySize=BYTES
                                           largest HTTP body a server or a client reads
                                           (default 16777216)
                          --osprey.Plugin.http.ReadTimeout=MS
                                           how long a server waits for a request's head, then
                                           for each part of its body (default 30000)
                          --osprey.Plugin.http.WriteTimeout=MS
                                           how long a server waits for a client to take the
                                           next part of an answer (default 30000)
                          --inspect[=[HOST:]PORT]
                                           debug in Chrome DevTools: prints a URL to open
                                           (--inspect.Suspend=false: run without stopping first)
                          --cpusampler     print a CPU profile per function when the program ends
                                           (--cpusampler.Output=calltree for a call tree)
                          --coverage       print which lines ran when the program ends
                                           (--coverage.Output=detailed for every line,
                                           lcov for tools; --coverage.OutputFile=FILE)
                          --osprey.MaxCallDepth=N
                                           how deep calls may nest (default 100000, at most 1000000)
                          --osprey.InlineSmallFunctions=false
                                           every call an ordinary call: no small function built
                                           into its caller (default true; --cpusampler and
                                           --coverage set it false)
                          --osprey.FiberPlatformThreads=N
                                           fibers alive at once on platform threads of their own;
                                           more run on virtual threads (default 64)
                          --osprey.FirstCompilationWait=MS
                                           osprey run waits once for a compilation pending
                                           this long (default 300, 0 = never)
                          --plugin-path=JAR:DIR...
                                           load builtins modules of your own from these jars or
                                           class directories (docs/plugins.md; also OSPREY_PLUGIN_PATH)
                          --osprey.Plugin.<module>.<Setting>=VALUE
                                           a builtin module's setting

                        Exit codes: 0 ok, 1 the program was rejected or failed (also where a
                        builtins module's function threw an exception: the message names the
                        module), 2 bad usage, 70 an internal error (a bug of the interpreter, or
                        a Java Error such as NoClassDefFoundError out of a builtins module),
                        128 + the signal that stopped it (130 Ctrl-C, 143 SIGTERM, 141 a pipe
                        its output went to was closed), or the int that main() returned
                        (its low 8 bits: 256 exits 0).
                        """;
    }
}
