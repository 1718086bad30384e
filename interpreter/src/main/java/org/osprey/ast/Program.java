package org.osprey.ast;

import java.util.List;

/** A parsed source: its statements in order, and the function that runs them. */
public final class Program {
    public final List<Stmt> statements;
    public FunctionInfo info;

    public Program(List<Stmt> statements) {
        this.statements = statements;
    }
}
