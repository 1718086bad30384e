package org.osprey.tooling;

import java.io.Flushable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The standard output buffers of the live Osprey contexts in this JVM. A context writes its program's output
 * through a buffer of its own and flushes it at every line on a terminal, at the end of a run and when it
 * closes; a process stopped by a signal (Ctrl-C or SIGTERM with the output going to a pipe or a file) ends
 * without either, and the launcher's shutdown hook flushes what is left here.
 */
public final class ProgramOutput {
    private static final Map<Flushable, Boolean> LIVE = new WeakHashMap<>();

    private ProgramOutput() {
    }

    /** A context's buffer, from its creation until it closes (held weakly). */
    public static synchronized void register(Flushable buffer) {
        LIVE.put(buffer, Boolean.TRUE);
    }

    public static synchronized void unregister(Flushable buffer) {
        LIVE.remove(buffer);
    }

    /** Flushes every live context's buffered output; a stream that fails (a closed pipe) is skipped. */
    public static void flushAll() {
        List<Flushable> buffers;
        synchronized (ProgramOutput.class) {
            buffers = new ArrayList<>(LIVE.keySet());
        }
        for (Flushable b : buffers) {
            try {
                b.flush();
            } catch (IOException | RuntimeException e) {
                // nothing more can be written there
            }
        }
    }
}
