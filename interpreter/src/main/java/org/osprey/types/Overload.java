package org.osprey.types;

import java.util.List;
import java.util.Map;

import org.osprey.ast.Expr;
import org.osprey.ast.Node;

/**
 * A call of an overloaded builtin ({@code length} of a string, a list or a map) whose subject, the first
 * argument, had no known type when the call was checked. The form is chosen once the subject's type is
 * known; until then the call's argument and result types are {@code params} and {@code result}. If the
 * subject's type is a variable of a function's scheme, the constraint goes into the scheme, and each use of
 * the function checks a copy against the types it gives; the call itself then chooses its form when it runs.
 */
public final class Overload {
    public final String name;
    public final List<FunctionSignature> forms;
    public final List<Type> params;
    public final Type result;
    /** The call whose form this chooses, or null for a copy made by a use of a function's scheme. */
    public final Expr.Call call;
    /** Where a copy's error is reported: the use of the function. */
    public final Node at;
    /** The function whose use made this copy ("size", whose body calls the builtin, maybe through others), or null. */
    public final String via;
    /** The parameter of {@code via} whose type is the subject's, or null. */
    public final String parameter;
    /** The function that {@code via} calls the builtin through ("size" when twice calls size), or null. */
    public final String through;
    /**
     * The builtin used as a value ({@code let m = map}, {@code fold(xs, 0, length)}) whose form this chooses, or
     * null: it is a function that chooses its form by its first argument when it runs until then.
     */
    public final Expr.Ident value;

    Overload(String name, List<FunctionSignature> forms, List<Type> params, Type result, Expr.Call call, Node at, String via, String parameter, String through) {
        this(name, forms, params, result, call, at, via, parameter, through, null);
    }

    Overload(String name, List<FunctionSignature> forms, List<Type> params, Type result, Expr.Call call, Node at, String via, String parameter, String through,
                    Expr.Ident value) {
        this.value = value;
        this.name = name;
        this.forms = forms;
        this.params = params;
        this.result = result;
        this.call = call;
        this.at = at;
        this.via = via;
        this.parameter = parameter;
        this.through = through;
    }

    /** The subject's type, looking through arithmetic's Result (which an argument unwraps). */
    Type subject() {
        return Prelude.withoutMathResult(params.get(0));
    }

    /** A copy for a use of a function whose scheme holds this, with the scheme's variables replaced. */
    Overload instance(Map<Type.Var, Type> s, Node use, String function, String functionParameter) {
        return new Overload(name, forms, Types.substAll(params, s), Types.subst(result, s), null, use, function, functionParameter, via);
    }

    /**
     * The implementation of a call that chooses its form when it runs, by the subject's value: a signature
     * with this as its implementation.
     */
    public record Forms(List<FunctionSignature> forms) {
    }

    static FunctionSignature dispatcher(List<FunctionSignature> forms) {
        FunctionSignature first = forms.get(0);
        return new FunctionSignature(first.name, first.paramNames, first.paramTypes, first.result, first.typeVars, first.category, new Forms(forms));
    }
}
