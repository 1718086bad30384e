package org.osprey.types;

import java.util.List;

/** A polymorphic type: {@code forall vars. type}. Instantiated with fresh variables at every use. */
public record Scheme(List<Type.Var> vars, Type type) {
    public static Scheme mono(Type t) {
        return new Scheme(List.of(), t);
    }
}
