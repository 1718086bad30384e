package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Option values the context does not take: one line that names the option and what it takes, exit status 2,
 * and nothing run, whether the command runs a file or starts the REPL.
 */
class LauncherOptionsTest {
    @TempDir
    Path dir;

    private void refused(String option, String message) throws Exception {
        Path file = dir.resolve("program.osp");
        Files.writeString(file, "print(\"ran\")\n", StandardCharsets.UTF_8);
        OspreyRun run = OspreyRun.of("run", option, file.toString());
        assertEquals(new OspreyRun(2, "", message + "\n"), run, "osprey run " + option);
        OspreyRun repl = OspreyRun.of(option);
        assertEquals(new OspreyRun(2, "", message + "\n"), repl, "osprey " + option + " (the REPL)");
    }

    @Test
    void callDepthMustBeAPositiveWholeNumber() throws Exception {
        refused("--osprey.MaxCallDepth=abc", "osprey: --osprey.MaxCallDepth takes a whole number from 1 to 1000000, not 'abc'");
        refused("--osprey.MaxCallDepth=0", "osprey: --osprey.MaxCallDepth takes a whole number from 1 to 1000000, not '0'");
        refused("--osprey.MaxCallDepth=-1", "osprey: --osprey.MaxCallDepth takes a whole number from 1 to 1000000, not '-1'");
        refused("--osprey.MaxCallDepth=99999999999999999999",
                        "osprey: --osprey.MaxCallDepth takes a whole number from 1 to 1000000, not '99999999999999999999'");
        // Deeper nesting fills the heap with frames before the stack runs out (OspreyLanguage.MAX_CALL_DEPTH_LIMIT).
        refused("--osprey.MaxCallDepth=5000000", "osprey: --osprey.MaxCallDepth takes a whole number from 1 to 1000000, not '5000000'");
    }

    /**
     * Words after the program's file are its arguments, which args() gives; after "--" so is a word that starts
     * with '-', which before it would be taken for an option of osprey's (and refused, saying where it goes).
     */
    @Test
    void wordsAfterTheProgramAreItsArguments() throws Exception {
        Path file = dir.resolve("program.osp");
        Files.writeString(file, "print(args())\nprint(length(args()))\n", StandardCharsets.UTF_8);
        assertEquals(new OspreyRun(0, "[\"extra\", \"two words\", \"-n\", \"--sandbox\", \"--\"]\n5\n", ""),
                        OspreyRun.of(file.toString(), "extra", "two words", "--", "-n", "--sandbox", "--"));
        assertEquals(new OspreyRun(0, "[\"a\"]\n1\n", "Security: SANDBOX MODE - All risky operations disabled\n"),
                        OspreyRun.of("run", file.toString(), "--sandbox", "a"));
        assertEquals(new OspreyRun(0, "[]\n0\n", ""), OspreyRun.of("run", file.toString()));
        assertEquals(new OspreyRun(2, "", "osprey: unknown option '-n' (an argument for the program that starts with '-' goes after --)\n"),
                        OspreyRun.of("run", file.toString(), "x", "-n"));
        // A script's #! line of `env -S osprey run --` (docs/language.md): the shell adds the file and the words.
        assertEquals(new OspreyRun(0, "[\"-v\", \"--limit\", \"3\"]\n3\n", ""), OspreyRun.of("run", "--", file.toString(), "-v", "--limit", "3"));
        assertEquals(new OspreyRun(0, "[]\n0\n", ""), OspreyRun.piped("print(args())\nprint(length(args()))\n"), "the REPL's");
    }

    /** {@code osprey -e CODE [ARG...]} runs the text as a program file's, named -e in its errors. */
    @Test
    void evalRunsTheTextAsAProgram() {
        assertEquals(new OspreyRun(0, "3\n[\"a\", \"-b\"]\n", ""), OspreyRun.of("-e", "print(1 + 2)\nprint(args())", "a", "--", "-b"));
        assertEquals(new OspreyRun(7, "", ""), OspreyRun.of("--eval", "fn main() -> int = 7"));
        assertEquals(new OspreyRun(1, "", "-e:1:7: unknown name 'x'\nprint(x)\n      ^\n"), OspreyRun.of("-e", "print(x)"));
        assertEquals(new OspreyRun(2, "", "osprey: -e needs the program's text, as in osprey -e 'print(1 + 2)'\n"), OspreyRun.of("-e"));
        assertEquals(new OspreyRun(2, "", "osprey: unknown option '-n' (an argument for the program that starts with '-' goes after --)\n"),
                        OspreyRun.of("-e", "print(args())", "-n"));
        // After a file, -e replaced it in silence, the file and all before it becoming the text's arguments.
        assertEquals(new OspreyRun(2, "", "osprey: -e after 'run' (-e CODE takes the place of a file; an argument for the program that starts with '-'"
                        + " goes after --)\n"), OspreyRun.of("run", "f.osp", "x", "-e", "print(args())"));
        assertEquals(new OspreyRun(2, "", "osprey: --eval after 'f.osp' (-e CODE takes the place of a file; an argument for the program that starts with '-'"
                        + " goes after --)\n"), OspreyRun.of("f.osp", "--eval", "print(1)"));
        assertEquals(new OspreyRun(2, "", "osprey: -e given twice (one -e holds the whole program, its lines separated by line breaks or ';')\n"),
                        OspreyRun.of("-e", "print(1)", "-e", "print(2)"));
    }

    /**
     * Under the C locale (cron, containers) the JVM decodes the command line as ASCII: args() gave each
     * byte of "é" as U+FFFD, and so did the text of -e. They are UTF-8, as Osprey's files and output are.
     */
    @Test
    void theCommandLineIsUtf8UnderTheCLocale() throws Exception {
        ProcessBuilder pb = underTheCLocale("-e", "print(\"é ${args()}\")", "日本", "", "a b");
        java.util.List<String> cmd = pb.command();
        Process p = pb.start();
        p.getOutputStream().close();
        String out = ReplPipedTest.readAll(p.getInputStream());
        assertEquals(0, p.waitFor());
        assertEquals("é [\"日本\", \"\", \"a b\"]\n", out);
        // getEnv's value too ("\uFFFD\uFFFD" for "é")
        cmd.subList(cmd.size() - 4, cmd.size()).clear();
        cmd.add("print(getEnv(\"OSPREY_TEST_WORD\"))");
        pb.environment().put("OSPREY_TEST_WORD", "日本");
        p = pb.start();
        p.getOutputStream().close();
        assertEquals("Success(日本)\n", ReplPipedTest.readAll(p.getInputStream()));
        assertEquals(0, p.waitFor());
    }

    /**
     * A script without .osp whose #! line is "#!/usr/bin/env osprey" was only an 'unknown command, see
     * osprey --help'; the message now says how such a file runs.
     */
    @Test
    void aFileWithoutOspIsToldHowItRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path script = dir.resolve("hello");
        java.nio.file.Files.writeString(script, "#!/usr/bin/env osprey\nprint(args())\n");
        assertEquals(new OspreyRun(2, "", "osprey: unknown command '" + script + "'; a file whose name does not end in .osp runs with osprey run " + script
                        + " (in a #! line: #!/usr/bin/env -S osprey run)\n"), OspreyRun.of(script.toString(), "a"));
        assertEquals(new OspreyRun(0, "[\"a\"]\n", ""), OspreyRun.of("run", script.toString(), "a"));
        assertEquals(new OspreyRun(2, "", "osprey: unknown command 'frobnicate'; see osprey --help\n"), OspreyRun.of("frobnicate"));
    }

    /**
     * Under the C locale scripts/osprey runs the JVM with C.UTF-8 (for file names in UTF-8) and says in
     * OSPREY_LOCALE_WAS what the variable held: getEnv and spawned commands see it as it was, and not that
     * word; one that was not set is not there.
     */
    @Test
    void theProgramSeesTheLocaleTheLauncherChanged() throws Exception {
        String program = "print(getEnv(\"LC_ALL\"))\nprint(getEnv(\"OSPREY_LOCALE_WAS\"))\nprint(getEnv(\"LC_CTYPE\"))\n"
                        + "match spawnProcess(\"echo $LC_ALL \\${LC_CTYPE-unset} \\${OSPREY_LOCALE_WAS-gone}\", fn(i: int, t: int, d: string) => print(d)) {\n"
                        + "  Success { value } => awaitProcess(value.processId)\n  Error { message } => 1\n}\n";
        ProcessBuilder pb = underTheCLocale("-e", program);
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("OSPREY_LOCALE_WAS", "LC_ALL=C");
        Process p = pb.start();
        p.getOutputStream().close();
        assertEquals("Success(C)\nError(environment variable OSPREY_LOCALE_WAS is not set)\nError(environment variable LC_CTYPE is not set)\nC unset gone\n0\n",
                        ReplPipedTest.readAll(p.getInputStream()));
        assertEquals(0, p.waitFor());
        pb.environment().remove("LC_ALL");
        pb.environment().put("LC_CTYPE", "C.UTF-8");
        pb.environment().put("OSPREY_LOCALE_WAS", "LC_CTYPE");
        p = pb.start();
        p.getOutputStream().close();
        assertEquals("Error(environment variable LC_ALL is not set)\nError(environment variable OSPREY_LOCALE_WAS is not set)\n"
                        + "Error(environment variable LC_CTYPE is not set)\nunset gone\n0\n", ReplPipedTest.readAll(p.getInputStream()));
        assertEquals(0, p.waitFor());
    }

    /** A program read from a pipe ({@code osprey run <(generate)}, {@code /dev/stdin}) runs; it was "not a file". */
    @Test
    void aProgramComesThroughAPipe(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path fifo = dir.resolve("program.osp");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Thread writer = new Thread(() -> {
            try {
                java.nio.file.Files.writeString(fifo, "print(\"through a pipe: ${args()}\")\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.setDaemon(true); // blocked for good if the program is not read
        writer.start();
        assertEquals(new OspreyRun(0, "through a pipe: [\"a\"]\n", ""), OspreyRun.of("run", fifo.toString(), "a"));
        writer.join();
        assertEquals(new OspreyRun(1, "", "osprey: cannot open '" + dir + "': not a file\n"), OspreyRun.of("run", dir.toString()));
    }

    /** Under the C locale an error's source line lost its non-ASCII characters to '?' (System.err's ASCII). */
    @Test
    void errorsAreUtf8UnderTheCLocale(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("f.osp");
        java.nio.file.Files.writeString(file, "print(\"é\" + 1)\n", java.nio.charset.StandardCharsets.UTF_8);
        Process p = underTheCLocale("run", file.toString()).start();
        p.getOutputStream().close();
        String out = ReplPipedTest.readAll(p.getInputStream());
        assertEquals(1, p.waitFor());
        assertEquals(file + ":1:13: type mismatch in the right operand of '+': expected string, found int (use toString(...) or \"${...}\" to make a"
                        + " string)\nprint(\"é\" + 1)\n            ^\n", out);
    }

    /** {@code osprey} with these arguments in a process of its own under LC_ALL=C, standard error merged into its output. */
    private static ProcessBuilder underTheCLocale(String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(ReplPipedTest.osprey());
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        pb.environment().put("LC_ALL", "C");
        return pb;
    }

    /** A mistyped flag is named with the flag it was most likely meant to be; one far from every flag is not. */
    @Test
    void anUnknownFlagNamesTheNearestKnownOne() throws Exception {
        assertEquals(new OspreyRun(2, "", "osprey: unknown option '--websocket-max-mesage=10'; did you mean --websocket-max-message? (see osprey --help)\n"),
                        OspreyRun.of("--websocket-max-mesage=10"));
        assertEquals(new OspreyRun(2, "", "osprey: unknown option '--sandbx'; did you mean --sandbox? (see osprey --help)\n"), OspreyRun.of("--sandbx"));
        assertEquals(new OspreyRun(2, "", "osprey: unknown option '--frobnicate' (see osprey --help)\n"), OspreyRun.of("--frobnicate"));
    }

    @Test
    void compilationWaitMustNotBeNegative() throws Exception {
        refused("--osprey.FirstCompilationWait=-5", "osprey: --osprey.FirstCompilationWait takes a whole number from 0 to 2147483647, not '-5'");
    }

    @Test
    void helpGivesTheDefaultOfEveryWebSocketSetting() throws Exception {
        // --websocket-timeout said what it does but not that it is 60 s unless given (docs/websocket.md has it).
        OspreyRun help = OspreyRun.of("--help");
        assertEquals(0, help.exit());
        String[] parts = help.out().split("\n  --");
        int settings = 0;
        for (String part : parts) {
            if (part.startsWith("websocket-")) {
                settings++;
                org.junit.jupiter.api.Assertions.assertTrue(part.contains("(default") || part.contains("default "),
                                "--help gives no default for --" + part.strip());
            }
        }
        assertEquals(8, settings, help.out());
    }

    @Test
    void helpGivesTheHttpSettingsWithTheirDefaults() throws Exception {
        // --help named only --osprey.Plugin.<module>.<Setting>: the HTTP module's three settings and their
        // defaults were in docs/http.md alone.
        OspreyRun help = OspreyRun.of("--help");
        assertEquals(0, help.exit());
        java.util.List<String> http = new java.util.ArrayList<>();
        for (String part : help.out().split("\n  --")) {
            if (part.startsWith("osprey.Plugin.http.")) {
                http.add(part.substring(0, part.indexOf('=')));
                org.junit.jupiter.api.Assertions.assertTrue(part.contains("(default"), "--help gives no default for --" + part.strip());
            }
        }
        assertEquals(java.util.List.of("osprey.Plugin.http.MaxBodySize", "osprey.Plugin.http.ReadTimeout", "osprey.Plugin.http.WriteTimeout"),
                        http, help.out());
    }

    @Test
    void helpNamesEveryOptionOfTheLanguageThatIsNotInternal() throws Exception {
        // --help left out --osprey.InlineSmallFunctions, --osprey.FiberPlatformThreads and
        // --osprey.FirstCompilationWait, which the launcher takes and docs/language.md and performance.md name.
        String help = OspreyRun.of("--help").out();
        java.util.Map<String, String> flags = java.util.Map.of("osprey.Sandbox", "--sandbox", "osprey.NoFs", "--no-fs", "osprey.NoWebSocket", "--no-websocket",
                        "osprey.NoHttp", "--no-http", "osprey.NoFfi", "--no-ffi", "osprey.Libraries", "--lib=", "osprey.Plugin", "--osprey.Plugin.<module>.");
        int named = 0;
        try (org.graalvm.polyglot.Engine engine = org.graalvm.polyglot.Engine.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            for (org.graalvm.options.OptionDescriptor option : engine.getLanguages().get("osprey").getOptions()) {
                if (option.getCategory() != org.graalvm.options.OptionCategory.INTERNAL) {
                    String flag = flags.getOrDefault(option.getName(), "--" + option.getName() + "=");
                    org.junit.jupiter.api.Assertions.assertTrue(help.contains("\n  " + flag), "--help does not name " + flag + "\n" + help);
                    named++;
                }
            }
        }
        assertEquals(11, named);
    }

    @Test
    void webSocketSettingsAreCheckedAtStartNotAtTheirFirstUse() throws Exception {
        refused("--websocket-max-message=lots", "osprey: invalid --websocket-max-message=lots: it takes a whole number from 1 to 2147483647");
        refused("--websocket-timeout=-1", "osprey: invalid --websocket-timeout=-1: it takes a whole number from 0 to 2147483647");
        // An empty value (--websocket-timeout=$UNSET in a script) ran with the default without a word.
        refused("--websocket-timeout=", "osprey: invalid --websocket-timeout=: it takes a whole number from 0 to 2147483647");
        // An empty list of origins was any origin: an unset variable switched the check off.
        refused("--websocket-origins=", "osprey: invalid --websocket-origins=: it takes origins such as https://example.org or"
                        + " http://localhost:3000, separated by commas");
        refused("--websocket-origins=example.org", "osprey: invalid --websocket-origins=example.org: it takes origins such as"
                        + " https://example.org or http://localhost:3000, separated by commas");
        refused("--websocket-origins=https://a.example,https://b.example/app", "osprey: invalid --websocket-origins=https://a.example,"
                        + "https://b.example/app: it takes origins such as https://example.org or http://localhost:3000, separated by commas");
        refused("--osprey.Plugin.websocket.ConectTimeout=5", "osprey: unknown setting osprey.Plugin.websocket.ConectTimeout (did you mean"
                        + " ConnectTimeout?); the websocket module's settings are AllowedOrigins, ConnectTimeout, ConnectionLostTimeout,"
                        + " HandshakeTimeout, MaxHandshakeSize, MaxMessageSize, MaxUnsentBytes, Subprotocols");
        refused("--websocket-subprotocols=", "osprey: invalid --websocket-subprotocols=: it takes subprotocol names (letters, digits and"
                        + " !#$%&'*+-.^_`|~), separated by commas: chat,v2.chat");
        refused("--websocket-subprotocols=chat,my proto", "osprey: invalid --websocket-subprotocols=chat,my proto: it takes subprotocol names"
                        + " (letters, digits and !#$%&'*+-.^_`|~), separated by commas: chat,v2.chat");
        refused("--osprey.Plugin.ftp.Port=80", "osprey: unknown setting osprey.Plugin.ftp.Port: the modules with settings are http, websocket"
                        + " (osprey.Plugin.<module>.<setting>)");
        refused("--osprey.Plugin.http.MaxBodySize=0", "osprey: invalid setting osprey.Plugin.http.MaxBodySize=0: it takes a whole number from 1 to"
                        + " 2147483647");
        refused("--osprey.Plugin.http.WriteTimeout=0", "osprey: invalid setting osprey.Plugin.http.WriteTimeout=0: it takes a whole number of"
                        + " milliseconds from 1 to 2147483647");
    }

    @Test
    void anEngineNumberOptionNamesItself() {
        // Truffle's own int options (e.g. the optimizing runtime's, which this test JVM does not run): the
        // polyglot layer passes on Java's "For input string", and the launcher adds which option it was.
        IllegalArgumentException e = new IllegalArgumentException("For input string: \"x\"");
        assertEquals("osprey: --engine.CompilerThreads takes a whole number, not 'x'",
                        Runner.optionError(e, java.util.Map.of("engine.CompilerThreads", "x", "osprey.NoFs", "true")));
    }

    @Test
    void aGoodValueRuns() throws Exception {
        Path file = dir.resolve("program.osp");
        Files.writeString(file, "print(\"ran\")\n", StandardCharsets.UTF_8);
        assertEquals(new OspreyRun(0, "ran\n", ""), OspreyRun.of("run", "--osprey.MaxCallDepth=500", file.toString()));
        assertEquals(new OspreyRun(0, "ran\n", ""), OspreyRun.of("run", "--websocket-max-message=65536", "--websocket-timeout=0", file.toString()));
    }

    @Test
    void aSwitchWithoutAValueIsOn() throws Exception {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        assertEquals(true, Main.addOption("--engine.TraceCompilation", options));
        assertEquals(true, Main.addOption("--osprey.Plugin.websocket.Verbose", options));
        assertEquals(false, Main.addOption("--engine.traceCompilation", options));
        assertEquals(false, Main.addOption("--prog.osp", options));
        assertEquals(java.util.Map.of("engine.TraceCompilation", "true", "osprey.Plugin.websocket.Verbose", "true"), options);
        Path file = dir.resolve("program.osp");
        Files.writeString(file, "print(\"ran\")\n", StandardCharsets.UTF_8);
        assertEquals(new OspreyRun(0, "ran\n", "Security: Allowed=[FFI,HTTP,WebSocket] Blocked=[FileRead,FileWrite,Process]\n"),
                        OspreyRun.of("run", "--osprey.NoFs", file.toString()));
    }

    @Test
    void specSecurityFlagsSayWhatIsBlockedBeforeTheProgramRuns() throws Exception {
        Path file = dir.resolve("program.osp");
        Files.writeString(file, "print(\"ran\")\n", StandardCharsets.UTF_8);
        assertEquals(new OspreyRun(0, "ran\n", "Security: SANDBOX MODE - All risky operations disabled\n"),
                        OspreyRun.of("run", file.toString(), "--sandbox"));
        assertEquals(new OspreyRun(0, "ran\n", "Security: Allowed=[FileRead,FileWrite,Process,FFI,HTTP] Blocked=[WebSocket]\n"),
                        OspreyRun.of("run", "--no-websocket", file.toString()));
        assertEquals(new OspreyRun(0, "ran\n", "Security: Allowed=[FFI,HTTP,WebSocket] Blocked=[FileRead,FileWrite,Process]\n"),
                        OspreyRun.of(file.toString(), "--no-fs"));
        assertEquals(new OspreyRun(0, "ran\n", "Security: Allowed=[FileRead,FileWrite,Process,FFI,WebSocket] Blocked=[HTTP]\n"),
                        OspreyRun.of(file.toString(), "--no-http"));
        // --run is what osprey run does anyway.
        assertEquals(new OspreyRun(0, "ran\n", "Security: Allowed=[FileRead,FileWrite,Process] Blocked=[FFI,HTTP,WebSocket]\n"),
                        OspreyRun.of(file.toString(), "--no-http", "--no-websocket", "--no-ffi", "--run"));
        assertEquals(new OspreyRun(0, "ran\n", ""), OspreyRun.of(file.toString(), "--run"));
        assertEquals(new OspreyRun(2, "", "osprey: --llvm is an option of Osprey's compiler (spec 0016's examples); this interpreter runs the"
                        + " program itself: leave it out\n"), OspreyRun.of(file.toString(), "--sandbox", "--llvm"));
    }

    @Test
    void aSessionWithoutFilesLoadsNoFileEither() throws Exception {
        Path file = dir.resolve("secret.osp");
        Files.writeString(file, "let secret = 42\n", StandardCharsets.UTF_8);
        assertEquals(new OspreyRun(1, "", "Security: SANDBOX MODE - All risky operations disabled\n"
                        + ":load reads a file, which this session does not allow (--sandbox or --no-fs)\n"), OspreyRun.piped(":load " + file + "\n", "--sandbox"));
        assertEquals(new OspreyRun(1, "", "Security: Allowed=[FFI,HTTP,WebSocket] Blocked=[FileRead,FileWrite,Process]\n"
                        + ":load reads a file, which this session does not allow (--sandbox or --no-fs)\n"), OspreyRun.piped(":load " + file + "\n", "--no-fs"));
        assertEquals(new OspreyRun(0, "secret : int = 42\n", ""), OspreyRun.piped(":load " + file + "\n"));
    }
}
