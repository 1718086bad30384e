package org.osprey.ast;

/** Every AST node knows the character range of source it came from; diagnostics and SourceSections use it. */
public abstract class Node {
    public final int start;
    public final int end;

    protected Node(int start, int end) {
        this.start = start;
        this.end = end;
    }
}
