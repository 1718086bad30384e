package org.osprey.runtime;

import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.nodes.Node;

/**
 * A run-time fault the program did not handle as a value: an arithmetic error where no Result could hold it,
 * a recursion too deep, a value used before its declaration ran. Reaches the host as a PolyglotException
 * with the node's source location; the launcher prints it on one line.
 */
public final class OspreyError extends AbstractTruffleException {
    private static final long serialVersionUID = 1L;

    public OspreyError(String message, Node location) {
        super(message, location);
    }
}
