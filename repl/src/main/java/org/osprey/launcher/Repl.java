package org.osprey.launcher;

import java.io.PrintStream;
import java.util.Map;

/** The interactive REPL (issue 5). */
final class Repl {
    private Repl() {
    }

    static int start(Map<String, String> options, PrintStream out, PrintStream err) {
        err.println("osprey: the REPL is not available yet; run a program with: osprey run FILE.osp");
        return 2;
    }
}
