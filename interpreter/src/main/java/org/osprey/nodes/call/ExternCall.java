package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import org.osprey.ast.ExternType;
import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Strings;
import org.osprey.runtime.Unit;

/**
 * The body of an extern function (spec 0003): calls its C function, which the program's loader bound through
 * Truffle's native function interface, with the function's parameters. An int is passed as int64_t, a float
 * as double, a bool as a byte of 0 or 1, a string as a NUL-terminated copy of its UTF-8 (C sees a string
 * with a NUL in it end there); the result is read back the same way, a string copied from the C string.
 */
public final class ExternCall extends OspreyNode {
    @Children private final OspreyNode[] args;
    @CompilationFinal(dimensions = 1) private final ExternType[] types;
    private final ExternType result;
    private final String symbol;
    private final Object function;
    @Child private InteropLibrary interop;
    @Child private InteropLibrary results = InteropLibrary.getFactory().createDispatched(2);

    public ExternCall(Object function, String symbol, OspreyNode[] args, ExternType[] types, ExternType result) {
        this.function = function;
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
            values[i] = types[i] == ExternType.BOOL ? (byte) ((Boolean) v ? 1 : 0) : v;
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
            } else if (result == ExternType.STRING) {
                return string(r);
            }
            return Unit.INSTANCE;
        } catch (InteropException e) {
            throw failed(e);
        }
    }

    @TruffleBoundary
    private Object string(Object r) throws InteropException {
        if (results.isNull(r)) {
            throw new OspreyError("the C function '" + symbol + "' gave a null pointer where its declaration promises a string", this);
        }
        return Strings.of(results.asString(r));
    }

    @TruffleBoundary
    private OspreyError failed(InteropException e) {
        return new OspreyError("the call of the C function '" + symbol + "' failed: " + e.getMessage(), this);
    }
}
