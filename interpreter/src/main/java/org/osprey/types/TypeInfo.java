package org.osprey.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A type constructor: a primitive, a built-in generic (Result, List, Map, Iterator), or a user-declared record
 * or union. Field and variant types are written in terms of {@link #params}, and are substituted with a
 * {@link Type.Con}'s arguments when used.
 */
public final class TypeInfo {
    public enum Kind {
        PRIMITIVE, BUILTIN, RECORD, UNION
    }

    public final String name;
    public final Kind kind;
    public final List<Type.Var> params = new ArrayList<>();

    /** RECORD: field names in layout order (sorted, so records with the same fields share a layout). */
    public List<String> fieldNames;
    /** RECORD: field types, parallel to fieldNames. */
    public List<Type> fieldTypes;
    /** RECORD: field names in declaration order, for display. */
    public List<String> declaredOrder;
    /** RECORD: the validation function of a {@code where} clause, or null. */
    public String validator;
    /**
     * RECORD: the function {@link #validator} named when the type was declared, once checked, or null: a function
     * of that name declared later (a REPL entry) is another function, of another type maybe, and not the validator.
     */
    public org.osprey.ast.Binding validatorBinding;
    /** UNION: the variants in declaration order. */
    public final List<VariantInfo> variants = new ArrayList<>();
    /** Where it was declared (-1 for built-ins), for messages. */
    public int declOffset = -1;
    /** Runtime layout object, created by the node builder. */
    public Object runtimeShape;
    /** Built-in error types give their values a readable display; see runtime Display. */
    public boolean builtinError;

    public TypeInfo(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    public boolean isRecord() {
        return kind == Kind.RECORD;
    }

    public boolean isUnion() {
        return kind == Kind.UNION;
    }

    public int fieldIndex(String field) {
        return fieldNames == null ? -1 : fieldNames.indexOf(field);
    }

    public VariantInfo variant(String vname) {
        for (VariantInfo v : variants) {
            if (v.name.equals(vname)) {
                return v;
            }
        }
        return null;
    }

    /** The substitution from this declaration's parameters to the given arguments. */
    public Map<Type.Var, Type> substitution(List<Type> args) {
        Map<Type.Var, Type> m = new java.util.HashMap<>();
        for (int i = 0; i < params.size() && i < args.size(); i++) {
            m.put(params.get(i), args.get(i));
        }
        return m;
    }

    @Override
    public String toString() {
        return name;
    }
}
