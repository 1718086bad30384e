package org.osprey.runtime;

import com.oracle.truffle.api.nodes.Node;

import org.osprey.OspreyLanguage;

/**
 * The effect handlers in force on one thread (spec 0017): a stack of installed handlers, innermost on top,
 * kept as an immutable linked list so that the whole stack can be captured as one value and installed again
 * elsewhere (a fiber inheriting its spawner's handlers). Handlers are scoped dynamically: a {@code handle}
 * pushes for the time its body runs, and a {@code perform} anywhere below, through any calls, finds the
 * innermost handler of its effect. Only handle and perform touch this; ordinary calls never do.
 *
 * One instance per thread and context ({@link OspreyLanguage#effectHandlers}, a context thread local). A
 * thread that enters the context from a library (a WebSocket handler) starts with no handlers.
 */
public final class EffectHandlers {
    /**
     * One installed handler: its effect, its arms by operation, and the handlers that were in force below it.
     * Its arms run under {@link #armScope}: those handlers, with a mark on top saying whose arm runs.
     */
    public static final class Frame {
        final Object effect;
        final FunctionValue[] arms;
        final Frame outer;
        final Frame armScope;

        Frame(Object effect, FunctionValue[] arms, Frame outer) {
            this.effect = effect;
            this.arms = arms;
            this.outer = outer;
            this.armScope = arms == null ? null : new Frame(new InArmOf(effect), null, outer);
        }
    }

    /**
     * The mark under which an arm of a handler of {@code effect} runs: of no effect on what a perform finds
     * (the arm runs under the handlers outside its own), so that a perform of the arm's own effect that finds
     * no handler can say why. The checker refuses an arm that performs its effect directly or through the
     * functions it calls, but not through a function value it calls.
     */
    private record InArmOf(Object effect) {
        @Override
        public String toString() {
            return "<arm of " + effect + ">"; // never an effect's name (findsNamesake)
        }
    }

    private Frame top;

    /** The handlers of the thread running {@code node}. */
    public static EffectHandlers current(Node node) {
        return OspreyLanguage.get(node).effectHandlers.get();
    }

    /** The handlers in force now, as an immutable value (null when there are none). */
    public Frame capture() {
        return top;
    }

    /**
     * Makes {@code handlers} (from {@link #capture}, possibly of another thread) the ones in force and returns
     * those it replaces, which the caller puts back with this method when its code is done, in a finally.
     */
    public Frame install(Frame handlers) {
        Frame before = top;
        top = handlers;
        return before;
    }

    /** Runs {@code action} with {@code handlers} in force, then restores the handlers in force before. */
    public <T> T runWith(Frame handlers, java.util.function.Supplier<T> action) {
        Frame before = install(handlers);
        try {
            return action.get();
        } finally {
            top = before;
        }
    }

    /** The stack with a handler of {@code effect} pushed on {@code outer}. */
    public static Frame push(Frame outer, Object effect, FunctionValue[] arms) {
        return new Frame(effect, arms, outer);
    }

    /** The innermost handler of {@code effect} in {@code from}, or null if none is in force. */
    public static Frame find(Frame from, Object effect) {
        for (Frame f = from; f != null; f = f.outer) {
            if (f.effect == effect) {
                return f;
            }
        }
        return null;
    }

    /**
     * Whether {@code from} has a handler of another effect of the same name than {@code effect}: one declared
     * again (in a later REPL entry) since the code performing it was made.
     */
    public static boolean findsNamesake(Frame from, Object effect) {
        for (Frame f = from; f != null; f = f.outer) {
            if (f.effect != effect && f.effect.toString().equals(effect.toString())) {
                return true;
            }
        }
        return false;
    }

    /** The arm of operation {@code op} in handler {@code f}. */
    public static FunctionValue arm(Frame f, int op) {
        return f.arms[op];
    }

    /**
     * Where a call from outside Osprey (Java, another language) entered Osprey code: a mark on the stack, of no
     * effect, so that a perform finding no handler can say that the function called from outside is what no
     * handle covers. The handlers below it (a Java callback called inside an Osprey handle) stay in force.
     */
    private record CalledFromOutside(String function) {
        @Override
        public String toString() {
            return "<called from outside: " + function + ">"; // never an effect's name (findsNamesake)
        }
    }

    /** {@code outer} with the mark of a call of {@code function} from outside Osprey on it. */
    public static Frame calledFromOutside(Frame outer, String function) {
        return new Frame(new CalledFromOutside(function), null, outer);
    }

    /** The function whose call from outside Osprey is the innermost in {@code from}, or null if none is. */
    public static String functionCalledFromOutside(Frame from) {
        for (Frame f = from; f != null; f = f.outer) {
            if (f.effect instanceof CalledFromOutside c) {
                return c.function;
            }
        }
        return null;
    }

    /** The handlers that were in force where {@code f} was installed, which its arms run under, with the mark of its arm. */
    public static Frame armScope(Frame f) {
        return f.armScope;
    }

    /** Whether {@code from} is inside an arm of a handler of {@code effect} (see {@link InArmOf}). */
    public static boolean inArmOf(Frame from, Object effect) {
        for (Frame f = from; f != null; f = f.outer) {
            if (f.effect instanceof InArmOf a && a.effect == effect) {
                return true;
            }
        }
        return false;
    }
}
