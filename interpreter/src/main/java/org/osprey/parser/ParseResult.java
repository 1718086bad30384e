package org.osprey.parser;

import java.util.List;

import org.osprey.ast.Program;

/**
 * What parsing produced: a program (possibly partial) and the diagnostics. {@code incomplete} says the errors
 * are all of the kind "input ended too early", which is how the REPL decides to ask for another line.
 */
public record ParseResult(Program program, List<Diagnostic> diagnostics, boolean incomplete) {
    public boolean ok() {
        return diagnostics.isEmpty();
    }
}
