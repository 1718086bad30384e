package org.osprey.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public static void main(String[] args) throws InterruptedException {
        int[] exit = {0};
        Thread t = new Thread(null, () -> exit[0] = run(args, System.out, System.err), "osprey-main", STACK_BYTES);
        t.start();
        t.join();
        System.out.flush();
        System.exit(exit[0]);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h", "help" -> {
                    if (command == null || rest.isEmpty()) {
                        out.print(usage());
                        return 0;
                    }
                    rest.add(a);
                }
                case "--version", "-V", "version" -> {
                    if (command == null) {
                        out.println("osprey " + VERSION + " (Truffle interpreter, " + System.getProperty("java.vm.name") + " "
                                        + System.getProperty("java.version") + ")");
                        return 0;
                    }
                    rest.add(a);
                }
                case "--sandbox" -> options.put("osprey.Sandbox", "true");
                case "--no-fs" -> options.put("osprey.NoFs", "true");
                case "--no-websocket" -> options.put("osprey.NoWebSocket", "true");
                default -> {
                    if (a.startsWith("--") && command != null && rest.isEmpty() && a.contains("=")) {
                        options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                    } else if (a.startsWith("-") && rest.isEmpty()) {
                        err.println("osprey: unknown option '" + a + "'; see osprey --help");
                        return 2;
                    } else if (command == null) {
                        command = a;
                    } else {
                        rest.add(a);
                    }
                }
            }
        }
        if (command == null) {
            return Repl.start(options, out, err);
        }
        if (command.equals("run")) {
            if (rest.isEmpty()) {
                err.println("osprey run: which file? usage: osprey run FILE.osp");
                return 2;
            }
            return new Runner(options, out, err).runFile(rest.get(0));
        }
        if (command.endsWith(".osp")) {
            return new Runner(options, out, err).runFile(command);
        }
        err.println("osprey: unknown command '" + command + "'; see osprey --help");
        return 2;
    }

    static String usage() {
        return """
                        Osprey """ + VERSION + """
                         on GraalVM Truffle

                        Usage:
                          osprey run FILE.osp [options]   run a program (its main() result is the exit code)
                          osprey FILE.osp [options]       the same
                          osprey [options]                start the interactive REPL
                          osprey --help | --version

                        Options:
                          --sandbox        disable files, processes and WebSockets (spec 0016)
                          --no-fs          disable the file and process functions
                          --no-websocket   disable the WebSocket functions
                          --osprey.Plugin.<module>.<Setting>=VALUE
                                           a builtin module's setting, e.g.
                                           --osprey.Plugin.websocket.MaxMessageSize=65536

                        Exit codes: 0 ok, 1 the program was rejected or failed, 2 bad usage,
                        or the int that main() returned.
                        """;
    }
}
