package org.osprey.nodes.data;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.profiles.ValueProfile;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.DataShape;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.TupleValue;

/** Records, variants and tuples: construction, field access, non-destructive update (spec 0004). */
public final class DataNodes {
    private DataNodes() {
    }

    /** {@code Point { x: 1, y: 2 }}, {@code Circle { radius: r }}, {@code Some(v)}: field values in layout order. */
    public static final class New extends OspreyNode {
        private final DataShape shape;
        @Children private final OspreyNode[] fields;

        public New(DataShape shape, OspreyNode[] fields) {
            this.shape = shape;
            this.fields = fields;
        }

        @Override
        @ExplodeLoop
        public Object executeGeneric(VirtualFrame frame) {
            Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                values[i] = fields[i].executeGeneric(frame);
            }
            return DataValue.of(shape, values);
        }
    }

    /** {@code record.field}: the checker resolved the name to a layout index. */
    public static final class ReadField extends OspreyNode {
        @Child private OspreyNode record;
        private final int index;
        /** A record type's values are all of one class (by its number of fields): compiled code reads the field directly. */
        private final ValueProfile recordClass = ValueProfile.createClassProfile();

        public ReadField(OspreyNode record, int index) {
            this.record = record;
            this.index = index;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return ((DataValue) recordClass.profile(record.executeGeneric(frame))).field(index);
        }
    }

    /**
     * {@code p.name} where {@code p} is an {@code any} a structural pattern proved to have the field: the
     * field's position depends on the record's shape, so it is looked up by name, cached for the last shape.
     */
    public static final class ReadFieldNamed extends OspreyNode {
        @Child private OspreyNode record;
        private final String name;
        @CompilationFinal private DataShape cachedShape;
        @CompilationFinal private int cachedIndex;

        public ReadFieldNamed(OspreyNode record, String name) {
            this.record = record;
            this.name = name;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            DataValue d = (DataValue) record.executeGeneric(frame);
            if (d.shape == cachedShape) {
                return d.exact(cachedShape).field(cachedIndex);
            }
            int idx = d.shape.fieldIndex(name);
            if (cachedShape == null) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                cachedShape = d.shape;
                cachedIndex = idx;
            }
            return d.field(idx); // another shape: looked up each time
        }
    }

    /** {@code record { field: value }}: a copy with some fields replaced. */
    public static final class Update extends OspreyNode {
        @Child private OspreyNode record;
        @Children private final OspreyNode[] values;
        @CompilationFinal(dimensions = 1) private final int[] indices;
        private final ValueProfile recordClass = ValueProfile.createClassProfile();

        public Update(OspreyNode record, int[] indices, OspreyNode[] values) {
            this.record = record;
            this.indices = indices;
            this.values = values;
        }

        @Override
        @ExplodeLoop
        public Object executeGeneric(VirtualFrame frame) {
            DataValue old = (DataValue) recordClass.profile(record.executeGeneric(frame));
            Object[] fields = old.fields();
            for (int i = 0; i < values.length; i++) {
                fields[indices[i]] = values[i].executeGeneric(frame);
            }
            return DataValue.of(old.shape, fields);
        }
    }

    public static final class NewTuple extends OspreyNode {
        @Children private final OspreyNode[] elements;

        public NewTuple(OspreyNode[] elements) {
            this.elements = elements;
        }

        @Override
        @ExplodeLoop
        public Object executeGeneric(VirtualFrame frame) {
            Object[] values = new Object[elements.length];
            for (int i = 0; i < elements.length; i++) {
                values[i] = elements[i].executeGeneric(frame);
            }
            return new TupleValue(values);
        }
    }
}
