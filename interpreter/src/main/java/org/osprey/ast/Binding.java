package org.osprey.ast;

import org.osprey.types.Scheme;
import org.osprey.types.Type;

/**
 * The identity of one declared name: a local, a parameter, a global, a function. Name resolution maps every
 * identifier to its binding; the checker gives it a type; the node builder gives it a storage location.
 */
public final class Binding {
    public enum Kind {
        /** a let/mut or parameter of a function or lambda */
        LOCAL,
        /** a top-level let/mut: lives in a global cell so every function can reach it */
        GLOBAL,
        /** a let/mut of a module (spec 0011): each fiber has its own, in its instance of the module */
        MODULE,
        /** a top-level fn, or a module's */
        FUNCTION,
        /** a fn declared inside a block */
        NESTED_FUNCTION,
        /** a builtin function (core or plugin) */
        BUILTIN
    }

    public final String name;
    public final Kind kind;
    public final boolean mutable;
    /** The declaring node: a Stmt.Let, Stmt.Fn, Param or pattern binder; null for builtins. */
    public final Node decl;
    /** The function whose frame holds this binding (null for globals, top-level functions and builtins). */
    public final FunctionInfo owner;

    /** Monomorphic type, or the generalised scheme once known (functions, let-bound lambdas). */
    public Type type;
    public Scheme scheme;

    /** Read by a nested function or lambda: the node builder must make it reachable from the closure. */
    public boolean captured;
    /** Captured and assignable after capture (a mut, or a fn that may be referenced before it exists). */
    public boolean needsCell;

    /**
     * For {@code p} in {@code p: { name, age }} on an {@code any}: the fields the pattern proved the value has,
     * with their types, so that {@code p.name} may be read (spec 0004 "Field Access"). Null otherwise.
     */
    public java.util.Map<String, org.osprey.types.Type> structuralFields;

    /**
     * For a function: the effects a call of it may perform (spec 0017), as declared with {@code !E} or, for a
     * function without an annotation, as inferred from its body. Null for other bindings.
     */
    public java.util.Set<String> effects;

    /** Frame slot, assigned by the node builder. */
    public int slot = -1;
    /** Storage for GLOBAL and FUNCTION bindings, assigned by the node builder. */
    public Object storage;

    public Binding(String name, Kind kind, boolean mutable, Node decl, FunctionInfo owner) {
        this.name = name;
        this.kind = kind;
        this.mutable = mutable;
        this.decl = decl;
        this.owner = owner;
    }

    public boolean isFunction() {
        return kind == Kind.FUNCTION || kind == Kind.NESTED_FUNCTION;
    }

    @Override
    public String toString() {
        return name + ":" + kind;
    }
}
