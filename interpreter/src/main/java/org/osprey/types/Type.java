package org.osprey.types;

import java.util.List;

/**
 * Types of Hindley-Milner inference. Type variables are union-find cells ({@link Var#instance}); always
 * look through them with {@link #prune()} before inspecting a type.
 */
public abstract sealed class Type permits Type.Var, Type.Con, Type.Fun, Type.Tuple {

    /** Follows bound type variables to the representative type. */
    public final Type prune() {
        Type t = this;
        while (t instanceof Var v && v.instance != null) {
            t = v.instance;
        }
        if (this instanceof Var v && v.instance != null && v.instance != t) {
            v.instance = t; // path compression
        }
        return t;
    }

    @Override
    public final String toString() {
        return TypePrinter.print(this);
    }

    /** A type variable; {@code level} is the let-nesting depth where it was made (Remy's generalisation). */
    public static final class Var extends Type {
        private static int counter;
        public final int id;
        public int level;
        public Type instance;

        /**
         * The name of the type parameter of a function's signature this stands for ({@code T} in {@code fn
         * first<T>(xs: List<T>) -> T}), or null. Such a variable is rigid while the function's body is
         * checked: the body must work for every type, so it may be bound to no other type; a flexible
         * variable may be bound to it. Uses of the function instantiate it with flexible variables.
         */
        public String rigid;

        /**
         * Stands for a map's key type, so it may become only int, string or bool (spec 0004 TYPE-MAP), or
         * another variable, which then carries this too. Copied to the fresh variables of each use of a scheme,
         * so a generic function that makes a map of its argument (fn mk(k) = set({}, k, 1)) takes only keys.
         */
        public boolean mapKey;

        public Var(int level) {
            this.id = ++counter;
            this.level = level;
        }
    }

    /**
     * A named type with arguments: primitives, Result, List, Map, and user-declared records and unions;
     * {@code info} describes the declaration.
     */
    public static final class Con extends Type {
        public final TypeInfo info;
        public final List<Type> args;
        /**
         * Known to hold no type variable, bound or not (set by {@link Types#occurs} once it has looked); a
         * variable is never unbound again, so this stays true, and later checks skip the type.
         */
        boolean ground;

        public Con(TypeInfo info, List<Type> args) {
            this.info = info;
            this.args = args;
        }

        public String name() {
            return info.name;
        }

        public boolean is(TypeInfo other) {
            return info == other;
        }
    }

    public static final class Fun extends Type {
        public final List<Type> params;
        public final Type result;

        public Fun(List<Type> params, Type result) {
            this.params = params;
            this.result = result;
        }
    }

    public static final class Tuple extends Type {
        public final List<Type> elements;
        /** As {@link Con#ground}: tuples nested thousands deep were checked in quadratic time without it. */
        boolean ground;

        public Tuple(List<Type> elements) {
            this.elements = elements;
        }
    }
}
