package org.osprey.types;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints types the way the spec writes them: {@code int}, {@code Result<int, MathError>},
 * {@code (int) -> string}. Type variables get the names T, U, V, W, T1, ... consistently within one printer,
 * so one message naming several types shows them related.
 */
public final class TypePrinter {
    private static final String[] NAMES = {"T", "U", "V", "W", "X", "Y", "Z"};
    private final Map<Type.Var, String> names = new HashMap<>();
    /**
     * The variables that are generic (a scheme's), or null when all are: the others are types not known yet,
     * which the first use will decide, shown as {@code ?} ({@code mut cell = []} is a {@code List<?>}).
     */
    private java.util.Set<Type.Var> generic;

    public static String print(Type t) {
        return new TypePrinter().show(t);
    }

    /** The type of a value declared without a scheme (a mut, a let of a value): its variables are not generic. */
    public static String printDeclared(Type t) {
        TypePrinter p = new TypePrinter();
        p.generic = java.util.Set.of();
        return p.show(t);
    }

    /**
     * The type of an expression evaluated in a session: its variables are generic ({@code []} is a
     * {@code List<T>}, as is a use of a generic function), except those that the session's values hold not
     * known yet ({@code cell} of {@code mut cell = []} is a {@code List<?>}, as its declaration showed).
     */
    public static String printIn(Type t, Iterable<org.osprey.ast.Binding> session) {
        java.util.Set<Type.Var> unknown = new java.util.HashSet<>();
        for (org.osprey.ast.Binding b : session) {
            if (b.scheme != null) {
                java.util.Set<Type.Var> free = new java.util.HashSet<>();
                Types.freeVars(b.scheme.type(), free);
                b.scheme.vars().forEach(free::remove);
                unknown.addAll(free);
            } else if (b.type != null) {
                Types.freeVars(b.type, unknown);
            }
        }
        TypePrinter p = new TypePrinter();
        p.generic = new java.util.HashSet<>();
        Types.freeVars(t, p.generic);
        p.generic.removeAll(unknown);
        return p.show(t);
    }

    /**
     * A function's scheme: its type, and the overloaded builtins it calls on a value of a type variable
     * ({@code (T) -> int where length(T)}).
     */
    public static String print(Scheme s) {
        TypePrinter p = new TypePrinter();
        p.generic = new java.util.HashSet<>(s.vars());
        String type = p.show(s.type());
        java.util.Set<String> where = new java.util.LinkedHashSet<>();
        for (Overload o : s.overloads()) {
            where.add(o.name + "(" + p.show(o.subject()) + ")");
        }
        return where.isEmpty() ? type : type + " where " + String.join(", ", where);
    }

    public String show(Type t) {
        StringBuilder sb = new StringBuilder();
        append(sb, t.prune(), false);
        return sb.toString();
    }

    /**
     * Gives the type parameters in {@code types} their declared names before anything is shown, so that a
     * variable shown first does not take the name of a type parameter shown after it ("expected T, found U"
     * for an outer variable and the parameter T).
     */
    public TypePrinter reserveTypeParameters(Type... types) {
        java.util.Set<Type.Var> vars = new java.util.LinkedHashSet<>();
        for (Type t : types) {
            Types.freeVars(t, vars);
        }
        for (Type.Var v : vars) {
            if (v.rigid != null) {
                nameOf(v);
            }
        }
        return this;
    }

    /** {@code <T, U>} for the variables shown so far, or "" if none. */
    public String quantifiers() {
        if (names.isEmpty()) {
            return "";
        }
        return "<" + String.join(", ", names.values().stream().sorted().toList()) + ">";
    }

    /** A function's type parameter by the name it was declared with, where no other variable shown has it. */
    private String nameOf(Type.Var v) {
        String name = names.get(v);
        if (name == null) {
            name = v.rigid != null && !names.containsValue(v.rigid) ? v.rigid : unused();
            names.put(v, name);
        }
        return name;
    }

    private String unused() {
        for (int i = 0;; i++) {
            String n = i < NAMES.length ? NAMES[i] : "T" + (i - NAMES.length + 1);
            if (!names.containsValue(n)) {
                return n;
            }
        }
    }

    private void append(StringBuilder sb, Type t, boolean inFunctionParam) {
        t = t.prune();
        switch (t) {
            case Type.Var v -> sb.append(generic == null || generic.contains(v) ? nameOf(v) : "?");
            case Type.Con c -> {
                sb.append(c.info.name);
                if (c.info == Prelude.RESULT && c.args.size() == 2 && c.args.get(0).prune() instanceof Type.Con u && u.info == Prelude.UNIT) {
                    // The seeds' and the spec's spelling of a Result that carries nothing: Result<Success, string>.
                    sb.append("<Success, ");
                    append(sb, c.args.get(1), false);
                    sb.append('>');
                } else if (!c.args.isEmpty()) {
                    sb.append('<');
                    list(sb, c.args);
                    sb.append('>');
                }
            }
            case Type.Fun f -> {
                if (inFunctionParam) {
                    sb.append('(');
                }
                sb.append('(');
                for (int i = 0; i < f.params.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    append(sb, f.params.get(i), f.params.size() == 1 && false);
                }
                sb.append(") -> ");
                append(sb, f.result, false);
                if (inFunctionParam) {
                    sb.append(')');
                }
            }
            case Type.Tuple tu -> {
                sb.append('(');
                list(sb, tu.elements);
                sb.append(')');
            }
        }
    }

    private void list(StringBuilder sb, List<Type> ts) {
        for (int i = 0; i < ts.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            append(sb, ts.get(i), false);
        }
    }
}
