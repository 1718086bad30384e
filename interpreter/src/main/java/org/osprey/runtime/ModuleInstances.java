package org.osprey.runtime;

import java.util.IdentityHashMap;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.nodes.Node;

import org.osprey.OspreyLanguage;

/**
 * The module instances of one fiber (spec 0011): for each module it has used, the array of its values. A
 * thread holds the instances of the fiber it runs ({@link OspreyLanguage#moduleInstances}, a context thread
 * local); a fiber starts with none and its instances go when it ends, and a handler or callback that a library
 * thread runs is a fiber of its own for this purpose. The program's own thread keeps one set for every run and
 * REPL entry, as its top-level values are kept.
 */
public final class ModuleInstances {
    /** The module used last and its values: a function of a module reads its values again and again. */
    private OspreyModule lastModule;
    private Object[] lastValues;
    private IdentityHashMap<OspreyModule, Object[]> all;

    /** What a thread holds: the instances of the fiber it runs now. */
    public static final class Holder {
        ModuleInstances current = new ModuleInstances();

        /** Starts a fiber (or a handler's call) on this thread: with no instances. Gives those to put back at its end. */
        public ModuleInstances begin() {
            ModuleInstances before = current;
            current = new ModuleInstances();
            return before;
        }

        /** Ends the fiber begun by {@link #begin}: its instances go. */
        public void end(ModuleInstances before) {
            current = before;
        }
    }

    /** The instances of the fiber that runs {@code node}'s code. */
    public static ModuleInstances current(Node node) {
        return OspreyLanguage.get(node).moduleInstances.get().current;
    }

    /** The values of {@code module} in this fiber, or null before it has used the module. */
    public Object[] find(OspreyModule module) {
        if (module == lastModule) {
            return lastValues;
        }
        return findOther(module);
    }

    @TruffleBoundary
    private Object[] findOther(OspreyModule module) {
        Object[] values = all == null ? null : all.get(module);
        if (values != null) {
            lastModule = module;
            lastValues = values;
        }
        return values;
    }

    /**
     * The instance of {@code module} for this fiber, made now: its values are set by running their initialisers
     * (which may use the module's functions and earlier values). If one fails, the instance goes with the
     * failure, and a later use starts again.
     */
    @TruffleBoundary
    public Object[] initialise(OspreyModule module) {
        Object[] values = new Object[module.values.length];
        if (all == null) {
            all = new IdentityHashMap<>();
        }
        all.put(module, values);
        lastModule = module;
        lastValues = values;
        boolean done = false;
        try {
            module.init.call();
            done = true;
        } finally {
            if (!done) {
                all.remove(module);
                if (lastModule == module) {
                    lastModule = null;
                    lastValues = null;
                }
            }
        }
        return values;
    }
}
