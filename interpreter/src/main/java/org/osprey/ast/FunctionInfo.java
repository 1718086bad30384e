package org.osprey.ast;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the checker learns about one function body (top-level fn, nested fn, lambda, or the program itself):
 * its frame's bindings and the outer bindings it captures. The node builder turns this into a frame layout
 * and a closure environment.
 */
public final class FunctionInfo {
    public final String name;
    public final FunctionInfo parent;
    public final List<Binding> locals = new ArrayList<>();
    /** Bindings of enclosing functions this body reads or writes, in first-use order. */
    public final Set<Binding> captures = new LinkedHashSet<>();
    /** The binding of the function itself when it is a named fn, so self tail calls can become loops. */
    public Binding self;
    /** Set when the body calls itself in tail position. */
    public boolean hasSelfTailCall;

    public FunctionInfo(String name, FunctionInfo parent) {
        this.name = name;
        this.parent = parent;
    }

    @Override
    public String toString() {
        return name;
    }
}
