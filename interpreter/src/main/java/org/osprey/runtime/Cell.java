package org.osprey.runtime;

/**
 * A box for a variable that a closure captures and that can change after capture: a captured mut, or a
 * nested function referenced before its declaration has run. Immutable captures are copied instead.
 */
public final class Cell {
    public Object value;

    public Cell() {
    }

    public Cell(Object value) {
        this.value = value;
    }
}
