package org.osprey.runtime;

import org.osprey.types.Prelude;

/**
 * Result values, {@code Success(v)} and {@code Error(e)}, built in one place for the nodes, the debugger's
 * view of a frame and the plugin API ({@code org.osprey.spi.Values}). The shapes are constants, so compiled
 * code tests and builds them without a lookup.
 */
public final class Results {
    public static final DataShape SUCCESS = DataShape.of(Prelude.SUCCESS);
    public static final DataShape ERROR = DataShape.of(Prelude.ERROR);

    private Results() {
    }

    public static DataValue success(Object value) {
        return DataValue.of(SUCCESS, new Object[] {value});
    }

    public static DataValue error(Object payload) {
        return DataValue.of(ERROR, new Object[] {payload});
    }
}
