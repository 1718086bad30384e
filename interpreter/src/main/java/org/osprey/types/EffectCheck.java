package org.osprey.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.osprey.ast.AstWalker;
import org.osprey.ast.Binding;
import org.osprey.ast.Expr;
import org.osprey.ast.Program;
import org.osprey.ast.Stmt;
import org.osprey.parser.Diagnostic;

/**
 * The static checks of spec 0017 "Static Safety Checks", once the program's types check: every effect a
 * {@code perform} or a call may perform is covered by an enclosing handler or declared by the enclosing
 * function; no handler arm performs the effect it handles; no handlers depend on each other in a circle.
 *
 * A function with an annotation ({@code !State}, {@code ![A, B]}) performs what it declares, and its body may
 * perform no more. A function without one, or with an effect variable ({@code fn f<E>() -> int !E}), has its
 * effects inferred from its body (spec 0017 "Effect Inference"): the effects of its performs and of the functions
 * it calls or names, less those its own handlers cover; mutually recursive functions are solved together.
 * Those effects must then be covered where it is called. A lambda's effects count where it is written, as
 * if it ran there (it may run later, when a handler may be gone: that is a run-time error).
 *
 * Arms run outside the handler they belong to (deep handlers), so what an arm performs must be covered around
 * its {@code handle}.
 */
final class EffectCheck {
    private final List<Diagnostic> diagnostics;
    private final String source;
    private final Function<String, EffectInfo> effects;
    /** What each function declares; absent for a function whose effects are inferred. */
    private final Map<Stmt.Fn, Set<String>> declared = new IdentityHashMap<>();
    /** Arms already reported as part of a circle or as performing their own effect: not reported again. */
    private final Set<Expr.HandlerArm> faulty = Collections.newSetFromMap(new IdentityHashMap<>());

    EffectCheck(List<Diagnostic> diagnostics, String source, Function<String, EffectInfo> effects) {
        this.diagnostics = diagnostics;
        this.source = source;
        this.effects = effects;
    }

    private void error(int start, int end, String message) {
        diagnostics.add(new Diagnostic(start, Math.max(end, start + 1), message));
    }

    private int line(int offset) {
        return org.osprey.parser.Parser.lineOf(source, offset);
    }

    void check(Program program) {
        List<Stmt.Fn> fns = new ArrayList<>();
        AstWalker collect = new AstWalker(e -> {
        }, s -> {
            if (s instanceof Stmt.Fn fn && fn.binding != null) {
                fns.add(fn);
            }
        });
        program.statements.forEach(collect::stmt);
        List<Stmt.Fn> inferred = new ArrayList<>();
        for (Stmt.Fn fn : fns) {
            Set<String> own = annotation(fn);
            if (own != null) {
                declared.put(fn, own);
                fn.binding.effects = own;
            } else {
                fn.binding.effects = new TreeSet<>();
                inferred.add(fn);
            }
        }
        // The least sets that satisfy every body: effects only grow, from nothing, so this ends.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Stmt.Fn fn : inferred) {
                Set<String> found = new TreeSet<>();
                collect(fn.body, Set.of(), found);
                if (!found.equals(fn.binding.effects)) {
                    fn.binding.effects = found;
                    changed = true;
                }
            }
        }
        validatorsArePure(program, fns);
        for (Stmt s : program.statements) {
            if (!(s instanceof Stmt.Fn)) {
                new Report(null, true).stmt(s, Set.of(), List.of());
            }
        }
        for (Stmt.Fn fn : fns) {
            boolean main = fn.name.equals("main") && program.statements.contains(fn);
            Set<String> own = declared.get(fn);
            if (main && own != null && !own.isEmpty()) {
                error(fn.effects.get(0).start, fn.effects.get(fn.effects.size() - 1).end, "main is called when the program starts, where no"
                                + " handler is in force: it cannot declare effects; handle them in its body (handle " + own.iterator().next() + " ... in ...)");
                continue;
            }
            new Report(fn, own != null || main).expr(fn.body, own != null ? own : Set.of(), List.of());
        }
    }

    /**
     * A validated record's validator runs wherever a value of the type is built or updated (spec 0004), which
     * no handler need cover: one that performs would fail there, at run time, with no handler in force.
     */
    private void validatorsArePure(Program program, List<Stmt.Fn> fns) {
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.TypeDecl td && td.validator != null) {
                for (Stmt.Fn fn : fns) {
                    if (fn.name.equals(td.validator) && program.statements.contains(fn) && fn.binding.effects != null
                                    && !fn.binding.effects.isEmpty()) {
                        error(td.validatorStart, td.validatorStart + td.validator.length(), "the validator '" + fn.name + "' performs "
                                        + String.join(", ", fn.binding.effects) + ": it runs wherever " + td.name
                                        + " values are built or updated, where no handler need be in force, so a validator cannot perform effects");
                    }
                }
            }
        }
    }

    /** The effects a function's annotation names, or null where they are inferred (no annotation, or an effect variable). */
    private Set<String> annotation(Stmt.Fn fn) {
        if (fn.effects == null) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        boolean open = false;
        for (Stmt.EffectRef ref : fn.effects) {
            if (fn.typeParams.stream().anyMatch(tp -> tp.name.equals(ref.name))) {
                open = true; // `!E` over a type parameter: whatever the body performs (spec 0017 "Effect Inference")
            } else if (effects.apply(ref.name) == null) {
                error(ref.start, ref.end, "unknown effect '" + ref.name + "' in the effects of '" + fn.qualifiedName() + "'");
            } else {
                out.add(ref.name);
            }
        }
        return open ? null : out;
    }

    // ---------------------------------------------------------------- what an expression may perform

    /** Adds to {@code out} the effects {@code e} may perform that {@code handled} does not cover. */
    private void collect(Expr e, Set<String> handled, Set<String> out) {
        walkEffects(e, handled, out);
    }

    private void walkEffects(Expr e, Set<String> handled, Set<String> out) {
        if (e == null) {
            return;
        }
        switch (e) {
            case Expr.Perform p -> {
                if (p.target != null && !handled.contains(p.effect)) {
                    out.add(p.effect);
                }
                p.args.forEach(a -> walkEffects(a.value, handled, out));
            }
            case Expr.Ident id -> {
                if (id.binding != null && id.binding.isFunction() && id.binding.effects != null) {
                    for (String eff : id.binding.effects) {
                        if (!handled.contains(eff)) {
                            out.add(eff);
                        }
                    }
                }
            }
            case Expr.Handle h -> {
                h.arms.forEach(a -> walkEffects(a.function.body, handled, out));
                walkEffects(h.body, h.target == null ? handled : with(handled, h.effect), out);
            }
            default -> AstWalker.children(e, c -> walkEffects(c, handled, out));
        }
    }

    private static Set<String> with(Set<String> set, String one) {
        Set<String> out = new HashSet<>(set);
        out.add(one);
        return out;
    }

    /** Every effect an arm may perform, handled around its handle or not. */
    private Set<String> armEffects(Expr.HandlerArm arm) {
        Set<String> out = new TreeSet<>();
        walkEffects(arm.function.body, Set.of(), out);
        return out;
    }

    // ---------------------------------------------------------------- reporting

    /**
     * Walks one function's body (or the top level) and reports what escapes it: for the top level, main and
     * annotated functions, every effect not handled or declared; everywhere, arms that perform their own
     * effect and circles of handlers.
     */
    private final class Report {
        /** The function whose body this is; null for the top level. */
        private final Stmt.Fn fn;
        private final boolean reportUnhandled;

        /** The module and the value of it whose initialiser is being walked, or null. */
        private Stmt.Module initialisingModule;
        private Stmt.Let initialising;

        Report(Stmt.Fn fn, boolean reportUnhandled) {
            this.fn = fn;
            this.reportUnhandled = reportUnhandled;
        }

        void stmt(Stmt s, Set<String> handled, List<Expr.Handle> chain) {
            switch (s) {
                case Stmt.Let l -> expr(l.value, handled, chain);
                case Stmt.LetPattern l -> expr(l.value, handled, chain);
                case Stmt.Assign a -> expr(a.value, handled, chain);
                case Stmt.ExprStmt x -> expr(x.expr, handled, chain);
                // A module's initialisers run where a fiber first uses it, under no handler known here: as the top level's.
                case Stmt.Module m -> m.values().forEach(l -> {
                    initialisingModule = m;
                    initialising = l;
                    try {
                        expr(l.value, handled, chain);
                    } finally {
                        initialising = null;
                    }
                });
                default -> {
                }
            }
        }

        void expr(Expr e, Set<String> handled, List<Expr.Handle> chain) {
            if (e == null) {
                return;
            }
            switch (e) {
                case Expr.Perform p -> {
                    p.args.forEach(a -> expr(a.value, handled, chain));
                    if (reportUnhandled && p.target != null && !handled.contains(p.effect)) {
                        error(p.start, p.opStart + p.op.length(), "perform " + p.effect + "." + p.op + " is not handled: " + where(List.of(p.effect)));
                    }
                }
                case Expr.Ident id -> {
                    if (reportUnhandled && id.binding != null && id.binding.isFunction() && id.binding.effects != null) {
                        List<String> missing = id.binding.effects.stream().filter(x -> !handled.contains(x)).toList();
                        if (!missing.isEmpty()) {
                            boolean declares = id.binding.decl instanceof Stmt.Fn f && declared.containsKey(f);
                            String via = declares || !(id.binding.decl instanceof Stmt.Fn f) ? "" : origin(f, missing.get(0));
                            error(id.start, id.end, "'" + id.name + "' " + (declares ? "declares " : "performs ") + list(missing) + via + ", which "
                                            + (missing.size() == 1 ? "is" : "are") + " not handled here: " + where(missing));
                        }
                    }
                }
                case Expr.Handle h -> handle(h, handled, chain);
                case Expr.Block b -> {
                    for (Stmt s : b.statements) {
                        stmt(s, handled, chain);
                    }
                    expr(b.result, handled, chain);
                }
                default -> AstWalker.children(e, c -> expr(c, handled, chain));
            }
        }

        private void handle(Expr.Handle h, Set<String> handled, List<Expr.Handle> chain) {
            if (h.target == null) {
                expr(h.body, handled, chain);
                return;
            }
            List<Expr.Handle> inner = new ArrayList<>(chain);
            inner.add(h);
            // The body first: a handler nested in it that closes a circle with this one marks this one's arms.
            expr(h.body, with(handled, h.effect), inner);
            for (Expr.HandlerArm arm : h.arms) {
                if (faulty.contains(arm)) {
                    continue;
                }
                Set<String> performs = armEffects(arm);
                if (performs.contains(h.effect)) {
                    faulty.add(arm);
                    error(arm.start, arm.opEnd, "this arm of handle " + h.effect + " performs " + h.effect + ", the effect it handles"
                                    + through(arm, h.effect) + ": the handler would handle itself without end (spec 0017 static checks)");
                    continue;
                }
                circle(h, arm, performs, chain);
            }
            for (Expr.HandlerArm arm : h.arms) {
                if (!faulty.contains(arm)) {
                    expr(arm.function.body, handled, chain);
                }
            }
        }

        /**
         * An arm of h that performs an effect whose handler around h (lexically) in turn performs h's effect,
         * directly or through further handlers around: each handler would call the other without end.
         */
        private void circle(Expr.Handle h, Expr.HandlerArm arm, Set<String> performs, List<Expr.Handle> chain) {
            for (int i = chain.size() - 1; i >= 0; i--) {
                Expr.Handle outer = chain.get(i);
                if (outer.target == null || !performs.contains(outer.effect) || innermost(chain, outer.effect) != outer) {
                    continue;
                }
                List<Expr.Handle> path = new ArrayList<>();
                if (reaches(outer, h.effect, chain, path, new HashSet<>())) {
                    faulty.add(arm);
                    Expr.Handle first = path.get(0);
                    StringBuilder how = new StringBuilder();
                    for (int j = 0; j < path.size(); j++) {
                        String next = j + 1 < path.size() ? path.get(j + 1).effect : h.effect;
                        how.append(", whose handler at line ").append(line(path.get(j).start)).append(" performs ").append(next);
                        for (Expr.HandlerArm a : path.get(j).arms) {
                            if (armEffects(a).contains(next)) {
                                faulty.add(a); // reported here, as part of the circle; not again as unhandled
                            }
                        }
                    }
                    error(arm.start, arm.opEnd, "circular effect dependency: this arm of handle " + h.effect + " performs " + first.effect
                                    + through(arm, first.effect) + how + ": the handlers would call each other without end (spec 0017 static checks)");
                    return;
                }
            }
        }

        /** Whether the handler {@code from} (in the chain) performs {@code target}, directly or through handlers of the chain. */
        private boolean reaches(Expr.Handle from, String target, List<Expr.Handle> chain, List<Expr.Handle> path, Set<Expr.Handle> seen) {
            if (!seen.add(from)) {
                return false;
            }
            path.add(from);
            Set<String> performs = new TreeSet<>();
            for (Expr.HandlerArm a : from.arms) {
                performs.addAll(armEffects(a));
            }
            if (performs.contains(target)) {
                return true;
            }
            for (String next : performs) {
                Expr.Handle h = innermost(chain, next);
                if (h != null && reaches(h, target, chain, path, seen)) {
                    return true;
                }
            }
            path.remove(path.size() - 1);
            return false;
        }

        private Expr.Handle innermost(List<Expr.Handle> chain, String effect) {
            for (int i = chain.size() - 1; i >= 0; i--) {
                if (chain.get(i).effect.equals(effect) && chain.get(i).target != null) {
                    return chain.get(i);
                }
            }
            return null;
        }

        /** What to do about effects not handled here. */
        private String where(List<String> missing) {
            String first = missing.get(0);
            if (fn == null && initialising != null) {
                // A handle around the first use does not count: which use is first is known only when the program runs.
                String module = initialisingModule.name;
                String value = initialising.name;
                return "no enclosing handler covers it: " + module + "." + value + " is set where a fiber first uses module " + module
                                + ", under no handler known here; handle " + first + " in the initialiser, or make " + value
                                + " a function of the module, which may declare the effect (fn " + value + "() -> T !" + first + ")";
            }
            if (fn == null) {
                return "no enclosing handler covers it; wrap it in handle " + first + " ... in ...";
            }
            if (fn.name.equals("main") && !declared.containsKey(fn)) {
                return "no enclosing handler covers it in main, which the program calls with no handler in force; wrap it in handle "
                                + first + " ... in ...";
            }
            return "no enclosing handler covers it and '" + fn.qualifiedName() + "' does not declare it; handle it here, or add it to the effects of '"
                            + fn.qualifiedName() + "' (-> T ![" + String.join(", ", union(declared.get(fn), missing)) + "])";
        }
    }

    private static List<String> union(Set<String> a, List<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return new ArrayList<>(out);
    }

    private static String list(List<String> names) {
        return names.size() == 1 ? names.get(0) : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /**
     * " (it calls 'g', which performs it)" for a function whose effect comes from a function it calls; where g has
     * it from a function of its own in turn, the calls down to the one that performs it: " (it calls 'c', which
     * calls 'd', which performs it)". Named "c, which performs it" alone, a reader looked in c for a perform
     * that was in d.
     */
    private String origin(Stmt.Fn fn, String effect) {
        List<String> calls = new ArrayList<>();
        Set<Stmt.Fn> seen = new HashSet<>();
        Stmt.Fn at = fn;
        while (seen.add(at)) {
            Binding via = callee(at.body, at.binding, effect);
            if (via == null) {
                break;
            }
            calls.add(via.name);
            if (!(via.decl instanceof Stmt.Fn next) || declared.containsKey(next)) {
                break; // a builtin, or a function whose effects are declared: its own body is not the reader's next stop
            }
            at = next;
        }
        if (calls.isEmpty()) {
            return "";
        }
        if (calls.size() == 1 && calls.get(0).equals(fn.qualifiedName())) {
            return " (it calls '" + fn.qualifiedName() + "', which does)";
        }
        StringBuilder out = new StringBuilder(" (it calls '" + calls.get(0) + "'");
        for (String name : calls.subList(1, calls.size())) {
            out.append(", which calls '").append(name).append("'");
        }
        return out.append(", which performs it)").toString();
    }

    /**
     * The first function {@code body} calls (other than {@code self}) that has {@code effect}, or null where the body
     * performs it itself or calls none that has it.
     */
    private static Binding callee(Expr body, Binding self, String effect) {
        List<Binding> via = new ArrayList<>();
        boolean[] direct = {false};
        new AstWalker(e -> {
            if (e instanceof Expr.Perform p && p.effect.equals(effect)) {
                direct[0] = true;
            } else if (e instanceof Expr.Ident id && id.binding != null && id.binding.isFunction() && id.binding != self
                            && id.binding.effects != null && id.binding.effects.contains(effect)) {
                via.add(id.binding);
            }
        }, s -> {
        }, l -> true, false).expr(body);
        return direct[0] || via.isEmpty() ? null : via.get(0);
    }

    /** " (through 'f')" when the arm performs the effect by calling a function rather than with its own perform. */
    private String through(Expr.HandlerArm arm, String effect) {
        Binding via = callee(arm.function.body, null, effect);
        return via == null ? "" : " (through '" + via.name + "')";
    }
}
