package org.osprey.nodes.controlflow;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.profiles.CountingConditionProfile;

import org.osprey.nodes.OspreyNode;

/**
 * {@code cond ? a : b}, and a match on a bool with a {@code true} and a {@code false} arm (spec 0009): one
 * test of an unboxed bool instead of trying patterns against a boxed one. The branch counts go to the
 * compiler, which lays out the likely branch first.
 */
public final class Conditional extends OspreyNode {
    @Child private OspreyNode condition;
    @Child private OspreyNode then;
    @Child private OspreyNode otherwise;
    private final CountingConditionProfile profile = CountingConditionProfile.create();

    public Conditional(OspreyNode condition, OspreyNode then, OspreyNode otherwise) {
        this.condition = condition;
        this.then = then;
        this.otherwise = otherwise;
    }

    private boolean test(VirtualFrame frame) {
        return profile.profile(condition.executeBoolean(frame));
    }

    @Override
    public Object executeGeneric(VirtualFrame frame) {
        return test(frame) ? then.executeGeneric(frame) : otherwise.executeGeneric(frame);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return test(frame) ? then.executeLong(frame) : otherwise.executeLong(frame);
    }

    @Override
    public double executeDouble(VirtualFrame frame) {
        return test(frame) ? then.executeDouble(frame) : otherwise.executeDouble(frame);
    }

    @Override
    public boolean executeBoolean(VirtualFrame frame) {
        return test(frame) ? then.executeBoolean(frame) : otherwise.executeBoolean(frame);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        if (test(frame)) {
            then.executeVoid(frame);
        } else {
            otherwise.executeVoid(frame);
        }
    }
}
