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
}
