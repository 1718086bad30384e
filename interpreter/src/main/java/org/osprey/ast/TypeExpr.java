package org.osprey.ast;

import java.util.List;

/** A type as written in the source: {@code int}, {@code List<T>}, {@code (int, string) -> bool}. */
public abstract sealed class TypeExpr extends Node {
    protected TypeExpr(int start, int end) {
        super(start, end);
    }

    /** {@code Name} or {@code Name<Args>}; also the primitive names in either spelling. */
    public static final class Named extends TypeExpr {
        public final String name;
        public final List<TypeExpr> args;

        public Named(int start, int end, String name, List<TypeExpr> args) {
            super(start, end);
            this.name = name;
            this.args = args;
        }
    }

    /** {@code (A, B) -> R} or {@code fn(A, B) -> R}. */
    public static final class Function extends TypeExpr {
        public final List<TypeExpr> params;
        public final TypeExpr result;

        public Function(int start, int end, List<TypeExpr> params, TypeExpr result) {
            super(start, end);
            this.params = params;
            this.result = result;
        }
    }

    /** {@code (A, B)}: a tuple type. */
    public static final class Tuple extends TypeExpr {
        public final List<TypeExpr> elements;

        public Tuple(int start, int end, List<TypeExpr> elements) {
            super(start, end);
            this.elements = elements;
        }
    }
}
