package org.osprey.types;

import java.util.List;

/**
 * A polymorphic type: {@code forall vars. type}. Instantiated with fresh variables at every use.
 * {@code overloads} are the calls of overloaded builtins in the function whose form depends on a quantified
 * variable ({@code fn size(x) = length(x)}): every use checks them again for the types it gives.
 */
public record Scheme(List<Type.Var> vars, Type type, List<Overload> overloads) {
    public Scheme(List<Type.Var> vars, Type type) {
        this(vars, type, List.of());
    }

    public static Scheme mono(Type t) {
        return new Scheme(List.of(), t);
    }
}
