package org.osprey.websocket;

import java.util.ArrayList;
import java.util.List;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * websocketKeepAlive waits for Ctrl-C or SIGTERM. Handling the signals (instead of a shutdown hook) lets the
 * program go on after the wait, stop its servers with close frames, and return from main normally. The
 * previous handlers are restored when the wait ends.
 */
final class Signals {
    private Signals() {
    }

    static Runnable onInterrupt(Runnable action) {
        List<Runnable> restore = new ArrayList<>();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, s -> action.run());
                restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException | IllegalStateException e) {
                // signal not available here (e.g. -Xrs); the wait still ends when the context closes
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
