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
        OspreyContext context = OspreyContext.get(null);
        context.lockExecution();
        int depth = context.callDepth;
        try {
            if (cursor == null) {
                cursor = Iteration.iterator(iterable, context);
            }
            return cursor.hasNext();
        } catch (StackOverflowUnwind e) {
            throw e.error;
        } finally {
            context.callDepth = depth;
            context.flush();
            context.unlockExecution();
        }
    }

    @ExportMessage
    @TruffleBoundary
    Object getIteratorNextElement() throws StopIterationException {
        if (!hasIteratorNextElement()) {
            throw StopIterationException.create();
        }
        OspreyContext context = OspreyContext.get(null);
        context.lockExecution();
        try {
            return cursor.next(); // hasNext has made it already: no step runs here
        } finally {
            context.unlockExecution();
        }
    }
}
