package org.osprey.runtime;

import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.interop.ExceptionType;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * Stops one run (a REPL entry) that was asked to stop, e.g. by Ctrl-C. Thrown on the run's own thread at a
 * safepoint (OspreyContext.interruptRun), so only that entry unwinds: handler threads of WebSocket servers
 * and the process dispatcher go on, and the context stays usable. The host sees an interrupted execution
 * ({@code PolyglotException.isInterrupted()}).
 */
@ExportLibrary(InteropLibrary.class)
public final class RunInterrupted extends AbstractTruffleException {
    private static final long serialVersionUID = 1L;

    public final long run;

    public RunInterrupted(long run) {
        super("interrupted");
        this.run = run;
    }

    @ExportMessage
    ExceptionType getExceptionType() {
        return ExceptionType.INTERRUPT;
    }
}
