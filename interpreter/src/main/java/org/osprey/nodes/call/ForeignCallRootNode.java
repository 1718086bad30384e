package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.OspreyLanguage;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.HostValues;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.RuntimeTypes;
import org.osprey.types.Type;
import org.osprey.types.TypePrinter;

/**
 * Calls a function of another language that was passed to Osprey where a function type was expected
 * (a JavaScript callback given to an Osprey function). Capture 0 is the foreign function, capture 1 the
 * result type the checker expects of it, capture 2 how messages name it (an Osprey function of another context
 * comes this way too); a result that does not fit that type stops the program with a clear error, since Osprey
 * code trusts its types. One call target serves every such function.
 */
public final class ForeignCallRootNode extends RootNode {
    public ForeignCallRootNode(OspreyLanguage language) {
        super(language);
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object[] args = frame.getArguments();
        FunctionValue self = (FunctionValue) args[0];
        Object[] forward = new Object[args.length - 1];
        System.arraycopy(args, 1, forward, 0, forward.length);
        return call(self.captures[0], (Type) self.captures[1], (String) self.captures[2], forward);
    }

    @TruffleBoundary
    private Object call(Object function, Type result, String described, Object[] arguments) {
        // A string goes as a Java String: a Java callback gets its arguments as values of the host, where a
        // TruffleString has Java's display (its class name in "" + args[0]) and meta object, not Osprey's.
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i] instanceof TruffleString s) {
                arguments[i] = s.toJavaStringUncached();
            }
        }
        // What Osprey printed so far goes out first: the callback may write to the same stream (System.out, the
        // default), and its lines came before Osprey's earlier ones.
        org.osprey.OspreyContext.get(this).flush();
        Object value;
        try {
            value = InteropLibrary.getUncached().execute(function, arguments);
        } catch (InteropException e) {
            throw new OspreyError("calling " + described + " failed: " + e.getMessage(), callSite());
        }
        Object converted = HostValues.toOsprey(value, result);
        // The result type is the copy made for the call that gave Osprey this function: a type variable in it
        // is one type for all of this function's results, as for a function of Osprey's (fits binds it).
        if (converted == null || !RuntimeTypes.fits(converted, result)) {
            throw new OspreyError(described + " returned " + HostValues.describe(value, result) + " where "
                            + TypePrinter.print(result) + " was expected", callSite());
        }
        return converted;
    }

    /**
     * The Osprey call that called the function, where the error is reported: the nearest call with a place in
     * the source (a builtin such as map calls it from a node of its own); this root where there is none.
     */
    private Node callSite() {
        Node site = Truffle.getRuntime().iterateFrames(frame -> {
            Node call = frame.getCallNode();
            return call != null && call.getEncapsulatingSourceSection() != null ? call : null;
        });
        return site != null ? site : this;
    }

    @Override
    public String getName() {
        return "<foreign function>";
    }

    /**
     * Internal: no function of the program's, so a stack trace goes from the Osprey function that made the call
     * straight to the foreign function's own frames (a Java callback's, a JavaScript function's), where a frame
     * "<foreign function>(Unknown)" without a place stood between them.
     */
    @Override
    public boolean isInternal() {
        return true;
    }
}
