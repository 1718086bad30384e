package org.osprey.runtime;

import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.nodes.Node;

/**
 * A run-time fault the program did not handle as a value: an arithmetic error where no Result could hold it,
 * a recursion too deep, a value used before its declaration ran. Reaches the host as a PolyglotException
 * with the node's source location; the launcher prints it on one line.
 */
@ExportLibrary(InteropLibrary.class)
public final class OspreyError extends AbstractTruffleException {
    private static final long serialVersionUID = 1L;

    private final int stackTraceLimit;

    public OspreyError(String message, Node location) {
        this(message, location, -1);
    }

    private OspreyError(String message, Node location, int stackTraceLimit) {
        super(message, null, stackTraceLimit, location);
        this.stackTraceLimit = stackTraceLimit;
    }

    /**
     * A fault raised again on a thread it did not happen on (a fiber's, where it is awaited): the place is the
     * fault's, and its stack trace is empty rather than the frames of the thread that raises it.
     */
    public static OspreyError withoutFrames(String message, Node location) {
        return new OspreyError(message, location, 0);
    }

    /** Recursion deeper than the stack: reported at the function that could not be called. */
    @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
    public static OspreyError stackOverflow(com.oracle.truffle.api.nodes.RootNode root, int limit) {
        // Point at the call that went one level too deep rather than at the top of the function.
        Node call = com.oracle.truffle.api.Truffle.getRuntime().iterateFrames(f -> f.getCallNode(), 0);
        // osprey run takes the flag; an application that embeds Osprey sets the context option.
        String raise = org.osprey.OspreyContext.get(root).launched() ? "--osprey.MaxCallDepth=N" : "the context option osprey.MaxCallDepth";
        return new OspreyError("stack overflow in function '" + root.getName() + "': more than " + limit
                        + " calls are nested (raise the limit with " + raise + ")", call != null ? call : root, 8);
    }

    /**
     * The same fault as a new exception, to be thrown from a frame of {@code root}, where this one was raised
     * by a node of {@code root} (FunctionRootNode.executeLoop says why); otherwise this one.
     */
    @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
    public OspreyError thrownAgainIn(com.oracle.truffle.api.nodes.RootNode root) {
        Node location = getLocation();
        if (location == null || location.getRootNode() != root) {
            return this;
        }
        return new OspreyError(getMessage(), location, stackTraceLimit);
    }

    /** Osprey's message, as an embedder printing the guest object expects (not the Java class before it). */
    @ExportMessage
    @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
    Object toDisplayString(@SuppressWarnings("unused") boolean allowSideEffects) {
        return getMessage();
    }

    public boolean isStackOverflow() {
        return stackTraceLimit > 0;
    }
}
