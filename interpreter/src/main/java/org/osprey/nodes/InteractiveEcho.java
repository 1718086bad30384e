package org.osprey.nodes;

import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import org.osprey.OspreyContext;
import org.osprey.runtime.Display;
import org.osprey.runtime.GlobalCell;

/**
 * What an interactive entry (a REPL line) shows once it ran, as the Scala and OCaml toplevels do: each
 * declaration with its type ({@code x : int = 5}, {@code f : (int) -> int}, {@code type Shape}), then the
 * value of a final expression with its type ({@code Success(3) : Result<int, MathError>}). Types were fixed
 * by the checker; values are read after the entry ran. A final expression of type unit shows nothing.
 */
public final class InteractiveEcho {
    /**
     * One declaration: a value has a cell to read, a function or a type has only its text. For a declaration
     * that is no value ({@code isType}), {@code type} is the word that declared it when that is not 'type' ('effect').
     */
    public record Item(String name, String type, GlobalCell cell, boolean isType) {
    }

    private final List<Item> items;
    /** The final expression's type, or null when the entry does not end with one (or it is unit). */
    private final String resultType;

    public InteractiveEcho(List<Item> items, String resultType) {
        this.items = items;
        this.resultType = resultType;
    }

    @TruffleBoundary
    void print(OspreyContext context, Object result) {
        for (Item i : items) {
            if (i.isType()) {
                context.printLine((i.type() == null ? "type" : i.type()) + " " + i.name());
            } else if (i.cell() != null) {
                context.printLine(i.name() + " : " + i.type() + " = " + Display.repr(i.cell().value));
            } else {
                context.printLine(i.name() + " : " + i.type());
            }
        }
        if (resultType != null) {
            context.printLine(Display.repr(result) + " : " + resultType);
        }
    }
}
