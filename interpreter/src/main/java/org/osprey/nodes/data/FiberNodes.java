package org.osprey.nodes.data;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.OspreyContext;
import org.osprey.nodes.OspreyNode;
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

        public Spawn(OspreyNode body) {
            this.body = body;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return spawn(OspreyContext.get(this), (FunctionValue) body.executeGeneric(frame));
        }

        @TruffleBoundary
        private Object spawn(OspreyContext context, FunctionValue f) {
            try {
                // The fiber runs under the effect handlers in force where it is spawned (spec 0017 with 0011).
                return context.fibers().spawn((FunctionValue) context.withHandlers(f));
            } catch (BuiltinException e) {
                throw new OspreyError(e.getMessage(), this);
            }
        }
    }

    /** {@code Channel<T> { capacity: n }}. */
    public static final class NewChannel extends OspreyNode {
        @Child private OspreyNode capacity;

        public NewChannel(OspreyNode capacity) {
            this.capacity = capacity;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object n = capacity.executeGeneric(frame);
            long c = (Long) n;
            if (c < 0) {
                throw error(c);
            }
            return new ChannelValue(c);
        }

        @TruffleBoundary
        private OspreyError error(long c) {
            return new OspreyError("a channel's capacity is 0 or more (0: each send waits for a receiver), not " + c, this);
        }
    }
}
