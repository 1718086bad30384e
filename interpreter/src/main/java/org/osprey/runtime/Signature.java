package org.osprey.runtime;

import org.osprey.types.Type;

/**
 * What a function's root knows about its parameters, so a call from another language can convert and check
 * its arguments (see {@link HostValues#arguments}); the type checker has already done this for Osprey callers.
 */
public interface Signature {
    /** The parameters' names, in order. */
    String[] parameterNames();

    /** The parameters' types as the checker inferred them; type variables accept any Osprey value. */
    Type[] parameterTypes();

    /** The result type as the checker inferred it, or null if not known. */
    default Type resultType() {
        return null;
    }

    /**
     * The types of a closure's captured values as the checker inferred them, in the order of
     * {@link FunctionValue#captures} (a captured mut's type is its value's), or null.
     */
    default Type[] captureTypes() {
        return null;
    }
}
