package org.osprey.types;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.osprey.ast.Expr;
import org.osprey.ast.Pattern;
import org.osprey.parser.Diagnostic;

/**
 * Exhaustiveness and redundancy of match arms (spec 0007), by the usefulness algorithm of Maranget,
 * "Warnings for pattern matching" (2007). Patterns are first simplified to constructors, literals and
 * wildcards; a list is nil or cons, so {@code [h, ...t]} needs no special case.
 */
final class Exhaustiveness {
    private final List<Diagnostic> diagnostics;
    private final String source;

    Exhaustiveness(List<Diagnostic> diagnostics, String source) {
        this.diagnostics = diagnostics;
        this.source = source;
    }

    // ---------------------------------------------------------------- simplified patterns

    private sealed interface P permits Wild, Ctor, Lit, Or {
    }

    /** Any of the alternatives: a structural pattern that matches several variants of a union. */
    private record Or(List<P> alternatives) implements P {
    }

    private record Wild() implements P {
    }

    /** A constructor application; {@code key} is a VariantInfo, Boolean, Kind, or a record TypeInfo. */
    private record Ctor(Object key, List<P> args) implements P {
    }

    /** A value from an infinite domain (numbers, strings, type tests on any, map patterns). */
    private record Lit(Object value) implements P {
    }

    private enum Kind {
        UNIT, TUPLE, NIL, CONS
    }

    /**
     * A pattern on an {@code any}: first the run-time type it tests ({@code family}), then the pattern itself.
     * The types an {@code any} may hold are open, so covering every variant of one union covers only that union.
     */
    private record AnyKey(Object family) {
    }

    private static P openAny(P p) {
        if (p instanceof Ctor c) {
            Object family = switch (c.key) {
                case VariantInfo v -> v.owner;
                case Boolean b -> Boolean.class;
                case Kind k when k == Kind.NIL || k == Kind.CONS -> Kind.CONS;
                default -> c.key;
            };
            return new Ctor(new AnyKey(family), List.of(p));
        }
        return p;
    }

    private static final P WILD = new Wild();

    private P simplify(Pattern p) {
        return switch (p) {
            case Pattern.Wildcard w -> WILD;
            case Pattern.Binder b -> b.constructor && b.variant instanceof VariantInfo v ? new Ctor(v, wilds(v.fieldNames.size()))
                            : b.typeTest != null ? recordTest(b.typeTest, null) : WILD;
            case Pattern.Literal l -> {
                if (l.value instanceof Boolean bv) {
                    yield new Ctor(bv, List.of());
                }
                if (l.value == Pattern.Literal.UNIT) {
                    yield new Ctor(Kind.UNIT, List.of());
                }
                if (l.value instanceof Double d && d == 0.0) {
                    // A float pattern matches by ==, for which -0.0 is 0.0: the two are one value, which Double.equals
                    // tells apart. (There is no NaN literal, the one other value == and equals disagree on.)
                    yield new Lit(0.0);
                }
                yield new Lit(l.value);
            }
            case Pattern.Constructor c -> constructor(c);
            case Pattern.Typed t -> typed(t);
            case Pattern.TuplePat t -> new Ctor(Kind.TUPLE, t.elements.stream().map(this::simplify).toList());
            case Pattern.ListPat l -> {
                P tail = l.rest != null ? WILD : new Ctor(Kind.NIL, List.of());
                for (int i = l.elements.size() - 1; i >= 0; i--) {
                    tail = new Ctor(Kind.CONS, List.of(simplify(l.elements.get(i)), tail));
                }
                yield tail;
            }
            case Pattern.MapPat m -> new Lit(new Object());
        };
    }

    private P constructor(Pattern.Constructor c) {
        if (c.typeTest != null) {
            return recordTest(c.typeTest, c.fields);
        }
        if (c.variant instanceof TypeInfo record) {
            return new Ctor(record, fields(c.fields, record.fieldNames.size(), -1));
        }
        if (!(c.variant instanceof VariantInfo v)) {
            return WILD; // unresolved: already reported
        }
        int arity = v.fieldNames.size();
        if (c.fields != null) {
            return new Ctor(v, fields(c.fields, arity, arity == 1 ? 0 : -1));
        }
        if (c.positional != null && c.positional.size() == arity) {
            return new Ctor(v, c.positional.stream().map(this::simplify).toList());
        }
        return new Ctor(v, wilds(arity));
    }

    /**
     * {@code Point { x }} or {@code Point} on an any: the record's constructor, as {@code Circle { r }} is a variant's (a
     * match on an any still needs its '_'; a let of it stops the program where the value is not a Point, as a let of a
     * tuple does).
     */
    private P recordTest(Pattern.Typed t, List<Pattern.FieldPat> fields) {
        if (t.tested != null && t.tested.prune() instanceof Type.Con rc && rc.info.isRecord()) {
            return new Ctor(rc.info, fields(fields, rc.info.fieldNames.size(), -1));
        }
        return WILD; // unresolved: already reported
    }

    private P typed(Pattern.Typed t) {
        if (t.variant instanceof VariantInfo v) {
            return new Ctor(v, fields(t.fields, v.fieldNames.size(), -1));
        }
        if (t.variants != null) {
            List<P> alternatives = new ArrayList<>();
            for (Object o : t.variants) {
                VariantInfo v = (VariantInfo) o;
                List<P> args = new ArrayList<>(wilds(v.fieldNames.size()));
                for (Pattern.FieldPat fp : t.fields) {
                    if (fp.pattern != null) {
                        args.set(v.fieldNames.indexOf(fp.field), simplify(fp.pattern));
                    }
                }
                alternatives.add(new Ctor(v, args));
            }
            return new Or(alternatives);
        }
        Type scrutinee = t.type == null ? null : t.type.prune();
        if (scrutinee != null && Types.isCon(scrutinee, Prelude.ANY)) {
            return new Lit(new Object()); // a run-time type test: never exhaustive by itself
        }
        Type tested = t.tested == null ? null : t.tested.prune();
        if (tested instanceof Type.Con c && c.info.isRecord() && t.fields != null) {
            return new Ctor(c.info, fields(t.fields, c.info.fieldNames.size(), -1));
        }
        return WILD; // `n: int` on an int: a binder with an annotation
    }

    private List<P> fields(List<Pattern.FieldPat> fps, int arity, int shorthandIndex) {
        List<P> args = new ArrayList<>(wilds(arity));
        if (fps == null) {
            return args;
        }
        for (Pattern.FieldPat fp : fps) {
            if (fp.index >= 0 && fp.index < arity && fp.pattern != null) {
                args.set(fp.index, simplify(fp.pattern));
            }
        }
        return args;
    }

    private static List<P> wilds(int n) {
        List<P> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(WILD);
        }
        return out;
    }

    // ---------------------------------------------------------------- signatures

    /** All constructors of the type a constructor belongs to, or null for an infinite domain. */
    private static List<Object> signature(Object key) {
        return switch (key) {
            case VariantInfo v -> new ArrayList<>(v.owner.variants);
            case Boolean b -> List.of(Boolean.TRUE, Boolean.FALSE);
            case Kind k when k == Kind.NIL || k == Kind.CONS -> List.of(Kind.NIL, Kind.CONS);
            case Kind k -> List.of(k);
            case TypeInfo t -> List.of(t);
            default -> null;
        };
    }

    private static int arity(Object key, List<List<P>> rows) {
        return switch (key) {
            case VariantInfo v -> v.fieldNames.size();
            case Kind k when k == Kind.CONS -> 2;
            case Kind k when k == Kind.TUPLE -> {
                for (List<P> r : rows) {
                    if (r.get(0) instanceof Ctor c && c.key == Kind.TUPLE) {
                        yield c.args.size();
                    }
                }
                yield 0;
            }
            case TypeInfo t -> t.fieldNames.size();
            default -> 0;
        };
    }

    // ---------------------------------------------------------------- usefulness

    /** A witness row of values the rows do not cover but {@code q} does, or null if q is useless. */
    private List<P> useful(List<List<P>> rows, List<P> q) {
        if (q.isEmpty()) {
            return rows.isEmpty() ? new ArrayList<>() : null;
        }
        rows = withoutOr(rows);
        P head = q.get(0);
        List<P> rest = q.subList(1, q.size());
        if (head instanceof Or or) {
            for (P alternative : or.alternatives()) {
                List<P> w = useful(rows, concat(List.of(alternative), rest));
                if (w != null) {
                    return w;
                }
            }
            return null;
        }
        if (head instanceof Ctor c) {
            List<P> w = useful(specialize(rows, c.key, c.args.size()), concat(c.args, rest));
            return w == null ? null : rebuild(c.key, c.args.size(), w);
        }
        if (head instanceof Lit l) {
            List<List<P>> spec = new ArrayList<>();
            for (List<P> r : rows) {
                P h = r.get(0);
                if (h instanceof Wild || (h instanceof Lit rl && Objects.equals(rl.value, l.value))) {
                    spec.add(r.subList(1, r.size()));
                }
            }
            List<P> w = useful(spec, rest);
            if (w == null) {
                return null;
            }
            w.add(0, l);
            return w;
        }
        // Wildcard: is the set of constructors in the first column complete?
        Set<Object> present = new LinkedHashSet<>();
        Object family = null;
        for (List<P> r : rows) {
            if (r.get(0) instanceof Ctor c) {
                present.add(c.key);
                family = c.key;
            }
        }
        List<Object> sig = family == null ? null : signature(family);
        if (sig != null && present.containsAll(sig)) {
            for (Object k : sig) {
                int n = arity(k, rows);
                List<P> w = useful(specialize(rows, k, n), concat(wilds(n), rest));
                if (w != null) {
                    return rebuild(k, n, w);
                }
            }
            return null;
        }
        List<List<P>> dflt = new ArrayList<>();
        for (List<P> r : rows) {
            if (r.get(0) instanceof Wild) {
                dflt.add(r.subList(1, r.size()));
            }
        }
        List<P> w = useful(dflt, rest);
        if (w == null) {
            return null;
        }
        P missing = WILD;
        if (sig != null) {
            for (Object k : sig) {
                if (!present.contains(k)) {
                    missing = new Ctor(k, wilds(arity(k, rows)));
                    break;
                }
            }
        }
        w.add(0, missing);
        return w;
    }

    /** The rows with each row that starts with an or-pattern replaced by one row per alternative. */
    private static List<List<P>> withoutOr(List<List<P>> rows) {
        if (rows.stream().noneMatch(r -> r.get(0) instanceof Or)) {
            return rows;
        }
        List<List<P>> out = new ArrayList<>();
        for (List<P> r : rows) {
            if (r.get(0) instanceof Or or) {
                for (P alternative : or.alternatives()) {
                    out.add(concat(List.of(alternative), r.subList(1, r.size())));
                }
            } else {
                out.add(r);
            }
        }
        return out;
    }

    private static List<List<P>> specialize(List<List<P>> rows, Object key, int arity) {
        List<List<P>> out = new ArrayList<>();
        for (List<P> r : rows) {
            P h = r.get(0);
            List<P> rest = r.subList(1, r.size());
            if (h instanceof Wild) {
                out.add(concat(wilds(arity), rest));
            } else if (h instanceof Ctor c && c.key.equals(key)) {
                out.add(concat(c.args, rest));
            }
        }
        return out;
    }

    private static List<P> rebuild(Object key, int arity, List<P> w) {
        List<P> args = new ArrayList<>(w.subList(0, arity));
        List<P> out = new ArrayList<>(w.subList(arity, w.size()));
        out.add(0, new Ctor(key, args));
        return out;
    }

    private static List<P> concat(List<P> a, List<P> b) {
        List<P> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    // ---------------------------------------------------------------- reporting

    void check(Expr.Match m) {
        List<List<P>> rows = new ArrayList<>();
        List<Expr.Arm> rowArms = new ArrayList<>();
        Type scrutinee = m.scrutinee.type == null ? null : m.scrutinee.type.prune();
        if (m.scrutinee.coercion instanceof Coercion.Unwrap && scrutinee instanceof Type.Con c && !c.args.isEmpty()) {
            scrutinee = c.args.get(0).prune();
        }
        boolean onAny = scrutinee != null && Types.isCon(scrutinee, Prelude.ANY);
        // While every row is a literal or a wildcard (a table of numbers or strings), an arm is useless exactly
        // when a wildcard or its own literal came before: a set answers that, where asking useful() each time
        // walked all the rows above (a match of 20,000 numbers took 16 s to check).
        Set<Object> literals = new HashSet<>();
        boolean onlyLiterals = true;
        boolean wildcard = false;
        List<List<P>> guarded = new ArrayList<>();
        for (Expr.Arm arm : m.arms) {
            P p = simplify(arm.pattern);
            if (onAny) {
                p = openAny(p);
            }
            List<P> row = List.of(p);
            boolean useless = onlyLiterals && (p instanceof Lit || p instanceof Wild)
                            ? wildcard || p instanceof Lit l && literals.contains(l.value)
                            : useful(rows, row) == null;
            if (useless) {
                redundant(m, arm, p, rows, rowArms);
            }
            if (arm.guard == null) {
                rows.add(row);
                rowArms.add(arm);
                if (p instanceof Lit l) {
                    literals.add(l.value);
                } else if (p instanceof Wild) {
                    wildcard = true;
                } else {
                    onlyLiterals = false;
                }
            } else {
                guarded.add(row);
            }
        }
        List<P> witness = useful(rows, List.of(WILD));
        if (witness != null) {
            Type t = m.scrutinee.type == null ? null : m.scrutinee.type.prune();
            if (m.scrutinee.coercion instanceof Coercion.Unwrap && t instanceof Type.Con c && !c.args.isEmpty()) {
                t = c.args.get(0).prune();
            }
            int end = Math.min(m.end, m.scrutinee.end);
            String message = nonExhaustive(t, witness.get(0));
            if (!guarded.isEmpty() && useful(guarded, witness) == null) {
                // The arms look complete to whoever wrote them (`Open { total } when total > 100` and `Closed`,
                // or `n when n > 0` and `n when n <= 0`): say why they are not.
                message += " (an arm with a 'when' guard does not count here, as its guard may be false: end with an arm"
                                + " without one)";
            }
            diagnostics.add(new Diagnostic(m.start, Math.max(end, m.start + 1), message));
        }
    }

    void checkIrrefutable(Expr.Match m) {
        List<List<P>> rows = List.of(List.of(simplify(m.arms.get(0).pattern)));
        List<P> witness = useful(rows, List.of(WILD));
        if (witness != null) {
            Pattern p = m.arms.get(0).pattern;
            diagnostics.add(new Diagnostic(p.start, Math.max(p.end, p.start + 1), "this pattern does not match every value (for example "
                            + show(witness.get(0)) + "); use a match with an arm for the other cases"));
        }
    }

    private String nonExhaustive(Type t, P witness) {
        if (t != null && Types.isCon(t, Prelude.ANY)) {
            return "pattern matching on 'any' type must handle all possible types or include wildcard";
        }
        if (witness instanceof Wild) {
            String what = t == null || t instanceof Type.Var ? "value" : TypePrinter.print(t);
            return "match is not exhaustive: it does not cover every " + what + "; add a wildcard arm '_ => ...' or a variable arm";
        }
        return "match is not exhaustive: missing " + show(witness);
    }

    private void redundant(Expr.Match m, Expr.Arm arm, P p, List<List<P>> rows, List<Expr.Arm> rowArms) {
        String message;
        if (m.form != Expr.MatchForm.MATCH) {
            return; // desugared forms cannot have unreachable arms the user wrote
        }
        int catchAll = -1;
        int same = -1;
        for (int i = 0; i < rows.size(); i++) {
            P q = rows.get(i).get(0);
            if (q instanceof Wild && catchAll < 0) {
                catchAll = i;
            }
            if (q.equals(p) && same < 0) {
                same = i;
            }
        }
        if (catchAll >= 0) {
            message = "unreachable match arm: the arm at line " + line(rowArms.get(catchAll).start)
                            + " already matches every value; a wildcard or variable arm must be the last arm";
        } else if (same >= 0 && !(p instanceof Lit l && l.value instanceof Object o && o.getClass() == Object.class)) {
            message = "duplicate match arm: this pattern is already matched at line " + line(rowArms.get(same).start);
        } else {
            message = "unreachable match arm: the arms above already cover every value it could match";
        }
        diagnostics.add(new Diagnostic(arm.pattern.start, Math.max(arm.pattern.end, arm.pattern.start + 1), message));
    }

    private int line(int offset) {
        return org.osprey.parser.Parser.lineOf(source, offset);
    }

    private static String show(P p) {
        return switch (p) {
            case Wild w -> "_";
            case Lit l -> l.value instanceof String s ? "\"" + s + "\"" : String.valueOf(l.value);
            case Ctor c -> showCtor(c);
            case Or o -> String.join(" | ", o.alternatives().stream().map(Exhaustiveness::show).toList());
        };
    }

    /** {@code [_]} for one element and nothing more, {@code [_, _, ...]} for two or more. */
    private static String showList(Ctor cons) {
        StringBuilder sb = new StringBuilder("[");
        P at = cons;
        String sep = "";
        while (at instanceof Ctor c && c.key == Kind.CONS) {
            sb.append(sep).append(show(c.args.get(0)));
            sep = ", ";
            at = c.args.get(1);
        }
        if (!(at instanceof Ctor c && c.key == Kind.NIL)) {
            sb.append(", ...");
        }
        return sb.append("]").toString();
    }

    /** {@code Name { field: what is missing there, ... }}, the fields in the order given, each at {@code index} in c's args. */
    private static String showFields(String name, List<String> fields, java.util.function.ToIntFunction<String> index, Ctor c) {
        return name + " { " + String.join(", ", fields.stream().map(f -> f + ": " + show(c.args.get(index.applyAsInt(f)))).toList()) + " }";
    }

        private static String showCtor(Ctor c) {
        return switch (c.key) {
            case VariantInfo v -> {
                if (v.fieldNames.isEmpty()) {
                    yield v.name;
                }
                if (v == Prelude.SUCCESS || v == Prelude.ERROR) {
                    yield v.name + "(" + show(c.args.get(0)) + ")";
                }
                yield showFields(v.name, v.fieldNames, v.fieldNames::indexOf, c);
            }
            case Boolean b -> b.toString();
            case Kind k when k == Kind.NIL -> "[]";
            case Kind k when k == Kind.CONS -> showList(c);
            case Kind k when k == Kind.UNIT -> "()";
            case Kind k -> "(" + String.join(", ", c.args.stream().map(Exhaustiveness::show).toList()) + ")";
            // the fields in declaration order (c.args is in layout order)
            case TypeInfo t -> showFields(t.name, t.declaredOrder, t::fieldIndex, c);
            case AnyKey a -> show(c.args.get(0));
            default -> "_";
        };
    }
}
