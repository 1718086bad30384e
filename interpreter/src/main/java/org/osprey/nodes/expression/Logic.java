package org.osprey.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.profiles.CountingConditionProfile;

import org.osprey.nodes.OspreyNode;

/** {@code && || !}; the binary ones short-circuit (spec 0009). */
public final class Logic {
    private Logic() {
    }

    public static final class And extends OspreyNode {
        @Child private OspreyNode left;
        @Child private OspreyNode right;
        private final CountingConditionProfile profile = CountingConditionProfile.create();

        public And(OspreyNode left, OspreyNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            return profile.profile(left.executeBoolean(frame)) && right.executeBoolean(frame);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeBoolean(frame);
        }
    }

    public static final class Or extends OspreyNode {
        @Child private OspreyNode left;
        @Child private OspreyNode right;
        private final CountingConditionProfile profile = CountingConditionProfile.create();

        public Or(OspreyNode left, OspreyNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            return profile.profile(left.executeBoolean(frame)) || right.executeBoolean(frame);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeBoolean(frame);
        }
    }

    public static final class Not extends OspreyNode {
        @Child private OspreyNode operand;

        public Not(OspreyNode operand) {
            this.operand = operand;
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            return !operand.executeBoolean(frame);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeBoolean(frame);
        }
    }
}
