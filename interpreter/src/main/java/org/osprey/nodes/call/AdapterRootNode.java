package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.RootCallTarget;
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
    /**
     * What happens to one argument or the result on the way through: nothing, unwrap, unwrap unless it is an
     * Error (into an {@code any}), wrap in Success, or (a
     * function itself) call it through an adapter of its own, {@code target} with {@code arity} parameters.
     */
    public record Conversion(byte kind, RootCallTarget target, int arity) {
        public static final Conversion NONE = new Conversion(NONE_KIND, null, 0);
        public static final Conversion UNWRAP = new Conversion(UNWRAP_KIND, null, 0);
        public static final Conversion WRAP = new Conversion(WRAP_KIND, null, 0);
        public static final Conversion VALUE_OR_ERROR = new Conversion(VALUE_OR_ERROR_KIND, null, 0);

        public static Conversion adapt(RootCallTarget target, int arity) {
            return new Conversion(ADAPT_KIND, target, arity);
        }
    }

    private static final byte NONE_KIND = 0;
    private static final byte UNWRAP_KIND = 1;
    private static final byte WRAP_KIND = 2;
    private static final byte ADAPT_KIND = 3;
    private static final byte VALUE_OR_ERROR_KIND = 4;

    @CompilationFinal(dimensions = 1) private final Conversion[] paramConversions;
    private final Conversion resultConversion;
    private final SourceSection site;
    @Child private DispatchNode dispatch = DispatchNodeGen.create();

    public AdapterRootNode(OspreyLanguage language, Conversion[] paramConversions, Conversion resultConversion, SourceSection site) {
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

    private Object convert(Object v, Conversion conversion) {
        byte kind = conversion.kind();
        if (kind == UNWRAP_KIND) {
            DataValue r = (DataValue) v;
            if (r.shape == Results.SUCCESS) {
                return r.only();
            }
            CompilerDirectives.transferToInterpreter();
            throw new OspreyError(ArithmeticNode.describe(Display.show(r.only())) + " in a function used here as a value", this);
        }
        if (kind == VALUE_OR_ERROR_KIND) {
            DataValue r = (DataValue) v; // a Result stored as 'any': its value, or the Error itself
            return r.shape == Results.SUCCESS ? r.only() : r;
        }
        if (kind == WRAP_KIND) {
            return Results.success(v);
        }
        if (kind == ADAPT_KIND) {
            return new FunctionValue(((FunctionValue) v).name, conversion.target(), new Object[] {v}, conversion.arity());
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
