package org.osprey.spi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a module that {@linkplain BuiltinRegistry#countsCallbacks counts its callbacks} announces to the context
 * for one source of handler calls (a listening server, an open connection): that it may call one of the
 * program's handlers ({@link BuiltinContext#callbacksBegin}), until {@link #end}. While one is held, a fiber's
 * wait (a recv) waits for a handler to end it; once none is, such a wait fails as a deadlock instead of waiting
 * for ever. Begun and ended at most once; an end before the beginning means it never begins.
 */
public final class CallbackHold {
    /** 0: not begun, 1: held, 2: ended. */
    private final AtomicInteger state = new AtomicInteger();

    public void begin(BuiltinContext ctx) {
        if (state.compareAndSet(0, 1)) {
            ctx.callbacksBegin();
        }
    }

    public void end(BuiltinContext ctx) {
        if (state.getAndSet(2) == 1) {
            ctx.callbacksEnded();
        }
    }
}
