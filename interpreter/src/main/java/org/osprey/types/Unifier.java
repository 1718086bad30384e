package org.osprey.types;

import java.util.ArrayList;
import java.util.List;

/**
 * Robinson unification with an occurs check and level adjustment. Record types unify when they have the
 * same field names and their field types unify (spec 0004 "Record Type Unification").
 */
public final class Unifier {
    /** Unification failed; the checker turns it into a message with its own context. */
    public static final class Mismatch extends Exception {
        private static final long serialVersionUID = 1L;
        public final transient Type expected;
        public final transient Type found;
        public final String detail;

        Mismatch(Type expected, Type found, String detail) {
            super(null, null, false, false);
            this.expected = expected;
            this.found = found;
            this.detail = detail;
        }
    }

    private Unifier() {
    }

    /** Makes {@code found} and {@code expected} equal or throws; either order works, the names are for messages. */
    public static void unify(Type expected, Type found) throws Mismatch {
        Type a = expected.prune();
        Type b = found.prune();
        if (a == b) {
            return;
        }
        if (a instanceof Type.Var va && va.rigid == null) {
            bind(va, b, expected, found);
            return;
        }
        if (b instanceof Type.Var vb && vb.rigid == null) {
            bind(vb, a, expected, found);
            return;
        }
        if (a instanceof Type.Var va) {
            throw new Mismatch(expected, found, rigid(va));
        }
        if (b instanceof Type.Var vb) {
            throw new Mismatch(expected, found, rigid(vb));
        }
        switch (a) {
            case Type.Con ca when b instanceof Type.Con cb -> {
                if (ca.info == cb.info) {
                    unifyAll(ca.args, cb.args, expected, found);
                    if (ca.info == Prelude.MAP && !ca.args.isEmpty()) {
                        Type key = ca.args.get(0).prune();
                        if (key instanceof Type.Var k) {
                            k.mapKey = true;
                        } else if (!Types.isMapKey(key)) {
                            throw new Mismatch(expected, found, NOT_A_KEY);
                        }
                    }
                    return;
                }
                if (ca.info.isRecord() && cb.info.isRecord() && ca.info.fieldNames.equals(cb.info.fieldNames)) {
                    // A validated record is made only by its constructor, which runs the validator: another record
                    // with the same fields is no such value (it would carry unchecked fields past the 'where').
                    TypeInfo validated = ca.info.validator != null ? ca.info : cb.info.validator != null ? cb.info : null;
                    if (validated != null) {
                        throw new Mismatch(expected, found, "'" + validated.name + "' is validated by '" + validated.validator
                                        + "', so only its own constructor makes one, not a record of another type with the same fields");
                    }
                    for (int i = 0; i < ca.info.fieldNames.size(); i++) {
                        unify(Types.recordFieldType(ca, i), Types.recordFieldType(cb, i));
                    }
                    return;
                }
                throw new Mismatch(expected, found, null);
            }
            case Type.Fun fa when b instanceof Type.Fun fb -> {
                if (fa.params.size() != fb.params.size()) {
                    throw new Mismatch(expected, found, "a function of " + count(fa.params.size()) + " was expected, but this one takes "
                                    + fb.params.size() + tupleParameterHint(fa, fb));
                }
                unifyAll(fa.params, fb.params, expected, found);
                unify(fa.result, fb.result);
                return;
            }
            case Type.Tuple ta when b instanceof Type.Tuple tb -> {
                if (ta.elements.size() != tb.elements.size()) {
                    throw new Mismatch(expected, found, null);
                }
                unifyAll(ta.elements, tb.elements, expected, found);
                return;
            }
            default -> throw new Mismatch(expected, found, null);
        }
    }

    /**
     * What to write when a function takes a tuple's elements as parameters of their own where the tuple is one
     * parameter: a map's elements, like a list of pairs', are (key, value) tuples, so forEach(m, fn(k, v) => ...)
     * and fold(m, 0, fn(acc, k, v) => ...) have one parameter too many. Empty when that is not the mistake.
     */
    private static String tupleParameterHint(Type.Fun expected, Type.Fun found) {
        int spread = 0;
        Type.Tuple tuple = null;
        List<String> example = new ArrayList<>();
        for (Type p : expected.params) {
            if (p.prune() instanceof Type.Tuple t && tuple == null) {
                tuple = t;
                spread += t.elements.size();
                example.add("pair");
            } else {
                spread++;
                example.add(expected.params.size() == 2 ? "acc" : "x" + (example.size() + 1));
            }
        }
        if (tuple == null || spread != found.params.size()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < tuple.elements.size(); i++) {
            parts.add(tuple.elements.size() == 2 ? (i == 0 ? "k" : "v") : String.valueOf((char) ('a' + i)));
        }
        return "; a tuple is one parameter: take it whole and destructure it in the body, fn(" + String.join(", ", example)
                        + ") => match pair { (" + String.join(", ", parts) + ") => ... }";
    }

    private static String rigid(Type.Var v) {
        return "'" + v.rigid + "' is a type parameter: the function must work for whatever type its caller gives";
    }

    private static String count(int n) {
        return n == 1 ? "1 parameter" : n + " parameters";
    }

    private static void unifyAll(List<Type> as, List<Type> bs, Type expected, Type found) throws Mismatch {
        if (as.size() != bs.size()) {
            throw new Mismatch(expected, found, null);
        }
        for (int i = 0; i < as.size(); i++) {
            try {
                unify(as.get(i), bs.get(i));
            } catch (Mismatch m) {
                // Report the whole types, not just the inner part, unless the inner part explains more.
                throw new Mismatch(expected, found, m.detail);
            }
        }
    }

    private static final String NOT_A_KEY = "map keys are int, string or bool (spec 0004)";

    private static void bind(Type.Var v, Type t, Type expected, Type found) throws Mismatch {
        if (v.mapKey && !(t instanceof Type.Var) && !Types.isMapKey(t)) {
            throw new Mismatch(expected, found, "it is used as a map key, and " + NOT_A_KEY);
        }
        if (t instanceof Type.Var w) {
            if (w.rigid != null && w.level > v.level) {
                throw new Mismatch(expected, found, escapes(w));
            }
            w.mapKey |= v.mapKey;
            if (w.level > v.level && w.rigid == null) { // a type parameter stays its function's (generalised with it)
                w.level = v.level;
            }
            v.instance = w;
            return;
        }
        if (Types.occurs(v, t)) {
            throw new Mismatch(expected, found, "this would make an infinite type");
        }
        Type.Var escaping = adjustLevels(t, v.level);
        if (escaping != null) {
            throw new Mismatch(expected, found, escapes(escaping));
        }
        v.instance = t;
    }

    /**
     * A variable made outside a function (a mut of the block around it, a top-level value) bound to the
     * function's type parameter: each call chooses its own T, but the outer variable is one, so it would
     * hold values of every type the calls chose.
     */
    private static String escapes(Type.Var rigid) {
        return "'" + rigid.rigid + "' is a type parameter of this function, and this type belongs to a variable declared outside it,"
                        + " which would hold the values of every type the calls choose";
    }

    /**
     * Lowers the level of every variable in {@code t} deeper than {@code level} to it. Type parameters keep
     * theirs; one deeper than {@code level} is returned (it would escape its function), else null.
     */
    static Type.Var adjustLevels(Type t, int level) {
        t = t.prune();
        if (Types.knownGround(t)) {
            return null;
        }
        Type.Var escaping = null;
        switch (t) {
            case Type.Var w -> {
                if (w.level > level) {
                    if (w.rigid == null) {
                        w.level = level;
                    } else {
                        escaping = w;
                    }
                }
            }
            case Type.Con c -> {
                for (Type x : c.args) {
                    Type.Var e = adjustLevels(x, level);
                    escaping = escaping != null ? escaping : e;
                }
            }
            case Type.Fun f -> {
                for (Type x : f.params) {
                    Type.Var e = adjustLevels(x, level);
                    escaping = escaping != null ? escaping : e;
                }
                Type.Var e = adjustLevels(f.result, level);
                escaping = escaping != null ? escaping : e;
            }
            case Type.Tuple tu -> {
                for (Type x : tu.elements) {
                    Type.Var e = adjustLevels(x, level);
                    escaping = escaping != null ? escaping : e;
                }
            }
        }
        return escaping;
    }

    /** Unification as a test. On failure some variables may already be bound; use only where that is harmless. */
    public static boolean tryUnify(Type a, Type b) {
        try {
            unify(a, b);
            return true;
        } catch (Mismatch m) {
            return false;
        }
    }
}
