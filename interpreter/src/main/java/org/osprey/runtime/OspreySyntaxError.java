package org.osprey.runtime;

import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.interop.ExceptionType;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;

/**
 * Syntax and type errors, found before anything runs. The message is the full report (every error with
 * file:line:col, the line and a caret); the host sees {@code isSyntaxError()}, and
 * {@code isIncompleteSource()} when the input merely ended too early (the REPL then reads another line).
 */
@ExportLibrary(InteropLibrary.class)
public final class OspreySyntaxError extends AbstractTruffleException {
    private static final long serialVersionUID = 1L;
    private final transient Source source;
    private final int start;
    private final int length;
    private final boolean incomplete;

    public OspreySyntaxError(String message, Source source, int start, int length, boolean incomplete) {
        super(message);
        this.source = source;
        this.start = start;
        this.length = length;
        this.incomplete = incomplete;
    }

    @ExportMessage
    ExceptionType getExceptionType() {
        return ExceptionType.PARSE_ERROR;
    }

    /** The report itself, as an embedder printing the guest object expects (not the Java class before it). */
    @ExportMessage
    @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
    Object toDisplayString(@SuppressWarnings("unused") boolean allowSideEffects) {
        return getMessage();
    }

    @ExportMessage
    boolean isExceptionIncompleteSource() {
        return incomplete;
    }

    @ExportMessage
    boolean hasSourceLocation() {
        return source != null;
    }

    @ExportMessage(name = "getSourceLocation")
    SourceSection sourceLocation() throws com.oracle.truffle.api.interop.UnsupportedMessageException {
        if (source == null) {
            throw com.oracle.truffle.api.interop.UnsupportedMessageException.create();
        }
        int len = source.getLength();
        int s = Math.min(start, len);
        return source.createSection(s, Math.max(0, Math.min(length, len - s)));
    }
}
