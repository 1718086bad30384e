package org.osprey.nodes.expression;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.profiles.BranchProfile;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.DataShape;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.Display;
import org.osprey.runtime.MathException;
import org.osprey.runtime.OspreyError;
import org.osprey.types.Prelude;

/**
 * The conversions of spec 0004 "Result Auto-Unwrapping" at run time. Arithmetic runs on plain values; a
 * Result object exists only where the program keeps one ({@link Materialize}), so the success path of
 * arithmetic allocates nothing.
 */
public final class ResultNodes {
    private ResultNodes() {
    }

    public static final DataShape SUCCESS = DataShape.of(Prelude.SUCCESS);
    public static final DataShape ERROR = DataShape.of(Prelude.ERROR);

    public static DataValue success(Object v) {
        return new DataValue(SUCCESS, new Object[] {v});
    }

    public static DataValue error(Object payload) {
        return new DataValue(ERROR, new Object[] {payload});
    }

    /** The top of an arithmetic chain whose value is kept: Success(value), or Error(the MathError). */
    public static final class Materialize extends OspreyNode {
        @Child private OspreyNode raw;
        private final Rep rep;
        private final BranchProfile failed = BranchProfile.create();

        public Materialize(OspreyNode raw, Rep rep) {
            this.raw = raw;
            this.rep = rep;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object v;
            try {
                v = switch (rep) {
                    case LONG -> raw.executeLong(frame);
                    case DOUBLE -> raw.executeDouble(frame);
                    case BOOLEAN -> raw.executeBoolean(frame);
                    case OBJECT -> raw.executeGeneric(frame);
                };
            } catch (MathException e) {
                failed.enter();
                return error(e.error);
            }
            return success(v);
        }
    }

    /**
     * A {@code Result<T, MathError>} value used as a T: its value, or its error passed on (propagate) or
     * reported as a run-time error at this location.
     */
    public static final class Unwrap extends OspreyNode {
        @Child private OspreyNode result;
        private final boolean propagate;

        public Unwrap(OspreyNode result, boolean propagate) {
            this.result = result;
            this.propagate = propagate;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            DataValue r = (DataValue) result.executeGeneric(frame);
            if (r.shape == SUCCESS) {
                return r.fields[0];
            }
            CompilerDirectives.transferToInterpreterAndInvalidate();
            if (propagate) {
                throw new MathException(r.fields[0], this);
            }
            throw new OspreyError(ArithmeticNode.describe(Display.show(r.fields[0]))
                            + ": an arithmetic Result that failed was used as a plain value (match it to handle the error)", this);
        }
    }

    /** A plain value where {@code Result<T, MathError>} is declared: Success(value). */
    public static final class Wrap extends OspreyNode {
        @Child private OspreyNode value;

        public Wrap(OspreyNode value) {
            this.value = value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return success(value.executeGeneric(frame));
        }
    }
}
