package org.osprey.runtime;

import java.util.ArrayDeque;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * {@code Channel<T>} (spec 0011): values sent by one fiber and received by another, in order. With capacity
 * 0 a send waits for a receiver (a rendezvous); with capacity n up to n values wait in the channel. Its
 * fields belong to the scheduler (org.osprey.Fibers) and are used under its lock.
 */
@ExportLibrary(InteropLibrary.class)
public final class ChannelValue implements TruffleObject {
    public final long capacity;
    public final ArrayDeque<Object> buffer = new ArrayDeque<>();
    /** Receivers waiting for a value, first come first served. */
    public final ArrayDeque<FiberValue.Waiter> receivers = new ArrayDeque<>();
    /** Senders waiting for room, each with its value. */
    public final ArrayDeque<FiberValue.Waiter> senders = new ArrayDeque<>();

    /**
     * Its type as the checker gave it where it was made ({@code Channel<int>}; a type variable where it was made
     * in a generic function), and the context it belongs to: what a call from the host is checked against
     * when it hands the channel back (RuntimeTypes).
     */
    public final org.osprey.types.Type type;
    public final Object context;

    public ChannelValue(long capacity, org.osprey.types.Type type, Object context) {
        this.capacity = capacity;
        this.type = type;
        this.context = context;
    }

    @Override
    @TruffleBoundary
    public String toString() {
        return Display.show(this);
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<? extends com.oracle.truffle.api.TruffleLanguage<?>> getLanguage() {
        return org.osprey.OspreyLanguage.class;
    }

    @ExportMessage
    boolean hasMetaObject() {
        return true;
    }

    @ExportMessage
    Object getMetaObject() {
        return MetaType.CHANNEL;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return Display.show(this);
    }
}
