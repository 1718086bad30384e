package org.osprey.types;

import java.util.List;

/**
 * An implicit conversion the checker inserted where a value meets the type its use expects
 * (spec 0004 "Result Auto-Unwrapping"). The node builder turns these into nodes.
 */
public sealed interface Coercion {
    /** {@code Result<T, MathError>} used as {@code T}: take the value; an Error propagates or stops the program. */
    record Unwrap() implements Coercion {
    }

    /**
     * {@code Result<T, MathError>} stored as {@code any}: the value, or the Error itself where the arithmetic
     * failed (an {@code any} can hold it, so the program need not stop).
     */
    record ValueOrError() implements Coercion {
    }

    /**
     * A function's parameter or result whose type is {@code any} on one side and another on the other
     * ({@code describe : (any) -> string} given to {@code map} over a {@code List<int>}): the value passes as
     * it is, since an {@code any} holds any value; only the types differ.
     */
    record AsAny() implements Coercion {
    }

    /** {@code T} used as {@code Result<T, MathError>}: wrap it in Success. */
    record Wrap() implements Coercion {
    }

    /** A function value whose parameters or result need coercing: call it through an adapter. */
    record Adapt(List<Coercion> params, Coercion result) implements Coercion {
    }

    Unwrap UNWRAP = new Unwrap();
    Wrap WRAP = new Wrap();
    ValueOrError VALUE_OR_ERROR = new ValueOrError();
    AsAny AS_ANY = new AsAny();
}
