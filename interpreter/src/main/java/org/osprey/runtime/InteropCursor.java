package org.osprey.runtime;

import java.util.Iterator;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.StopIterationException;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

import org.osprey.OspreyContext;

/**
 * An Osprey iterator (a range, a lazy map or filter) walked from another language: JavaScript's
 * {@code for (const x of it)}, Java's {@code Value.getIterator()}. Each element is made when it is asked for:
 * the iterator's map and filter steps run then, holding the context's execution lock as a call from outside
 * does ({@link FunctionValue}). Every walk starts again from the iterator's source.
 */
@ExportLibrary(InteropLibrary.class)
public final class InteropCursor implements TruffleObject {
    private final Object iterable;
    private Iterator<Object> cursor;

    public InteropCursor(Object iterable) {
        this.iterable = iterable;
    }

    @ExportMessage
    boolean isIterator() {
        return true;
    }

    @ExportMessage
    @TruffleBoundary
    boolean hasIteratorNextElement() {
        return walk(false) != END;
    }

    @ExportMessage
    @TruffleBoundary
    Object getIteratorNextElement() throws StopIterationException {
        Object next = walk(true);
        if (next == END) {
            throw StopIterationException.create();
        }
        return next;
    }

    /** What {@link #walk} gives when the iterator has no more elements. */
    private static final Object END = new Object();

    /**
     * Under the context's execution lock, once per message: END when no element is left, else the next element
     * when {@code take}, or (not taken) any other value. Making the next element runs the steps; taking it
     * after they ran does not run them again.
     */
    private Object walk(boolean take) {
        OspreyContext context = OspreyContext.get(null);
        context.lockExecution();
        int depth = context.callDepth;
        try {
            if (cursor == null) {
                cursor = Iteration.iterator(iterable, context);
            }
            if (!cursor.hasNext()) {
                return END;
            }
            return take ? cursor.next() : Boolean.TRUE;
        } catch (StackOverflowUnwind e) {
            throw e.error;
        } finally {
            context.callDepth = depth;
            context.flush();
            context.unlockExecution();
        }
    }
}
