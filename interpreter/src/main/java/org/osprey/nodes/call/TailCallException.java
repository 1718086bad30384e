package org.osprey.nodes.call;

import com.oracle.truffle.api.nodes.ControlFlowException;

/** Thrown by a self tail call after it rewrote the parameters; caught by the function's loop. */
public final class TailCallException extends ControlFlowException {
    private static final long serialVersionUID = 1L;
    public static final TailCallException INSTANCE = new TailCallException();

    private TailCallException() {
    }
}
