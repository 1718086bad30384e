package org.osprey;

import java.util.ArrayList;
import java.util.List;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The waits for the program's end ({@link OspreyContext#waitForEnd}: websocketKeepAlive, httpKeepAlive) hear
 * Ctrl-C and SIGTERM here. Handling the signals (instead of a shutdown hook) lets the program go on after
 * the wait, stop its servers cleanly, and return from main normally. The previous handlers are restored
 * when the last wait ends.
 *
 * <p>A signal belongs to the process, and so does this list of waits: several can wait at once (a handler
 * that calls a keep-alive while the program waits in its own, two contexts of an embedder, the WebSocket and
 * the HTTP module's waits), and a signal ends every one of them. Installing a handler per wait over the one
 * before made only the latest wait hear the signal, and waits ending out of order put back the handler of a
 * wait already over: the program's own wait never ended, and neither did the process. That is also why the
 * list is the interpreter's and not each builtins module's.
 */
final class Signals {
    private Signals() {
    }

    private static final List<Runnable> WAITS = new ArrayList<>();
    /** Puts back the handlers there were before the first of the current waits; null while none waits. */
    private static Runnable restore;

    static Runnable onInterrupt(Runnable action) {
        synchronized (WAITS) {
            if (WAITS.isEmpty()) {
                restore = install();
            }
            WAITS.add(action);
        }
        return () -> {
            synchronized (WAITS) {
                if (WAITS.remove(action) && WAITS.isEmpty()) {
                    restore.run();
                    restore = null;
                }
            }
        };
    }

    private static void signalled() {
        List<Runnable> now;
        synchronized (WAITS) {
            now = List.copyOf(WAITS);
        }
        now.forEach(Runnable::run);
    }

    private static Runnable install() {
        List<Runnable> undo = new ArrayList<>();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, s -> signalled());
                undo.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException | IllegalStateException e) {
                // signal not available here (e.g. -Xrs); the wait still ends when the context closes
            }
        }
        return () -> undo.forEach(Runnable::run);
    }
}
