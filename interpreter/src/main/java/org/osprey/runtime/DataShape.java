package org.osprey.runtime;

import java.util.List;

import org.osprey.types.TypeInfo;
import org.osprey.types.VariantInfo;

/**
 * The runtime layout of a record type or a union variant: its name and field names. Every {@link DataValue}
 * points at its shape; comparing shapes by identity is how a match tests a variant.
 */
public final class DataShape {
    public final String name;
    /** Field names in layout order (sorted for records, declaration order for variants). */
    public final String[] fieldNames;
    /** For display: layout indices in declaration order. */
    public final int[] displayOrder;
    /** The union variant this shape represents, or null for a record. */
    public final VariantInfo variant;
    public final TypeInfo type;
    /** The class of this shape's values (by its number of fields). */
    public final Class<? extends DataValue> valueClass;
    /** The one value of a variant without fields. */
    public final DataValue singleton;

    private DataShape(String name, String[] fieldNames, int[] displayOrder, VariantInfo variant, TypeInfo type) {
        this.name = name;
        this.fieldNames = fieldNames;
        this.displayOrder = displayOrder;
        this.variant = variant;
        this.type = type;
        this.valueClass = DataValue.classFor(fieldNames.length);
        this.singleton = fieldNames.length == 0 ? DataValue.of(this, new Object[0]) : null;
    }

    public boolean isVariant() {
        return variant != null;
    }

    public boolean isResultSuccess() {
        return variant == org.osprey.types.Prelude.SUCCESS;
    }

    public boolean isResultError() {
        return variant == org.osprey.types.Prelude.ERROR;
    }

    /** The shape of a variant, made once and kept on the VariantInfo. */
    public static DataShape of(VariantInfo v) {
        Object s = v.runtimeShape;
        if (s == null) {
            synchronized (v) {
                s = v.runtimeShape;
                if (s == null) {
                    int n = v.fieldNames.size();
                    int[] order = new int[n];
                    for (int i = 0; i < n; i++) {
                        order[i] = i;
                    }
                    s = new DataShape(v.name, v.fieldNames.toArray(new String[0]), order, v, v.owner);
                    v.runtimeShape = s;
                }
            }
        }
        return (DataShape) s;
    }

    /** The shape of a record type. */
    public static DataShape of(TypeInfo record) {
        Object s = record.runtimeShape;
        if (s == null) {
            synchronized (record) {
                s = record.runtimeShape;
                if (s == null) {
                    List<String> names = record.fieldNames;
                    int[] order = new int[names.size()];
                    for (int i = 0; i < order.length; i++) {
                        order[i] = names.indexOf(record.declaredOrder.get(i));
                    }
                    s = new DataShape(record.name, names.toArray(new String[0]), order, null, record);
                    record.runtimeShape = s;
                }
            }
        }
        return (DataShape) s;
    }

    private volatile MetaType metaType;

    /** The meta object of values of this shape (made on first use). */
    public MetaType metaType() {
        MetaType m = metaType;
        if (m == null) {
            m = MetaType.of(this);
            metaType = m;
        }
        return m;
    }

    public int fieldIndex(String field) {
        for (int i = 0; i < fieldNames.length; i++) {
            if (fieldNames[i].equals(field)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return name;
    }
}
