package org.osprey.runtime;

import com.oracle.truffle.api.nodes.ControlFlowException;
import com.oracle.truffle.api.nodes.Node;

/**
 * Carries an arithmetic error (a MathError value) from the operation that failed to the nearest place that
 * turns it into an {@code Error} value: the top of the arithmetic chain, or a call whose argument was
 * auto-unwrapped (spec 0004). It never crosses a function boundary.
 */
public final class MathException extends ControlFlowException {
    private static final long serialVersionUID = 1L;
    public final transient Object error;
    public final transient Node origin;

    public MathException(Object error, Node origin) {
        this.error = error;
        this.origin = origin;
    }
}
