package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.interop.ArityException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.nodes.IndirectCallNode;
import com.oracle.truffle.api.source.SourceSection;

import org.osprey.OspreyContext;
import org.osprey.nodes.call.AdapterRootNode;
import org.osprey.nodes.call.HandlersKeptRootNode;

/**
 * A function value: a top-level or nested fn, a lambda, a builtin used as a value, or an adapter. Calls pass
 * the function itself as argument 0 (so the body can reach its captures) followed by the arguments.
 */
@ExportLibrary(InteropLibrary.class)
public final class FunctionValue implements TruffleObject {
    public final String name;
    public final RootCallTarget target;
    /** Captured values (or {@link Cell}s) of the closure, in the order its FunctionInfo lists them. */
    public final Object[] captures;
    public final int arity;

    public FunctionValue(String name, RootCallTarget target, Object[] captures, int arity) {
        this.name = name;
        this.target = target;
        this.captures = captures;
        this.arity = arity;
    }

    /** Builds the argument array of the calling convention. */
    public Object[] arguments(Object[] args) {
        // Calls of one or two arguments (those of map, filter and fold) fill the array directly, which costs less
        // than a call of System.arraycopy.
        return switch (args.length) {
            case 1 -> new Object[] {this, args[0]};
            case 2 -> new Object[] {this, args[0], args[1]};
            default -> {
                Object[] full = new Object[args.length + 1];
                full[0] = this;
                System.arraycopy(args, 0, full, 1, args.length);
                yield full;
            }
        };
    }

    @Override
    public String toString() {
        return "<fn " + name + ">";
    }

    @ExportMessage
    boolean isExecutable() {
        return true;
    }

    /**
     * A call from another language or the host: the arguments are converted and checked by the parameter
     * types, and the call holds the context's execution lock like a program does (a JavaScript caller may
     * run on any thread the embedder allows).
     */
    @ExportMessage
    Object execute(Object[] args, @Cached IndirectCallNode call) throws ArityException, UnsupportedTypeException {
        Object[] full = HostValues.arguments(this, args);
        OspreyContext context = OspreyContext.get(call);
        context.lockExecution();
        int depth = context.callDepth;
        // Marked as called from outside, for the message of a perform no handle covers (spec 0017); a handle of
        // Osprey code that called the Java code calling this stays in force below the mark.
        EffectHandlers handlers = EffectHandlers.current(call);
        EffectHandlers.Frame before = handlers.install(EffectHandlers.calledFromOutside(handlers.capture(), name));
        try {
            return call.call(target, full);
        } catch (StackOverflowUnwind e) {
            throw e.error;
        } finally {
            handlers.install(before);
            context.callDepth = depth; // calls that ended with an error did not count themselves down
            context.flush();
            context.unlockExecution();
        }
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<? extends com.oracle.truffle.api.TruffleLanguage<?>> getLanguage() {
        return org.osprey.OspreyLanguage.class;
    }

    /** Its name, for another context that was given this function ("the function inc of another context"). */
    @ExportMessage
    boolean hasExecutableName() {
        return true;
    }

    @ExportMessage
    Object getExecutableName() {
        return name;
    }

    @ExportMessage
    boolean hasMetaObject() {
        return true;
    }

    @ExportMessage
    Object getMetaObject() {
        return MetaType.FUNCTION;
    }

    /**
     * Where the function is written (its declaration, or the lambda), for the host's Value.getSourceLocation and
     * for tools; an adapter (a conversion, a function keeping its effect handlers) gives that of the function it
     * wraps. A builtin or a foreign function has none.
     */
    @ExportMessage
    @TruffleBoundary
    boolean hasSourceLocation() {
        return sourceSection() != null;
    }

    @ExportMessage
    @TruffleBoundary
    SourceSection getSourceLocation() throws UnsupportedMessageException {
        SourceSection section = sourceSection();
        if (section == null) {
            throw UnsupportedMessageException.create();
        }
        return section;
    }

    private SourceSection sourceSection() {
        FunctionValue f = this;
        while (f.captures.length > 0 && f.captures[0] instanceof FunctionValue inner
                        && (f.target.getRootNode() instanceof AdapterRootNode || f.target.getRootNode() instanceof HandlersKeptRootNode)) {
            f = inner; // an adapter's own section is where it was made, not the function
        }
        return f.target.getRootNode().getSourceSection();
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return toString();
    }
}
