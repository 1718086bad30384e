package org.osprey.spi;

import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.DataValue;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.Results;
import org.osprey.runtime.Strings;
import org.osprey.runtime.Unit;

/** Building and reading Osprey values from Java, for builtin implementations. */
public final class Values {
    private Values() {
    }

    public static Object unit() {
        return Unit.INSTANCE;
    }

    public static Object success(Object value) {
        return Results.success(value);
    }

    /** {@code Success(())}: the unit success, {@code Result<Success, String>} in the seeds' spelling. */
    public static Object ok() {
        return success(Unit.INSTANCE);
    }

    public static Object error(Object payload) {
        return Results.error(payload);
    }

    /** {@code Error(message)} with a string payload. */
    public static Object error(String message) {
        return error((Object) Strings.of(message));
    }

    public static TruffleString string(String s) {
        return Strings.of(s);
    }

    public static String javaString(Object v) {
        return Strings.java(v);
    }

    public static boolean isFunction(Object v) {
        return v instanceof FunctionValue;
    }

    /** Is this a Success value? Otherwise it is an Error. */
    public static boolean isSuccess(Object result) {
        return result instanceof DataValue d && d.shape.isResultSuccess();
    }

    /** The value inside a Success or the payload inside an Error. */
    public static Object payload(Object result) {
        return ((DataValue) result).only();
    }

    /** How a value prints (toString's format). */
    public static String display(Object v) {
        return org.osprey.runtime.Display.show(v);
    }
}
