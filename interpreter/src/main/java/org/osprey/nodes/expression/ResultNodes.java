package org.osprey.nodes.expression;

import static org.osprey.runtime.Results.error;
import static org.osprey.runtime.Results.success;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.profiles.BranchProfile;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.Display;
import org.osprey.runtime.MathException;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Results;
import org.osprey.runtime.Unit;

/**
 * The conversions of spec 0004 "Result Auto-Unwrapping" at run time. Arithmetic runs on plain values; a
 * Result object exists only where the program keeps one ({@link Materialize}), so the success path of
 * arithmetic allocates nothing.
 */
public final class ResultNodes {
    private ResultNodes() {
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
        @CompilationFinal private boolean failedBefore;

        public Unwrap(OspreyNode result, boolean propagate) {
            this.result = result;
            this.propagate = propagate;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            DataValue r = (DataValue) result.executeGeneric(frame);
            if (r.shape == Results.SUCCESS) {
                return r.only();
            }
            if (!propagate || !failedBefore) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                failedBefore = true;
            }
            throw failedUse(r.only(), propagate, this);
        }
    }

    /**
     * A failed arithmetic Result used as a plain value: its error passed on, or reported at {@code at}. A node
     * that passes errors on goes back to the interpreter at its first failure only (its {@code failedBefore}):
     * at every one, compiled code that expects some errors was thrown away and compiled again without end.
     */
    static RuntimeException failedUse(Object error, boolean propagate, Node at) {
        if (propagate) {
            return new MathException(error, at);
        }
        return new OspreyError(ArithmeticNode.describe(Display.show(error))
                        + ": an arithmetic Result that failed was used as a plain value (match it to handle the error)", at);
    }

    /**
     * {@code let x = a * b} in a function, where x is a {@code Result<int, MathError>} (or float): the slot
     * holds the plain value, or the Error when the arithmetic failed, so the success path allocates nothing,
     * in the interpreter too. {@link ReadPlain} reads x where it is used as a plain value, {@link ReadResult}
     * where the Result itself is needed (a match, a capture, a Result-typed argument or result).
     */
    public static final class LetPlain extends OspreyNode {
        private final int slot;
        private final Rep rep;
        @Child private OspreyNode raw;
        private final BranchProfile failed = BranchProfile.create();

        public LetPlain(int slot, Rep rep, OspreyNode raw) {
            assert rep == Rep.LONG || rep == Rep.DOUBLE;
            this.slot = slot;
            this.rep = rep;
            this.raw = raw;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            executeVoid(frame);
            return Unit.INSTANCE;
        }

        @Override
        public void executeVoid(VirtualFrame frame) {
            try {
                if (rep == Rep.LONG) {
                    frame.setLong(slot, raw.executeLong(frame));
                } else {
                    frame.setDouble(slot, raw.executeDouble(frame));
                }
            } catch (MathException e) {
                failed.enter();
                frame.setObject(slot, error(e.error));
            }
        }
    }

    /** A variable of {@link LetPlain} used as a plain value: the value, or its error passed on or reported here. */
    public static final class ReadPlain extends OspreyNode {
        private final int slot;
        private final Rep rep;
        private final boolean propagate;
        @CompilationFinal private boolean failedBefore;

        public ReadPlain(int slot, Rep rep, boolean propagate) {
            this.slot = slot;
            this.rep = rep;
            this.propagate = propagate;
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            if (frame.isLong(slot)) {
                return frame.getLong(slot);
            }
            throw failed(frame);
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            if (frame.isDouble(slot)) {
                return frame.getDouble(slot);
            }
            throw failed(frame);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return rep == Rep.LONG ? (Object) executeLong(frame) : (Object) executeDouble(frame);
        }

        private RuntimeException failed(VirtualFrame frame) {
            if (!propagate || !failedBefore) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                failedBefore = true;
            }
            return failedUse(((DataValue) frame.getObject(slot)).only(), propagate, this);
        }
    }

    /** A variable of {@link LetPlain} where the Result itself is needed: Success(value), or the Error kept. */
    public static final class ReadResult extends OspreyNode {
        private final int slot;
        private final Rep rep;

        public ReadResult(int slot, Rep rep) {
            this.slot = slot;
            this.rep = rep;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            if (rep == Rep.LONG ? frame.isLong(slot) : frame.isDouble(slot)) {
                return success(rep == Rep.LONG ? (Object) frame.getLong(slot) : (Object) frame.getDouble(slot));
            }
            return frame.getObject(slot);
        }
    }

    /**
     * An arithmetic Result stored where {@code any} is expected ({@code let v: any = a % b}): its value, as in
     * the other places that take the value, or where it failed the Error itself, which an {@code any} can hold
     * (spec 0013: a failed operation is a value, never a stopped program).
     */
    public static final class ValueOrError extends OspreyNode {
        @Child private OspreyNode raw;
        private final BranchProfile failed = BranchProfile.create();

        public ValueOrError(OspreyNode raw) {
            this.raw = raw;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            try {
                return raw.executeGeneric(frame);
            } catch (MathException e) {
                failed.enter();
                return error(e.error);
            }
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
