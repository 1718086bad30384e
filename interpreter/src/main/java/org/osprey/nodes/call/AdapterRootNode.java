package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.SourceSection;

import org.osprey.OspreyLanguage;
import org.osprey.nodes.expression.ArithmeticNode;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.Display;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Results;

/**
 * Calls a function value through the conversions its use needs, e.g. {@code fold(initial: 0, function: add)}
 * where {@code add} returns {@code Result<int, MathError>} but fold wants an int back (spec 0004
 * auto-unwrapping applied to a function passed as a value). The wrapped function is capture 0.
 */
public final class AdapterRootNode extends RootNode {
    /** Per parameter and for the result: 0 none, 1 unwrap, 2 wrap in Success. */
    @CompilationFinal(dimensions = 1) private final byte[] paramConversions;
    private final byte resultConversion;
    private final SourceSection site;
    @Child private DispatchNode dispatch = DispatchNodeGen.create();

    public static final byte NONE = 0;
    public static final byte UNWRAP = 1;
    public static final byte WRAP = 2;

    public AdapterRootNode(OspreyLanguage language, byte[] paramConversions, byte resultConversion, SourceSection site) {
        super(language);
        this.paramConversions = paramConversions;
        this.resultConversion = resultConversion;
        this.site = site;
    }

    @Override
    @ExplodeLoop
    public Object execute(VirtualFrame frame) {
        Object[] args = frame.getArguments();
        FunctionValue inner = (FunctionValue) ((FunctionValue) args[0]).captures[0];
        Object[] forward = new Object[args.length];
        forward[0] = inner;
        for (int i = 0; i < paramConversions.length; i++) {
            forward[i + 1] = convert(args[i + 1], paramConversions[i]);
        }
        return convert(dispatch.execute(inner, forward), resultConversion);
    }

    private Object convert(Object v, byte conversion) {
        if (conversion == UNWRAP) {
            DataValue r = (DataValue) v;
            if (r.shape == Results.SUCCESS) {
                return r.only();
            }
            CompilerDirectives.transferToInterpreter();
            throw new OspreyError(ArithmeticNode.describe(Display.show(r.only())) + " in a function used here as a value", this);
        }
        if (conversion == WRAP) {
            return Results.success(v);
        }
        return v;
    }

    @Override
    public SourceSection getSourceSection() {
        return site;
    }

    @Override
    public String getName() {
        return "<adapter>";
    }

    /**
     * Not a function of the program: stack traces and tools skip it, so an error it raises is placed in the
     * function where the adapted function was used as a value.
     */
    @Override
    public boolean isInternal() {
        return true;
    }
}
