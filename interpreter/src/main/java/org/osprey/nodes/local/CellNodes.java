package org.osprey.nodes.local;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.Cell;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Unit;

/**
 * Variables shared with closures through a {@link Cell}: in the declaring function the cell sits in a
 * frame slot; in a closure it is one of the captures.
 */
public final class CellNodes {
    private CellNodes() {
    }

    static Object checked(Object v, String name, OspreyNode at) {
        if (v == null) {
            CompilerDirectives.transferToInterpreter();
            throw new OspreyError("'" + name + "' is used before its declaration has run", at);
        }
        return v;
    }

    /** Puts a fresh cell in the slot, at the start of the variable's scope. */
    public static final class Init extends OspreyNode {
        private final int slot;

        public Init(int slot) {
            this.slot = slot;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            frame.setObject(slot, new Cell());
            return Unit.INSTANCE;
        }
    }

    public static final class ReadLocal extends OspreyNode {
        private final int slot;
        private final String name;

        public ReadLocal(int slot, String name) {
            this.slot = slot;
            this.name = name;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return checked(((Cell) frame.getObject(slot)).value, name, this);
        }
    }

    public static final class WriteLocal extends OspreyNode {
        private final int slot;
        @Child private OspreyNode value;

        public WriteLocal(int slot, OspreyNode value) {
            this.slot = slot;
            this.value = value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            ((Cell) frame.getObject(slot)).value = value.executeGeneric(frame);
            return Unit.INSTANCE;
        }
    }

    /** The cell object itself, for passing it on into a closure's captures. */
    public static final class LocalCellObject extends OspreyNode {
        private final int slot;

        public LocalCellObject(int slot) {
            this.slot = slot;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return frame.getObject(slot);
        }
    }

    /** A captured value (or cell) of the running closure. */
    public static final class ReadCapture extends OspreyNode {
        private final int index;

        public ReadCapture(int index) {
            this.index = index;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return ((FunctionValue) frame.getArguments()[0]).captures[index];
        }
    }

    public static final class ReadCapturedCell extends OspreyNode {
        private final int index;
        private final String name;

        public ReadCapturedCell(int index, String name) {
            this.index = index;
            this.name = name;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Cell c = (Cell) ((FunctionValue) frame.getArguments()[0]).captures[index];
            return checked(c.value, name, this);
        }
    }

    public static final class WriteCapturedCell extends OspreyNode {
        private final int index;
        @Child private OspreyNode value;

        public WriteCapturedCell(int index, OspreyNode value) {
            this.index = index;
            this.value = value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Cell c = (Cell) ((FunctionValue) frame.getArguments()[0]).captures[index];
            c.value = value.executeGeneric(frame);
            return Unit.INSTANCE;
        }
    }
}
