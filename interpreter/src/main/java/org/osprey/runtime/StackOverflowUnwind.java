package org.osprey.runtime;

import com.oracle.truffle.api.nodes.ControlFlowException;

/**
 * Carries a stack-overflow error from the deepest call to the entry point (program, callback), which throws
 * the error itself. As a control-flow exception it passes the many call boundaries on the way without
 * Truffle recording a stack frame for each, which on a 100,000-deep stack took seconds.
 */
public final class StackOverflowUnwind extends ControlFlowException {
    private static final long serialVersionUID = 1L;
    public final transient OspreyError error;

    public StackOverflowUnwind(OspreyError error) {
        this.error = error;
    }
}
