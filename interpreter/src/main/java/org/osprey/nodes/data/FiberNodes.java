package org.osprey.nodes.data;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.OspreyContext;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.controlflow.ArmsNode;
import org.osprey.nodes.pattern.PatternNode;
import org.osprey.runtime.ChannelValue;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.OspreyError;
import org.osprey.spi.BuiltinException;

/** Making fibers and channels (spec 0011); the operations on them are builtins (FiberBuiltins). */
public final class FiberNodes {
    private FiberNodes() {
    }

    /** {@code spawn e}: the body is a closure of no parameters. */
    public static final class Spawn extends OspreyNode {
        @Child private OspreyNode body;
        private final org.osprey.types.Type type;

        public Spawn(OspreyNode body, org.osprey.types.Type type) {
            this.body = body;
            this.type = type;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return spawn(OspreyContext.get(this), (FunctionValue) body.executeGeneric(frame));
        }

        @TruffleBoundary
        private Object spawn(OspreyContext context, FunctionValue f) {
            try {
                // The fiber runs under the effect handlers in force where it is spawned (spec 0017 with 0011).
                return context.fibers().spawn((FunctionValue) context.withHandlers(f), type);
            } catch (BuiltinException e) {
                throw new OspreyError(e.getMessage(), this);
            }
        }
    }

    /** {@code Channel<T> { capacity: n }}. */
    public static final class NewChannel extends OspreyNode {
        @Child private OspreyNode capacity;
        private final org.osprey.types.Type type;

        public NewChannel(OspreyNode capacity, org.osprey.types.Type type) {
            this.capacity = capacity;
            this.type = type;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object n = capacity.executeGeneric(frame);
            long c = (Long) n;
            if (c < 0) {
                throw error(c);
            }
            return new ChannelValue(c, type, OspreyContext.get(this));
        }

        @TruffleBoundary
        private OspreyError error(long c) {
            return new OspreyError("a channel's capacity is 0 or more (0: each send waits for a receiver), not " + c, this);
        }
    }

    /**
     * {@code select} (spec 0011): evaluates every arm's channel (and a send's value), in order, then waits for
     * the first operation that can complete (the first in the arms' order among those that can at once), binds
     * its value and runs its arm's body in this frame, as a match runs an arm (a call in tail position there
     * stays one). With a default arm and nothing ready at once, the default runs instead of waiting.
     */
    public static final class Select extends ArmsNode {
        @Children private final OspreyNode[] channels;
        @Children private final OspreyNode[] values;
        @Children private final PatternNode[] binders;
        private final int defaultArm;

        public Select(OspreyNode[] channels, OspreyNode[] values, PatternNode[] binders, OspreyNode[] bodies, int defaultArm) {
            super(bodies);
            this.channels = channels;
            this.values = values;
            this.binders = binders;
            this.defaultArm = defaultArm;
        }

        /** Evaluates the operations, waits for one, binds its value: the arm to run. */
        @Override
        @ExplodeLoop
        protected int choose(VirtualFrame frame) {
            int n = bodies.length;
            ChannelValue[] chs = new ChannelValue[n];
            Object[] sent = new Object[n];
            boolean[] sends = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (channels[i] != null) {
                    chs[i] = (ChannelValue) channels[i].executeGeneric(frame);
                    if (values[i] != null) {
                        sends[i] = true;
                        sent[i] = values[i].executeGeneric(frame);
                    }
                }
            }
            Object[] chosen = select(OspreyContext.get(this), chs, sends, sent);
            int arm = (Integer) chosen[0];
            for (int i = 0; i < n; i++) {
                if (i == arm && binders[i] != null) {
                    binders[i].match(frame, chosen[1]);
                }
            }
            return arm;
        }

        @TruffleBoundary
        private Object[] select(OspreyContext context, ChannelValue[] chs, boolean[] sends, Object[] sent) {
            try {
                Object[] chosen = context.fibers().select(chs, sends, sent, defaultArm >= 0);
                if (chosen == null) {
                    return new Object[] {defaultArm, null};
                }
                return chosen;
            } catch (BuiltinException e) {
                throw new OspreyError(e.getMessage(), this);
            }
        }
    }
}
