package org.osprey.nodes.local;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.profiles.BranchProfile;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.ModuleInstances;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.OspreyModule;
import org.osprey.runtime.Unit;

/** The values of modules (spec 0011): read and assigned in the running fiber's instance, made on first use. */
public final class ModuleNodes {
    private ModuleNodes() {
    }

    private abstract static class Access extends OspreyNode {
        final OspreyModule module;
        final int index;
        /**
         * The frame slot where the call keeps the module's values once found, or -1: a call runs in one fiber
         * from its start to its end (a fiber that waits comes back on another thread with its own instances),
         * and a fiber's instance of a module stays the same array, so the first read or assignment of the call
         * finds them for the others. A module function's reads and writes otherwise looked up the thread's
         * fiber each time.
         */
        final int slot;
        private final BranchProfile first = BranchProfile.create();
        private final BranchProfile found = BranchProfile.create();

        Access(OspreyModule module, int index, int slot) {
            this.module = module;
            this.index = index;
            this.slot = slot;
        }

        final Object[] values(VirtualFrame frame) {
            if (slot < 0) {
                return values();
            }
            Object kept = frame.getObject(slot);
            if (kept == null) {
                found.enter();
                Object[] values = values();
                frame.setObject(slot, values);
                return values;
            }
            return (Object[]) kept;
        }

        /** The running fiber's values of the module: made by its initialisers if this is the fiber's first use. */
        private Object[] values() {
            ModuleInstances instances = ModuleInstances.current(this);
            Object[] values = instances.find(module);
            if (values == null) {
                first.enter();
                values = instances.initialise(module);
            }
            return values;
        }
    }

    public static final class Read extends Access {
        public Read(OspreyModule module, int index, int slot) {
            super(module, index, slot);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object v = values(frame)[index];
            if (v == null) {
                CompilerDirectives.transferToInterpreter();
                // module M { let a = f()  let b = 1  fn f() = b }: a's initialiser reads b through f
                throw new OspreyError("'" + module.name + "." + module.values[index] + "' is used before its initialiser has run: the values of module "
                                + module.name + " are set in the order they are declared, the first time a fiber uses one", this);
            }
            return v;
        }
    }

    public static final class Write extends Access {
        @Child private OspreyNode value;

        public Write(OspreyModule module, int index, int slot, OspreyNode value) {
            super(module, index, slot);
            this.value = value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object v = value.executeGeneric(frame);
            values(frame)[index] = v;
            return Unit.INSTANCE;
        }
    }
}
