package org.osprey.types;

import java.util.List;

/** One variant of a union: its name, tag and payload fields (declaration order is the layout). */
public final class VariantInfo {
    public final TypeInfo owner;
    public final String name;
    public final int tag;
    public final List<String> fieldNames;
    public final List<Type> fieldTypes;
    /** Runtime layout object (and the singleton for a variant without fields), created lazily by the runtime. */
    public Object runtimeShape;

    public VariantInfo(TypeInfo owner, String name, int tag, List<String> fieldNames, List<Type> fieldTypes) {
        this.owner = owner;
        this.name = name;
        this.tag = tag;
        this.fieldNames = fieldNames;
        this.fieldTypes = fieldTypes;
    }

    public boolean hasFields() {
        return !fieldNames.isEmpty();
    }

    public int fieldIndex(String field) {
        return fieldNames.indexOf(field);
    }

    @Override
    public String toString() {
        return name;
    }
}
