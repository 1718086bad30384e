package org.osprey.runtime;

/**
 * Storage of a top-level let or mut. Top-level functions read globals directly; the value is null until the
 * declaration has run (a function can be called before a global it reads is initialised).
 */
public final class GlobalCell {
    public final String name;
    public Object value;

    public GlobalCell(String name) {
        this.name = name;
    }
}
