package org.osprey.runtime;

import com.oracle.truffle.api.CallTarget;

/**
 * A module of a program (spec 0011): its name, the names of its values, and the function that initialises
 * them. The values themselves live in each fiber's instance ({@link ModuleInstances}), never here.
 */
public final class OspreyModule {
    public final String name;
    /** The names of its values, in the order of their slots in an instance. */
    public final String[] values;
    /** Runs the initialisers of the values, in order, into the instance of the fiber that calls it; set once built. */
    public CallTarget init;

    public OspreyModule(String name, String[] values) {
        this.name = name;
        this.values = values;
    }

    @Override
    public String toString() {
        return "module " + name;
    }
}
