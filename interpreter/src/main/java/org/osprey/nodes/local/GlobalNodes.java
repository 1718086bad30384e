package org.osprey.nodes.local;

import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.GlobalCell;
import org.osprey.runtime.Unit;

/** Top-level lets and muts, reachable from every function. */
public final class GlobalNodes {
    private GlobalNodes() {
    }

    public static final class Read extends OspreyNode {
        private final GlobalCell cell;

        public Read(GlobalCell cell) {
            this.cell = cell;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return CellNodes.checked(cell.value, cell.name, this);
        }
    }

    public static final class Write extends OspreyNode {
        private final GlobalCell cell;
        @Child private OspreyNode value;

        public Write(GlobalCell cell, OspreyNode value) {
            this.cell = cell;
            this.value = value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            cell.value = value.executeGeneric(frame);
            return Unit.INSTANCE;
        }
    }
}
