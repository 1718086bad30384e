package org.osprey.types;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Operations on types: substitution, free variables, generalisation, instantiation. */
public final class Types {
    private Types() {
    }

    public static Type con(TypeInfo info, Type... args) {
        return new Type.Con(info, List.of(args));
    }

    public static Type subst(Type t, Map<Type.Var, Type> s) {
        if (s.isEmpty()) {
            return t;
        }
        t = t.prune();
        return switch (t) {
            case Type.Var v -> s.getOrDefault(v, v);
            case Type.Con c -> c.args.isEmpty() ? c : new Type.Con(c.info, substAll(c.args, s));
            case Type.Fun f -> new Type.Fun(substAll(f.params, s), subst(f.result, s));
            case Type.Tuple tu -> new Type.Tuple(substAll(tu.elements, s));
        };
    }

    public static List<Type> substAll(List<Type> ts, Map<Type.Var, Type> s) {
        List<Type> out = new ArrayList<>(ts.size());
        for (Type t : ts) {
            out.add(subst(t, s));
        }
        return out;
    }

    public static void freeVars(Type t, Set<Type.Var> out) {
        t = t.prune();
        switch (t) {
            case Type.Var v -> out.add(v);
            case Type.Con c -> c.args.forEach(a -> freeVars(a, out));
            case Type.Fun f -> {
                f.params.forEach(a -> freeVars(a, out));
                freeVars(f.result, out);
            }
            case Type.Tuple tu -> tu.elements.forEach(a -> freeVars(a, out));
        }
    }

    public static boolean occurs(Type.Var v, Type t) {
        return (scan(v, t) & OCCURS) != 0;
    }

    private static final int OCCURS = 1;
    private static final int HAS_VARIABLE = 2;

    /**
     * Whether {@code v} occurs in {@code t} and whether any variable does; a named type found to hold none is
     * marked {@link Type.Con#ground}, so that no later check walks it again (a list literal nested thousands
     * deep was checked in quadratic time: every level walked the whole type below it).
     */
    private static int scan(Type.Var v, Type t) {
        t = t.prune();
        int found = 0;
        switch (t) {
            case Type.Var w -> found = w == v ? OCCURS | HAS_VARIABLE : HAS_VARIABLE;
            case Type.Con c -> {
                if (c.ground) {
                    return 0;
                }
                for (Type a : c.args) {
                    found |= scan(v, a);
                }
                if (found == 0) {
                    c.ground = true;
                }
            }
            case Type.Fun f -> {
                for (Type a : f.params) {
                    found |= scan(v, a);
                }
                found |= scan(v, f.result);
            }
            case Type.Tuple tu -> {
                if (tu.ground) {
                    return 0;
                }
                for (Type a : tu.elements) {
                    found |= scan(v, a);
                }
                if (found == 0) {
                    tu.ground = true;
                }
            }
        }
        return found;
    }

    /** Whether {@code t} is a named type known to hold no type variable (see {@link #occurs}). */
    static boolean knownGround(Type t) {
        return t instanceof Type.Con c && c.ground || t instanceof Type.Tuple tu && tu.ground;
    }

    /** Quantifies the variables made deeper than {@code level} (Remy's level-based generalisation). */
    public static Scheme generalize(Type t, int level) {
        Set<Type.Var> fv = new LinkedHashSet<>();
        freeVars(t, fv);
        List<Type.Var> vars = new ArrayList<>();
        for (Type.Var v : fv) {
            if (v.level > level) {
                vars.add(v);
            }
        }
        return new Scheme(vars, t);
    }

    public static Type instantiate(Scheme s, int level) {
        return s.vars().isEmpty() ? s.type() : markMapKeys(subst(s.type(), freshVars(s, level)));
    }

    /** A fresh variable at {@code level} for each of the scheme's quantified variables. */
    public static Map<Type.Var, Type> freshVars(Scheme s, int level) {
        Map<Type.Var, Type> m = new HashMap<>();
        for (Type.Var v : s.vars()) {
            m.put(v, freshLike(v, level));
        }
        return m;
    }

    /** A fresh flexible variable at {@code level} that is a map key if {@code v} is. */
    public static Type.Var freshLike(Type.Var v, int level) {
        Type.Var w = new Type.Var(level);
        w.mapKey = v.mapKey;
        return w;
    }

    /** Marks the variables that stand for a map's key type in {@code t} (see {@link Type.Var#mapKey}); returns t. */
    public static Type markMapKeys(Type t) {
        Type p = t.prune();
        switch (p) {
            case Type.Var v -> {
            }
            case Type.Con c -> {
                if (c.ground) {
                    break;
                }
                if (c.info == Prelude.MAP && !c.args.isEmpty() && c.args.get(0).prune() instanceof Type.Var k) {
                    k.mapKey = true;
                }
                c.args.forEach(Types::markMapKeys);
            }
            case Type.Fun f -> {
                f.params.forEach(Types::markMapKeys);
                markMapKeys(f.result);
            }
            case Type.Tuple tu -> {
                if (!tu.ground) {
                    tu.elements.forEach(Types::markMapKeys);
                }
            }
        }
        return t;
    }

    /** Fresh copies of a declaration's parameters, e.g. Result<T1, E1> for a new use of Result. */
    public static List<Type> freshArgs(TypeInfo info, int level) {
        List<Type> args = new ArrayList<>();
        for (int i = 0; i < info.params.size(); i++) {
            args.add(new Type.Var(level));
        }
        return args;
    }

    public static boolean isCon(Type t, TypeInfo info) {
        return t.prune() instanceof Type.Con c && c.info == info;
    }

    /** The type of field {@code index} of a record type instance. */
    public static Type recordFieldType(Type.Con rec, int index) {
        return subst(rec.info.fieldTypes.get(index), rec.info.substitution(rec.args));
    }

    /** The field types of a variant of the given union instance. */
    public static List<Type> variantFieldTypes(VariantInfo v, List<Type> unionArgs) {
        return substAll(v.fieldTypes, v.owner.substitution(unionArgs));
    }

    /**
     * Whether a type may be a map's key: int, string or bool (spec 0004 TYPE-MAP), or a type not known yet (a
     * generic {@code Map<K, V>}).
     */
    public static boolean isMapKey(Type t) {
        Type k = t.prune();
        return k instanceof Type.Var || k instanceof Type.Con c && (c.info == Prelude.INT || c.info == Prelude.STRING || c.info == Prelude.BOOL);
    }

    /** Whether a type has no type variables in it. */
    public static boolean isGround(Type t) {
        Type p = t.prune();
        return switch (p) {
            case Type.Var v -> false;
            case Type.Con c -> c.args.stream().allMatch(Types::isGround);
            case Type.Fun f -> f.params.stream().allMatch(Types::isGround) && isGround(f.result);
            case Type.Tuple tu -> tu.elements.stream().allMatch(Types::isGround);
        };
    }
}
