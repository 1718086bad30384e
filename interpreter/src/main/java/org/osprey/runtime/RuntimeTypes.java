package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.types.Prelude;
import org.osprey.types.Type;
import org.osprey.types.TypeInfo;
import org.osprey.types.Types;

/**
 * Does a value have a type? Used by type patterns on {@code any} (spec 0007 "Type Annotation Patterns").
 * The test is deep: a list matches {@code List<int>} only if every element is an int, so a value narrowed
 * by a pattern can be trusted everywhere after.
 */
public final class RuntimeTypes {
    private RuntimeTypes() {
    }

    @TruffleBoundary
    public static boolean matches(Object v, Type t) {
        return check(v, t, false, false);
    }

    /**
     * Does {@code v} fit {@code t}, where a type variable of {@code t} stands for one type: the first value
     * it meets binds it (unification), and every later one must agree, so {@code fn pair(a, b) = [a, b]}
     * called from the host with 1 and "x" does not fit. Function values fit by their signatures. {@code t}
     * must be a copy of its own ({@link #fresh}): its variables are bound.
     */
    @TruffleBoundary
    public static boolean fits(Object v, Type t) {
        return check(v, t, true, false);
    }

    /**
     * {@link #fits} for a builtins module's result, whose every element a program may read: a list whose
     * first element fits and whose third does not would fail later, far from the module, as a Java
     * ClassCastException. A value identical to one of {@code arguments} (a list the module was given and
     * hands back) is the program's own and well typed, so only its first element is read, to bind the
     * variables: a call that passes a list through stays O(1).
     */
    @TruffleBoundary
    public static boolean fitsResult(Object v, Type t, Object[] arguments) {
        return check(v, t, true, false, arguments);
    }

    /** A copy of {@code types} with fresh variables, the same variable replaced the same way in each. */
    public static Type[] fresh(Type[] types) {
        java.util.Map<Type.Var, Type> fresh = new java.util.HashMap<>();
        Type[] out = new Type[types.length];
        for (int i = 0; i < types.length; i++) {
            out[i] = types[i] == null ? new Type.Var(0) : freshen(types[i], fresh);
        }
        return out;
    }

    /**
     * A copy of the parameter (and result) types of closure {@code f} ({@link #fresh}) in which the type variables its captured
     * values tell are bound. A closure made inside a generic function has the enclosing call's type variables in
     * its parameter types, and they stand for the types that call had: {@code fn makeStore(x) = { mut items = [x];
     * fn(y) => ... }} called with 1 gives a closure whose {@code y} must be an int, which its captured
     * {@code items} (a {@code List<T>} holding ints) says. Without this a call from the host could give it a
     * string, and Osprey code typed for ints would meet it later. Only captures whose types share a variable
     * with the parameters are read, and of a list or map only the first element: the values are the checked
     * program's own, so one element tells the type of all.
     */
    public static Type[] withCaptures(FunctionValue f, Type[] params) { // params: the parameter types, maybe the result's after them
        Type[] captureTypes = f.target.getRootNode() instanceof Signature s ? s.captureTypes() : null;
        if (captureTypes == null || captureTypes.length != f.captures.length || captureTypes.length == 0) {
            return fresh(params);
        }
        java.util.Set<Type.Var> paramVars = new java.util.HashSet<>();
        for (Type t : params) {
            if (t != null) {
                Types.freeVars(t, paramVars);
            }
        }
        if (paramVars.isEmpty()) {
            return fresh(params);
        }
        Type[] all = java.util.Arrays.copyOf(params, params.length + captureTypes.length);
        for (int i = 0; i < captureTypes.length; i++) {
            java.util.Set<Type.Var> vars = new java.util.HashSet<>();
            if (captureTypes[i] != null) {
                Types.freeVars(captureTypes[i], vars);
            }
            vars.retainAll(paramVars);
            all[params.length + i] = vars.isEmpty() ? null : captureTypes[i];
        }
        Type[] copy = fresh(all);
        for (int i = 0; i < captureTypes.length; i++) {
            if (all[params.length + i] != null) {
                Object v = f.captures[i] instanceof Cell cell ? cell.value : f.captures[i];
                if (v != null) {
                    check(v, copy[params.length + i], true, true); // a misfit (none, the program being checked) binds less
                }
            }
        }
        return java.util.Arrays.copyOf(copy, params.length);
    }

    /**
     * A record of another type with the same fields: the fields holding functions or iterators, whose values do not
     * say their types, must be declared with types that unify with those of {@code tested} (a record whose field
     * is an (int) -> int is not one whose field of that name is a (string) -> string).
     */
    private static boolean sameUntestedFields(TypeInfo own, Type.Con tested) {
        for (int i = 0; i < tested.info.fieldNames.size(); i++) {
            Type want = Types.recordFieldType(tested, i);
            if (untested(want)) {
                Type[] both = fresh(new Type[] {own.fieldTypes.get(i), want});
                if (!org.osprey.types.Unifier.tryUnify(both[0], both[1])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Does t hold a function or an iterator type, which a value cannot be tested against, or give a record or
     * union type arguments (which its fields may hold only in functions: H<int> for type H<T> = { f: (T) -> T })?
     */
    private static boolean untested(Type t) {
        Type p = t.prune();
        return switch (p) {
            case Type.Fun f -> true;
            case Type.Con c -> c.info == Prelude.ITERATOR || !c.args.isEmpty() && (c.info.isRecord() || c.info.isUnion())
                            || c.args.stream().anyMatch(RuntimeTypes::untested);
            case Type.Tuple tu -> tu.elements.stream().anyMatch(RuntimeTypes::untested);
            case Type.Var v -> false;
        };
    }

    private static Type freshen(Type t, java.util.Map<Type.Var, Type> fresh) {
        java.util.Set<Type.Var> free = new java.util.HashSet<>();
        Types.freeVars(t, free);
        for (Type.Var v : free) {
            fresh.computeIfAbsent(v, x -> new Type.Var(0));
        }
        return Types.subst(t, fresh);
    }

    /**
     * The type of an Osprey value, with variables where nothing in it says (the elements of []), or null;
     * {@code sample}: as far as the first element of each list and map tells.
     */
    private static Type typeOf(Object v, boolean sample) {
        if (v instanceof Long) {
            return Prelude.T_INT;
        } else if (v instanceof Double) {
            return Prelude.T_FLOAT;
        } else if (v instanceof Boolean) {
            return Prelude.T_BOOL;
        } else if (v instanceof TruffleString) {
            return Prelude.T_STRING;
        } else if (v instanceof Unit) {
            return Prelude.T_UNIT;
        }
        Type t;
        if (v instanceof ListValue) {
            t = Types.con(Prelude.LIST, new Type.Var(0));
        } else if (v instanceof MapValue) {
            t = Types.con(Prelude.MAP, new Type.Var(0), new Type.Var(0));
        } else if (v instanceof TupleValue tv) {
            java.util.List<Type> elements = new java.util.ArrayList<>();
            for (int i = 0; i < tv.elements.length; i++) {
                elements.add(new Type.Var(0));
            }
            t = new Type.Tuple(elements);
        } else if (v instanceof DataValue d) {
            TypeInfo info = d.shape.isVariant() ? d.shape.variant.owner : d.shape.type;
            if (info == null) {
                return null;
            }
            t = new Type.Con(info, Types.freshArgs(info, 0));
        } else if (v instanceof FunctionValue f) {
            return functionType(f);
        } else if (v instanceof FiberValue || v instanceof ChannelValue) {
            Type own = ownType(v);
            return own == null ? null : fresh(new Type[] {own})[0];
        } else {
            return null;
        }
        return check(v, t, true, sample) ? t : null;
    }

    /**
     * A function value's type from its signature, with fresh variables; a function of another language has the
     * result type it was given with (ForeignCallRootNode); a function of unknown types takes any.
     */
    public static Type functionType(FunctionValue f) {
        java.util.List<Type> params = new java.util.ArrayList<>();
        Type result = null;
        if (f.target.getRootNode() instanceof Signature s && s.parameterTypes() != null && s.parameterTypes().length == f.arity
                        && s.resultType() != null) {
            Type[] all = java.util.Arrays.copyOf(s.parameterTypes(), f.arity + 1);
            all[f.arity] = s.resultType();
            Type[] copy = withCaptures(f, all);
            params.addAll(java.util.Arrays.asList(copy).subList(0, f.arity));
            result = copy[f.arity];
        } else if (f.target.getRootNode() instanceof org.osprey.nodes.call.ForeignCallRootNode && f.captures.length == 3
                        && f.captures[1] instanceof Type known) {
            // A function of another language, given to Osprey before as a function with this result type: it
            // takes any arguments, but its results are checked against that type only, so it has that type.
            for (int i = 0; i < f.arity; i++) {
                params.add(new Type.Var(0));
            }
            result = fresh(new Type[] {known})[0];
        } else {
            for (int i = 0; i < f.arity; i++) {
                params.add(new Type.Var(0));
            }
            result = new Type.Var(0);
        }
        return new Type.Fun(params, result);
    }

    /**
     * The type a fiber or a channel was made with, if it is of this context and that type says everything
     * ({@code Channel<int>}, not the {@code Channel<T>} of a generic function, whose T the value does not
     * tell); else null. Fibers and channels reach the host as opaque values and come back through this check.
     */
    private static Type ownType(Object v) {
        Type own;
        Object context;
        if (v instanceof FiberValue f) {
            own = f.type;
            context = f.context;
        } else if (v instanceof ChannelValue ch) {
            own = ch.type;
            context = ch.context;
        } else {
            return null;
        }
        return own != null && context == org.osprey.OspreyContext.get(null) && Types.isGround(own) ? own : null;
    }

    /**
     * Does {@code v} have type {@code t}; {@code bind}: binding its variables (fits); {@code sample}: reading one
     * element of each list and map, enough to bind the variables where the value is known to be well typed.
     */
    private static boolean check(Object v, Type t, boolean bind, boolean sample) {
        return check(v, t, bind, sample, null);
    }

    /** {@link #check}, reading only one element of the lists and maps among {@code trusted} (by identity). */
    private static boolean check(Object v, Type t, boolean bind, boolean sample, Object[] trusted) {
        if (trusted != null && (v instanceof ListValue || v instanceof MapValue)) {
            for (Object a : trusted) {
                if (a == v) {
                    return check(v, t, bind, true, null);
                }
            }
        }
        Type p = t.prune();
        if (p instanceof Type.Var) {
            if (!bind) {
                return true;
            }
            Type own = typeOf(v, sample);
            return own != null && org.osprey.types.Unifier.tryUnify(p, own);
        }
        if (p instanceof Type.Fun fun && bind) {
            return v instanceof FunctionValue f && f.arity == fun.params.size() && org.osprey.types.Unifier.tryUnify(fun, functionType(f));
        }
        if (p instanceof Type.Tuple tt) {
            if (!(v instanceof TupleValue tv) || tv.elements.length != tt.elements.size()) {
                return false;
            }
            for (int i = 0; i < tv.elements.length; i++) {
                if (!check(tv.elements[i], tt.elements.get(i), bind, sample, trusted)) {
                    return false;
                }
            }
            return true;
        }
        if (!(p instanceof Type.Con c)) {
            return v instanceof FunctionValue; // function types are refused by the checker
        }
        TypeInfo info = c.info;
        if (info == Prelude.ANY) {
            return true;
        }
        if (info == Prelude.INT) {
            return v instanceof Long;
        }
        if (info == Prelude.FLOAT) {
            return v instanceof Double;
        }
        if (info == Prelude.BOOL) {
            return v instanceof Boolean;
        }
        if (info == Prelude.STRING) {
            return v instanceof TruffleString;
        }
        if (info == Prelude.UNIT) {
            return v instanceof Unit;
        }
        if (info == Prelude.LIST) {
            if (!(v instanceof ListValue l)) {
                return false;
            }
            for (ListValue.Cursor lc = l.cursor(); lc.hasNext();) {
                if (!check(lc.next(), c.args.get(0), bind, sample, trusted)) {
                    return false;
                }
                if (sample) {
                    break;
                }
            }
            return true;
        }
        if (info == Prelude.MAP) {
            if (!(v instanceof MapValue m)) {
                return false;
            }
            for (PersistentMap.EntryCursor ec = m.map.cursor(); ec.hasNext();) {
                Object[] e = ec.next();
                if (!check(e[0], c.args.get(0), bind, sample, trusted) || !check(e[1], c.args.get(1), bind, sample, trusted)) {
                    return false;
                }
                if (sample) {
                    break;
                }
            }
            return true;
        }
        if (info == Prelude.ITERATOR) {
            // Only inside a record or variant (the checker refuses testing an iterator type itself): its element
            // type is known only by running it, so the field's declared type is trusted (see sameUntestedFields).
            return v instanceof RangeValue || v instanceof IteratorValue;
        }
        if (info == Prelude.FIBER || info == Prelude.CHANNEL) {
            Type own = (info == Prelude.FIBER ? v instanceof FiberValue : v instanceof ChannelValue) ? ownType(v) : null;
            if (own == null) {
                return false;
            }
            Type[] both = fresh(new Type[] {p, own});
            return org.osprey.types.Unifier.tryUnify(bind ? p : both[0], both[1]);
        }
        if (!(v instanceof DataValue d)) {
            return false;
        }
        if (info.isRecord()) {
            if (d.shape.isVariant() || !java.util.Arrays.asList(d.shape.fieldNames).equals(info.fieldNames)) {
                return false;
            }
            if (d.shape.type != info && (info.validator != null || d.shape.type != null && d.shape.type.validator != null)) {
                return false; // a validated record is only what its constructor made (Unifier: no structural match)
            }
            if (d.shape.type != null && d.shape.type != info && !sameUntestedFields(d.shape.type, c)) {
                return false;
            }
            for (int i = 0; i < info.fieldNames.size(); i++) {
                if (!check(d.field(i), Types.recordFieldType(c, i), bind, sample, trusted)) {
                    return false;
                }
            }
            return true;
        }
        if (info.isUnion()) {
            if (!d.shape.isVariant() || d.shape.variant.owner != info) {
                return false;
            }
            var fieldTypes = Types.variantFieldTypes(d.shape.variant, c.args);
            for (int i = 0; i < fieldTypes.size(); i++) {
                if (!check(d.field(i), fieldTypes.get(i), bind, sample, trusted)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
