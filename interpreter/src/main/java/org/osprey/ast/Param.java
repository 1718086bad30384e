package org.osprey.ast;

/** A function or lambda parameter with its optional annotation; the checker records its binding. */
public final class Param extends Node {
    public final String name;
    public final TypeExpr type;
    public Binding binding;

    public Param(int start, int end, String name, TypeExpr type) {
        super(start, end);
        this.name = name;
        this.type = type;
    }
}
