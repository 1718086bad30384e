package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.types.Prelude;
import org.osprey.types.Type;
import org.osprey.types.TypeInfo;
import org.osprey.types.Types;

/**
 * Does a value have a type? Used by type patterns on {@code any} (spec 0007 "Type Annotation Patterns").
 * The test is deep: a list matches {@code List<int>} only if every element is an int, so a value narrowed
 * by a pattern can be trusted everywhere after.
 */
public final class RuntimeTypes {
    private RuntimeTypes() {
    }

    @TruffleBoundary
    public static boolean matches(Object v, Type t) {
        Type p = t.prune();
        if (p instanceof Type.Var) {
            return true;
        }
        if (p instanceof Type.Tuple tt) {
            if (!(v instanceof TupleValue tv) || tv.elements.length != tt.elements.size()) {
                return false;
            }
            for (int i = 0; i < tv.elements.length; i++) {
                if (!matches(tv.elements[i], tt.elements.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (!(p instanceof Type.Con c)) {
            return v instanceof FunctionValue; // function types are refused by the checker
        }
        TypeInfo info = c.info;
        if (info == Prelude.ANY) {
            return true;
        }
        if (info == Prelude.INT) {
            return v instanceof Long;
        }
        if (info == Prelude.FLOAT) {
            return v instanceof Double;
        }
        if (info == Prelude.BOOL) {
            return v instanceof Boolean;
        }
        if (info == Prelude.STRING) {
            return v instanceof TruffleString;
        }
        if (info == Prelude.UNIT) {
            return v instanceof Unit;
        }
        if (info == Prelude.LIST) {
            if (!(v instanceof ListValue l)) {
                return false;
            }
            for (ListValue.Cursor lc = l.cursor(); lc.hasNext();) {
                if (!matches(lc.next(), c.args.get(0))) {
                    return false;
                }
            }
            return true;
        }
        if (info == Prelude.MAP) {
            if (!(v instanceof MapValue m)) {
                return false;
            }
            for (Object[] e : m.entries()) {
                if (!matches(e[0], c.args.get(0)) || !matches(e[1], c.args.get(1))) {
                    return false;
                }
            }
            return true;
        }
        if (!(v instanceof DataValue d)) {
            return false;
        }
        if (info.isRecord()) {
            if (d.shape.isVariant() || !java.util.Arrays.asList(d.shape.fieldNames).equals(info.fieldNames)) {
                return false;
            }
            for (int i = 0; i < info.fieldNames.size(); i++) {
                if (!matches(d.fields[i], Types.recordFieldType(c, i))) {
                    return false;
                }
            }
            return true;
        }
        if (info.isUnion()) {
            if (!d.shape.isVariant() || d.shape.variant.owner != info) {
                return false;
            }
            var fieldTypes = Types.variantFieldTypes(d.shape.variant, c.args);
            for (int i = 0; i < fieldTypes.size(); i++) {
                if (!matches(d.fields[i], fieldTypes.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
