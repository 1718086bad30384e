package org.osprey.nodes;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.OspreyContext;
import org.osprey.runtime.Display;
import org.osprey.runtime.GlobalCell;
import org.osprey.runtime.Unit;

/**
 * What an interactive entry (a REPL line) shows, as the Scala and OCaml toplevels do: each declaration with
 * its type ({@code x : int = 5}, {@code f : (int) -> int}, {@code type Shape}) once its statement has run,
 * so that an entry of several statements (a pasted block) shows them among what it prints, in the order
 * they were written; then the value of a final expression with its type ({@code Success(3) : Result<int,
 * MathError>}). Types were fixed by the checker; values are read when shown. A final expression of type
 * unit shows nothing.
 */
public final class InteractiveEcho {
    /**
     * One declaration, written at offset {@code at}: a value has a cell to read, a function or a type has only
     * its text. For a declaration that is no value ({@code isType}), {@code type} is the word that declared it
     * when that is not 'type' ('effect').
     */
    public record Item(String name, String type, GlobalCell cell, boolean isType, int at) {
    }

    /** The declarations no statement has shown yet (at build time), in the order written. */
    private final List<Item> unshown;
    /** The final expression's type, or null when the entry does not end with one (or it is unit). */
    private final String resultType;
    /** Where the declarations this run's statements have shown so far were written (their {@link Item#at}). */
    private final java.util.Set<Integer> shownAt = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** How many of the entry's top-level statements have run to their end ({@link #ran}). */
    private volatile int statementsRun;

    public InteractiveEcho(List<Item> items, String resultType) {
        this.unshown = new ArrayList<>(items);
        this.resultType = resultType;
    }

    /**
     * A node, to run right after the statement written from {@code start} to {@code end}, that shows what the
     * statement declared; null if it declared nothing.
     */
    public OspreyNode after(int start, int end) {
        List<Item> mine = new ArrayList<>();
        unshown.removeIf(i -> i.at() >= start && i.at() < end && mine.add(i));
        return mine.isEmpty() ? null : new Shows(this, mine.toArray(new Item[0]));
    }

    /**
     * Whether the run got past the declaration written at offset {@code at}, so that it was shown. A function
     * is declared before the entry runs; after a fault, the one whose statement the run never reached is
     * forgotten as a let there is (ProgramLoader.forgetUnrun), not kept without having been shown.
     */
    public boolean shown(int at) {
        return shownAt.contains(at);
    }

    /**
     * A node, to run right after the entry's top-level statement number {@code count} (from 1), that counts it
     * as run: after a fault, the statement that faulted is the one after those counted
     * (ProgramLoader.typesFromWhatRan).
     */
    public OspreyNode ran(int count) {
        return new Ran(this, count);
    }

    /** How many of the entry's top-level statements ran to their end, in an entry of more than one. */
    public int statementsRun() {
        return statementsRun;
    }

    /** Once the entry ran: any declaration no statement showed, then the final expression. */
    @TruffleBoundary
    void print(OspreyContext context, Object result) {
        unshown.forEach(i -> show(context, i));
        if (resultType != null) {
            context.printLine(Display.repr(result) + " : " + resultType);
        }
    }

    @TruffleBoundary
    private static void show(OspreyContext context, Item i) {
        if (i.isType()) {
            context.printLine((i.type() == null ? "type" : i.type()) + " " + i.name());
        } else if (i.cell() != null) {
            context.printLine(i.name() + " : " + i.type() + " = " + Display.repr(i.cell().value));
        } else {
            context.printLine(i.name() + " : " + i.type());
        }
    }

    @TruffleBoundary
    private void shown(Item i) {
        shownAt.add(i.at());
    }

    private static final class Ran extends OspreyNode {
        private final InteractiveEcho echo;
        private final int count;

        Ran(InteractiveEcho echo, int count) {
            this.echo = echo;
            this.count = count;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            echo.statementsRun = count;
            return Unit.INSTANCE;
        }
    }

    private static final class Shows extends OspreyNode {
        private final InteractiveEcho echo;
        private final Item[] items;

        Shows(InteractiveEcho echo, Item[] items) {
            this.echo = echo;
            this.items = items;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            OspreyContext context = OspreyContext.get(this);
            for (Item i : items) {
                show(context, i);
                echo.shown(i);
            }
            return Unit.INSTANCE;
        }
    }
}
