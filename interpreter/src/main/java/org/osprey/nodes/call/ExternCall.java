package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import org.osprey.OspreyContext;
import org.osprey.ast.ExternType;
import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Strings;
import org.osprey.runtime.Unit;

/**
 * The body of an extern function (spec 0003): calls its C function, which the program's loader bound through
 * Truffle's native function interface, with the function's parameters. An int is passed as int64_t, a float
 * as double, a bool as a byte of 0 or 1, a string as a NUL-terminated copy of its UTF-8 (C sees a string
 * with a NUL in it end there; {@link CStrings}); the result is read back the same way, a string copied from
 * the C string.
 */
public final class ExternCall extends OspreyNode {
    @Children private final OspreyNode[] args;
    @CompilationFinal(dimensions = 1) private final ExternType[] types;
    private final ExternType result;
    private final String symbol;
    private final Object function;
    /** The C library's string functions, where a string is passed or given; else null. */
    private final CStrings strings;
    @Child private InteropLibrary interop;
    @Child private InteropLibrary results = InteropLibrary.getFactory().createDispatched(2);
    /** Calls of the C library's string functions (CStrings) and what they give. */
    @Child private InteropLibrary stringCalls = InteropLibrary.getFactory().createDispatched(4);

    public ExternCall(Object function, CStrings strings, String symbol, OspreyNode[] args, ExternType[] types, ExternType result) {
        this.function = function;
        this.strings = strings;
        this.symbol = symbol;
        this.args = args;
        this.types = types;
        this.result = result;
        this.interop = InteropLibrary.getFactory().create(function);
    }

    @Override
    @ExplodeLoop
    public Object executeGeneric(VirtualFrame frame) {
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object v = args[i].executeGeneric(frame);
            if (types[i] == ExternType.BOOL) {
                values[i] = (byte) ((Boolean) v ? 1 : 0);
            } else if (types[i] == ExternType.STRING && result != ExternType.STRING) {
                values[i] = strings.array(v);
            } else {
                values[i] = v;
            }
        }
        // What the program printed is written out before C runs: C's exit() or a crash in C ends the process
        // without Osprey's buffer being flushed, and C's own output (printf) comes after it as it should.
        OspreyContext.get(this).flushIfWritten();
        if (result == ExternType.STRING) {
            return callGivingString(values);
        }
        Object r;
        try {
            r = interop.execute(function, values);
        } catch (InteropException e) {
            throw failed(e);
        }
        try {
            // compared with ==, which compiled code folds for the node's constant result (an enum switch reads an array)
            if (result == ExternType.INT) {
                return results.asLong(r);
            } else if (result == ExternType.FLOAT) {
                return results.asDouble(r);
            } else if (result == ExternType.BOOL) {
                return results.asInt(r) != 0;
            }
            return Unit.INSTANCE;
        } catch (InteropException e) {
            throw failed(e);
        }
    }

    /**
     * A call whose result is a string, which may point into a string argument (strstr, strchr, a function that
     * gives back what it was given). The native function interface frees its copy of an argument when the call
     * returns, before the result is read (strstr's result read freed memory), so here each string argument is a
     * copy in memory of C's malloc, freed once the result has been copied.
     */
    @TruffleBoundary
    private Object callGivingString(Object[] values) {
        Object[] copies = new Object[values.length];
        try {
            for (int i = 0; i < values.length; i++) {
                if (types[i] == ExternType.STRING) {
                    copies[i] = strings.copy(values[i], stringCalls);
                    if (copies[i] == null) {
                        throw new OspreyError("no memory for a copy of a string to pass to the C function '" + symbol + "'", this);
                    }
                    values[i] = copies[i];
                }
            }
            Object r = interop.execute(function, values);
            if (results.isNull(r)) {
                throw new OspreyError("the C function '" + symbol + "' gave a null pointer where its declaration promises a string", this);
            }
            Object s = strings.read(r, stringCalls);
            if (s == null) {
                throw new OspreyError("the C function '" + symbol + "' gave a string longer than " + Strings.MAX_BYTES + " bytes, the most an Osprey string holds", this);
            }
            return s;
        } catch (InteropException e) {
            throw failed(e);
        } finally {
            for (Object copy : copies) {
                if (copy != null) {
                    try {
                        strings.free(copy, stringCalls);
                    } catch (InteropException e) {
                        throw failed(e);
                    }
                }
            }
        }
    }

    @TruffleBoundary
    private OspreyError failed(InteropException e) {
        return new OspreyError("the call of the C function '" + symbol + "' failed: " + e.getMessage(), this);
    }
}
