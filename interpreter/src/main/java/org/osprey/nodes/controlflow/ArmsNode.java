package org.osprey.nodes.controlflow;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import org.osprey.nodes.OspreyNode;

/**
 * A node that chooses one of its arms and runs that arm's body in its own frame: {@code match} and
 * {@code select}. Each execute asks the chosen body for the same kind of value as it was asked for, so an
 * {@code int} arm stays unboxed and a self tail call in an arm, which jumps by an exception in the typed
 * executes, stays one in compiled code. The arm is found by a loop over constant indices (exploded), so the
 * compiler sees each body as a constant and inlines it.
 */
public abstract class ArmsNode extends OspreyNode {
    @Children protected final OspreyNode[] bodies;

    protected ArmsNode(OspreyNode[] bodies) {
        this.bodies = bodies;
    }

    /** The index of the arm to run, after binding what its pattern binds in {@code frame}. */
    protected abstract int choose(VirtualFrame frame);

    @Override
    @ExplodeLoop
    public final Object executeGeneric(VirtualFrame frame) {
        int arm = choose(frame);
        for (int i = 0; i < bodies.length; i++) {
            if (i == arm) {
                return bodies[i].executeGeneric(frame);
            }
        }
        throw CompilerDirectives.shouldNotReachHere();
    }

    @Override
    @ExplodeLoop
    public final long executeLong(VirtualFrame frame) {
        int arm = choose(frame);
        for (int i = 0; i < bodies.length; i++) {
            if (i == arm) {
                return bodies[i].executeLong(frame);
            }
        }
        throw CompilerDirectives.shouldNotReachHere();
    }

    @Override
    @ExplodeLoop
    public final double executeDouble(VirtualFrame frame) {
        int arm = choose(frame);
        for (int i = 0; i < bodies.length; i++) {
            if (i == arm) {
                return bodies[i].executeDouble(frame);
            }
        }
        throw CompilerDirectives.shouldNotReachHere();
    }

    @Override
    @ExplodeLoop
    public final boolean executeBoolean(VirtualFrame frame) {
        int arm = choose(frame);
        for (int i = 0; i < bodies.length; i++) {
            if (i == arm) {
                return bodies[i].executeBoolean(frame);
            }
        }
        throw CompilerDirectives.shouldNotReachHere();
    }

    @Override
    @ExplodeLoop
    public final void executeVoid(VirtualFrame frame) {
        int arm = choose(frame);
        for (int i = 0; i < bodies.length; i++) {
            if (i == arm) {
                bodies[i].executeVoid(frame);
                return;
            }
        }
        throw CompilerDirectives.shouldNotReachHere();
    }
}
