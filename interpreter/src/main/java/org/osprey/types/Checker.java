package org.osprey.types;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import org.osprey.ast.AstWalker;
import org.osprey.ast.Binding;
import org.osprey.ast.Expr;
import org.osprey.ast.Expr.Arg;
import org.osprey.ast.Expr.BinOp;
import org.osprey.ast.Node;
import org.osprey.ast.Param;
import org.osprey.ast.Pattern;
import org.osprey.ast.Program;
import org.osprey.ast.Stmt;
import org.osprey.parser.Diagnostic;

/**
 * Hindley-Milner type inference over a resolved program (spec 0004), run before any of it executes.
 *
 * Besides unification the checker decides the implicit conversions of spec 0004 "Result Auto-Unwrapping":
 * a {@code Result<T, MathError>} (what arithmetic produces) used where a T is wanted is unwrapped, recorded as
 * a {@link Coercion} on the expression. The rules, in one place ({@link #coerce}):
 * <ul>
 * <li>an operand of an operator, an interpolation, an argument, a record field, a list element or a lambda
 * result used where a plain type (or a not yet known type) is wanted gets its value unwrapped;</li>
 * <li>a declared type (annotation, declared result, assigned variable) unwraps only to a plain known type;</li>
 * <li>{@code toString} sees the Result itself (spec: {@code toString(1 + 2)} is {@code "Success(3)"});</li>
 * <li>a plain value where {@code Result<T, MathError>} is declared is wrapped in Success;</li>
 * <li>function values are adapted when their parameters or result need one of the above.</li>
 * </ul>
 * At run time an unwrapped Error continues an arithmetic chain, becomes the result of a call whose callee
 * returns {@code Result<_, MathError>}, and otherwise stops the program with the error's location.
 */
public final class Checker {
    /** How strictly a value must fit the type its use expects. */
    enum Mode {
        /** arguments, fields, elements, operands: unwrap to a plain or unknown type */
        ARGUMENT,
        /** declared types: unwrap only to a known plain type */
        DECLARED,
        /** no implicit conversion at all */
        EXACT
    }

    private final Environment env;
    private final List<Diagnostic> diagnostics;
    private final String source;
    private final Resolver resolver;
    public final TypeResolver types;
    private int level;
    private final List<Expr.Match> matches = new ArrayList<>();
    private final List<Runnable> deferred = new ArrayList<>();
    /** The calls of a {@code Fiber { computation: f }}'s function that the parser made (f called with no arguments). */
    private final Set<Expr.Call> fiberComputations = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Stmt.Fn, Map<String, Type>> fnTypeParams = new IdentityHashMap<>();
    /**
     * The type parameters of the functions whose bodies are being checked, by name: a {@code T} in an
     * annotation inside {@code fn f<T>} (a let, a lambda, a nested function) is f's T.
     */
    private Map<String, Type> typeParamsInScope = Map.of();
    /** A function's own type parameters (not those of the functions around it), for its uses before it is generalised. */
    private final Map<Stmt.Fn, List<Type.Var>> ownTypeParams = new IdentityHashMap<>();

    public Checker(Environment env, List<Diagnostic> diagnostics, String source, Resolver resolver) {
        this.env = env;
        this.diagnostics = diagnostics;
        this.source = source;
        this.resolver = resolver;
        this.types = new TypeResolver(env, diagnostics);
    }

    // ---------------------------------------------------------------- diagnostics

    private void error(Node at, String message) {
        error(at.start, at.end, message);
    }

    /**
     * A mismatch of a block's value is marked where the value comes from, its last expression, not at the '{'
     * a screen above; a block without one ends with a statement, which is marked instead.
     */
    private void mismatchAt(Node at, String message) {
        if (at instanceof Expr.Block b && b.result == null && !b.statements.isEmpty()) {
            Stmt last = b.statements.get(b.statements.size() - 1);
            error(last.start, last.end, message + (last instanceof Stmt.Let || last instanceof Stmt.LetPattern
                            ? "; the block ends with a 'let', which gives no value: end it with the value" : ""));
        } else {
            error(at instanceof Expr e ? Expr.valueSite(e) : at, message);
        }
    }

    private void error(int start, int end, String message) {
        diagnostics.add(new Diagnostic(start, Math.max(end, start + 1), message));
    }

    private int line(int offset) {
        return org.osprey.parser.Parser.lineOf(source, offset);
    }

    private Type fresh() {
        return new Type.Var(level);
    }

    /**
     * The types of expressions already reported as wrong (a field read on a union or an 'any'). Arithmetic on
     * them gives another such type rather than its default of int, which would report a second error that is
     * not there: 'x.r + x.r' in a function declared '-> float' was also "expected float, found int".
     */
    private final Set<Type.Var> reported = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private Type reportedType() {
        Type.Var v = new Type.Var(level);
        reported.add(v);
        return v;
    }

    private boolean isReported(Type t) {
        return t.prune() instanceof Type.Var v && reported.contains(v);
    }

    /**
     * Whether t (pruned) is a type still to be found: a variable, but not a type parameter of the function
     * being checked, which stands for a type the body does not know and so is treated as a type of its own.
     */
    private static boolean open(Type t) {
        return t instanceof Type.Var v && v.rigid == null;
    }

    /** Unifies and reports a mismatch in words; returns false on mismatch. */
    private boolean unify(Type expected, Type found, Node at, Supplier<String> context) {
        try {
            Unifier.unify(expected, found);
            return true;
        } catch (Unifier.Mismatch m) {
            String detail = m.detail != null ? m.detail : argumentNote != null ? argumentNote
                            : origin(expected, found, at instanceof Expr e ? Expr.valueSite(e) : at);
            mismatchAt(at, mismatch(context == null ? null : context.get(), expected, found, detail));
            return false;
        }
    }

    private static String mismatch(String context, Type expected, Type found, String detail) {
        TypePrinter tp = new TypePrinter().reserveTypeParameters(expected, found);
        String exp = tp.show(expected);
        String fnd = tp.show(found);
        StringBuilder sb = new StringBuilder("type mismatch");
        if (context != null) {
            sb.append(" in ").append(context);
        }
        sb.append(": expected ").append(exp).append(", found ").append(fnd);
        if (exp.equals(fnd)) {
            // In a session a type can be declared again: values and functions made before keep the old one.
            sb.append(" (two different types named ").append(exp).append(": the type was declared again, and what was made with"
                            + " the earlier declaration keeps it; declare that again too, or give the new type another name)");
        } else if (detail != null) {
            sb.append(" (").append(detail).append(')');
        } else if (standsForItsValue(context != null && context.contains("pattern") ? expected : found, context != null && context.contains("pattern") ? found : expected)) {
            // spawn's value used as the value it computes (its await forgotten), or a channel as what it carries; in a
            // pattern, the value matched is the one expected
            sb.append(" (").append(notItsValue(isCon(expected, Prelude.FIBER) || isCon(found, Prelude.FIBER))).append(')');
        } else if (isCon(expected, Prelude.UNIT) && "field 'value' of 'Success'".equals(context) && !(found.prune() instanceof Type.Var)) {
            // Result<Success, E> (the seeds' spelling) succeeds with nothing: Success("done") in it is a mistake.
            sb.append(" (this Result succeeds with nothing: Success in a type is unit, as in Result<Success, string>; write Success(),"
                            + " or make the type Result<").append(fnd).append(", ...> to carry the value)");
        } else if (isCon(expected, Prelude.MAP) && isCon(found, Prelude.LIST) && "argument 'map' of 'set'".equals(context)) {
            sb.append(" (set is for maps: setAt(list, index, value) gives a list with one element replaced)");
        } else if (isCon(found, Prelude.STRING) && context != null && context.endsWith(" of 'log'")) {
            sb.append(" (log is the natural logarithm; print(...) writes text, printErr(...) to standard error)");
        } else if (isCon(expected, Prelude.FLOAT) && isCon(found, Prelude.INT)) {
            sb.append(" (int and float do not convert implicitly: use toFloat(...))");
        } else if (isCon(expected, Prelude.INT) && isCon(found, Prelude.FLOAT)) {
            sb.append(" (int and float do not convert implicitly: use toInt(...))");
        } else if (Prelude.isResult(found) && !Prelude.isResult(expected) && !(expected.prune() instanceof Type.Var)) {
            sb.append(" (").append(MATCH_RESULT_FIRST).append(')');
        } else if (isCon(expected, Prelude.STRING) && isCon(found, Prelude.LIST) && isCon(((Type.Con) found.prune()).args.get(0), Prelude.STRING)) {
            // trim(["a"]): toString would make the text of the list, brackets and quotes and all
            sb.append(" (to do it to each string of the list: map(xs, ...); to make one string of them: join(xs, separator))");
        } else if (isCon(expected, Prelude.LIST) && isCon(((Type.Con) expected.prune()).args.get(0), Prelude.STRING) && isCon(found, Prelude.LIST)
                        && isPlainValue(((Type.Con) found.prune()).args.get(0))) {
            // join(counts, ", ") of a List<int>: each element made a string first
            sb.append(" (to make each element a string: map(xs, toString))");
        } else if (isCon(expected, Prelude.STRING) && !(found.prune() instanceof Type.Var)) {
            sb.append(" (use toString(...) or \"${...}\" to make a string)");
        } else if (Prelude.isResult(expected) && isCon(found, Prelude.UNIT)) {
            sb.append(" (").append(END_WITH_SUCCESS).append(')');
        }
        return sb.toString();
    }

    /** Said of a function that gives unit where one giving a Result is expected (a WebSocket handler). */
    private static final String END_WITH_SUCCESS = "end it with Success() to say it went well, or give an Error(...)";

    /** An int, a float or a bool, whose toString is the text a person would write for it. */
    private static boolean isPlainValue(Type t) {
        return isCon(t, Prelude.INT) || isCon(t, Prelude.FLOAT) || isCon(t, Prelude.BOOL);
    }

    /**
     * Parameters whose type an overloaded builtin fixed by taking its first form, because nothing else said
     * which (fn size(x) = length(x) makes x a string): the builtin's name, for the message of a call that
     * passes another type.
     */
    private final Map<Binding, String> overloadChose = new HashMap<>();

    /** Said after a mismatch in the argument being checked, instead of the usual hints (see applyArguments). */
    private String argumentNote;

    /** Whether {@code given}, a fiber or a channel, is where a plain value ({@code wanted}) is: its await or recv forgotten. */
    private static boolean standsForItsValue(Type given, Type wanted) {
        return (isCon(given, Prelude.FIBER) || isCon(given, Prelude.CHANNEL)) && !(wanted.prune() instanceof Type.Var)
                        && !isCon(wanted, Prelude.FIBER) && !isCon(wanted, Prelude.CHANNEL);
    }

    /** Where a fiber or a channel stands for the value it gives (a fiber matched or returned, its await forgotten). */
    private static String notItsValue(boolean fiber) {
        return fiber ? "a fiber is not the value it computes: await(fiber) waits for it and gives that value"
                        : "a channel is not a value it carries: recv(channel) gives the next one, as a Result";
    }

    /**
     * For an operand that is a Result other than arithmetic's (parseInt, an index): how to get at its value. The
     * default shown is of the value's type: {@code r ?: 0} for a Result of a list, indexed, gave an int where a
     * list was due.
     */
    private static String matchFirst(Type t) {
        return matchFirst(t, false);
    }

    /** How to get at a Result's value, said in the hints of several mistakes. */
    private static final String MATCH_RESULT_FIRST = "a Result must be matched first: match r { Success { value } => ..., Error { message } => ... }";

    /** As above, the default in parentheses where something follows it ({@code (r ?: [])} given to a builtin). */
    private static String matchFirst(Type t, boolean parenthesized) {
        if (!Prelude.isResult(t)) {
            return "";
        }
        String orDefault = "r ?: " + emptyOf(((Type.Con) t.prune()).args.get(0));
        return " (" + MATCH_RESULT_FIRST + ", or give a default: " + (parenthesized ? "(" + orDefault + ")" : orDefault) + ")";
    }

    /** A hint about where a mismatched value came from, for mistakes the types alone do not explain. */
    private String origin(Type expected, Type found, Node at) {
        Expr e = at instanceof Expr x ? x : null;
        if (isCon(expected, Prelude.INT) && isCon(found, Prelude.FLOAT)) {
            if (e instanceof Expr.Binary bin && bin.op == BinOp.DIV) {
                return "'/' always gives a float, even for two ints: toInt(a / b) drops the fraction";
            }
            if (e instanceof Expr.Ident id && id.binding != null && id.binding.decl instanceof Stmt.Let let && let.value instanceof Expr.Binary bin
                            && bin.op == BinOp.DIV) {
                return "'" + id.name + "' is a float: it comes from '/' at line " + line(bin.start) + ", which always gives a float;"
                                + " toInt(...) drops the fraction";
            }
        }
        if (isCon(expected, Prelude.FLOAT) && isCon(found, Prelude.INT) && at instanceof Pattern) {
            return "the value matched is a float: write the pattern as a float, e.g. 5.0, or match on toInt(...)";
        }
        if (isCon(expected, Prelude.STRING) && isCon(found, Prelude.INT) && e instanceof Expr.Ident id && id.binding != null
                        && id.binding.decl instanceof Stmt.Let let && let.value instanceof Expr.Call c && c.callee instanceof Expr.Ident f
                        && f.name.equals("input")) {
            return "'" + id.name + "' comes from input(), which reads an int; readLine() reads a line of text";
        }
        if (isCon(expected, Prelude.STRING) && isCon(found, Prelude.INT) && e instanceof Expr.Call c && c.callee instanceof Expr.Ident f
                        && f.name.equals("input")) {
            return "input() reads an int; readLine() reads a line of text";
        }
        if (expected.prune() instanceof Type.Fun wanted && found.prune() instanceof Type.Fun given && Prelude.isResult(wanted.result)
                        && isCon(given.result, Prelude.UNIT)
                        && wanted.params.stream().map(TypePrinter::print).toList().equals(given.params.stream().map(TypePrinter::print).toList())) {
            // A handler that takes what it should and gives unit: a lambda without a result type is told at its body
            // (the mismatch there is unit for a Result); a named function, or a lambda declared -> unit, is told here.
            String result = TypePrinter.print(wanted.result);
            if (e instanceof Expr.Ident id && id.binding != null && id.binding.decl instanceof Stmt.Fn fn) {
                return "declare it fn " + fn.name + "(...) -> " + result + ", and " + END_WITH_SUCCESS;
            }
            return e instanceof Expr.Lambda ? "declare the lambda's result " + result + ", and " + END_WITH_SUCCESS
                            : "its result must be " + result + ": " + END_WITH_SUCCESS;
        }
        if (Prelude.isResult(found) && !Prelude.isResult(expected) && !(expected.prune() instanceof Type.Var) && e instanceof Expr.Call c
                        && c.callee instanceof Expr.Ident f && (f.name.equals("Error") || f.name.equals("Success"))) {
            return "this makes a Result, where a plain " + TypePrinter.print(expected) + " is expected: to return Errors, declare the"
                            + " result type as Result<" + TypePrinter.print(expected) + ", ...> and wrap the other values in Success(...)";
        }
        return null;
    }

    private static boolean isCon(Type t, TypeInfo info) {
        return Types.isCon(t, info);
    }

    // ---------------------------------------------------------------- program

    /** Checks a whole program; returns the bindings it declares at top level. */
    public void checkProgram(Program program) {
        List<Stmt.TypeDecl> typeDecls = new ArrayList<>();
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.TypeDecl td) {
                typeDecls.add(td);
            }
        }
        types.declare(typeDecls);
        declareEffects(program);
        checkAnnotations(program);

        // Top-level functions and values are checked in dependency order (strongly connected components),
        // so a function's type is generalised before its users are checked.
        List<Stmt> decls = new ArrayList<>();
        Map<Binding, Stmt> declOf = new HashMap<>();
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.Fn fn && fn.binding != null) {
                decls.add(s);
                declOf.put(fn.binding, s);
            } else if (s instanceof Stmt.Let let) {
                decls.add(s);
                declOf.put(let.binding, s);
            } else if (s instanceof Stmt.LetPattern lp) {
                decls.add(s);
                for (Binding b : patternBindings(lp.pattern)) {
                    declOf.put(b, s);
                }
            } else if (s instanceof Stmt.Module m) {
                // A module's functions and values are checked as the program's are, in the same order of dependencies.
                for (Stmt member : m.members) {
                    Binding b = member instanceof Stmt.Fn fn ? fn.binding : ((Stmt.Let) member).binding;
                    if (b != null) {
                        decls.add(member);
                        declOf.put(b, member);
                    }
                }
            }
        }
        for (List<Stmt> scc : Dependencies.components(decls, declOf)) {
            checkComponent(scc);
        }
        lastStatement = program.statements.isEmpty() || !lastValueKept ? null : program.statements.get(program.statements.size() - 1);
        for (Stmt s : program.statements) {
            if (!(s instanceof Stmt.Fn || s instanceof Stmt.Let || s instanceof Stmt.LetPattern || s instanceof Stmt.TypeDecl || s instanceof Stmt.Module)) {
                statement(s, true);
            }
        }
        chooseOverloads();
        runDeferred();
        for (Stmt.Let let : emptyLiteralLets) {
            Type t = let.binding.type == null ? null : let.binding.type.prune();
            if (t instanceof Type.Con c && c.args.stream().anyMatch(a -> a.prune() instanceof Type.Var)) {
                boolean list = c.info == Prelude.LIST;
                error(let.value, "cannot infer the " + (list ? "element type of the empty list" : "key and value types of the empty map")
                                + ": add a type annotation, e.g. let " + let.name + (list ? ": List<int> = []" : ": Map<string, int> = {}"));
            }
        }
        checkUnconstrainedCalls();
        checkValidators(typeDecls);
        // A later evaluation in the same context (an embedder's, the REPL's) may call the main of an earlier one:
        // only a main this program declares is called when it starts.
        boolean declaresMain = program.statements.stream().anyMatch(s -> s instanceof Stmt.Fn fn && fn.name.equals("main"));
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.Fn fn && fn.name.equals("main") && fn.binding != null && !fn.params.isEmpty()) {
                error(fn.nameStart, fn.nameStart + 4, "'main' must take no parameters: it is called with none when the program starts");
            }
            if (!interactive && declaresMain && s instanceof Stmt.ExprStmt es && es.expr instanceof Expr.Call c && c.callee instanceof Expr.Ident id
                            && id.name.equals("main") && id.binding != null && id.binding.kind == Binding.Kind.FUNCTION) {
                error(es.expr, "main is called when the program starts, after its top-level statements; this call would run it a second time"
                                + " (remove it)");
            }
        }
        if (checkEffects && diagnostics.isEmpty() && !(declaredEffects.isEmpty() && env.effects.isEmpty())) {
            // A session that never declared an effect can perform none: nothing to check.
            new EffectCheck(diagnostics, source, this::effect).check(program);
        }
        Exhaustiveness ex = new Exhaustiveness(diagnostics, source);
        for (Expr.Match m : matches) {
            if (!brokenMatches.contains(m)) {
                ex.check(m);
            }
        }
        for (Expr.Match m : irrefutable) {
            ex.checkIrrefutable(m);
        }
    }

    private static List<Binding> patternBindings(Pattern p) {
        List<Binding> out = new ArrayList<>();
        Resolver.walk(p, q -> {
            if (q instanceof Pattern.Binder b && b.binding != null) {
                out.add(b.binding);
            } else if (q instanceof Pattern.Typed t && t.binding != null) {
                out.add(t.binding);
            } else if (q instanceof Pattern.ListPat l && l.restBinding != null) {
                out.add(l.restBinding);
            }
            List<Pattern.FieldPat> fields = q instanceof Pattern.Constructor c ? c.fields : q instanceof Pattern.Typed t ? t.fields : null;
            if (fields != null) {
                for (Pattern.FieldPat fp : fields) {
                    if (fp.binding != null) {
                        out.add(fp.binding);
                    }
                }
            }
        });
        return out;
    }

    private void runDeferred() {
        while (!deferred.isEmpty()) {
            List<Runnable> now = new ArrayList<>(deferred);
            deferred.clear();
            now.forEach(Runnable::run);
        }
    }

    private void checkComponent(List<Stmt> scc) {
        level++;
        List<Stmt.Fn> fns = new ArrayList<>();
        for (Stmt s : scc) {
            if (s instanceof Stmt.Fn fn) {
                fn.binding.type = functionType(fn);
                fns.add(fn);
            }
        }
        for (Stmt s : scc) {
            switch (s) {
                case Stmt.Fn fn -> functionBody(fn, (Type.Fun) fn.binding.type);
                case Stmt.Let let -> letStatement(let);
                case Stmt.LetPattern lp -> statement(lp, true);
                default -> throw new IllegalStateException();
            }
        }
        runDeferred();
        chooseOverloads();
        level--;
        // A top-level value is not generalised (only a lambda's let is, by letStatement): the variables left in
        // its type belong to the top level, where neither the functions of its own component (lowered before
        // they are generalised) nor later components may generalise them. Otherwise a function storing into
        // `mut cell = []` became generic, and cell held an int and a string.
        for (Stmt s : scc) {
            List<Binding> values = s instanceof Stmt.Let let ? List.of(let.binding) : s instanceof Stmt.LetPattern lp ? patternBindings(lp.pattern)
                            : List.of();
            for (Binding b : values) {
                if (b != null && b.scheme == null && b.type != null) {
                    Type.Var escaping = Unifier.adjustLevels(b.type, level);
                    if (escaping != null) {
                        error(s, "the type of '" + b.name + "' is " + TypePrinter.print(b.type) + ", where '" + escaping.rigid
                                        + "' is a type parameter of a function: each call chooses its own, but '" + b.name
                                        + "' is one variable, which would hold the values of every type the calls choose");
                        b.type = fresh(); // reported once here, not again at each later use
                    }
                }
            }
        }
        for (Stmt.Fn fn : fns) {
            fn.binding.scheme = generalise(fn.binding.type);
        }
        generaliseOverloads(fns.stream().map(fn -> fn.binding).toList());
    }

    /** Every variable some scheme quantifies: one of these left open is a type a function's callers choose. */
    private final Set<Type.Var> generalised = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private Scheme generalise(Type t) {
        Scheme s = Types.generalize(t, level);
        generalised.addAll(s.vars());
        return s;
    }

    /**
     * Calls of generic functions whose result has a type variable none of their parameters has ({@code fn
     * empty<T>() -> List<T>}), with the variables of that call's result: if nothing in the program fixes one,
     * the call needs an annotation (spec 0004 "Type Annotation Requirements").
     */
    private final List<Map.Entry<Expr.Call, Set<Type.Var>>> unconstrainedCalls = new ArrayList<>();

    private void noteUnconstrained(Expr.Call c, Binding b, Type ft) {
        if (b.scheme == null || !(ft instanceof Type.Fun f) || !(b.scheme.type() instanceof Type.Fun)) {
            return;
        }
        Set<Type.Var> own = new HashSet<>();
        Types.freeVars(b.scheme.type(), own); // not quantified: the same variables in every use
        Set<Type.Var> phantom = new HashSet<>();
        Types.freeVars(f.result, phantom);
        for (Type p : f.params) {
            Set<Type.Var> vs = new HashSet<>();
            Types.freeVars(p, vs);
            phantom.removeAll(vs);
        }
        phantom.removeAll(own);
        phantom.removeIf(v -> v.rigid != null);
        if (!phantom.isEmpty()) {
            unconstrainedCalls.add(Map.entry(c, phantom));
        }
    }

    /** Calls that are the value of a {@code mut}: later assignments (in a later REPL entry maybe) fix the type, as for mut xs = []. */
    private final Set<Expr> mutValues = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private void checkUnconstrainedCalls() {
        for (Map.Entry<Expr.Call, Set<Type.Var>> e : unconstrainedCalls) {
            Expr.Call c = e.getKey();
            if (mutValues.contains(c)) {
                continue;
            }
            boolean open = e.getValue().stream().map(Type::prune).anyMatch(t -> t instanceof Type.Var v && v.rigid == null && !generalised.contains(v));
            // An argument already reported (both(5) for a 'both' calling length and reverse on it) is why the type
            // is open: an annotation would not help, and the first error the user read would send them to write one.
            boolean argumentRefused = diagnostics.stream().anyMatch(d -> d.start() >= c.start && d.start() < c.end);
            if (open && c.type != null && !argumentRefused) {
                String name = ((Expr.Ident) c.callee).name;
                error(c, "cannot infer the type of this call: '" + name + "' gives " + TypePrinter.print(c.type.prune())
                                + ", and nothing in its arguments or in the rest of the program says what that type is (spec 0004 \"Type Annotation"
                                + " Requirements\"): annotate the value, e.g. let x: " + TypePrinter.print(example(c.type.prune())) + " = " + name + (c.args.isEmpty() ? "()" : "(...)"));
            }
        }
    }

    /** t with int for each of its variables: the type an annotation could give. */
    private static Type example(Type t) {
        Set<Type.Var> vs = new HashSet<>();
        Types.freeVars(t, vs);
        Map<Type.Var, Type> m = new HashMap<>();
        for (Type.Var v : vs) {
            m.put(v, Prelude.T_INT);
        }
        return Types.subst(t, m);
    }

    /** The function's type from its annotations, with fresh variables where none are written. */
    private Type.Fun functionType(Stmt.Fn fn) {
        Map<String, Type> typeParams = new HashMap<>(typeParamsInScope);
        for (Stmt.TypeParam tp : fn.typeParams) {
            typeParams.put(tp.name, fresh());
        }
        List<Type> params = new ArrayList<>();
        for (Param p : fn.params) {
            Type t = p.type != null ? atLevel(types.resolve(p.type, typeParams, true)) : fresh();
            params.add(t);
            p.binding.type = t;
        }
        Type result = fn.result != null ? atLevel(types.resolve(fn.result, typeParams, true)) : fresh();
        // Declared (<T>) and implicit (a T in an annotation) alike: the body must work for every type.
        List<Type.Var> own = new ArrayList<>();
        typeParams.forEach((name, t) -> {
            if (t.prune() instanceof Type.Var v && typeParamsInScope.get(name) != t) {
                v.rigid = name;
                own.add(v);
            }
        });
        ownTypeParams.put(fn, own);
        fnTypeParams.put(fn, typeParams);
        return new Type.Fun(params, result);
    }

    /**
     * Implicit type variables from annotations are made at level 0; move them to the current level. The type
     * parameters of the functions around (a T in an annotation inside fn f<T>) keep theirs: they belong to
     * those functions, and a let or lambda inside must not generalise them.
     */
    private Type atLevel(Type t) {
        Set<Type.Var> fv = new HashSet<>();
        Types.freeVars(t, fv);
        for (Type.Var v : fv) {
            if (v.level < level && v.rigid == null) {
                v.level = level;
            }
        }
        return Types.markMapKeys(t);
    }

    private void functionBody(Stmt.Fn fn, Type.Fun type) {
        for (int i = 0; i < fn.params.size(); i++) {
            fn.params.get(i).binding.type = type.params.get(i);
        }
        Map<String, Type> outer = typeParamsInScope;
        typeParamsInScope = fnTypeParams.get(fn);
        try {
            Type bodyType = infer(fn.body, type.result);
            if (fn.result != null) {
                coerce(fn.body, bodyType, type.result, Mode.DECLARED, () -> "the result of '" + fn.qualifiedName() + "'");
            } else if (Prelude.isMathResult(bodyType.prune()) && type.result.prune() instanceof Type.Con rc && rc.info != Prelude.RESULT
                            && rc.info != Prelude.ANY) {
                // fn sum(n: int) = n + (n > 0 ? sum(n - 1) : 0): a recursive use already took the plain value
                // (the ternary unwrapped it), so the function gives that value, not the Result.
                coerce(fn.body, bodyType, type.result, Mode.DECLARED, () -> "the result of '" + fn.qualifiedName() + "'");
            } else {
                unify(type.result, bodyType, fn.body, () -> "the result of '" + fn.qualifiedName() + "'");
            }
        } finally {
            typeParamsInScope = outer;
        }
    }

    /**
     * Top-level {@code let x = []} (or {@code {}}) without a type: if nothing in the program fixes the element
     * type, the literal needs an annotation (spec 0004 "Type Annotation Requirements").
     */
    private final List<Stmt.Let> emptyLiteralLets = new ArrayList<>();

    private void letStatement(Stmt.Let let) {
        Binding b = let.binding;
        if (let.mutable && let.annotation == null) {
            mutValues.add(let.value);
        }
        if (let.annotation == null && !let.mutable && b != null && b.owner == null
                        && (let.value instanceof Expr.ListLit l && l.elements.isEmpty() || let.value instanceof Expr.MapLit m && m.entries.isEmpty())) {
            emptyLiteralLets.add(let);
        }
        // A lambda, or another name for a value (let g = f, spec 0004: Hindley-Milner), is generic like a function.
        boolean generalise = !let.mutable && let.annotation == null && (let.value instanceof Expr.Lambda || let.value instanceof Expr.Ident);
        if (generalise) {
            level++;
        }
        Type declared = let.annotation != null ? atLevel(types.resolve(let.annotation, new HashMap<>(typeParamsInScope), true)) : null;
        Type t = infer(let.value, declared);
        if (declared != null) {
            coerce(let.value, t, declared, Mode.DECLARED, () -> "the value of '" + let.name + "'");
            t = declared;
        } else if (let.value instanceof Expr.Block blk && blk.statements.isEmpty() && blk.result == null) {
            t = Prelude.T_UNIT;
        }
        b.type = t;
        if (generalise) {
            chooseOverloads();
            level--;
            b.scheme = generalise(t);
            generaliseOverloads(List.of(b));
        }
    }

    private void checkValidators(List<Stmt.TypeDecl> decls) {
        for (Stmt.TypeDecl td : decls) {
            if (td.validator == null) {
                continue;
            }
            TypeInfo info = types.programTypes.get(td.name);
            if (info == null) {
                continue;
            }
            Binding v = resolverFunction(td.validator);
            if (v == null || !(v.decl instanceof Stmt.Fn)) {
                error(td.validatorStart, td.validatorStart + td.validator.length(), "validation function '" + td.validator
                                + "' is not defined: declare fn " + td.validator + "(value: " + td.name + ") -> Result<" + td.name + ", string>");
                continue;
            }
            Type rec = new Type.Con(info, Types.freshArgs(info, level));
            // The constructor of a validated type returns Result<T, string> (spec 0004 Validated Records).
            Type expected = new Type.Fun(List.of(rec), Prelude.result(rec, Prelude.T_STRING));
            Type actual = v.scheme != null ? Types.instantiate(v.scheme, level) : v.type;
            if (unify(expected, actual, new Node(td.validatorStart, td.validatorStart + td.validator.length()) {
            }, () -> "validation function '" + td.validator + "'")) {
                info.validatorBinding = v;
            }
        }
    }

    private Binding resolverFunction(String name) {
        Binding b = resolverTop.get(name);
        return b != null ? b : env.values.get(name);
    }

    private final Map<String, Binding> resolverTop = new HashMap<>();

    /** Gives the checker the program's top-level bindings by name (validators are looked up by name). */
    public void setTopLevel(List<Binding> declared) {
        for (Binding b : declared) {
            resolverTop.put(b.name, b);
        }
    }

    /** The result type of a validated record's construction: what its validator returns. */
    private Type validatedResult(TypeInfo info, Type rec) {
        Binding v = info.validatorBinding != null ? info.validatorBinding : resolverFunction(info.validator);
        if (v != null && v.decl instanceof Stmt.Fn) {
            Type vt = v.scheme != null ? Types.instantiate(v.scheme, level) : v.type;
            if (vt != null && vt.prune() instanceof Type.Fun f) {
                Type res = f.result.prune();
                if (res instanceof Type.Con c && c.info == Prelude.RESULT) {
                    return Prelude.result(rec, c.args.get(1));
                }
            }
        }
        return Prelude.result(rec, Prelude.T_STRING);
    }

    // ---------------------------------------------------------------- statements

    private void statement(Stmt s, boolean topLevel) {
        switch (s) {
            case Stmt.Let let -> letStatement(let);
            case Stmt.LetPattern lp -> {
                Type t = infer(lp.value, null);
                if (Prelude.isMathResult(t)) {
                    lp.value.coercion = Coercion.UNWRAP;
                    t = ((Type.Con) t.prune()).args.get(0);
                }
                pattern(lp.pattern, t);
                Expr.Match synthetic = new Expr.Match(lp.start, lp.end, lp.value, List.of(new Expr.Arm(lp.pattern.start, lp.pattern.end,
                                lp.pattern, null, new Expr.UnitLit(lp.end, lp.end))), Expr.MatchForm.MATCH);
                synthetic.scrutinee.type = t;
                if (!(lp.pattern instanceof Pattern.ListPat)) {
                    // `let [head, ...tail] = xs` is the spec's own example (0004 TYPE-LIST-COMP): a list pattern
                    // may fail, and then the program stops with an error at the 'let' (docs/language.md).
                    irrefutable.add(synthetic);
                }
            }
            // refused by the resolver, which said why: the value's own mistakes are still worth saying
            case Stmt.FieldAssign fa -> infer(fa.value, null);
            case Stmt.Assign a -> {
                if (a.binding == null) {
                    infer(a.value, null);
                    return;
                }
                if (a.binding.type == null) {
                    a.binding.type = fresh();
                }
                Type t = infer(a.value, a.binding.type);
                coerce(a.value, t, a.binding.type, Mode.DECLARED, () -> "the assignment to '" + a.name + "'");
            }
            case Stmt.Fn fn -> {
                // checked by checkComponent (top level) or checkNestedGroup (blocks)
            }
            case Stmt.ExprStmt es -> {
                if (es.expr == shownResult) {
                    infer(es.expr, null); // an interactive entry's final expression: its value is shown
                } else if (es != lastStatement && continuesLineAbove(es.expr)) {
                    error(es.expr, unusedValue(es.expr)); // not checked further: the line was meant as part of the one above
                } else {
                    discard(es.expr);
                    String unused = es == lastStatement ? null : unusedValue(es.expr);
                    if (unused != null) {
                        error(es.expr, unused);
                    }
                }
            }
            case Stmt.TypeDecl td -> {
            }
            case Stmt.Import im -> {
            }
            case Stmt.EffectDecl d -> {
            }
            case Stmt.Module m -> {
                // its members are checked with the program's declarations (checkProgram)
            }
        }
    }

    /** The final expression of an interactive entry, whose value is kept and shown rather than discarded. */
    private Expr shownResult;

    /**
     * The program's last statement, left out of the check for unused values where its value is the
     * evaluation's (an embedder's eval returns it: ProgramLoader.keepsResult); null for a program run as a file.
     */
    private Stmt lastStatement;

    /**
     * Whether the program's last statement gives the evaluation's value (an embedder's eval, a REPL entry):
     * not for a program run as a file, where a last line that names a function without calling it, or
     * computes a value and drops it, is the same mistake as anywhere else.
     */
    private boolean lastValueKept = true;

    public void setLastValueKept(boolean kept) {
        this.lastValueKept = kept;
    }

    /** A REPL entry: there main does not run by itself, so calling it is how it runs. */
    private boolean interactive;

    public void setInteractive(boolean interactive) {
        this.interactive = interactive;
    }

    /** Builtins that only compute a value from their arguments: a call whose value is dropped does nothing. */
    private static final Set<String> VALUE_ONLY_BUILTINS = Set.of("append", "prepend", "concat", "contains", "drop", "endsWith", "entries",
                    "get", "head", "indexOf", "isEmpty", "join", "keys", "length", "lines", "padEnd", "padStart", "parseFloat", "parseInt", "remove",
                    "repeat", "replace", "reverse", "set", "sort", "split", "startsWith", "substring", "tail", "take", "toFloat", "toInt", "toList",
                    "toLowerCase", "toString", "toUpperCase", "trim", "trimEnd", "trimStart", "values", "words", "zipToMap", "merge", "byteAt",
                    "byteLength", "codePointAt", "codePointWidth", "fromCodePoint", "range", "parseJson", "toJson", "abs", "min", "max", "floor", "ceil", "round",
                    "sqrt", "log", "exp", "pow", "sin", "cos", "tan", "atan2", "log10", "asin", "acos", "atan", "toFixed");

    /** Of those, the ones other languages have as methods that change their object. */
    private static final Set<String> CHANGED_COPY_BUILTINS = Set.of("append", "prepend", "concat", "drop", "merge", "padEnd", "padStart",
                    "remove", "replace", "reverse", "set", "sort", "take", "toLowerCase", "toUpperCase", "trim", "trimEnd", "trimStart");

    /**
     * Why a statement whose value is dropped is a mistake: it computes a value and does nothing else (i + 1,
     * xs.append(3), a line that starts with '-' meant to continue the line above), or names a function
     * without calling it. Null for anything that may do something (calls, matches, blocks).
     */
    private String unusedValue(Expr e) {
        if (e instanceof Expr.MethodCall m && m.resolved != null) {
            return unusedValue(m.resolved);
        }
        if (e.type != null && Types.isCon(e.type, Prelude.ITERATOR)) {
            // range(0, 3) |> map(fn(i) => print(i)): map is lazy, so a dropped iterator never runs its function
            return "this iterator is never run: map and filter are lazy and do their work as the result is read;"
                            + " to run a function for each element use forEach(...), or make a list with toList(...)";
        }
        if (e instanceof Expr.Call c && c.kind == Expr.CallKind.BUILTIN && c.target instanceof FunctionSignature sig
                        && VALUE_ONLY_BUILTINS.contains(sig.name) && c.args.stream().allMatch(a -> computesOnly(a.value) && !(a.value instanceof Expr.Lambda))) {
            Expr first = c.args.isEmpty() ? null : c.args.get(0).value;
            String text = source.substring(e.start, e.end);
            String keep = first instanceof Expr.Ident id && id.binding != null && id.binding.mutable ? id.name + " = " + text : "let result = " + text;
            if (CHANGED_COPY_BUILTINS.contains(sig.name)) {
                return "the result of '" + sig.name + "' is not used: lists, maps and strings never change in place, so the call does nothing"
                                + " unless its new value is kept, e.g. " + keep;
            }
            return "the result of '" + sig.name + "' is not used, and the call does nothing else: keep it, e.g. let result = " + text;
        }
        if (e instanceof Expr.Ident id && id.binding != null && id.binding.isFunction()) {
            return "the function '" + id.name + "' is named but not called: write " + id.name + "(...)";
        }
        if (continuesLineAbove(e) && lineStart(e) instanceof Expr.Unary u) {
            return "the value of this line is not used: a line that starts with '" + u.op + "' does not continue the line above"
                            + " (to continue that expression, put the '" + u.op + "' at the end of the line above)";
        }
        if (!computesOnly(e) || e instanceof Expr.UnitLit) {
            return null;
        }
        return "the value of this expression is not used: only a block's last expression gives its value"
                        + " (keep it with let, print it, or remove it)";
    }

    /**
     * A statement on a line that starts with '-' or '+': meant as the rest of the line above (`- 20`, and
     * `+ join(parts, " ") + "</p>"`, where the '+' makes the first operand and the rest is a binary chain), since
     * the sign of a value that is dropped changes nothing, also where the operands are calls that do something
     * (`- fee(order)`).
     */
    private boolean continuesLineAbove(Expr e) {
        return lineStart(e) instanceof Expr.Unary u && (u.op == '-' || u.op == '+') && org.osprey.parser.Lexer.firstOnLine(source, u.start);
    }

    /** The operand an expression starts with: itself, or the leftmost operand of a chain of binary operators. */
    private static Expr lineStart(Expr e) {
        Expr first = e;
        while (first instanceof Expr.Binary b) {
            first = b.left;
        }
        return first;
    }

    /** An expression that only computes a value: no call of anything but such builtins, nothing printed. */
    private boolean computesOnly(Expr e) {
        return switch (e) {
            case Expr.IntLit x -> true;
            case Expr.FloatLit x -> true;
            case Expr.BoolLit x -> true;
            case Expr.UnitLit x -> true;
            case Expr.StringLit x -> x.parts.stream().allMatch(part -> !(part instanceof Expr pe) || computesOnly(pe));
            case Expr.Ident x -> x.binding == null || !x.binding.isFunction();
            case Expr.Unary x -> computesOnly(x.operand);
            case Expr.Binary x -> computesOnly(x.left) && computesOnly(x.right);
            case Expr.FieldAccess x -> computesOnly(x.resolved != null ? x.resolved : x.target);
            case Expr.Index x -> computesOnly(x.target) && computesOnly(x.index);
            case Expr.ListLit x -> x.elements.stream().allMatch(this::computesOnly);
            case Expr.TupleLit x -> x.elements.stream().allMatch(this::computesOnly);
            case Expr.RecordLit x -> x.fields.stream().allMatch(f -> computesOnly(f.value));
            case Expr.Lambda x -> true;
            case Expr.Call x -> x.callee instanceof Expr.Ident f && f.binding != null && f.binding.kind == Binding.Kind.BUILTIN
                            && VALUE_ONLY_BUILTINS.contains(f.name) && x.args.stream().allMatch(a -> computesOnly(a.value));
            default -> false;
        };
    }

    public void showResultOf(Expr e) {
        shownResult = e;
    }

    /** Let-patterns must match every value; their exhaustiveness is checked like a match's. */
    private final List<Expr.Match> irrefutable = new ArrayList<>();

    public List<Expr.Match> letPatternMatches() {
        return irrefutable;
    }

    /** An expression whose value is not used: a match in this position need not have arms of one type. */
    private void discard(Expr e) {
        discardResult(e);
        infer(e, null);
    }

    /**
     * The nested functions of a block are checked where they stand, so the lets before them already have
     * types. Mutually recursive ones form a group (strongly connected component) checked together at the
     * position of its last member. A nested function used before it is checked gets a placeholder type at
     * the block's level, which keeps it monomorphic rather than wrongly generalised.
     */
    private final Map<Binding, Integer> pendingLevel = new HashMap<>();

    private Map<Stmt.Fn, List<Stmt.Fn>> nestedGroups(List<Stmt> stmts) {
        List<Stmt> fns = new ArrayList<>();
        Map<Binding, Stmt> declOf = new HashMap<>();
        for (Stmt s : stmts) {
            if (s instanceof Stmt.Fn fn && fn.binding != null) {
                fns.add(s);
                declOf.put(fn.binding, s);
                pendingLevel.put(fn.binding, level);
            }
        }
        Map<Stmt.Fn, List<Stmt.Fn>> groupOfLast = new HashMap<>();
        for (List<Stmt> scc : Dependencies.components(fns, declOf)) {
            List<Stmt.Fn> group = new ArrayList<>();
            for (Stmt s : scc) {
                group.add((Stmt.Fn) s);
            }
            groupOfLast.put(group.get(group.size() - 1), group);
        }
        return groupOfLast;
    }

    private void checkNestedGroup(List<Stmt.Fn> group) {
        level++;
        for (Stmt.Fn fn : group) {
            List<Type.Var> placeholders = ownTypeParams.get(fn);
            Type.Fun ft = functionType(fn);
            if (fn.binding.type != null) {
                // Used before it was checked: its placeholder's type parameters become the ones of ft.
                if (placeholders != null) {
                    placeholders.forEach(v -> {
                        v.rigid = null;
                        v.level = level; // bound to ft's own type parameters, which are made at this level
                    });
                }
                unify(fn.binding.type, ft, fn, () -> "'" + fn.qualifiedName() + "'");
            }
            fn.binding.type = ft;
        }
        for (Stmt.Fn fn : group) {
            functionBody(fn, (Type.Fun) fn.binding.type);
        }
        chooseOverloads();
        level--;
        for (Stmt.Fn fn : group) {
            fn.binding.scheme = generalise(fn.binding.type);
            pendingLevel.remove(fn.binding);
        }
        generaliseOverloads(group.stream().map(fn -> fn.binding).toList());
    }

    // ---------------------------------------------------------------- coercion

    /**
     * {@code e}, whose type is {@code actual}, is used where {@code expected} is required: unify, inserting the
     * auto-unwrap/wrap/adapt conversions of spec 0004. Returns the type the use sees.
     */
    Type coerce(Expr e, Type actual, Type expected, Mode mode, Supplier<String> context) {
        Type a = actual.prune();
        Type x = expected.prune();
        if (isCon(x, Prelude.ANY) && !open(a) && !isCon(a, Prelude.ANY) && mode != Mode.EXACT) {
            // Any value may be stored as 'any' (spec 0004), a type parameter's too; getting it out again takes a match.
            if (Prelude.isMathResult(a)) {
                e.coercion = Coercion.VALUE_OR_ERROR;
            }
            return x;
        }
        if (isCon(a, Prelude.ANY) && x instanceof Type.Con xc && xc.info != Prelude.ANY) {
            String target = TypePrinter.print(x);
            error(e, switch (mode) {
                case ARGUMENT -> "cannot pass 'any' type to function expecting '" + target + "' - pattern matching required";
                case DECLARED -> "cannot assign 'any' to '" + target + "' without pattern matching";
                case EXACT -> "cannot implicitly convert 'any' to '" + target + "' - use pattern matching to extract specific type";
            });
            return x;
        }
        if (mode != Mode.EXACT) {
            if (Prelude.isMathResult(a)) {
                Type inner = ((Type.Con) a).args.get(0);
                boolean plainTarget = x instanceof Type.Con xc && xc.info != Prelude.RESULT;
                if (plainTarget || (x instanceof Type.Var && mode == Mode.ARGUMENT)) {
                    e.coercion = Coercion.UNWRAP;
                    unify(x, inner, e, context);
                    return x;
                }
            }
            if (Prelude.isMathResult(x) && (a instanceof Type.Con ac && ac.info != Prelude.RESULT || a instanceof Type.Tuple)) {
                e.coercion = Coercion.WRAP;
                unify(((Type.Con) x).args.get(0), a, e, context);
                return x;
            }
            if (a instanceof Type.Fun af && x instanceof Type.Fun xf && af.params.size() == xf.params.size()) {
                Coercion adapt = adaptFunction(e, af, xf, mode, context);
                if (adapt != null) {
                    e.coercion = adapt;
                    return x;
                }
            }
        }
        unify(x, a, e, context);
        return x;
    }

    /**
     * A function value used where a function of a slightly different type is expected: each parameter and the
     * result are coerced individually. Returns null when plain unification is all that is needed.
     */
    private Coercion adaptFunction(Expr e, Type.Fun actual, Type.Fun expected, Mode mode, Supplier<String> context) {
        Coercion.Adapt adapt = parts(actual, expected, mode);
        if (adapt == null) {
            return null;
        }
        // Unify the parts that need no conversion.
        for (int i = 0; i < actual.params.size(); i++) {
            if (adapt.params().get(i) == null) {
                unify(actual.params.get(i), expected.params.get(i), e, context);
            }
        }
        if (adapt.result() == null) {
            unify(expected.result, actual.result, e, context);
        }
        return adapt;
    }

    /**
     * The conversions of a function of type {@code actual} used as {@code expected}: each parameter (the other
     * way round, as the adapter passes its arguments on) and the result; null when none is needed.
     */
    private Coercion.Adapt parts(Type.Fun actual, Type.Fun expected, Mode mode) {
        List<Coercion> params = new ArrayList<>();
        boolean any = false;
        for (int i = 0; i < actual.params.size(); i++) {
            Coercion c = componentCoercion(expected.params.get(i), actual.params.get(i), Mode.DECLARED);
            if (c == null && (open(actual.params.get(i).prune()) || open(expected.params.get(i).prune()))) {
                // A generic function's parameter takes the other's type before the result is looked at, so the
                // result is seen as it will be: fn id(x) = x used as (int) -> Result<int, MathError> gives an
                // int, wrapped in Success, rather than a mismatch of its 'x' with the Result.
                Unifier.tryUnify(actual.params.get(i), expected.params.get(i));
            }
            params.add(c);
            any |= c != null;
        }
        Coercion result = componentCoercion(actual.result, expected.result, mode);
        return any || result != null ? new Coercion.Adapt(params, result) : null;
    }

    /** The conversion of a value of type {@code from} used as {@code to}, applying any unification it needs. */
    private Coercion componentCoercion(Type from, Type to, Mode mode) {
        Type f = from.prune();
        Type t = to.prune();
        if (Prelude.isMathResult(f) && isCon(t, Prelude.ANY) && mode != Mode.EXACT) {
            return Coercion.VALUE_OR_ERROR; // as coerce stores such a Result as 'any'
        }
        if (isCon(t, Prelude.ANY) && !open(f) && !isCon(f, Prelude.ANY) && mode != Mode.EXACT) {
            return Coercion.AS_ANY; // any value may be stored as 'any' (coerce), so a function taking 'any' takes an int
        }
        if (Prelude.isMathResult(f)) {
            boolean plain = t instanceof Type.Con tc && tc.info != Prelude.RESULT;
            if (plain || (t instanceof Type.Var && mode == Mode.ARGUMENT)) {
                if (Unifier.tryUnify(t, ((Type.Con) f).args.get(0))) {
                    return Coercion.UNWRAP;
                }
            }
        }
        if (Prelude.isMathResult(t) && f instanceof Type.Con fc && fc.info != Prelude.RESULT) {
            if (Unifier.tryUnify(((Type.Con) t).args.get(0), f)) {
                return Coercion.WRAP;
            }
        }
        if (f instanceof Type.Fun ff && t instanceof Type.Fun tf && ff.params.size() == tf.params.size()) {
            // A function inside a function's type (`map(fs, fn(f: () -> int) => f())` over lambdas that return
            // arithmetic's Result): adapted like the outer one, each time it is passed.
            Coercion.Adapt adapt = parts(ff, tf, mode);
            if (adapt == null) {
                return null;
            }
            for (int i = 0; i < ff.params.size(); i++) {
                if (adapt.params().get(i) == null && !Unifier.tryUnify(ff.params.get(i), tf.params.get(i))) {
                    return null;
                }
            }
            if (adapt.result() == null && !Unifier.tryUnify(tf.result, ff.result)) {
                return null;
            }
            return adapt;
        }
        return null;
    }

    /** Checks {@code e} against {@code expected} with the given conversion rules. */
    private Type check(Expr e, Type expected, Mode mode, Supplier<String> context) {
        Type t = infer(e, expected);
        return coerce(e, t, expected, mode, context);
    }

    /** An operand of an operator: its value, unwrapped if it is arithmetic's Result. */
    private Type operand(Expr e) {
        Type t = infer(e, null).prune();
        if (Prelude.isMathResult(t)) {
            e.coercion = Coercion.UNWRAP;
            return ((Type.Con) t).args.get(0).prune();
        }
        return t;
    }

    // ---------------------------------------------------------------- expressions

    /** Infers the type of {@code e}; {@code expected}, when known, guides lambdas, matches and literals. */
    public Type infer(Expr e, Type expected) {
        if (e.type != null) {
            return e.type;
        }
        Type t = switch (e) {
            case Expr.IntLit x -> Prelude.T_INT;
            case Expr.FloatLit x -> Prelude.T_FLOAT;
            case Expr.BoolLit x -> Prelude.T_BOOL;
            case Expr.UnitLit x -> Prelude.T_UNIT;
            case Expr.StringLit s -> {
                for (Object part : s.parts) {
                    if (part instanceof Expr pe) {
                        Type pt = infer(pe, null).prune();
                        if (Prelude.isMathResult(pt)) {
                            pe.coercion = Coercion.UNWRAP;
                        } else if (isCon(pt, Prelude.ANY)) {
                            error(pe, "cannot implicitly convert 'any' to 'string' - use pattern matching to extract specific type");
                        }
                    }
                }
                yield Prelude.T_STRING;
            }
            case Expr.Ident id -> ident(id, expected);
            case Expr.Binary b -> pipedOperand(b.left.start, b.right, b.op.symbol, () -> binary(b));
            case Expr.Unary u when u.op == '!' -> pipedOperand(u.start, u.operand, "!", () -> unary(u));
            case Expr.Unary u -> unary(u);
            case Expr.Call c -> call(c, expected);
            case Expr.MethodCall m -> methodCall(m, expected);
            case Expr.FieldAccess f -> fieldAccess(f);
            case Expr.Index ix -> index(ix);
            case Expr.Lambda l -> lambda(l, expected);
            case Expr.Block b -> block(b, expected);
            case Expr.Match m -> match(m, expected);
            case Expr.RecordLit r -> recordLit(r, expected);
            case Expr.RecordUpdate r when r.construction != null -> recordLit(r.construction, expected);
            case Expr.RecordUpdate r -> recordUpdate(r);
            case Expr.ListLit l -> listLit(l, expected);
            case Expr.MapLit m -> mapLit(m, expected);
            case Expr.TupleLit tl -> tupleLit(tl, expected);
            case Expr.Comprehension c -> comprehension(c);
            case Expr.Spawn sp -> spawn(sp, expected);
            case Expr.Select sel -> select(sel, expected);
            case Expr.NewChannel nc -> newChannel(nc);
            case Expr.Extern f -> extern(f);
            case Expr.Perform p -> perform(p);
            case Expr.Handle h -> handle(h, expected);
        };
        e.type = t;
        return t;
    }

    private Type ident(Expr.Ident id, Type expected) {
        if (id.variant != null && id.binding == null) {
            return constructorValue(id, expected);
        }
        Binding b = id.binding;
        if (b == null) {
            return fresh(); // unknown name, already reported
        }
        if (b.kind == Binding.Kind.BUILTIN) {
            Type subject = expected != null && expected.prune() instanceof Type.Fun f && !f.params.isEmpty() ? f.params.get(0) : null;
            if (subject == null || Prelude.withoutMathResult(subject) instanceof Type.Var) {
                Type deferred = deferredOverloadValue(id);
                if (deferred != null) {
                    return deferred;
                }
            }
            FunctionSignature sig = chooseOverload(id.name, subject);
            id.variant = sig;
            return Types.instantiate(sig.scheme(), level);
        }
        if (b.scheme != null) {
            return instantiate(b, id);
        }
        if (b.type == null && b.kind == Binding.Kind.NESTED_FUNCTION && b.decl instanceof Stmt.Fn fn && pendingLevel.containsKey(b)) {
            // Used before its declaration was checked: a placeholder at the block's level (see nestedGroups).
            int saved = level;
            level = pendingLevel.get(b);
            b.type = functionType(fn);
            level = saved;
        }
        if (b.type == null) {
            b.type = fresh();
        }
        return b.decl instanceof Stmt.Fn fn ? withOwnTypeParamsFresh(fn, b.type) : b.type;
    }

    /**
     * A use of a function not generalised yet (in its own body, in a function it calls that calls it, before
     * its declaration in a block): its type parameters are the caller's to choose, as they are once it is
     * (fn walk<T>(t: Tree<T>) may call walk on a Tree<int>); the rest of its type is still being found.
     */
    private Type withOwnTypeParamsFresh(Stmt.Fn fn, Type t) {
        List<Type.Var> own = ownTypeParams.get(fn);
        if (own == null || own.isEmpty()) {
            return t;
        }
        Map<Type.Var, Type> fresh = new HashMap<>();
        for (Type.Var v : own) {
            fresh.put(v, Types.freshLike(v, level));
        }
        return Types.subst(t, fresh);
    }

    /**
     * The forms of an overloaded builtin ("string, List<T> or Map<K, V>") when the subject's type is known and
     * fits none of them; null when one fits or the type is not known yet.
     */
    private static String noOverloadFits(List<FunctionSignature> sigs, Type subject) {
        Type s = Prelude.withoutMathResult(subject);
        if (!(s instanceof Type.Con c) || c.info == Prelude.ANY) {
            return null; // 'any' has its own message, given with the argument
        }
        List<String> forms = new ArrayList<>();
        for (FunctionSignature sig : sigs) {
            if (sig.subjectInfo() == c.info || sig.subjectInfo() == null) {
                return null;
            }
            forms.add(sig.subjectInfo() == Prelude.MAP ? "Map<K, V>" : sig.subjectInfo() == Prelude.LIST ? "List<T>" : TypePrinter.print(sig.paramTypes.get(0)));
        }
        return forms.size() == 1 ? forms.get(0)
                        : String.join(", ", forms.subList(0, forms.size() - 1)) + " or " + forms.get(forms.size() - 1);
    }

    /** The message for an overloaded builtin's subject of a type none of its {@code forms} takes. */
    private static String noFormFor(String name, String forms, Type shown) {
        return noFormFor(name, "'" + name + "'", forms, shown);
    }

    /** As above, for the builtin {@code name} called as {@code called} (its name, or a let of it). */
    private static String noFormFor(String name, String called, String forms, Type shown) {
        return "type mismatch in the argument of " + called + ": expected " + forms + ", found " + TypePrinter.print(shown)
                        + (Types.isCon(shown, Prelude.ITERATOR) ? " (use toList(...) to make a list of an iterator)"
                                        : Types.isCon(shown, Prelude.STRING) && name.equals("toInt") ? " (parseInt(...) reads an int from a string)"
                                        : Types.isCon(shown, Prelude.STRING) && name.equals("toFloat") ? " (parseFloat(...) reads a float from a string)"
                                        : Types.isCon(shown, Prelude.STRING) && ITERATING.contains(name) ? " (" + Resolver.STRING_IS_NOT_A_LIST + ")"
                                        : matchFirst(shown, true));
    }

    /** The builtins that walk a collection, which a string is not (spec 0012 has no character type). */
    private static final Set<String> ITERATING = Set.of("map", "filter", "fold", "forEach", "toList");

    /** A default to show in a hint for a value of type t: the empty one of its kind. */
    private static String emptyOf(Type t) {
        return Types.isCon(t, Prelude.LIST) ? "[]" : Types.isCon(t, Prelude.MAP) ? "{}" : Types.isCon(t, Prelude.STRING) ? "\"\""
                        : Types.isCon(t, Prelude.INT) ? "0" : Types.isCon(t, Prelude.FLOAT) ? "0.0" : Types.isCon(t, Prelude.BOOL) ? "false" : "default";
    }

    private FunctionSignature chooseOverload(String name, Type subject) {
        List<FunctionSignature> sigs = env.builtins.get(name);
        if (sigs.size() == 1 || subject == null) {
            return sigs.get(0);
        }
        Type s = Prelude.withoutMathResult(subject);
        if (s instanceof Type.Con c) {
            for (FunctionSignature sig : sigs) {
                if (sig.subjectInfo() == c.info) {
                    return sig;
                }
            }
        }
        return sigs.get(0);
    }

    /** A constructor used as a value: {@code Red}, or {@code Some} as a function. */
    private Type constructorValue(Expr.Ident id, Type expected) {
        VariantInfo v = pickVariant(id.name, expected, id);
        if (v == null) {
            return fresh();
        }
        id.variant = v;
        List<Type> args = Types.freshArgs(v.owner, level);
        Type owner = new Type.Con(v.owner, args);
        if (!v.hasFields()) {
            return owner;
        }
        return new Type.Fun(Types.variantFieldTypes(v, args), owner);
    }

    /** Resolves a constructor name, using the expected type when the name belongs to several unions. */
    private VariantInfo pickVariant(String name, Type expected, Node at) {
        List<VariantInfo> candidates = types.constructors(name);
        if (candidates.isEmpty()) {
            error(at, "unknown constructor '" + name + "'");
            return null;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (expected != null && expected.prune() instanceof Type.Con c) {
            for (VariantInfo v : candidates) {
                if (v.owner == c.info) {
                    return v;
                }
            }
        }
        return candidates.get(0);
    }

    // ---------------------------------------------------------------- operators

    private Type binary(Expr.Binary b) {
        BinOp op = b.op;
        if (op == BinOp.AND || op == BinOp.OR) {
            Type l = operand(b.left);
            unify(Prelude.T_BOOL, l, b.left, () -> "the left operand of '" + op.symbol + "'");
            Type r = operand(b.right);
            if (!missingOperand(b, Prelude.T_BOOL, r)) {
                unify(Prelude.T_BOOL, r, b.right, () -> "the right operand of '" + op.symbol + "'");
            }
            b.operandType = Prelude.T_BOOL;
            return Prelude.T_BOOL;
        }
        if (op == BinOp.ADD && b.left instanceof Expr.ListLit ll && b.right instanceof Expr.ListLit rl) {
            // [1 + 1] + [Success(1)]: the elements of both sides decide the element type together, as in one list.
            List<Expr> all = new ArrayList<>(ll.elements);
            all.addAll(rl.elements);
            Type t = listLit(new Expr.ListLit(ll.start, rl.end, all), null);
            ll.type = t;
            rl.type = t;
            b.operandType = t;
            return t;
        }
        if (op == BinOp.ADD && b.left instanceof Expr.MapLit ml && b.right instanceof Expr.MapLit mr) {
            // {"a": 1 + 1} + {"b": Success(1)}: decided together as one literal, each side's keys its own.
            List<Expr.MapEntry> all = new ArrayList<>(ml.entries);
            all.addAll(mr.entries);
            Type t = mapLit(new Expr.MapLit(ml.start, mr.end, all), null, ml.entries.size());
            ml.type = t;
            mr.type = t;
            b.operandType = t;
            return t;
        }
        Type l;
        Type r = null;
        if (op == BinOp.ADD && (isCollectionLiteral(b.left) && !isCollectionLiteral(b.right) || isEmptyBlock(b.left))) {
            // [fn(x) => x * 2] + xs: the literal is checked against the other side's type, so its elements coerce
            // as they do in xs + [...]; both orders of '+' accept the same lists. A '{}' there is the empty map
            // where the other side is a map ({} + m, as m + {}), as a block can give no value to add to.
            r = operand(b.right);
            if (r instanceof Type.Con rc && (rc.info == Prelude.LIST || rc.info == Prelude.MAP)) {
                check(b.left, r, Mode.ARGUMENT, () -> "the left operand of '+'");
                b.operandType = r;
                return r;
            }
            l = operand(b.left);
        } else {
            l = operand(b.left);
            if (op == BinOp.ADD && l instanceof Type.Con lc && (lc.info == Prelude.LIST || lc.info == Prelude.MAP)) {
                // xs + [fn(x) => x * 2]: the right side is checked against the left's type, so its elements coerce.
                check(b.right, l, Mode.ARGUMENT, () -> "the right operand of '+'");
                b.operandType = l;
                return l;
            }
        }
        if (r == null) {
            r = operand(b.right);
        }
        if (op.isComparison()) {
            return comparison(b, l, r);
        }
        if (isCon(l, Prelude.ANY) || isCon(r, Prelude.ANY)) {
            error(isCon(l, Prelude.ANY) ? b.left : b.right, "cannot use 'any' type directly in arithmetic operation - pattern matching required");
            return reportedType();
        }
        if (isReported(l) || isReported(r)) {
            return reportedType();
        }
        if (op == BinOp.ADD) {
            for (TypeInfo concat : List.of(Prelude.STRING, Prelude.LIST, Prelude.MAP)) {
                if (l instanceof Type.Con lc && lc.info == concat || r instanceof Type.Con rc && rc.info == concat) {
                    if (missingOperand(b, l, r)) {
                        return reportedType();
                    }
                    if (concat == Prelude.STRING && isCon(r, Prelude.STRING) && l.prune() instanceof Type.Con lc && lc.info != Prelude.LIST
                                    && lc.info != Prelude.MAP && !unparenthesizedPipe(b.right)) {
                        // `count + " apples"` (JavaScript, Java): the string on the right says what was meant, so the
                        // left operand is the one to change, by toString or interpolation (a pipe there, `count + 1 |>
                        // toString`, is the operand pipedOperand explains)
                        if (!unify(r, l, b.left, () -> "the left operand of '+'")) {
                            return reportedType();
                        }
                        b.operandType = r;
                        return r;
                    }
                    unify(l, r, b.right, () -> "the right operand of '+'");
                    b.operandType = l;
                    return l;
                }
            }
        }
        Type num = numericOperands(b, l, r);
        if (num == null) {
            return reportedType();
        }
        b.operandType = op == BinOp.DIV ? Prelude.T_FLOAT : num;
        return Prelude.mathResult(op == BinOp.DIV ? Prelude.T_FLOAT : num);
    }

    /**
     * A hint for an operator that ends its line, its right operand being the next line: {@code let x = 1 +} and then
     * {@code print(x)} is {@code 1 + print(x)}, which reads as a forgotten right operand, not as a sum.
     */
    private String operandOnNextLine(Expr.Binary b) {
        if (b.left.end > b.right.start || b.right.start > source.length() || source.substring(b.left.end, b.right.start).indexOf('\n') < 0
                        || indentation(b.right.start) > indentation(b.left.end)) {
            return null; // an operand indented further reads as the continuation it is
        }
        return "the expression goes on from line " + line(b.left.end) + ", which ends with '" + b.op.symbol + "': is its right operand missing?";
    }

    /**
     * Reports a right operand of type unit that is the statement after an operator ending its line (a forgotten
     * operand, see {@link #operandOnNextLine}) as the mismatch it is, with that hint; false, reporting nothing, for
     * any other operand.
     */
    private boolean missingOperand(Expr.Binary b, Type expected, Type r) {
        String hint = isCon(r, Prelude.UNIT) ? operandOnNextLine(b) : null;
        if (hint == null) {
            return false;
        }
        mismatchAt(b.right, mismatch("the right operand of '" + b.op.symbol + "'", expected, r, hint));
        resolver.withdrawSelfReferences(b.right.start, b.right.end);
        return true;
    }

    /** The spaces and tabs that begin the line holding {@code offset}. */
    private int indentation(int offset) {
        int begin = source.lastIndexOf('\n', offset - 1) + 1;
        int i = begin;
        while (i < source.length() && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
            i++;
        }
        return i - begin;
    }

    private static boolean isCollectionLiteral(Expr e) {
        return e instanceof Expr.ListLit || e instanceof Expr.MapLit;
    }

    /** int op int is int; a float on either side makes it float (spec 0013 table); unknowns default to int. */
    private Type numericOperands(Expr.Binary b, Type l, Type r) {
        boolean lv = open(l);
        boolean rv = open(r);
        if (lv && rv) {
            unify(Prelude.T_INT, l, b.left, null);
            unify(Prelude.T_INT, r, b.right, null);
            return Prelude.T_INT;
        }
        if (lv) {
            unify(r, l, b.left, null);
            l = r;
        } else if (rv) {
            unify(l, r, b.right, null);
            r = l;
        }
        boolean lInt = isCon(l, Prelude.INT), lFloat = isCon(l, Prelude.FLOAT);
        boolean rInt = isCon(r, Prelude.INT), rFloat = isCon(r, Prelude.FLOAT);
        // "-" * 20 (Python, Ruby): a string times an int is repeat (spec 0012), which gives a Result.
        String repeat = b.op == BinOp.MUL && (isCon(l, Prelude.STRING) && rInt || lInt && isCon(r, Prelude.STRING))
                        ? " (repeat(s, n) repeats a string n times, giving a Result)"
                        : b.op == BinOp.MOD && isCon(l, Prelude.STRING) ? " (Osprey has no format strings: a string takes values in ${...},"
                                        + " \"Hello, ${name}\")" // `"Hello, %s" % name` (Python)
                        : "";
        if (!(lInt || lFloat)) {
            error(b.left, "operator '" + b.op.symbol + "' needs numbers" + (b.op == BinOp.ADD ? ", strings, lists or maps" : "")
                            + ", found " + TypePrinter.print(l) + matchFirst(l) + repeat);
            return null;
        }
        if (!(rInt || rFloat)) {
            String hint = operandOnNextLine(b);
            error(b.right, "operator '" + b.op.symbol + "' needs numbers, found " + TypePrinter.print(r) + matchFirst(r) + repeat
                            + (hint == null ? "" : " (" + hint + ")"));
            if (hint != null) {
                resolver.withdrawSelfReferences(b.right.start, b.right.end);
            }
            return null;
        }
        return lInt && rInt ? Prelude.T_INT : Prelude.T_FLOAT;
    }

    private Type comparison(Expr.Binary b, Type l, Type r) {
        boolean numeric = (isCon(l, Prelude.INT) || isCon(l, Prelude.FLOAT)) && (isCon(r, Prelude.INT) || isCon(r, Prelude.FLOAT));
        if (numeric && !l.equals(r) && !(isCon(l, Prelude.INT) && isCon(r, Prelude.INT)) && !(isCon(l, Prelude.FLOAT) && isCon(r, Prelude.FLOAT))) {
            b.operandType = Prelude.T_FLOAT; // int compared with float: the int is promoted
            return Prelude.T_BOOL;
        }
        if (isCon(l, Prelude.ANY) || isCon(r, Prelude.ANY)) {
            error(isCon(l, Prelude.ANY) ? b.left : b.right, "cannot use 'any' type directly in a comparison - pattern matching required");
            return Prelude.T_BOOL;
        }
        Type lp = l.prune();
        Type rp = r.prune();
        if (Prelude.isResult(lp) != Prelude.isResult(rp) && !(lp instanceof Type.Var) && !(rp instanceof Type.Var)) {
            // board[i] == Empty: the index gives a Result, which the mismatch alone does not say what to do about.
            String side = Prelude.isResult(lp) ? "left" : "right";
            mismatchAt(Prelude.isResult(lp) ? b.left : b.right, mismatch("the comparison '" + b.op.symbol + "'", l, r, "the " + side
                            + " side is a Result: compare its value, taken with ?: and a default or with a match"));
            return Prelude.T_BOOL;
        }
        if (!unify(l, r, b.right, () -> "the comparison '" + b.op.symbol + "'")) {
            return Prelude.T_BOOL;
        }
        Type t = l.prune();
        if (b.op != BinOp.EQ && b.op != BinOp.NE) {
            if (open(t)) {
                unify(Prelude.T_INT, t, b.left, null);
                t = Prelude.T_INT;
            }
            if (!(isCon(t, Prelude.INT) || isCon(t, Prelude.FLOAT) || isCon(t, Prelude.STRING))) {
                error(b, "operator '" + b.op.symbol + "' compares numbers or strings, not " + TypePrinter.print(t));
            }
        } else if (t instanceof Type.Fun) {
            error(b, "functions cannot be compared with '" + b.op.symbol + "'");
        } else if (typeIn(t, x -> isCon(x, Prelude.ITERATOR), new HashSet<>()) != null) {
            // An iterator is a computation not run yet (it may hold functions): two equal ranges were unequal.
            error(b, "'" + b.op.symbol + "' cannot compare " + TypePrinter.print(t) + ": an iterator is not a value until it runs;"
                            + " compare lists instead (toList(...))");
        } else {
            Type inside = typeIn(t, x -> x instanceof Type.Fun, new HashSet<>());
            if (inside != null) {
                error(b, "'" + b.op.symbol + "' cannot compare " + TypePrinter.print(t) + ": it holds functions (" + TypePrinter.print(inside)
                                + "), and functions cannot be compared");
            }
        }
        b.operandType = t;
        return Prelude.T_BOOL;
    }

    /**
     * The first type that {@code wanted} picks inside a type that == would compare structurally (the type
     * itself, a list or map element, a tuple's part, a record's field, a variant's field), or null; a
     * function type is not looked into. Type variables hold nothing as far as the checker can see: a generic
     * function comparing its arguments compares whatever it is given.
     */
    private static Type typeIn(Type type, java.util.function.Predicate<Type> wanted, Set<TypeInfo> seen) {
        Type t = type.prune();
        if (wanted.test(t)) {
            return t;
        }
        List<Type> parts = new ArrayList<>();
        if (t instanceof Type.Tuple tuple) {
            parts.addAll(tuple.elements);
        } else if (t instanceof Type.Con c) {
            parts.addAll(c.args);
            if (seen.add(c.info)) { // a recursive type is looked into once
                parts.addAll(fieldTypesOf(c.info));
            }
        }
        for (Type part : parts) {
            Type found = typeIn(part, wanted, seen);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The declared types of a record's fields, or of all the fields of a union's variants (none for other types). */
    private static List<Type> fieldTypesOf(TypeInfo info) {
        List<Type> fields = new ArrayList<>();
        if (info.isRecord() && info.fieldTypes != null) {
            fields.addAll(info.fieldTypes);
        }
        if (info.isUnion()) {
            for (VariantInfo v : info.variants) {
                fields.addAll(v.fieldTypes);
            }
        }
        return fields;
    }

    /**
     * Checks an operator ({@code check}) whose (right) operand is {@code operand}. Spec 0003's grammar binds '|>'
     * tighter than every operator, so {@code a * 2 |> print} is {@code a * (2 |> print)}: when a pipe that is such
     * an operand does not fit the operator, the error says so and what to write, since the writer meant
     * {@code (a * 2) |> print}. {@code from} is where the operator's expression starts.
     */
    private Type pipedOperand(int from, Expr operand, String symbol, Supplier<Type> check) {
        int before = diagnostics.size();
        Type t = check.get();
        if (!unparenthesizedPipe(operand)) {
            return t;
        }
        Expr subject = operand;
        while (subject instanceof Expr.Call piped && piped.fromPipe && !piped.args.isEmpty()) {
            subject = piped.args.get(0).value;
        }
        for (int i = before; i < diagnostics.size(); i++) {
            Diagnostic d = diagnostics.get(i);
            if (d.start() == operand.start && d.end() == operand.end) {
                String meant = source.substring(from, subject.end);
                diagnostics.set(i, new Diagnostic(d.start(), d.end(), d.message() + " (the pipe binds tighter than '" + symbol
                                + "', spec 0003: write (" + (meant.length() > 40 || meant.contains("\n") ? "..." : meant) + ") |> ...)"));
            }
        }
        return t;
    }

    /** Whether {@code operand} is a pipe not written in brackets: {@code a * 2 |> print}, not {@code a * (2 |> print)}. */
    private boolean unparenthesizedPipe(Expr operand) {
        return operand instanceof Expr.Call c && c.fromPipe && !source.substring(0, operand.start).stripTrailing().endsWith("(");
    }

    private Type unary(Expr.Unary u) {
        if (u.op == '!') {
            Type t = operand(u.operand);
            unify(Prelude.T_BOOL, t, u.operand, () -> "the operand of '!'");
            return Prelude.T_BOOL;
        }
        Type t = infer(u.operand, null).prune();
        boolean chained = Prelude.isMathResult(t);
        Type inner = chained ? ((Type.Con) t).args.get(0).prune() : t;
        if (open(inner)) {
            unify(Prelude.T_INT, inner, u.operand, null);
            inner = Prelude.T_INT;
        }
        if (isCon(inner, Prelude.ANY)) {
            error(u.operand, "cannot use 'any' type directly in arithmetic operation - pattern matching required");
            return fresh();
        }
        if (!(isCon(inner, Prelude.INT) || isCon(inner, Prelude.FLOAT))) {
            // spec 0003: unaryExpression ::= ("+" | "-" | "!")? pipeExpression, so -x |> f is -(x |> f)
            Expr subject = u.operand;
            while (subject instanceof Expr.Call c && c.fromPipe && !c.args.isEmpty()) {
                subject = c.args.get(0).value;
            }
            String pipe = subject == u.operand ? ""
                            : " (the pipe binds tighter than '" + u.op + "', spec 0003: write (" + u.op
                                            + source.substring(subject.start, subject.end) + ") |> ...)";
            error(u.operand, "operator '" + u.op + "' needs a number, found " + TypePrinter.print(inner) + pipe);
            return fresh();
        }
        if (chained) {
            u.operand.coercion = Coercion.UNWRAP;
            return Prelude.mathResult(inner);
        }
        return inner;
    }

    // ---------------------------------------------------------------- calls

    private Type call(Expr.Call c, Type expected) {
        if (c.callee instanceof Expr.Ident id && id.variant != null && id.binding == null) {
            return constructorCall(c, id, expected);
        }
        if (c.callee instanceof Expr.Ident id && id.binding != null && id.binding.kind == Binding.Kind.BUILTIN) {
            return builtinCall(c, id, id.name, expected);
        }
        if (c.callee instanceof Expr.Ident id && builtinAliased(id) instanceof String builtin) {
            // let t = toString: t(1 + 2) is toString(1 + 2), "Success(3)" (spec 0004: toString keeps the Result),
            // not a call of a function value, whose argument would be unwrapped; so for every builtin.
            return builtinCall(c, id, builtin, expected);
        }
        if (c.callee instanceof Expr.Ident id && id.binding != null && id.binding.isFunction() && id.binding.decl instanceof Stmt.Fn fn) {
            callOf.put(id, c);
            Type ft = infer(c.callee, null).prune();
            c.kind = Expr.CallKind.FUNCTION;
            noteUnconstrained(c, id.binding, ft);
            List<String> names = fn.params.stream().map(p -> p.name).toList();
            List<String> notes = overloadChose.isEmpty() ? null : fn.params.stream().map(p -> p.type == null && p.binding != null && overloadChose.containsKey(p.binding)
                            ? "'" + overloadChose.get(p.binding) + "' has several forms and took its first for " + p.name + ", since nothing in '"
                                            + fn.qualifiedName() + "' says which: annotate " + p.name + " with the type you mean"
                            : null).toList();
            return applyArguments(c, ft, names, "'" + id.name + "'" + hidingBuiltin(id), true, notes);
        }
        if (c.callee instanceof Expr.Ident id && id.binding == null && id.variant == null) {
            c.kind = Expr.CallKind.VALUE;
            c.args.forEach(a -> infer(a.value, null)); // the unknown name is already reported
            infer(c.callee, null);
            return fresh();
        }
        Type ft = infer(c.callee, null).prune();
        c.kind = Expr.CallKind.VALUE;
        if (Prelude.isMathResult(ft) || !(ft instanceof Type.Fun || open(ft))) {
            error(c.callee, "this is not a function: its type is " + TypePrinter.print(ft));
            c.args.forEach(a -> infer(a.value, null));
            return fresh();
        }
        for (Arg a : c.args) {
            if (a.name != null) {
                error(a.start, a.start + a.name.length(), "named arguments need a function declared with 'fn'; "
                                + "this call goes through a function value, so pass the arguments by position");
                c.args.forEach(x -> infer(x.value, null));
                return fresh();
            }
        }
        if (open(ft)) {
            List<Type> ps = new ArrayList<>();
            for (int i = 0; i < c.args.size(); i++) {
                ps.add(fresh());
            }
            Type.Fun f = new Type.Fun(ps, fresh());
            unify(ft, f, c.callee, null);
            ft = f;
        }
        return applyArguments(c, ft, null, "the function", false, null);
    }

    /**
     * Said after the name of a function of the program that has a builtin's name, in every error about a call of
     * it: such a call that does not fit was most likely meant for the builtin ({@code fn filter(e: Expr)}, then
     * {@code range(0, 9) |> filter(fn(x) => x > 5)} elsewhere), and "'filter' takes 1 argument" alone does not
     * say that it is not the builtin that counts. Empty for other functions.
     */
    private String hidingBuiltin(Expr.Ident id) {
        if (!env.builtins.containsKey(id.name)) {
            return "";
        }
        String where = env.values.containsValue(id.binding) ? "an earlier entry's function" : "the function of line " + line(id.binding.decl.start);
        return " (" + where + ", which hides the builtin " + id.name + ")";
    }

    /**
     * Matches arguments to parameters (spec 0005), checks each and computes the call's type. {@code names} are
     * the parameter names when known; {@code userFunction} applies the named-argument rule.
     */
    private Type applyArguments(Expr.Call c, Type calleeType, List<String> names, String what, boolean userFunction, List<String> notes) {
        if (!(calleeType instanceof Type.Fun f)) {
            c.args.forEach(a -> infer(a.value, null));
            return fresh();
        }
        List<Expr> ordered = orderArguments(c, f.params.size(), names, what, userFunction, false);
        if (ordered == null) {
            c.args.forEach(a -> infer(a.value, null));
            return f.result;
        }
        c.ordered = ordered;
        // A lambda with parameters of no written type is checked after the other arguments, so that what they
        // say about its parameters is known in its body: ap(f: fn(n) => n * n, x: 3.0) has n a float, where
        // checked first the lambda took n for an int ('*' on an unknown type). An argument that is arithmetic's
        // Result, for a parameter of a type not known yet, waits for the lambdas in turn: whether it is
        // unwrapped depends on whether they take the Result itself (fn(r) => match r { Success ... }).
        Type[] found = new Type[ordered.size()];
        List<Integer> later = new ArrayList<>();
        List<Integer> last = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i) instanceof Expr.Lambda l && l.params.stream().anyMatch(p -> p.type == null)) {
                later.add(i);
                continue;
            }
            found[i] = infer(ordered.get(i), f.params.get(i));
            if (Prelude.isMathResult(found[i]) && open(f.params.get(i).prune())) {
                last.add(i);
            } else {
                coerceArgument(ordered.get(i), found[i], f.params.get(i), i, names, what, notes);
            }
        }
        for (int i : later) {
            coerceArgument(ordered.get(i), infer(ordered.get(i), f.params.get(i)), f.params.get(i), i, names, what, notes);
        }
        for (int i : last) {
            coerceArgument(ordered.get(i), found[i], f.params.get(i), i, names, what, notes);
        }
        boolean unwrapped = false;
        for (Expr arg : ordered) {
            unwrapped |= arg.coercion instanceof Coercion.Unwrap;
        }
        c.propagatesMathError = unwrapped && Prelude.isMathResult(f.result);
        if (unwrapped && open(f.result.prune())) {
            // A call of a function whose result is not known yet (its own recursive call, fn loop(n, acc) =
            // n == 0 ? acc + 0 : loop(n: n - 1, acc: acc * 1000)): once it is, an argument's Error is the call's
            // value if the function gives arithmetic's Result, as for any other call.
            Type result = f.result;
            deferred.add(() -> c.propagatesMathError = Prelude.isMathResult(result));
        }
        return f.result;
    }

    /** Argument {@code i} of a call, of type {@code t}, given to a parameter of type {@code param}. */
    private void coerceArgument(Expr arg, Type t, Type param, int i, List<String> names, String what, List<String> notes) {
        String pname = names != null ? names.get(i) : null;
        argumentNote = notes != null && i < notes.size() ? notes.get(i) : null;
        try {
            coerce(arg, t, param, Mode.ARGUMENT, () -> pname != null ? "argument '" + pname + "' of " + what : "argument " + (i + 1) + " of " + what);
        } finally {
            argumentNote = null;
        }
    }

    /**
     * What to write instead, for mistakes with the number of arguments: a pipe into a function of more
     * parameters than the piped value ({@code 5 |> add}: the pipe gives the first, the others are named in the
     * call), a step given to range, which has none, and two habits of Python: range without its start
     * ({@code range(10)}) and print of several values ({@code print(a, b)}).
     */
    private String arityHint(Expr.Call c, int arity, List<String> names) {
        if (c.fromPipe && c.args.size() == 1 && arity > 1 && names != null && names.size() == arity && c.callee instanceof Expr.Ident f) {
            List<String> rest = names.subList(1, arity).stream().map(n -> n + ": ...").toList();
            return "; the pipe gives its value as the first argument, '" + names.get(0) + "', and the others are named in the call: |> "
                            + f.name + "(" + String.join(", ", rest) + ")";
        }
        if (isBuiltinCall(c, "range") && c.args.size() == 3 && arity == 2) {
            return "; a range has no step: map a shorter one, range(start: 0, end: 5) |> map(i => i * 2), or filter it";
        }
        if (isBuiltinCall(c, "range") && c.args.size() == 1 && arity == 2 && !c.fromPipe) {
            // `range(10)` (Python): the start is always given
            return "; the start is given too: range(0, " + source.substring(c.args.get(0).start, c.args.get(0).end) + ")";
        }
        if ((isBuiltinCall(c, "print") || isBuiltinCall(c, "printErr")) && c.args.size() > 1 && arity == 1) {
            // `print(a, b)` (Python, JavaScript's console.log): the values go into one string
            List<String> pieces = c.args.stream().map(a -> a.value instanceof Expr.StringLit s && a.name == null
                            ? source.substring(s.start + 1, s.end - 1) : "${" + source.substring(a.value.start, a.value.end) + "}").toList();
            return "; to print several values, put them in one string: " + ((Expr.Ident) c.callee).name + "(\"" + String.join(" ", pieces) + "\")";
        }
        return "";
    }

    /** Whether {@code c} calls the builtin {@code name}, not a function of the program that has its name. */
    private static boolean isBuiltinCall(Expr.Call c, String name) {
        return c.callee instanceof Expr.Ident f && f.name.equals(name) && f.binding != null && f.binding.kind == org.osprey.ast.Binding.Kind.BUILTIN;
    }

    /**
     * Puts the arguments in parameter order by the rules of spec 0005: none, one positional or named, or all
     * named for two or more parameters (builtins and constructors also take positional arguments). Reports
     * the problem and returns null when the arguments do not fit.
     */
    private List<Expr> orderArguments(Expr.Call c, int arity, List<String> names, String what, boolean requireNames, boolean constructor) {
        List<Arg> args = c.args;
        if (args.size() != arity && !(args.stream().anyMatch(a -> a.name != null) && names != null)) {
            int given = args.size();
            if (fiberComputations.contains(c)) {
                // Fiber { computation: f }: the user wrote no call, so "0 were given" would not say what is wrong.
                error(c, "a Fiber's computation is called with no arguments, but " + what + " takes " + plural(arity, "argument")
                                + ": Fiber<T> { computation: fn() => ... } (spec 0011)");
                return null;
            }
            error(c, what + " takes " + plural(arity, "argument") + " but " + given + (given == 1 ? " was" : " were") + " given"
                            + (names != null && !names.isEmpty() ? " (parameter" + (names.size() == 1 ? ": " : "s: ") + String.join(", ", names) + ")" : "")
                            + arityHint(c, arity, names));
            return null;
        }
        Expr[] slots = new Expr[arity];
        int positional = 0;
        boolean sawNamed = false;
        for (Arg a : args) {
            if (a.name == null) {
                if (sawNamed) {
                    error(a, "positional argument after named arguments in the call to " + what);
                    return null;
                }
                if (positional >= arity) {
                    error(a, what + " takes " + plural(arity, "argument") + " but more were given");
                    return null;
                }
                slots[positional++] = a.value;
            } else {
                sawNamed = true;
                int idx = names == null ? -1 : names.indexOf(a.name);
                if (idx < 0) {
                    String close = null;
                    if (names != null) {
                        for (String n : names) {
                            if (n.length() > 2 && Resolver.editDistance(n, a.name, Math.max(1, n.length() / 3)) <= Math.max(1, n.length() / 3)) {
                                close = n;
                            }
                        }
                    }
                    error(a.start, a.start + a.name.length(), what + " has no parameter named '" + a.name + "'"
                                    + (close != null ? " (did you mean '" + close + "'?)"
                                                    : names != null && !names.isEmpty() ? " (parameters: " + String.join(", ", names) + ")" : ""));
                    return null;
                }
                if (slots[idx] != null) {
                    boolean byInjected = idx == 0 && !args.isEmpty() && args.get(0).injected;
                    error(a.start, a.start + a.name.length(), "argument '" + a.name + "' is given twice in the call to " + what
                                    + (byInjected ? ": the value " + (pipedInto(c) ? "piped in with |>" : "before '.'") + " is already its first argument, '"
                                                    + a.name + "'" : ""));
                    return null;
                }
                slots[idx] = a.value;
            }
        }
        if (requireNames && arity >= 2) {
            int written = 0;
            int injected = 0;
            for (Arg a : args) {
                if (a.injected) {
                    injected++;
                } else if (a.name == null) {
                    written++;
                }
            }
            if (written > 0) {
                boolean mixed = args.stream().anyMatch(a -> a.name != null);
                StringBuilder example = new StringBuilder();
                for (int i = injected; i < names.size(); i++) {
                    example.append(example.isEmpty() ? "" : ", ").append(names.get(i)).append(": ...");
                }
                String fname = c.callee instanceof Expr.Ident f ? f.name : what.replace("'", "");
                error(injected > 0 ? c.callee.start : c.start, c.end, mixed ? "cannot mix positional and named arguments in the call to " + what
                                : what + " has " + arity + " parameters, so its arguments must be named (spec 0005): " + fname + "("
                                                + example + ")");
                // The arguments still fill the parameters in order, so they are checked against them: a lambda
                // among them (countBy(entries, fn(e) => e.path)) then knows its parameter's type, where checked
                // without it its body gave a second error ("cannot tell which record type has the field").
                return Arrays.stream(slots).allMatch(Objects::nonNull) ? List.of(slots) : null;
            }
        }
        for (int i = 0; i < arity; i++) {
            if (slots[i] == null) {
                error(c, "missing argument '" + (names != null ? names.get(i) : String.valueOf(i + 1)) + "' in the call to " + what);
                return null;
            }
        }
        return List.of(slots);
    }

    /** Whether the injected first argument of {@code c} came from a pipe rather than a method call's receiver. */
    private boolean pipedInto(Expr.Call c) {
        int from = c.args.get(0).end;
        int to = c.callee.start;
        return from <= to && to <= source.length() && source.substring(from, to).contains("|>");
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /**
     * The builtin that {@code id} names through lets of it without a type annotation ({@code let t = toString},
     * and {@code let s = t} after it), or null: such a name is the builtin, so a call of it is the builtin's call.
     */
    private static String builtinAliased(Expr.Ident id) {
        Binding b = id.binding;
        for (int hops = 0; b != null && hops < 1000; hops++) {
            if (b.mutable || !(b.decl instanceof Stmt.Let let) || let.annotation != null || !(let.value instanceof Expr.Ident next)
                            || next.binding == null) {
                return null;
            }
            if (next.binding.kind == Binding.Kind.BUILTIN) {
                return next.name;
            }
            b = next.binding;
        }
        return null;
    }

    /** How a message names the builtin {@code name} called as {@code id}: 'length', or 'size' (which is 'length'). */
    private static String calledAs(Expr.Ident id, String name) {
        return id.name.equals(name) ? "'" + name + "'" : "'" + id.name + "' (which is '" + name + "')";
    }

    /**
     * Where a builtin's value is expected to hold 'any' ({@code let rows: List<Map<string, any>> = xs |> map(fn(x) =>
     * {"n": x, "s": "a"})}), the element types that only its function arguments give (map's U, not filter's T,
     * which its list gives too) are taken from the expected type before the arguments are checked: a literal that
     * a lambda gives is then stored as 'any', as it is where a 'let' declared so holds it directly. Without this
     * the lambda's map literal was a Map<string, int> with a string in it, two errors.
     */
    private void expectResult(Type.Fun f, Type expected) {
        if (expected == null || !(f.result.prune() instanceof Type.Con rc) || !(expected.prune() instanceof Type.Con ec) || rc.info != ec.info
                        || rc.args.size() != ec.args.size()) {
            return;
        }
        for (int i = 0; i < rc.args.size(); i++) {
            Type want = ec.args.get(i);
            if (rc.args.get(i).prune() instanceof Type.Var v && open(v) && mentionsAny(want) && f.params.stream().allMatch(p -> onlyAsResult(v, p))) {
                unify(want, v, null, null);
            }
        }
    }

    private static boolean mentionsAny(Type t) {
        return switch (t.prune()) {
            case Type.Con c -> c.info == Prelude.ANY || c.args.stream().anyMatch(Checker::mentionsAny);
            case Type.Tuple tu -> tu.elements.stream().anyMatch(Checker::mentionsAny);
            default -> false;
        };
    }

    /** Whether {@code v} occurs in {@code t} only as (part of) the result of a function type. */
    private static boolean onlyAsResult(Type.Var v, Type t) {
        return switch (t.prune()) {
            case Type.Var w -> w != v;
            case Type.Fun fn -> fn.params.stream().noneMatch(p -> Types.occurs(v, p));
            case Type.Con c -> c.args.stream().allMatch(a -> onlyAsResult(v, a));
            case Type.Tuple tu -> tu.elements.stream().allMatch(a -> onlyAsResult(v, a));
        };
    }

    /** A call of the builtin {@code name}, written as {@code id} (the builtin's own name, or a let of it). */
    private Type builtinCall(Expr.Call c, Expr.Ident id, String name, Type expected) {
        List<FunctionSignature> sigs = env.builtins.get(name);
        FunctionSignature sig = sigs.get(0);
        if (sigs.size() > 1 && !c.args.isEmpty()) {
            // Overloads (length of a string, a list or a map) are chosen by the subject: the first argument.
            Arg subject = c.args.get(0);
            for (Arg a : c.args) {
                if (a.name != null && sigs.stream().anyMatch(s -> !s.paramNames.isEmpty() && s.paramNames.get(0).equals(a.name))) {
                    subject = a;
                }
            }
            Type st = infer(subject.value, null);
            if (Prelude.withoutMathResult(st) instanceof Type.Var) {
                Type deferred = deferredOverload(c, id, name, sigs, subject.value, st);
                if (deferred != null) {
                    return deferred;
                }
            }
            if (st.prune() instanceof Type.Var && subject.value instanceof Expr.Ident sid && sid.binding != null
                            && sid.binding.kind == Binding.Kind.LOCAL) {
                overloadChose.put(sid.binding, name);
            }
            sig = chooseOverload(name, st);
            String forms = noOverloadFits(sigs, st);
            if (forms != null) {
                error(subject.value, noFormFor(name, calledAs(id, name), forms, st.prune()));
                for (Arg a : c.args) {
                    if (a != subject) {
                        infer(a.value, null);
                    }
                }
                c.kind = Expr.CallKind.BUILTIN;
                return fresh();
            }
        }
        Expr first = c.args.isEmpty() ? null : c.args.get(0).value;
        if (c.args.size() >= 2 && c.args.get(0).name == null
                        && (first instanceof Expr.Lambda || first instanceof Expr.Ident fid && fid.binding != null && fid.binding.isFunction())
                        && !(sig.paramTypes.get(0).prune() instanceof Type.Fun) && sig.paramTypes.stream().skip(1).anyMatch(t -> t.prune() instanceof Type.Fun)) {
            // map(fn(x) => ..., xs) or map(f, xs) with a declared f: the order of other languages' map(f, xs); one error,
            // not one per argument.
            List<String> shown = sig.paramNames.stream().map(n -> n.equals("iterator") ? "list" : n).toList();
            error(c.args.get(0).value, "'" + name + "' takes the " + shown.get(0) + " first and the function last: "
                            + name + "(" + String.join(", ", shown) + "), or xs |> " + name + "(...)");
            c.args.forEach(a -> infer(a.value, null));
            c.kind = Expr.CallKind.BUILTIN;
            return fresh();
        }
        if (name.equals("join") && c.args.size() == 2 && c.args.get(0).name == null && c.args.get(1).name == null
                        && c.args.get(0).value instanceof Expr.StringLit && !(c.args.get(1).value instanceof Expr.StringLit)) {
            // ", ".join(xs) as in Python: one error that gives the order, not one per argument.
            error(c.args.get(0).value, "'join' takes the list first and the separator last: join(parts, separator), or parts |> join(separator)");
            c.args.forEach(a -> infer(a.value, null));
            c.kind = Expr.CallKind.BUILTIN;
            return fresh();
        }
        final FunctionSignature chosen = sig;
        id.variant = sig;
        c.kind = Expr.CallKind.BUILTIN;
        c.target = sig;
        Type.Fun f = (Type.Fun) Types.instantiate(sig.scheme(), level);
        id.type = f;
        List<Expr> ordered = orderArguments(c, f.params.size(), sig.paramNames, calledAs(id, sig.name), false, false);
        if (ordered == null) {
            c.args.forEach(a -> infer(a.value, null));
            return f.result;
        }
        c.ordered = ordered;
        expectResult(f, expected);
        boolean unwrapped = false;
        for (int i = 0; i < ordered.size(); i++) {
            String pname = sig.paramNames.get(i);
            Expr arg = ordered.get(i);
            Type t = infer(arg, f.params.get(i));
            if (isCon(t, Prelude.ANY) && (chosen.name.equals("toString") || chosen.name.equals("print") || chosen.name.equals("printErr"))) {
                error(arg, "cannot implicitly convert 'any' to 'string' - use pattern matching to extract specific type");
            }
            argumentNote = c.argumentNote != null ? c.argumentNote : secondOfOneType(chosen, i, f.params.get(0), t, ordered.get(0));
            try {
                coerce(arg, t, f.params.get(i), chosen.noUnwrap ? Mode.EXACT : Mode.ARGUMENT, () -> "argument '" + pname + "' of '" + chosen.name + "'");
            } finally {
                argumentNote = null;
            }
            unwrapped |= arg.coercion instanceof Coercion.Unwrap;
        }
        if (chosen.name.equals("sort") && "core".equals(chosen.category) && !ordered.isEmpty()) {
            Expr list = ordered.get(0);
            Type listType = f.params.get(0);
            deferred.add(() -> {
                Type elem = listType.prune() instanceof Type.Con lc && lc.info == Prelude.LIST ? lc.args.get(0).prune() : null;
                if (!hasOrder(elem)) { // records, lists, maps, tuples, functions: an element type the checker sees has no order
                    error(list, "sort needs a list of numbers, strings or bools, not " + TypePrinter.print(listType.prune())
                                    + (elem instanceof Type.Con ec && ec.info.kind == TypeInfo.Kind.RECORD ? " (sortBy(list, fn(x) => x.field) orders by a key of each)" : ""));
                }
            });
        }
        if (chosen.name.equals("sortBy") && "core".equals(chosen.category) && ordered.size() == 2) {
            Expr key = ordered.get(1);
            Type keyType = f.params.get(1);
            deferred.add(() -> {
                Type k = keyType.prune() instanceof Type.Fun fun ? Prelude.withoutMathResult(fun.result) : null;
                if (!hasOrder(k)) {
                    String hint = k instanceof Type.Tuple ? " (for several keys, sort by each in turn from the last: sortBy is stable)"
                                    : k instanceof Type.Con kc && kc.info.kind == TypeInfo.Kind.RECORD ? " (order by one of its fields: fn(x) => x.field)"
                                    : k instanceof Type.Con kc && kc.info == Prelude.ANY ? " (match the value to give a number, a string or a bool)"
                                    : Prelude.isResult(k) ? " (a Result has no order: give the key a default with ?: (fn(x) => ... ?: 0) or match the Result)" : "";
                    error(key, "sortBy needs a key that is a number, a string or a bool, not " + TypePrinter.print(k) + hint);
                }
            });
        }
        c.propagatesMathError = unwrapped && Prelude.isMathResult(f.result);
        return f.result;
    }

    /**
     * For min, max and pow, whose form the first argument chooses: a float after an int is not to be made an
     * int (toInt(2.5) loses the fraction min(1, 2.5) was about), the int is to be made a float.
     */
    private static String secondOfOneType(FunctionSignature chosen, int i, Type first, Type found, Expr firstArg) {
        if (i != 1 || !"core".equals(chosen.category) || !Set.of("min", "max", "pow").contains(chosen.name)
                        || !isCon(first, Prelude.INT) || !isCon(Prelude.withoutMathResult(found.prune()), Prelude.FLOAT)) {
            return null;
        }
        String arg = firstArg instanceof Expr.IntLit lit ? "toFloat(" + lit.value + ")"
                        : firstArg instanceof Expr.Ident id ? "toFloat(" + id.name + ")" : "toFloat(...) of the first";
        return "the first argument is an int, so " + chosen.name + " takes two ints; for floats, make the first one a float: " + arg;
    }

    /** Whether values of this type (null or a variable: not known) have the order sort and sortBy use. */
    private static boolean hasOrder(Type t) {
        return t == null || t instanceof Type.Var || t instanceof Type.Con c && (c.info == Prelude.INT || c.info == Prelude.FLOAT
                        || c.info == Prelude.STRING || c.info == Prelude.BOOL);
    }

    /** Calls of overloaded builtins whose form waits for their subject's type ({@link Overload}). */
    private final List<Overload> overloads = new ArrayList<>();
    private final Map<String, FunctionSignature> dispatchers = new HashMap<>();

    /**
     * {@code length(x)} where nothing says yet what x is: the arguments are checked against types with the
     * shape all forms share (a function where each form takes one), and the form is chosen when x's type is
     * known ({@link #chooseOverloads}); a function generic in x keeps the choice for each of its uses.
     */
    private Type deferredOverload(Expr.Call c, Expr.Ident id, String name, List<FunctionSignature> forms, Expr subject, Type subjectType) {
        int arity = forms.get(0).paramTypes.size();
        if (c.args.size() != arity || forms.stream().anyMatch(f -> f.paramTypes.size() != arity)) {
            return null;
        }
        // Arguments in parameter order: by position, or by a name that every form gives the same place.
        Expr[] slots = new Expr[arity];
        int positional = 0;
        for (Arg a : c.args) {
            int at = a.name == null ? positional++ : forms.get(0).paramNames.indexOf(a.name);
            if (a.name != null && forms.stream().anyMatch(f -> f.paramNames.indexOf(a.name) != at)) {
                return null;
            }
            if (at < 0 || at >= arity || slots[at] != null) {
                return null;
            }
            slots[at] = a.value;
        }
        if (slots[0] != subject) {
            return null;
        }
        // The shape every form shares (fold: (A, U, (U, B) -> U) -> U), so the arguments are checked as
        // far as the forms agree, and the result is known where they agree on it (length: int).
        List<Type> instances = new ArrayList<>();
        for (FunctionSignature f : forms) {
            instances.add(Types.instantiate(f.scheme(), level));
        }
        Type.Fun shape = (Type.Fun) commonShape(instances, new HashMap<>());
        List<Type> params = shape.params;
        Type result = shape.result;
        c.kind = Expr.CallKind.BUILTIN;
        c.target = dispatchers.computeIfAbsent(name, n -> Overload.dispatcher(forms));
        id.variant = c.target;
        id.type = shape;
        for (int i = 0; i < arity; i++) {
            Expr arg = slots[i];
            Type t = i == 0 ? subjectType : infer(arg, params.get(i));
            String pname = forms.get(0).paramNames.get(i);
            coerce(arg, t, params.get(i), Mode.ARGUMENT, () -> "argument '" + pname + "' of '" + name + "'");
        }
        c.ordered = List.of(slots);
        overloads.add(new Overload(name, forms, params, result, c, c, null, null, null));
        return result;
    }

    /**
     * An overloaded builtin used as a value where nothing says yet which form is meant ({@code let m = map},
     * {@code fn lens(xs) = map(xs, length)}): a function of the shape all forms share, whose form is chosen like
     * a call's ({@link #deferredOverload}) once its first parameter's type is known, and by the value it is
     * given where that stays generic. Null where the forms differ in arity (the first form is taken then).
     */
    private Type deferredOverloadValue(Expr.Ident id) {
        List<FunctionSignature> forms = env.builtins.get(id.name);
        if (forms.size() < 2) {
            return null;
        }
        int arity = forms.get(0).paramTypes.size();
        if (arity == 0 || forms.stream().anyMatch(f -> f.paramTypes.size() != arity)) {
            return null;
        }
        List<Type> instances = new ArrayList<>();
        for (FunctionSignature f : forms) {
            instances.add(Types.instantiate(f.scheme(), level));
        }
        Type.Fun shape = (Type.Fun) commonShape(instances, new HashMap<>());
        id.variant = dispatchers.computeIfAbsent(id.name, n -> Overload.dispatcher(forms));
        overloads.add(new Overload(id.name, forms, shape.params, shape.result, null, id, null, null, null, id));
        return shape;
    }

    /**
     * The most specific type of which each of {@code types} is an instance (anti-unification): the same
     * constructor where all have it, and one fresh variable for each combination of differing parts.
     */
    private Type commonShape(List<Type> types, Map<List<Type>, Type> seen) {
        List<Type> ts = types.stream().map(Type::prune).toList();
        Type first = ts.get(0);
        if (first instanceof Type.Con c0 && ts.stream().allMatch(t -> t instanceof Type.Con c && c.info == c0.info)) {
            List<Type> args = new ArrayList<>();
            for (int i = 0; i < c0.args.size(); i++) {
                final int at = i;
                args.add(commonShape(ts.stream().map(t -> ((Type.Con) t).args.get(at)).toList(), seen));
            }
            return args.isEmpty() ? first : new Type.Con(c0.info, args);
        }
        if (first instanceof Type.Fun f0 && ts.stream().allMatch(t -> t instanceof Type.Fun f && f.params.size() == f0.params.size())) {
            List<Type> ps = new ArrayList<>();
            for (int i = 0; i < f0.params.size(); i++) {
                final int at = i;
                ps.add(commonShape(ts.stream().map(t -> ((Type.Fun) t).params.get(at)).toList(), seen));
            }
            return new Type.Fun(ps, commonShape(ts.stream().map(t -> ((Type.Fun) t).result).toList(), seen));
        }
        if (first instanceof Type.Tuple t0 && ts.stream().allMatch(t -> t instanceof Type.Tuple tu && tu.elements.size() == t0.elements.size())) {
            List<Type> es = new ArrayList<>();
            for (int i = 0; i < t0.elements.size(); i++) {
                final int at = i;
                es.add(commonShape(ts.stream().map(t -> ((Type.Tuple) t).elements.get(at)).toList(), seen));
            }
            return new Type.Tuple(es);
        }
        return seen.computeIfAbsent(ts, k -> fresh());
    }

    /** The calls of functions declared with fn, by their callee: a use's overload copy is reported at its argument. */
    private final Map<Expr.Ident, Expr.Call> callOf = new IdentityHashMap<>();

    /**
     * Where a use's overload copy that fits no form is reported: the argument given for the parameter it is
     * about ({@code 3} in {@code size(3)}), else the use itself.
     */
    private Node argumentFor(Overload o) {
        if (o.parameter != null && o.at instanceof Expr.Ident id && callOf.get(id) instanceof Expr.Call c && c.ordered != null
                        && id.binding != null && id.binding.decl instanceof Stmt.Fn fn) {
            for (int i = 0; i < fn.params.size() && i < c.ordered.size(); i++) {
                if (fn.params.get(i).name.equals(o.parameter) && c.ordered.get(i) != null) {
                    return c.ordered.get(i);
                }
            }
        }
        return o.at;
    }

    /**
     * Chooses the form of every waiting overloaded call whose subject's type is now known, checking its
     * arguments and result against that form, until no more can be chosen.
     */
    private void chooseOverloads() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Overload o : new ArrayList<>(overloads)) {
                Type s = o.subject();
                if (s instanceof Type.Var) {
                    continue;
                }
                overloads.remove(o);
                progress = true;
                FunctionSignature form = chooseOverload(o.name, s);
                String forms = noOverloadFits(o.forms, s);
                if (forms != null) {
                    String found = TypePrinter.print(s);
                    if (o.call != null) {
                        error(o.call.ordered.get(0), noFormFor(o.name, forms, s));
                    } else if (o.value != null) {
                        error(o.value, "type mismatch in the function '" + o.name + "', used here as a value: its first parameter is " + forms
                                        + ", and it is given " + found);
                    } else {
                        error(argumentFor(o), o.parameter != null
                                        ? "type mismatch in argument '" + o.parameter + "' of '" + o.via + "': expected " + forms + ", found " + found + " ('"
                                                        + o.via + "' calls '" + o.name + "' on " + o.parameter + (o.through != null ? " through '" + o.through + "'" : "") + ")"
                                        : "type mismatch in a use of '" + o.via + "': it calls '" + o.name + "', which takes " + forms + ", with a value of type "
                                                        + found);
                    }
                    continue;
                }
                Type.Fun f = (Type.Fun) Types.instantiate(form.scheme(), level);
                String where = o.call != null ? "" : o.value != null ? "the function '" + o.name + "', used here as a value, in " : "a use of '" + o.via + "', in ";
                for (int i = 0; i < f.params.size(); i++) {
                    String pname = form.paramNames.get(i);
                    Node at = o.call != null ? o.call.ordered.get(i) : o.at;
                    unify(f.params.get(i), o.params.get(i), at, () -> where + "argument '" + pname + "' of '" + o.name + "'");
                }
                unify(o.result, f.result, o.call != null ? o.call : o.at, () -> where + "the result of '" + o.name + "'");
                if (o.call != null) {
                    o.call.target = form;
                    ((Expr.Ident) o.call.callee).variant = form;
                }
                if (o.value != null) {
                    o.value.variant = form;
                }
            }
        }
    }

    /**
     * After the functions {@code bindings} were generalised: the waiting overloaded calls whose subject is one
     * of their type variables go into their schemes, to be checked at each use; the calls choose their form
     * when they run.
     */
    private void generaliseOverloads(List<Binding> bindings) {
        List<Overload> local = new ArrayList<>();
        for (Overload o : overloads) {
            if (o.subject() instanceof Type.Var v && v.level > level) {
                local.add(o); // else a variable of an enclosing scope: its type may still be decided there
            }
        }
        overloads.removeAll(local);
        Set<Overload> attached = new java.util.HashSet<>();
        for (Binding b : bindings) {
            // An overload belongs to the scheme if it shares a variable with it; its own variables (the element
            // type of map's function, say) are then quantified too, so that each use has its own.
            Set<Type.Var> vars = new java.util.LinkedHashSet<>(b.scheme.vars());
            List<Overload> mine = new ArrayList<>();
            boolean grew = true;
            while (grew) {
                grew = false;
                for (Overload o : local) {
                    if (mine.contains(o)) {
                        continue;
                    }
                    Set<Type.Var> free = new java.util.LinkedHashSet<>();
                    o.params.forEach(t -> Types.freeVars(t, free));
                    Types.freeVars(o.result, free);
                    free.removeIf(v -> v.level <= level);
                    if (free.stream().anyMatch(vars::contains)) {
                        mine.add(o);
                        vars.addAll(free);
                        grew = true;
                    }
                }
            }
            if (!mine.isEmpty()) {
                List<Overload> all = new ArrayList<>(b.scheme.overloads());
                all.addAll(mine);
                b.scheme = new Scheme(new ArrayList<>(vars), b.scheme.type(), all);
                generalised.addAll(vars);
                attached.addAll(mine);
            }
        }
        // The others belong to no scheme (let f = size: a use of a generic function kept as a value, whose
        // type is not generalised): they wait until their subject is known, where it is used (f(5)).
        for (Overload o : local) {
            if (!attached.contains(o)) {
                overloads.add(o);
            }
        }
    }

    /** A use of a polymorphic binding: its scheme instantiated, with copies of its overloaded calls to check. */
    private Type instantiate(Binding b, Node use) {
        Scheme s = b.scheme;
        if (s.overloads().isEmpty()) {
            return Types.instantiate(s, level);
        }
        Map<Type.Var, Type> m = Types.freshVars(s, level);
        List<Param> declared = b.decl instanceof Stmt.Fn fn ? fn.params : b.decl instanceof Stmt.Let let && let.value instanceof Expr.Lambda l ? l.params : null;
        for (Overload o : s.overloads()) {
            String parameter = null;
            if (s.type() instanceof Type.Fun f && declared != null && declared.size() == f.params.size()) {
                for (int i = 0; i < f.params.size(); i++) {
                    if (f.params.get(i).prune() == o.subject()) {
                        parameter = declared.get(i).name;
                    }
                }
            }
            overloads.add(o.instance(m, use, b.name, parameter));
        }
        return Types.subst(s.type(), m);
    }

    private Type constructorCall(Expr.Call c, Expr.Ident id, Type expected) {
        Pending enclosing = takePending();
        VariantInfo v = pickVariant(id.name, expected, id);
        c.kind = Expr.CallKind.CONSTRUCTOR;
        if (v == null) {
            c.args.forEach(a -> infer(a.value, null));
            return fresh();
        }
        id.variant = v;
        c.target = v;
        Type.Con owner = literalType(v.owner, expected);
        List<Type> fieldTypes = Types.variantFieldTypes(v, owner.args);
        if (c.args.isEmpty() && v.fieldNames.size() == 1 && v == Prelude.SUCCESS) {
            // Success(): the unit success of the seeds.
            unify(fieldTypes.get(0), Prelude.T_UNIT, c, () -> "Success()");
            c.ordered = List.of();
            return owner;
        }
        List<Expr> ordered = orderArguments(c, fieldTypes.size(), v.fieldNames, "constructor '" + v.name + "'", false, true);
        if (ordered == null) {
            c.args.forEach(a -> infer(a.value, null));
            return owner;
        }
        c.ordered = ordered;
        Pending pending = enclosing != null ? enclosing : new Pending();
        softUnlessGiven(owner, expected, pending); // [Some { value: 2 }, Some { value: a }] (widenSoft)
        for (int i = 0; i < ordered.size(); i++) {
            String fname = v.fieldNames.get(i);
            checkElement(ordered.get(i), fieldTypes.get(i), () -> "field '" + fname + "' of '" + v.name + "'", pending, false);
        }
        if (enclosing == null) {
            resolve(pending);
        }
        return owner;
    }

    /** {@code x.f(args)}: a record's function field, or uniform function call syntax f(x, args). */
    private Type methodCall(Expr.MethodCall m, Type expected) {
        if (m.ofModule) {
            return infer(m.resolved, expected); // Counter.increment(), the call the resolver made of it
        }
        if (m.refused) {
            m.args.forEach(a -> infer(a.value, null));
            return fresh();
        }
        Type rt = infer(m.receiver, null).prune();
        if (rt instanceof Type.Con fc && fc.info == Prelude.FIBER
                        && java.util.Set.of("join", "get", "wait", "result", "then", "value").contains(m.name)
                        && (m.function == null || m.function == env.builtinBinding(m.name))) {
            // `worker.join()` (Rust, Java, Python threads), `future.get()`, `promise.then(...)`: spec 0011's await
            error(m.nameStart, m.nameStart + m.name.length(), "a fiber's value is waited for with await(fiber), not ." + m.name + "(...)"
                            + " (spec 0011)");
            m.args.forEach(a -> infer(a.value, null));
            return fresh();
        }
        Type recordType = Prelude.isMathResult(rt) ? null : rt;
        Type field = recordType instanceof Type.Con rc && rc.info.isRecord() && rc.info.fieldIndex(m.name) >= 0
                        ? Types.recordFieldType(rc, rc.info.fieldIndex(m.name)).prune()
                        : null;
        if (field != null && (m.function == null || field instanceof Type.Fun || field instanceof Type.Var)) {
            // A field that holds a function (tool.run(4)); a field of a plain type (r.n with n an int) leaves
            // r.n() to a function n, if there is one.
            Expr.FieldAccess fa = new Expr.FieldAccess(m.receiver.start, m.nameStart + m.name.length(), m.receiver, m.name, m.nameStart);
            Expr.Call call = new Expr.Call(m.start, m.end, fa, m.args, false);
            m.resolved = call;
            return infer(call, expected);
        }
        if (m.function == null) {
            if (env.disabled.containsKey(m.name)) {
                error(m.nameStart, m.nameStart + m.name.length(), Resolver.disabled(m.name, env.disabled.get(m.name)));
            } else if (recordType instanceof Type.Con rc && rc.info.isRecord()) {
                error(m.nameStart, m.nameStart + m.name.length(), "record '" + rc.info.name + "' has no field '" + m.name
                                + "', and there is no function '" + m.name + "' to call on it");
            } else {
                String habit = Resolver.otherLanguageName(m.name);
                String close = habit == null ? Resolver.closest(m.name, env.builtins.keySet(), true) : null;
                error(m.nameStart, m.nameStart + m.name.length(), "unknown function '" + m.name + "' in the method call"
                                + (habit != null ? ": " + habit : close != null ? " (did you mean '" + close + "'?)" : ""));
            }
            m.args.forEach(a -> infer(a.value, null));
            return fresh();
        }
        Expr.Ident callee = new Expr.Ident(m.nameStart, m.nameStart + m.name.length(), m.name);
        callee.binding = m.function;
        List<Arg> args = new ArrayList<>();
        args.add(new Arg(m.receiver.start, m.receiver.end, null, m.receiver, true));
        args.addAll(m.args);
        Expr.Call call = new Expr.Call(m.start, m.end, callee, args, true);
        m.resolved = call;
        return infer(call, expected);
    }

    // ---------------------------------------------------------------- fields and records

    private Type fieldAccess(Expr.FieldAccess f) {
        if (f.resolved != null) {
            return infer(f.resolved, null); // Counter.count: a module's member
        }
        Type t = infer(f.target, null).prune();
        if (f.target instanceof Expr.Ident id && id.binding == null && id.variant == null) {
            return t; // an unknown name, already reported: its fields are not looked for
        }
        if (open(t)) {
            Type.Var v = (Type.Var) t;
            List<TypeInfo> candidates = new ArrayList<>();
            for (TypeInfo r : types.recordTypes()) {
                if (r.fieldIndex(f.field) >= 0) {
                    candidates.add(r);
                }
            }
            if (candidates.isEmpty()) {
                error(f.fieldStart, f.end, "no record type has a field '" + f.field + "'");
                return fresh();
            }
            if (sameFields(candidates)) {
                TypeInfo r = candidates.get(0);
                unify(new Type.Con(r, Types.freshArgs(r, level)), v, f.target, null);
                return fieldOf(f, t.prune());
            }
            Type result = fresh();
            deferred.add(() -> {
                Type now = f.target.type.prune();
                if (now instanceof Type.Var) {
                    error(f.fieldStart, f.end, "cannot tell which record type has the field '" + f.field + "' here ("
                                    + String.join(", ", candidates.stream().map(c -> c.name).toList()) + "); annotate the type, e.g. (p: "
                                    + candidates.get(0).name + ")");
                    return;
                }
                unify(result, fieldOf(f, now), f, null);
            });
            return result;
        }
        return fieldOf(f, t);
    }

    /** Record types with the same field names are one type under structural unification (spec 0004). */
    private static boolean sameFields(List<TypeInfo> candidates) {
        for (TypeInfo c : candidates) {
            if (!c.fieldNames.equals(candidates.get(0).fieldNames) || !c.params.isEmpty() || c.validator != null) {
                return candidates.size() == 1;
            }
        }
        return true;
    }

    private Type fieldOf(Expr.FieldAccess f, Type t) {
        t = t.prune();
        if (t instanceof Type.Con c && c.info.isRecord()) {
            int idx = c.info.fieldIndex(f.field);
            if (idx < 0) {
                error(f.fieldStart, f.end, "record '" + c.info.name + "' has no field '" + f.field + "'"
                                + fieldMeant(f.field, c.info.declaredOrder, c.info.declaredOrder));
                return reportedType();
            }
            f.index = idx;
            return Types.recordFieldType(c, idx);
        }
        if (Prelude.isResult(t)) {
            error(f, "cannot access field '" + f.field + "' on a Result: match it first, e.g. match r { Success { value } => ...  Error { message } => ... }");
        } else if (t instanceof Type.Con c && c.info.isUnion() && f.target instanceof Expr.Ident id && id.binding != null
                        && id.binding.decl instanceof Pattern.Typed tp && tp.variant instanceof VariantInfo v && v.owner == c.info) {
            // `q: Square => q.side`: the match found the variant, but q has the union's type (spec 0007)
            String pattern = tp.name + ": " + v.name;
            Pattern.FieldPat named = tp.fields == null ? null : tp.fields.stream().filter(fp -> fp.field.equals(f.field)).findFirst().orElse(null);
            String instead;
            if (!v.fieldNames.contains(f.field)) {
                instead = "variant '" + v.name + "' has " + (v.fieldNames.isEmpty() ? "no fields" : "the fields " + String.join(", ", v.fieldNames));
            } else if (named == null) {
                instead = "bind the field in the pattern instead: " + pattern + " { " + f.field + " }";
            } else if (named.pattern == null || named.pattern instanceof Pattern.Binder b && !b.constructor) {
                instead = "use '" + (named.pattern == null ? f.field : ((Pattern.Binder) named.pattern).name) + "', which the pattern binds";
            } else {
                instead = "the pattern matches the field '" + f.field + "' already: give it a name there";
            }
            error(f, "cannot access field '" + f.field + "' of '" + tp.name + "': '" + pattern + "' binds the whole value, of type '" + c.info.name
                            + "', which may be any of its variants; " + instead);
        } else if (t instanceof Type.Con c && c.info.isUnion()) {
            error(f, "cannot access field '" + f.field + "' on union type '" + c.info.name
                            + "': match it first to find out which variant it is");
        } else if (isCon(t, Prelude.ANY) && f.target instanceof Expr.Ident id && id.binding != null && id.binding.structuralFields != null
                        && id.binding.structuralFields.containsKey(f.field)) {
            f.byName = true; // `p.name` after `p: { name }`
            return id.binding.structuralFields.get(f.field);
        } else if (isCon(t, Prelude.ANY)) {
            error(f, "cannot access field on 'any' type without pattern matching");
        } else {
            boolean isBuiltin = env.builtins.containsKey(f.field);
            boolean stringKeyed = t instanceof Type.Con c && c.info == Prelude.MAP && c.args.get(0).prune() instanceof Type.Con k
                            && k.info == Prelude.STRING;
            String m = f.target instanceof Expr.Ident id ? id.name : "m";
            error(f.fieldStart, f.end, "cannot access field '" + f.field + "' on a value of type " + TypePrinter.print(t)
                            + (isBuiltin ? " (to call the function, write " + f.field + "(...) or ." + f.field + "())"
                                            : stringKeyed ? " (a map's value is read by its key: " + m + "[\"" + f.field + "\"])"
                                            : (isCon(t, Prelude.STRING) || isCon(t, Prelude.LIST) || isCon(t, Prelude.MAP))
                                                            && Resolver.otherLanguageName(f.field) instanceof String habit ? " (" + habit + ")"
                                            : resolver != null && resolver.hidingModule(f.target, f.field) instanceof String hiding ? " (" + hiding + ")"
                                            : f.target instanceof Expr.IntLit && f.field.matches("[eE][0-9]+") && f.fieldStart == f.target.end + 1
                                                            ? " (a float is written with a digit after the point: " + source.substring(f.target.start, f.target.end) + ".0"
                                                                            + f.field + ")"
                                            : ""));
        }
        return reportedType();
    }

    /**
     * The type of a record or variant literal of {@code info}: the expected type itself when it is one of
     * {@code info}, with the type arguments it has (those a sibling in a literal decided stay as they are, for
     * widenSoft); otherwise one of its own, with fresh arguments that only its fields decide.
     */
    private Type.Con literalType(TypeInfo info, Type expected) {
        return expected != null && expected.prune() instanceof Type.Con ec && ec.info == info ? ec : new Type.Con(info, Types.freshArgs(info, level));
    }

    /** Marks the type arguments of a literal's own type ({@link #literalType} not given one) as its elements' to decide. */
    private static void softUnlessGiven(Type.Con literal, Type expected, Pending pending) {
        if (expected == null || expected.prune() != literal) {
            literal.args.forEach(a -> soft(pending, a));
        }
    }

    private Type recordLit(Expr.RecordLit r, Type expected) {
        Pending enclosing = takePending();
        Pending pending = enclosing != null ? enclosing : new Pending();
        TypeInfo info = types.lookupType(r.typeName);
        if (info != null && info.isRecord()) {
            r.target = info;
            // [Box { item: 2 }, Box { item: a }] holds 'any' items as [Box { item: a }, Box { item: 2 }] does.
            Type.Con rec = literalType(info, expected);
            softUnlessGiven(rec, expected, pending);
            Expr[] ordered = new Expr[info.fieldNames.size()];
            List<Expr.FieldInit> unknown = new ArrayList<>();
            for (Expr.FieldInit fi : r.fields) {
                int idx = info.fieldIndex(fi.name);
                if (idx < 0) {
                    unknown.add(fi);
                    infer(fi.value, null);
                    continue;
                }
                if (ordered[idx] != null) {
                    error(fi.start, fi.start + fi.name.length(), "field '" + fi.name + "' is given twice");
                    continue;
                }
                ordered[idx] = fi.value;
                Type ft = Types.recordFieldType(rec, idx);
                checkElement(fi.value, ft, () -> "field '" + fi.name + "' of '" + info.name + "'", pending, false);
            }
            if (enclosing == null) {
                resolve(pending);
            }
            List<String> missing = new ArrayList<>();
            for (String fname : info.declaredOrder) {
                if (ordered[info.fieldIndex(fname)] == null) {
                    missing.add(fname);
                }
            }
            if (!unknownFields(unknown, "record '" + info.name + "'", info.declaredOrder, missing) && !missing.isEmpty()) {
                error(r, "missing field" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing.stream().map(s -> "'" + s + "'").toList())
                                + " in '" + info.name + "': all fields are required");
            }
            r.ordered = java.util.Arrays.asList(ordered);
            if (info.validator != null) {
                return validatedResult(info, rec);
            }
            return rec;
        }
        List<VariantInfo> variants = types.constructors(r.typeName);
        if (variants.isEmpty()) {
            error(r.start, r.start + r.typeName.length(), "unknown type or variant '" + r.typeName + "'");
            r.fields.forEach(fi -> infer(fi.value, null));
            return fresh();
        }
        VariantInfo v = pickVariant(r.typeName, expected, r);
        r.target = v;
        Type.Con owner = literalType(v.owner, expected);
        softUnlessGiven(owner, expected, pending);
        List<Type> fieldTypes = Types.variantFieldTypes(v, owner.args);
        Expr[] ordered = new Expr[v.fieldNames.size()];
        List<Expr.FieldInit> unknown = new ArrayList<>();
        for (Expr.FieldInit fi : r.fields) {
            int idx = v.fieldIndex(fi.name);
            if (idx < 0) {
                unknown.add(fi);
                infer(fi.value, null);
                continue;
            }
            if (ordered[idx] != null) {
                error(fi.start, fi.start + fi.name.length(), "field '" + fi.name + "' is given twice");
                continue;
            }
            ordered[idx] = fi.value;
            checkElement(fi.value, fieldTypes.get(idx), () -> "field '" + fi.name + "' of '" + v.name + "'", pending, false);
        }
        if (enclosing == null) {
            resolve(pending);
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < ordered.length; i++) {
            if (ordered[i] == null) {
                missing.add(v.fieldNames.get(i));
            }
        }
        if (!unknownFields(unknown, "variant '" + v.name + "'", v.fieldNames, missing)) {
            missing.forEach(name -> error(r, "missing field '" + name + "' in '" + v.name + "'"));
        }
        r.ordered = java.util.Arrays.asList(ordered);
        return owner;
    }

    /**
     * What follows "has no field 'name'": the field meant, where one of {@code likely} is close to it, else
     * the fields there are.
     */
    private static String fieldMeant(String name, List<String> fields, List<String> likely) {
        String close = closeField(name, likely);
        return close != null ? " (did you mean '" + close + "'?)" : fields.isEmpty() ? " (it has no fields)" : " (fields: " + String.join(", ", fields) + ")";
    }

    /**
     * The one of {@code fields} that {@code name} is a misspelling of, or null. It keeps a letter of it at
     * least: `z` is no misspelling of `x`, though it is one letter from it (a point of three dimensions used as
     * one of two).
     */
    private static String closeField(String name, List<String> fields) {
        return Resolver.closest(name, fields.stream().filter(f -> f.chars().anyMatch(c -> name.indexOf(c) >= 0)).toList(), false);
    }

    /**
     * The fields of a literal that {@code what} does not have. A field misspelt (`Point { x: 1, yy: 2 }`) is
     * one mistake: the error at it names the field meant, taken from the {@code missing} ones, which is then no
     * longer missing. Returns whether a field was left unexplained: the fields still missing may be what it
     * meant, and its error lists them, so they get no error of their own.
     */
    private boolean unknownFields(List<Expr.FieldInit> unknown, String what, List<String> fields, List<String> missing) {
        boolean unexplained = false;
        for (Expr.FieldInit fi : unknown) {
            String close = closeField(fi.name, missing);
            missing.remove(close);
            unexplained |= close == null;
            error(fi.start, fi.start + fi.name.length(), what + " has no field '" + fi.name + "'"
                            + (close != null ? " (did you mean '" + close + "'?)" : fieldMeant(fi.name, fields, List.of())));
        }
        return unexplained;
    }

    private Type recordUpdate(Expr.RecordUpdate r) {
        Type t = infer(r.target, null).prune();
        if (open(t)) {
            List<TypeInfo> candidates = new ArrayList<>();
            for (TypeInfo rt : types.recordTypes()) {
                if (r.fields.stream().allMatch(fi -> rt.fieldIndex(fi.name) >= 0)) {
                    candidates.add(rt);
                }
            }
            if (!candidates.isEmpty() && sameFields(candidates)) {
                TypeInfo rt = candidates.get(0);
                unify(new Type.Con(rt, Types.freshArgs(rt, level)), t, r.target, null);
                t = t.prune();
            } else {
                error(r.target, candidates.isEmpty() ? "no record type has the fields " + String.join(", ", r.fields.stream().map(f -> f.name).toList())
                                : "cannot tell which record type to update here (" + String.join(", ", candidates.stream().map(c -> c.name).toList())
                                                + "); annotate it, e.g. (p: " + candidates.get(0).name + ")");
                r.fields.forEach(f -> infer(f.value, null));
                return fresh();
            }
        }
        if (!(t instanceof Type.Con c && c.info.isRecord())) {
            error(r.target, "only records can be updated with { field: value }, not " + TypePrinter.print(t));
            r.fields.forEach(f -> infer(f.value, null));
            return fresh();
        }
        Type.Con rec = (Type.Con) t;
        r.indices = new int[r.fields.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.fields.size(); i++) {
            Expr.FieldInit fi = r.fields.get(i);
            int idx = rec.info.fieldIndex(fi.name);
            r.indices[i] = idx;
            if (idx < 0) {
                error(fi.start, fi.start + fi.name.length(), "record '" + rec.info.name + "' has no field '" + fi.name + "'"
                                + fieldMeant(fi.name, rec.info.declaredOrder, rec.info.declaredOrder));
                infer(fi.value, null);
                continue;
            }
            if (!seen.add(fi.name)) {
                error(fi.start, fi.start + fi.name.length(), "field '" + fi.name + "' is given twice");
            }
            check(fi.value, Types.recordFieldType(rec, idx), Mode.ARGUMENT, () -> "field '" + fi.name + "' of '" + rec.info.name + "'");
        }
        if (rec.info.validator != null) {
            return validatedResult(rec.info, rec);
        }
        return rec;
    }

    // ---------------------------------------------------------------- collections

    /** Whether a literal checked against {@code expected} is stored as 'any' (an any parameter, a let declared so). */
    private static boolean storedAsAny(Type expected) {
        return expected != null && isCon(expected.prune(), Prelude.ANY);
    }

    private Type listLit(Expr.ListLit l, Type expected) {
        Pending enclosing = takePending();
        // Stored as 'any' (an argument or a map value of that type, a let declared so), a literal may mix types,
        // as JSON's arrays do: it is a List<any> ([1, "a"] for toJson). At run time a type pattern still sees
        // its elements, so [1, 2] stored so is matched by 'xs: List<int>' as before.
        boolean intoAny = storedAsAny(expected);
        boolean given = intoAny || expected != null && expected.prune() instanceof Type.Con ec && ec.info == Prelude.LIST;
        Pending pending = enclosing != null ? enclosing : new Pending();
        Type elem = intoAny ? Prelude.T_ANY : given ? ((Type.Con) expected.prune()).args.get(0) : soft(pending, fresh());
        int firstAny = -1;
        int reported = diagnostics.size();
        for (int i = 0; i < l.elements.size(); i++) {
            if (!checkElement(l.elements.get(i), firstAny < 0 ? elem : Prelude.T_ANY, () -> "the list element", pending, !given && firstAny < 0)) {
                firstAny = i;
            }
        }
        oneErrorPerMismatch(reported);
        if (firstAny >= 0) {
            widenToAny(l.elements.subList(0, firstAny), () -> "the list element", pending, enclosing);
            return Prelude.list(Prelude.T_ANY);
        }
        if (enclosing == null) {
            resolve(pending);
        }
        return Prelude.list(elem);
    }

    /** How an element's mismatch begins ({@link #oneErrorPerMismatch}). */
    private static final String ELEMENT_MISMATCH = "type mismatch in the list element: ";

    /**
     * The mismatches of a list literal's elements reported since {@code from}, one error for each: join([1, 2, 3], ", ")
     * said "expected string, found int" three times, once per element. The first element with a mismatch keeps
     * the error and says how many more have it; errors of other kinds stay as they are.
     */
    private void oneErrorPerMismatch(int from) {
        Map<String, Integer> first = new HashMap<>();
        Map<String, Integer> more = new HashMap<>();
        for (int i = from; i < diagnostics.size();) {
            String message = diagnostics.get(i).message();
            if (!message.startsWith(ELEMENT_MISMATCH)) {
                i++;
            } else if (first.putIfAbsent(message, i) == null) {
                i++;
            } else {
                more.merge(message, 1, Integer::sum);
                diagnostics.remove(i);
            }
        }
        more.forEach((message, count) -> {
            Diagnostic d = diagnostics.get(first.get(message));
            diagnostics.set(first.get(message), new Diagnostic(d.start(), d.end(),
                            message + "; " + count + (count == 1 ? " more element of the list has" : " more elements of the list have") + " this mismatch"));
        });
    }

    /**
     * [2, a] for an 'any' a is a List<any>, as [a, 2] is (and as a match with an arm giving 'any' gives 'any'):
     * the elements before the 'any', which had made the element type theirs, are stored as 'any' too, once
     * what they waited for is settled.
     */
    private void widenToAny(List<Expr> before, Supplier<String> context, Pending pending, Pending enclosing) {
        Runnable widen = () -> before.forEach(e -> coerce(e, e.type, Prelude.T_ANY, Mode.ARGUMENT, context));
        if (enclosing == null) {
            resolve(pending);
            widen.run();
        } else {
            pending.finals.add(widen);
        }
    }

    /**
     * What a literal's elements wait for ({@link #checkElement}): the other elements, of this literal and of the
     * literals around it, to say what their type is. Arithmetic's Results wait in {@code arithmetic}, functions
     * in {@code functions}; {@link #resolve} settles them once the outermost literal (or the match whose arms
     * give literals) has seen all its elements. So in [[1 + 1], [Success(1)]] the first inner list's element
     * type is decided by the second's, as in [[Success(1)], [1 + 1]], and so for [[cube], [ratio]].
     */
    private static final class Pending {
        final List<Runnable> arithmetic = new ArrayList<>();
        final List<FunctionElement> functions = new ArrayList<>();
        /** Run before the arithmetic: matches whose arms mix arithmetic's Result and plain values ({@link #fitMixedArms}). */
        final List<Runnable> mixed = new ArrayList<>();
        /** Run last: the elements of a literal that became one of 'any' ({@link #widenToAny}). */
        final List<Runnable> finals = new ArrayList<>();
        /**
         * The element types that only the literals' own elements decided (of a literal, or a tuple or generic
         * record in one, that nothing gave a type), which a later element holding an 'any' may widen to 'any'
         * ({@link #widenSoft}).
         */
        final Set<Type.Var> soft = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        /** Every element checked so far, with the type it was checked against. */
        final List<Placed> elements = new ArrayList<>();
    }

    /** An element of a literal and the type it was checked against. */
    private record Placed(Expr e, Type elem) {
    }

    /** Marks {@code t}, a type variable made for a literal that nothing gave a type, as decided by its elements only. */
    private static Type soft(Pending pending, Type t) {
        if (t instanceof Type.Var v) {
            pending.soft.add(v);
        }
        return t;
    }

    /** A function that is an element of a literal, of type {@code elem} (an open type variable when it was seen). */
    private record FunctionElement(Expr e, Type elem, Supplier<String> context) {
    }

    /**
     * The waiting of the literal whose element is being checked, set only between an element that is itself a
     * literal ({@link #buildsValue}) and the start of its check, which takes it ({@link #takePending}).
     */
    private Pending enclosingPending;

    private Pending takePending() {
        Pending p = enclosingPending;
        enclosingPending = null;
        return p;
    }

    /** A literal whose elements wait with those of the literal it is an element of ({@link #enclosingPending}). */
    private static boolean buildsValue(Expr e) {
        return e instanceof Expr.ListLit || e instanceof Expr.MapLit || e instanceof Expr.TupleLit || e instanceof Expr.RecordLit
                        || e instanceof Expr.RecordUpdate r && r.construction != null
                        || e instanceof Expr.Call c && c.callee instanceof Expr.Ident id && id.variant != null && id.binding == null;
    }

    private Type tupleLit(Expr.TupleLit tl, Type expected) {
        Pending enclosing = takePending();
        Pending pending = enclosing != null ? enclosing : new Pending();
        List<Type> es = new ArrayList<>();
        List<Type> exp = expected != null && expected.prune() instanceof Type.Tuple et && et.elements.size() == tl.elements.size()
                        ? et.elements : null;
        // Stored as 'any', its elements are too, so a list or map in it may mix types as in a list (see listLit).
        boolean intoAny = storedAsAny(expected);
        for (int i = 0; i < tl.elements.size(); i++) {
            Type want = exp != null ? exp.get(i) : intoAny ? Prelude.T_ANY : soft(pending, fresh());
            checkElement(tl.elements.get(i), want, () -> "the tuple element", pending, false);
            es.add(want);
        }
        if (enclosing == null) {
            resolve(pending);
        }
        return new Type.Tuple(es);
    }

    /**
     * An element of a list or map literal (or a field of a tuple, record or constructor), of type {@code elem}.
     * While nothing has said what {@code elem} is, arithmetic's Result and a function wait ({@code pending}) for
     * the other elements, as an argument does for the lambdas of its call: [1 + 1, Success(1)] is a list of
     * Results as [Success(1), 1 + 1] is, not refused because the first element had already been taken for its
     * value, and [f, g] has the type of [g, f]. Returns false, leaving the element unchecked, for an 'any'
     * where the earlier elements made the type a plain one and {@code mayWiden} (the literal's own type).
     */
    private boolean checkElement(Expr e, Type elem, Supplier<String> context, Pending pending, boolean mayWiden) {
        pending.elements.add(new Placed(e, elem));
        boolean undecided = open(elem.prune());
        Type t;
        FunctionElement first = undecided ? pending.functions.stream().filter(f -> f.elem.prune() == elem.prune()).findFirst().orElse(null) : null;
        if (buildsValue(e)) {
            enclosingPending = pending;
            try {
                t = infer(e, elem);
            } finally {
                enclosingPending = null;
            }
        } else if (first != null && e instanceof Expr.Lambda lambda && e.type == null) {
            // [f, fn(x) => x % 0]: the lambda's parameters are f's, its result its own, which the join decides with f's
            t = lambda(lambda, first.e.type.prune(), false);
            e.type = t;
        } else {
            t = infer(e, elem);
        }
        if (mayWiden && !undecided && isCon(t, Prelude.ANY) && !isCon(elem, Prelude.ANY)) {
            return false; // [2, a]: the literal holds 'any' values (widenToAny)
        }
        if (undecided && t.prune() instanceof Type.Fun) {
            pending.functions.add(new FunctionElement(e, elem, context));
        } else if (undecided && e instanceof Expr.Match m && unwrapsArms(m)) {
            pending.mixed.add(() -> fitMixedArms(m, t, elem, context));
        } else if (Prelude.isMathResult(t) && undecided) {
            pending.arithmetic.add(() -> coerce(e, t, elem, Mode.ARGUMENT, context));
        } else {
            widenSoft(pending, elem, t);
            coerce(e, t, elem, Mode.ARGUMENT, context);
        }
        return true;
    }

    /**
     * [[2], [a]] for an 'any' a is a List<List<any>>, as [[a], [2]] is: where an element holds an 'any' at a
     * place whose type only the earlier elements of these literals decided (the int of [2]), that type becomes
     * 'any', and the earlier elements there are stored as 'any' (arithmetic as its value or its Error). Only
     * where nothing else took that type: an element whose own type goes through it (a call or a variable that
     * the literal's element type was unified with) keeps it, and the mismatch is reported as before.
     */
    private void widenSoft(Pending pending, Type elem, Type t) {
        if (pending.soft.isEmpty()) {
            return;
        }
        List<Type.Var> widened = new ArrayList<>();
        softAnyPlaces(elem, t, pending.soft, widened);
        if (widened.isEmpty()) {
            return;
        }
        Set<Type.Var> places = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        places.addAll(widened);
        boolean[] shared = {false};
        AstWalker walker = new AstWalker(x -> shared[0] |= x.type != null && reaches(x.type, places), s -> {
        });
        for (Placed p : pending.elements) {
            if (!buildsValue(p.e)) {
                walker.expr(p.e);
            }
        }
        if (shared[0]) {
            return;
        }
        widened.forEach(v -> v.instance = Prelude.T_ANY);
        for (Placed p : pending.elements) {
            if (!buildsValue(p.e) && p.e.coercion instanceof Coercion.Unwrap && isCon(p.elem, Prelude.ANY)) {
                p.e.coercion = Coercion.VALUE_OR_ERROR;
            }
        }
    }

    /** The soft type variables of {@code x} bound to a type other than 'any' where {@code t} has 'any'. */
    private static void softAnyPlaces(Type x, Type t, Set<Type.Var> soft, List<Type.Var> out) {
        Type tp = t.prune();
        Type cur = x;
        while (cur instanceof Type.Var v && v.instance != null) {
            Type bound = v.prune();
            if (soft.contains(v) && isCon(tp, Prelude.ANY) && !open(bound) && !isCon(bound, Prelude.ANY) && !containsFunction(bound)) {
                out.add(v);
                return;
            }
            cur = v.instance;
        }
        if (cur instanceof Type.Con c && tp instanceof Type.Con d && c.info == d.info && c.args.size() == d.args.size()) {
            for (int i = 0; i < c.args.size(); i++) {
                softAnyPlaces(c.args.get(i), d.args.get(i), soft, out);
            }
        } else if (cur instanceof Type.Tuple a && tp instanceof Type.Tuple b && a.elements.size() == b.elements.size()) {
            for (int i = 0; i < a.elements.size(); i++) {
                softAnyPlaces(a.elements.get(i), b.elements.get(i), soft, out);
            }
        }
    }

    /** Whether {@code t} is or holds one of {@code vars}, through the variables it is bound to. */
    private static boolean reaches(Type t, Set<Type.Var> vars) {
        return switch (t) {
            case Type.Var v -> vars.contains(v) || v.instance != null && reaches(v.instance, vars);
            case Type.Con c -> c.args.stream().anyMatch(a -> reaches(a, vars));
            case Type.Tuple tu -> tu.elements.stream().anyMatch(a -> reaches(a, vars));
            case Type.Fun f -> f.params.stream().anyMatch(a -> reaches(a, vars)) || reaches(f.result, vars);
        };
    }

    /** Whether some arm of m gives arithmetic's Result that the join unwrapped, other arms being plain ({@link #joinArms}). */
    private static boolean unwrapsArms(Expr.Match m) {
        return !m.discarded && m.form != Expr.MatchForm.ELVIS
                        && m.arms.stream().anyMatch(a -> a.body.coercion instanceof Coercion.Unwrap && a.body.type != null && Prelude.isMathResult(a.body.type));
    }

    /**
     * A match or ternary whose arms mix arithmetic's Result and plain values, as an element of a literal that
     * nothing gave a type: it waits for the other elements, as bare arithmetic does. Where they made the
     * element a Result ([flag ? r : 3, Success(3)]) its arms give the Result, the plain ones wrapped in Success,
     * as they do when the Result comes first ([Success(3), flag ? r : 3]); otherwise its value is the plain one.
     */
    private void fitMixedArms(Expr.Match m, Type t, Type elem, Supplier<String> context) {
        Type want = elem.prune();
        if (!Prelude.isResult(want)) {
            coerce(m, t, elem, Mode.ARGUMENT, context);
            return;
        }
        for (int i = 0; i < m.arms.size(); i++) {
            Expr body = m.arms.get(i).body;
            if (body.coercion instanceof Coercion.Unwrap && Prelude.isMathResult(body.type)) {
                body.coercion = null;
                unify(want, body.type, body, armContext(m, i));
            }
        }
        for (int i = 0; i < m.arms.size(); i++) {
            Expr body = m.arms.get(i).body;
            if (!Prelude.isMathResult(body.type)) {
                coerce(body, body.type, want, Mode.DECLARED, armContext(m, i));
            }
        }
        m.type = want;
    }

    /**
     * Settles what the elements of a literal waited for: functions of one element type take the join of their
     * types ({@link #joinFunctions}) and are each adapted to it, then the arithmetic is fitted to the types the
     * elements now have.
     */
    private void resolve(Pending pending) {
        List<FunctionElement> functions = pending.functions;
        boolean[] done = new boolean[functions.size()];
        for (int i = 0; i < functions.size(); i++) {
            if (done[i]) {
                continue;
            }
            FunctionElement f = functions.get(i);
            Type elem = f.elem.prune();
            List<FunctionElement> group = new ArrayList<>();
            for (int j = i; j < functions.size(); j++) {
                if (!done[j] && functions.get(j).elem.prune() == elem) {
                    group.add(functions.get(j));
                    done[j] = true;
                }
            }
            if (open(elem)) {
                unify(elem, joinFunctions(group.stream().map(g -> (Type.Fun) g.e.type.prune()).toList()), f.e, f.context);
            }
            for (FunctionElement g : group) {
                coerce(g.e, g.e.type, g.elem, Mode.ARGUMENT, g.context);
            }
        }
        pending.mixed.forEach(Runnable::run);
        pending.arithmetic.forEach(Runnable::run);
        pending.finals.forEach(Runnable::run);
    }

    /**
     * The type that functions which differ only by arithmetic's Result or by 'any' are all adapted to,
     * whichever comes first. Its result is 'any' if one gives 'any' (any value can be stored as one), else
     * {@code Result<T, MathError>} if one gives that (a function giving T is adapted by wrapping its value in
     * Success, which cannot fail, where unwrapping the other's result would stop the program at an Error).
     * Each parameter is the other way round, as the adapter passes its argument on: a plain one if one takes it
     * (a function taking the Result or 'any' takes it too), else the Result. A generic function's type
     * variable (fn id(x) = x) takes the others' type. Other differences are left to the coercion to report.
     */
    private static Type.Fun joinFunctions(List<Type.Fun> functions) {
        Type.Fun first = functions.get(0);
        if (functions.stream().anyMatch(f -> f.params.size() != first.params.size())) {
            return first;
        }
        List<Type> params = new ArrayList<>();
        for (int i = 0; i < first.params.size(); i++) {
            final int p = i;
            params.add(lowestRanked(functions.stream().map(f -> f.params.get(p)).toList(),
                            t -> open(t.prune()) ? 3 : isCon(t, Prelude.ANY) ? 2 : Prelude.isMathResult(t) ? 1 : 0));
        }
        Type result = lowestRanked(functions.stream().map(f -> f.result).toList(),
                        t -> open(t.prune()) ? 3 : isCon(t, Prelude.ANY) ? 0 : Prelude.isMathResult(t) ? 1 : 2);
        return new Type.Fun(params, result);
    }

    /** The first of these types with the lowest rank. */
    private static Type lowestRanked(List<Type> types, java.util.function.ToIntFunction<Type> rank) {
        Type best = types.get(0);
        for (Type t : types) {
            if (rank.applyAsInt(t) < rank.applyAsInt(best)) {
                best = t;
            }
        }
        return best;
    }

    private Type mapLit(Expr.MapLit m, Type expected) {
        return mapLit(m, expected, -1);
    }

    /** A map literal; where it joins two ('{...} + {...}'), {@code secondFrom} is where the second's entries start. */
    private Type mapLit(Expr.MapLit m, Type expected, int secondFrom) {
        Pending enclosing = takePending();
        Pending pending = enclosing != null ? enclosing : new Pending();
        Type k = fresh();
        Type v = fresh();
        boolean given = expected != null && expected.prune() instanceof Type.Con ec && ec.info == Prelude.MAP;
        if (given) {
            k = ((Type.Con) expected.prune()).args.get(0);
            v = ((Type.Con) expected.prune()).args.get(1);
        } else if (storedAsAny(expected)) {
            v = Prelude.T_ANY; // stored as 'any', its values may mix types, as a JSON object's do (see listLit)
            given = true;
        }
        if (!given) {
            soft(pending, v);
        }
        Set<Object> keys = new HashSet<>();
        int firstAny = -1;
        for (int i = 0; i < m.entries.size(); i++) {
            Expr.MapEntry en = m.entries.get(i);
            if (i == secondFrom) {
                keys.clear(); // a key of the left map given again on the right is that key's new value
            }
            check(en.key, k, Mode.ARGUMENT, () -> "the map key");
            if (!checkElement(en.value, firstAny < 0 ? v : Prelude.T_ANY, () -> "the map value", pending, !given && firstAny < 0)) {
                firstAny = i;
            }
            Object lit = en.key instanceof Expr.IntLit il ? (Object) il.value
                            : en.key instanceof Expr.StringLit sl && sl.isPlain() ? sl.parts.get(0) : en.key instanceof Expr.BoolLit bl ? (Object) bl.value : null;
            if (lit != null && !keys.add(lit)) {
                error(en.key, "duplicate key " + (lit instanceof String s ? "\"" + s + "\"" : lit) + " in the map literal");
            }
        }
        if (firstAny >= 0) {
            widenToAny(m.entries.subList(0, firstAny).stream().map(en -> en.value).toList(), () -> "the map value", pending, enclosing);
            v = Prelude.T_ANY;
        } else if (enclosing == null) {
            resolve(pending);
        }
        checkMapKey(k, m.entries.isEmpty() ? m : m.entries.get(0).key);
        return Types.markMapKeys(Prelude.map(k, v));
    }

    private void checkMapKey(Type k, Node at) {
        Type kk = k.prune();
        if (!Types.isMapKey(kk)) {
            error(at, "map keys must be int, string or bool, not " + TypePrinter.print(kk));
        }
    }

    /** What to do instead of indexing a {@code t} that is no list or map. */
    private String indexHint(Expr.Index ix, Type t) {
        if (isCon(t, Prelude.STRING)) {
            return " (a part of a string is substring(s, start, end))";
        }
        if (t instanceof Type.Tuple) {
            return " (take a tuple apart with a pattern: let (a, b) = t)";
        }
        if (isCon(t, Prelude.ITERATOR)) {
            return " (use toList(...) to make a list of an iterator)";
        }
        if (Prelude.isResult(t) && ix.target instanceof Expr.Index inner && source.length() >= ix.target.end) {
            // grid[0][1]: each index gives a Result (spec 0003 List Access), which the second cannot index
            String outer = source.substring(inner.start, inner.end);
            String row = outer.length() > 30 || outer.contains("\n") ? "xs[i]" : outer;
            Type value = ((Type.Con) t.prune()).args.get(0);
            String empty = isCon(value, Prelude.LIST) ? "[]" : isCon(value, Prelude.MAP) ? "{}" : null;
            return " (" + row + " gives a Result, as every index does (spec 0003): match it first"
                            + (empty == null ? "" : ", or give a default: (" + row + " ?: " + empty + ")[...]") + ")";
        }
        return matchFirst(t);
    }

    private Type index(Expr.Index ix) {
        Type t = operand(ix.target);
        if (t instanceof Type.Con c && c.info == Prelude.MAP) {
            check(ix.index, c.args.get(0), Mode.ARGUMENT, () -> "the map key");
            return Prelude.result(c.args.get(1), Prelude.T_INDEX_ERROR);
        }
        if (open(t)) {
            Type elem = fresh();
            unify(Prelude.list(elem), t, ix.target, null);
            t = t.prune();
        }
        if (t instanceof Type.Con c && c.info == Prelude.LIST) {
            check(ix.index, Prelude.T_INT, Mode.ARGUMENT, () -> "the list index");
            return Prelude.result(c.args.get(0), Prelude.T_INDEX_ERROR);
        }
        error(ix.target, "only lists and maps can be indexed with [...], not " + TypePrinter.print(t) + indexHint(ix, t));
        infer(ix.index, null);
        return fresh();
    }

    private Type comprehension(Expr.Comprehension c) {
        Type src = operand(c.source);
        Type elem = fresh();
        if (src instanceof Type.Con sc && (sc.info == Prelude.LIST || sc.info == Prelude.ITERATOR)) {
            elem = sc.args.get(0);
        } else if (src instanceof Type.Con sc && sc.info == Prelude.MAP) {
            elem = new Type.Tuple(List.of(sc.args.get(0), sc.args.get(1)));
        } else if (open(src)) {
            unify(Prelude.list(elem), src, c.source, null);
        } else {
            error(c.source, "a comprehension needs a list, a map or a range to draw from, not " + TypePrinter.print(src)
                            + (Types.isCon(src, Prelude.STRING) ? " (" + Resolver.STRING_IS_NOT_A_LIST + ")" : ""));
        }
        pattern(c.binder, elem);
        if (c.condition != null) {
            Type ct = operand(c.condition);
            unify(Prelude.T_BOOL, ct, c.condition, () -> "the comprehension's condition");
        }
        Type out = fresh();
        check(c.element, out, Mode.ARGUMENT, () -> "the comprehension's element");
        return Prelude.list(out);
    }

    // ---------------------------------------------------------------- lambdas, blocks, match

    private Type lambda(Expr.Lambda l, Type expected) {
        return lambda(l, expected, true);
    }

    /**
     * A lambda, given its parameter types by {@code expected} where it has no annotation; unless {@code fitResult},
     * its result is its body's, not yet fitted to {@code expected}'s (a list literal's elements decide that together).
     */
    private Type lambda(Expr.Lambda l, Type expected, boolean fitResult) {
        Type.Fun exp = expected != null && expected.prune() instanceof Type.Fun f && f.params.size() == l.params.size() ? f : null;
        List<Type> params = new ArrayList<>();
        Map<String, Type> typeVars = new HashMap<>(typeParamsInScope); // one T for all of the lambda's annotations
        for (int i = 0; i < l.params.size(); i++) {
            Param p = l.params.get(i);
            Type t;
            if (p.type != null) {
                t = atLevel(types.resolve(p.type, typeVars, true));
            } else {
                t = exp != null ? exp.params.get(i) : fresh();
            }
            p.binding.type = t;
            params.add(t);
        }
        Type declared = l.result != null ? atLevel(types.resolve(l.result, typeVars, true)) : null;
        // Unfitted, the result is still guided where it is a bare {}: the empty map where the others give maps.
        Type want = declared != null ? declared : exp != null && (fitResult || isEmptyBlock(l.body)) ? exp.result : null;
        Type body = infer(l.body, want);
        Type result;
        if (declared != null) {
            result = coerce(l.body, body, declared, Mode.DECLARED, () -> "the lambda's result");
        } else if (exp != null && fitResult) {
            result = coerce(l.body, body, exp.result, Mode.ARGUMENT, () -> "the lambda's result");
        } else {
            result = body;
        }
        return new Type.Fun(params, result);
    }

    /**
     * {@code spawn e}, {@code Fiber<T> { computation: f }}: a {@code Fiber} of what the body computes (spec 0011).
     * Where the use expects a {@code Fiber} of a plain type, an arithmetic Result that {@code e} gives is unwrapped
     * to fit, as the result of the lambda {@code fn() => e} that spawn stands for is.
     */
    private Type spawn(Expr.Spawn s, Type expected) {
        if (s.body.body instanceof Expr.Call c && c.args.isEmpty() && c.end == c.callee.end) {
            fiberComputations.add(c); // a call the program wrote ends with its ')' after the callee
        }
        Type body = infer(s.body, null).prune();
        if (s.declared == null && body instanceof Type.Fun f && f.result.prune() instanceof Type.Fun) {
            // `spawn(work)` (thread::spawn(f), Thread(target=f)), `spawn fn() => ...` (JavaScript, Kotlin): a
            // fiber whose value would be the function, never called
            Expr e = s.body.body;
            if (e instanceof Expr.Ident id) {
                error(e.start, e.end, "spawn " + id.name + " starts a fiber whose value is the function " + id.name + " itself, not called:"
                                + " write spawn " + id.name + "(...) (spec 0011)");
            } else if (e instanceof Expr.Lambda) {
                error(e.start, e.end, "spawn takes what the fiber computes, not a function: spawn f(x), or spawn { ... } for several"
                                + " statements (spec 0011)");
            }
        }
        Type result = body instanceof Type.Fun f ? f.result.prune() : fresh();
        if (s.declared == null && expected != null && expected.prune() instanceof Type.Con fc && fc.info == Prelude.FIBER
                        && fc.args.get(0).prune() instanceof Type.Con element && element.info != Prelude.RESULT && Prelude.isMathResult(result)
                        && Unifier.tryUnify(element, ((Type.Con) result).args.get(0))) {
            // `let f: Fiber<int> = spawn a + b`, `fn start() -> Fiber<int> = spawn n * 2`: as
            // Fiber<int> { computation: fn() => a + b } is. Other mismatches are left to the use, which names the Fibers.
            result = coerce(s.body.body, result, element, Mode.DECLARED, () -> "the fiber's value");
            s.body.type = new Type.Fun(List.of(), result);
        }
        return Prelude.fiber(result);
    }

    /**
     * {@code select} (spec 0011): each arm's channel is a {@code Channel<T>}; a receive binds a {@code T}, a send
     * sends one and binds unit; every arm's value has the select's type, unless the select's value is not used
     * (a statement), where, as a match's, each arm's value is dropped.
     */
    private Type select(Expr.Select s, Type expected) {
        boolean againstExpected = expected != null && !(expected.prune() instanceof Type.Var);
        List<Type> armTypes = new ArrayList<>();
        for (Expr.SelectArm arm : s.arms) {
            if (arm.channel != null) {
                Type element = fresh();
                Type ch = infer(arm.channel, null);
                unify(Prelude.channel(element), ch, arm.channel, () -> "the channel of this select arm");
                if (arm.value != null) {
                    Type v = infer(arm.value, element);
                    coerce(arm.value, v, element, Mode.ARGUMENT, () -> "the value this select arm sends");
                }
                if (arm.binder != null) {
                    pattern(arm.binder, arm.value != null ? Prelude.T_UNIT : element);
                }
            }
            if (s.discarded) {
                discardResult(arm.body);
                infer(arm.body, null);
            } else {
                armTypes.add(againstExpected ? check(arm.body, expected, Mode.DECLARED, () -> "this select arm")
                                : infer(arm.body, expected));
            }
        }
        if (s.discarded) {
            return Prelude.T_UNIT;
        }
        if (againstExpected) {
            return expected;
        }
        boolean anyPlain = anyPlain(armTypes);
        Type joined = null;
        for (int i = 0; i < armTypes.size(); i++) {
            Expr body = s.arms.get(i).body;
            Type t = unwrapIf(anyPlain, body, armTypes.get(i));
            if (joined == null) {
                joined = t;
            } else {
                unify(joined, t, body, () -> "this select arm's value (every arm gives the select's value)");
            }
        }
        return joined != null ? joined : Prelude.T_UNIT;
    }

    /** {@code Channel<T> { capacity: n }} (spec 0011); without {@code <T>} the uses decide the element type. */
    /** The body of an extern function: its parameters, which the parser gave C's types, and the result it declared. */
    private Type extern(Expr.Extern f) {
        f.args.forEach(a -> infer(a, null));
        return switch (f.result) {
            case INT -> Prelude.T_INT;
            case FLOAT -> Prelude.T_FLOAT;
            case BOOL -> Prelude.T_BOOL;
            case STRING -> Prelude.T_STRING;
            case UNIT -> Prelude.T_UNIT;
        };
    }

    private Type newChannel(Expr.NewChannel c) {
        Type element = c.element != null ? atLevel(types.resolve(c.element, new HashMap<>(typeParamsInScope), true)) : fresh();
        Type capacity = infer(c.capacity, Prelude.T_INT);
        coerce(c.capacity, capacity, Prelude.T_INT, Mode.ARGUMENT, () -> "the channel's capacity");
        return Prelude.channel(element);
    }

    private Type block(Expr.Block b, Type expected) {
        Map<Stmt.Fn, List<Stmt.Fn>> groups = nestedGroups(b.statements);
        for (Stmt s : b.statements) {
            if (s instanceof Stmt.Fn fn) {
                List<Stmt.Fn> group = groups.get(fn);
                if (group != null) {
                    checkNestedGroup(group);
                }
            } else {
                statement(s, false);
            }
        }
        if (b.result == null) {
            if (b.statements.isEmpty() && expected != null && expected.prune() instanceof Type.Con ec && ec.info == Prelude.MAP) {
                return expected; // `let m: Map<string, int> = {}`: the empty map (spec 0004 TYPE-MAP-LITERAL)
            }
            return Prelude.T_UNIT;
        }
        if (discardedBlocks.contains(b)) {
            discardResult(b.result);
        }
        return infer(b.result, expected);
    }

    private final Set<Expr.Block> discardedBlocks = new HashSet<>();

    private static boolean isEmptyBlock(Expr e) {
        return e instanceof Expr.Block b && b.statements.isEmpty() && b.result == null;
    }

    private void discardResult(Expr e) {
        if (e instanceof Expr.Match m) {
            m.discarded = true;
        } else if (e instanceof Expr.Select s) {
            s.discarded = true;
        } else if (e instanceof Expr.Block b) {
            discardedBlocks.add(b);
        } else if (e instanceof Expr.Handle h) {
            discardResult(h.body);
        }
    }

    /** Matches whose patterns had errors: their coverage checks would only add noise. */
    private final Set<Expr.Match> brokenMatches = new HashSet<>();

    private Type match(Expr.Match m, Type expected) {
        matches.add(m);
        Type st = infer(m.scrutinee, null).prune();
        if (isReported(st)) {
            brokenMatches.add(m); // match q.value { n: int => ...  _ => ... } after q.value was refused: no type to cover
        }
        if (Prelude.isMathResult(st) && !m.arms.stream().anyMatch(a -> matchesResult(a.pattern))) {
            m.scrutinee.coercion = Coercion.UNWRAP; // match x % 3 { 0 => ... }: the value, not the Result
            st = ((Type.Con) st).args.get(0).prune();
        }
        if (m.form == Expr.MatchForm.TERNARY && m.arms.get(0).pattern instanceof Pattern.Literal lit && lit.value instanceof Boolean) {
            if (!unify(Prelude.T_BOOL, st, m.scrutinee, () -> "the condition of '? :'")) {
                st = Prelude.T_BOOL;
                brokenMatches.add(m); // its coverage, checked against the condition's wrong type, would report the mistake again
            }
        }
        if (m.form == Expr.MatchForm.ELVIS && !Prelude.isResult(st) && !(st instanceof Type.Var)) {
            error(m.scrutinee, "'?:' takes a Result on its left and gives its value or the default; this is " + TypePrinter.print(st));
            st = Prelude.result(fresh(), fresh());
        }
        List<Type> armTypes = new ArrayList<>();
        Pending armsPending = new Pending();
        // Decided once: inferring an arm may itself resolve the expected type.
        boolean againstExpected = expected != null && !(expected.prune() instanceof Type.Var);
        boolean leftMisfit = false;
        // Where a Result whose error type is not known yet is expected ([Success(3), flag ? 3 : sum]), an arm
        // giving arithmetic's Result says it is a MathError before the plain arms are wrapped in Success to fit,
        // whichever arm comes first.
        boolean resultFirst = againstExpected && m.form != Expr.MatchForm.ELVIS && !m.discarded && Prelude.isResult(expected.prune())
                        && open(((Type.Con) expected.prune()).args.get(1).prune());
        List<Integer> plainLater = new ArrayList<>();
        for (int i = 0; i < m.arms.size(); i++) {
            Expr.Arm arm = m.arms.get(i);
            int before = diagnostics.size();
            pattern(arm.pattern, st);
            if (diagnostics.size() > before) {
                brokenMatches.add(m);
            }
            if (arm.guard != null) {
                Type g = operand(arm.guard);
                unify(Prelude.T_BOOL, g, arm.guard, () -> "the guard");
            }
            if (m.discarded) {
                discardResult(arm.body);
                infer(arm.body, null);
                armTypes.add(Prelude.T_UNIT);
            } else if (againstExpected && resultFirst) {
                Type at = infer(arm.body, expected);
                if (Prelude.isMathResult(at)) {
                    armTypes.add(coerce(arm.body, at, expected, Mode.DECLARED, armContext(m, i)));
                } else {
                    plainLater.add(i);
                    armTypes.add(expected);
                }
            } else if (againstExpected && !leftMisfit) {
                int errors = diagnostics.size();
                armTypes.add(check(arm.body, expected, Mode.DECLARED, armContext(m, i)));
                // Once the value on the left of '?:' does not fit, the error says what the '?:' gives; its default
                // nearly always has that type too, and checking it would report the same mistake a second time.
                leftMisfit = m.form == Expr.MatchForm.ELVIS && diagnostics.size() > errors;
            } else if (isEmptyBlock(arm.body)) {
                armTypes.add(null); // `c ? {} : m`, `r ?: {}`: decided below, by the other arms
            } else if (buildsValue(arm.body)) {
                // flag ? [1 + 1] : results: the literal's arithmetic waits for the other arms, as in a list of both
                enclosingPending = armsPending;
                try {
                    armTypes.add(infer(arm.body, expected));
                } finally {
                    enclosingPending = null;
                }
            } else {
                armTypes.add(infer(arm.body, expected));
            }
        }
        if (m.discarded) {
            return Prelude.T_UNIT;
        }
        if (armTypes.contains(null)) {
            // A bare `{}` is the empty map where another arm gives a map, and an empty block otherwise.
            Type map = armTypes.stream().filter(t -> t != null && isCon(t, Prelude.MAP)).findFirst().orElse(expected);
            for (int i = 0; i < armTypes.size(); i++) {
                if (armTypes.get(i) == null) {
                    armTypes.set(i, infer(m.arms.get(i).body, map));
                }
            }
        }
        for (int i : plainLater) {
            Expr body = m.arms.get(i).body;
            coerce(body, body.type, expected, Mode.DECLARED, armContext(m, i));
        }
        if (againstExpected) {
            return expected;
        }
        Type joined = joinArms(m, armTypes);
        resolve(armsPending);
        return joined;
    }

    /** Names arm i of m, in the words of what the user wrote, where it does not fit the type the match must have. */
    private static Supplier<String> armContext(Expr.Match m, int i) {
        return () -> switch (m.form) {
            case MATCH -> "this match arm";
            case TERNARY -> i == 0 ? "the first branch of the ternary" : "the second branch of the ternary";
            case ELVIS -> i == 0 ? "the value of the Result left of '?:'" : "the default of '?:'";
        };
    }

    /**
     * Whether some of these arm types is a plain (known, not arithmetic's Result) type. A Result whose error
     * type is not known yet ({@code Success(1)}) may be arithmetic's, so it is not plain: {@code flag ? Success(1)
     * : 1 + 1} is a {@code Result<int, MathError>}, as the list {@code [Success(1), 1 + 1]} is a list of them.
     */
    private static boolean anyPlain(List<Type> armTypes) {
        return armTypes.stream().map(Type::prune).anyMatch(t -> !Prelude.isMathResult(t) && !(t instanceof Type.Var)
                        && !(Prelude.isResult(t) && open(((Type.Con) t).args.get(1).prune())));
    }

    /** An arm's type, unwrapped from {@code Result<T, MathError>} to T where other arms are plain (the body then unwraps). */
    private static Type unwrapIf(boolean anyPlain, Expr body, Type armType) {
        Type t = armType.prune();
        if (anyPlain && Prelude.isMathResult(t)) {
            body.coercion = Coercion.UNWRAP;
            return ((Type.Con) t).args.get(0);
        }
        return t;
    }

    /** Arms must agree; where some give {@code Result<T, MathError>} and others T, the Results are unwrapped. */
    private Type joinArms(Expr.Match m, List<Type> armTypes) {
        if (armTypes.stream().anyMatch(t -> isCon(t, Prelude.ANY))) {
            // Spec 0004: an arm giving back an 'any' (a wildcard returning the matched value) keeps the match
            // 'any'; the other arms' values are stored as 'any' too, and getting one out takes a match.
            for (int i = 0; i < armTypes.size(); i++) {
                coerce(m.arms.get(i).body, armTypes.get(i), Prelude.T_ANY, Mode.DECLARED, () -> "a match arm");
            }
            return Prelude.T_ANY;
        }
        boolean anyPlain = anyPlain(armTypes);
        List<Type> types = new ArrayList<>();
        for (int i = 0; i < armTypes.size(); i++) {
            types.add(unwrapIf(anyPlain, m.arms.get(i).body, armTypes.get(i)));
        }
        // sq returning arithmetic's Result and cube returning int: both adapted to their join, as in a list of both
        boolean functions = types.size() > 1 && types.stream().allMatch(t -> t instanceof Type.Fun);
        Type joined = functions ? joinFunctions(types.stream().map(t -> (Type.Fun) t).toList()) : null;
        for (int i = 0; i < types.size(); i++) {
            Expr body = m.arms.get(i).body;
            Type t = types.get(i);
            if (joined == null) {
                joined = t;
            } else {
                final int armNo = i + 1;
                // A '?:' has no arms: its default gives what the Result holds. A pipe binds tighter than '?:', so
                // m[k] ?: [] |> length pipes the default alone, which is seldom what was meant.
                String why = m.form == Expr.MatchForm.TERNARY ? " (both branches must give the same type)"
                                : m.form == Expr.MatchForm.ELVIS ? " (the default must be of the type the Result holds"
                                                + (body instanceof Expr.Call call && call.fromPipe ? "; '|>' binds tighter than '?:', so only the default"
                                                                + " went through the pipe: write (r ?: default) |> f" : "") + ")"
                                : " (all arms must give the same type)";
                String what = m.form == Expr.MatchForm.TERNARY ? "the two branches of the ternary"
                                : m.form == Expr.MatchForm.ELVIS ? "the default of '?:'" : "match arm " + armNo;
                Supplier<String> context = () -> what + why;
                if (functions) {
                    coerce(body, t, joined, Mode.ARGUMENT, context);
                } else if (m.form == Expr.MatchForm.ELVIS && body instanceof Expr.Binary b) {
                    // head(cs) ?: "" == "^" gives the default "" == "^": the usual hint (toString) would mislead.
                    argumentNote = "'" + b.op.symbol + "' binds tighter than '?:', so the default is everything after '?:';"
                                    + " to use the value, write (r ?: default) " + b.op.symbol + " ...";
                    try {
                        unify(joined, t, body, context);
                    } finally {
                        argumentNote = null;
                    }
                } else {
                    unify(joined, t, body, context);
                }
            }
        }
        return joined == null ? fresh() : joined;
    }

    private static boolean matchesResult(Pattern p) {
        return switch (p) {
            case Pattern.Constructor c -> c.name.equals("Success") || c.name.equals("Error") || c.name.equals("Err");
            case Pattern.Binder b -> b.constructor && (b.name.equals("Success") || b.name.equals("Error") || b.name.equals("Err"));
            case Pattern.Typed t -> t.typeExpr == null && t.fields != null;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- patterns

    private static boolean containsIterator(Type t) {
        Type p = t.prune();
        return switch (p) {
            case Type.Fun f -> false;
            case Type.Con c -> c.info == Prelude.ITERATOR || c.args.stream().anyMatch(Checker::containsIterator);
            case Type.Tuple tu -> tu.elements.stream().anyMatch(Checker::containsIterator);
            case Type.Var v -> false;
        };
    }

    /**
     * Does t give a record or union a type argument that its fields hold only inside function or iterator types,
     * where a run-time test cannot see it?
     */
    private static boolean untestableArgs(Type t) {
        Type p = t.prune();
        if (p instanceof Type.Tuple tu) {
            return tu.elements.stream().anyMatch(Checker::untestableArgs);
        }
        if (!(p instanceof Type.Con c)) {
            return false;
        }
        for (int j = 0; j < c.args.size(); j++) {
            if (untestableArgs(c.args.get(j)) || (c.info.isRecord() || c.info.isUnion()) && hiddenParam(c.info, j, new HashSet<>())) {
                return true;
            }
        }
        return false;
    }

    /** Is type parameter j of info held by its fields only (or also) inside a function or iterator type? */
    private static boolean hiddenParam(TypeInfo info, int j, Set<String> seen) {
        if (j >= info.params.size() || !seen.add(info.name + "#" + j)) {
            return false;
        }
        Type.Var param = info.params.get(j);
        for (Type f : fieldTypesOf(info)) {
            if (hiddenIn(f, param, false, seen)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hiddenIn(Type t, Type.Var param, boolean under, Set<String> seen) {
        Type p = t.prune();
        return switch (p) {
            case Type.Var v -> under && v == param;
            case Type.Fun f -> f.params.stream().anyMatch(x -> hiddenIn(x, param, true, seen)) || hiddenIn(f.result, param, true, seen);
            case Type.Tuple tu -> tu.elements.stream().anyMatch(x -> hiddenIn(x, param, under, seen));
            case Type.Con c -> {
                boolean u = under || c.info == Prelude.ITERATOR;
                for (int k = 0; k < c.args.size(); k++) {
                    Type a = c.args.get(k);
                    if (hiddenIn(a, param, u, seen)) {
                        yield true;
                    }
                    Set<Type.Var> fv = new HashSet<>();
                    Types.freeVars(a, fv);
                    if (fv.contains(param) && (c.info.isRecord() || c.info.isUnion()) && hiddenParam(c.info, k, seen)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    private static boolean containsFunction(Type t) {
        Type p = t.prune();
        return switch (p) {
            case Type.Fun f -> true;
            case Type.Con c -> c.args.stream().anyMatch(Checker::containsFunction);
            case Type.Tuple tu -> tu.elements.stream().anyMatch(Checker::containsFunction);
            case Type.Var v -> false;
        };
    }

    /** Checks that pattern {@code p} fits values of type {@code t}, giving its binders their types. */
    private void pattern(Pattern p, Type t) {
        p.type = t;
        switch (p) {
            case Pattern.Wildcard w -> {
            }
            case Pattern.Binder b -> {
                if (b.constructor) {
                    VariantInfo v = patternVariant(b.name, t, b);
                    b.variant = v;
                } else if (b.binding != null && Character.isUpperCase(b.name.charAt(0)) && types.lookupType(b.name) instanceof TypeInfo record
                                && record.isRecord()) {
                    // `Point =>`: the record type's pattern (as `Red =>` is a variant's), not a variable that would take
                    // anything (`match 5 { Point => ... }`); on an any, the test `Point: Point` makes.
                    b.binding.type = t;
                    if (isCon(t, Prelude.ANY)) {
                        b.typeTest = recordTest(b, b.name, record, null);
                        b.typeTest.binding = b.binding;
                        pattern(b.typeTest, t);
                    } else {
                        unify(t, new Type.Con(record, Types.freshArgs(record, level)), b, () -> "the pattern");
                    }
                } else if (b.binding != null) {
                    b.binding.type = t;
                    if (Character.isUpperCase(b.name.charAt(0)) && t.prune() instanceof Type.Con c && c.info.isUnion()) {
                        String habit = Resolver.otherLanguageName(b.name); // `None =>` (Rust, Python)
                        error(b, "'" + b.name + "' is not a variant of " + TypePrinter.print(t) + " (variants: "
                                        + String.join(", ", c.info.variants.stream().map(x -> x.name).toList())
                                        + "); " + (habit != null ? habit : "to bind the value to a variable, use a lowercase name"));
                    }
                }
            }
            case Pattern.Literal lit -> {
                Type lt = lit.value instanceof Long ? Prelude.T_INT : lit.value instanceof Double ? Prelude.T_FLOAT
                                : lit.value instanceof String ? Prelude.T_STRING : lit.value instanceof Boolean ? Prelude.T_BOOL : Prelude.T_UNIT;
                if (isCon(t, Prelude.ANY)) {
                    return;
                }
                unify(t, lt, p, () -> "the pattern");
            }
            case Pattern.Constructor c -> constructorPattern(c, t);
            case Pattern.Typed tp -> typedPattern(tp, t);
            case Pattern.TuplePat tu -> {
                if (isCon(t, Prelude.ANY)) {
                    // On an 'any' (a value of parseJson, say) the pattern tests at run time that the value is a tuple
                    // of as many elements, and its elements are 'any' in turn, as a type pattern's fields are.
                    tu.elements.forEach(e -> pattern(e, Prelude.T_ANY));
                    return;
                }
                List<Type> es = new ArrayList<>();
                for (int i = 0; i < tu.elements.size(); i++) {
                    es.add(fresh());
                }
                if (t.prune() instanceof Type.Tuple known && known.elements.size() != es.size()) {
                    // Said in counts: the pattern's element types are only variables ("found (T, U, V)").
                    error(p, "this pattern has " + es.size() + " elements, but the tuple it matches has " + known.elements.size() + ": "
                                    + TypePrinter.print(known));
                } else {
                    unify(t, new Type.Tuple(es), p, () -> "the tuple pattern");
                }
                for (int i = 0; i < tu.elements.size(); i++) {
                    pattern(tu.elements.get(i), es.get(i));
                }
            }
            case Pattern.ListPat lp -> {
                // On an 'any', a test at run time that the value is a list; its elements are 'any'.
                boolean onAny = isCon(t, Prelude.ANY);
                Type elem = onAny ? Prelude.T_ANY : fresh();
                if (!onAny) {
                    unify(t, Prelude.list(elem), p, () -> "the list pattern");
                }
                for (Pattern e : lp.elements) {
                    pattern(e, elem);
                }
                if (lp.restBinding != null) {
                    lp.restBinding.type = Prelude.list(elem);
                }
            }
            case Pattern.MapPat mp -> {
                Type k = fresh();
                // On an 'any' (a JSON object), a test at run time that the value is a map; its values are 'any'.
                boolean onAny = isCon(t, Prelude.ANY);
                Type v = onAny ? Prelude.T_ANY : fresh();
                if (!onAny) {
                    unify(t, Prelude.map(k, v), p, () -> "the map pattern");
                }
                for (int i = 0; i < mp.keys.size(); i++) {
                    Object key = mp.keys.get(i);
                    Type kt = key instanceof Long ? Prelude.T_INT : key instanceof String ? Prelude.T_STRING : Prelude.T_BOOL;
                    unify(k, kt, p, () -> "the map pattern's key");
                    pattern(mp.values.get(i), v);
                }
            }
        }
    }

    private VariantInfo patternVariant(String name, Type t, Node at) {
        Type tt = t.prune();
        String lookup = name.equals("Err") ? "Error" : name;
        if (tt instanceof Type.Con c && c.info.isUnion()) {
            VariantInfo v = c.info.variant(lookup);
            if (v == null) {
                // `Ok(v) =>`, `Some(x) =>` (Rust, Haskell): the name's habit says what Osprey calls it
                String habit = Resolver.otherLanguageName(name);
                error(at, "'" + name + "' is not a variant of " + TypePrinter.print(tt) + " (variants: "
                                + String.join(", ", c.info.variants.stream().map(x -> x.name).toList()) + ")"
                                + (habit != null ? "; " + habit : ""));
            }
            return v;
        }
        if (open(tt)) {
            VariantInfo v = pickVariant(lookup, null, at);
            if (v != null) {
                unify(tt, new Type.Con(v.owner, Types.freshArgs(v.owner, level)), at, null);
            }
            return v;
        }
        if (isCon(tt, Prelude.ANY)) {
            return pickVariant(lookup, null, at);
        }
        error(at, "the pattern '" + name + "' is a variant, but the value matched has type " + TypePrinter.print(tt)
                        + (isCon(tt, Prelude.FIBER) || isCon(tt, Prelude.CHANNEL) ? " (" + notItsValue(isCon(tt, Prelude.FIBER)) + ")" : ""));
        return null;
    }

    private void constructorPattern(Pattern.Constructor c, Type t) {
        TypeInfo record = types.lookupType(c.name);
        if (record != null && record.isRecord() && !resolver.isConstructor(c.name)) {
            if (c.positional != null && !c.positional.isEmpty()) {
                // As Point(1, 2) builds nothing: a record's fields are found by name (spec 0004), a variant's may go by position.
                error(c, "'" + c.name + "' is a record type: a pattern takes it apart by its fields' names, " + c.name + " { "
                                + String.join(", ", record.fieldNames) + " }, not by position");
                return;
            }
            if (isCon(t, Prelude.ANY)) {
                // `Point { x }` on an any: the type test of `p: Point { x }`, without the binder, as `Circle { r }` tests for a variant.
                c.typeTest = recordTest(c, c.name, record, c.fields);
                pattern(c.typeTest, t);
                return;
            }
            // `Point { x, y }`: destructures a record
            Type.Con rec = new Type.Con(record, Types.freshArgs(record, level));
            unify(t, rec, c, () -> "the pattern");
            c.variant = record;
            if (c.fields != null) {
                fieldPatterns(c.fields, rec.info.fieldNames, i -> Types.recordFieldType(rec, i), "record '" + record.name + "'");
            }
            return;
        }
        VariantInfo v = patternVariant(c.name, t, c);
        c.variant = v;
        if (v == null) {
            return;
        }
        Type tt = t.prune();
        List<Type> args;
        if (tt instanceof Type.Con tc && tc.info == v.owner) {
            args = tc.args;
        } else if (isCon(tt, Prelude.ANY)) {
            args = new ArrayList<>(); // a variant found in an 'any': its generic fields are 'any' too, until matched
            for (int i = 0; i < v.owner.params.size(); i++) {
                args.add(Prelude.T_ANY);
            }
        } else {
            args = Types.freshArgs(v.owner, level);
        }
        List<Type> fieldTypes = Types.variantFieldTypes(v, args);
        if (c.fields != null) {
            if ((v == Prelude.SUCCESS || v == Prelude.ERROR) && c.fields.size() == 1 && c.fields.get(0).pattern == null
                            && !v.fieldNames.contains(c.fields.get(0).field)) {
                // `Success { val1 }` (spec 0013): a single-field variant's field bound under any name.
                Pattern.FieldPat fp = c.fields.get(0);
                fp.index = 0;
                if (fp.binding != null) {
                    fp.binding.type = fieldTypes.get(0);
                }
                return;
            }
            fieldPatterns(c.fields, v.fieldNames, fieldTypes::get, "variant '" + v.name + "'");
        } else if (c.positional != null) {
            if (c.positional.isEmpty()) {
                return; // Success(): ignores the payload
            }
            if (c.positional.size() != v.fieldNames.size()) {
                boolean ignored = c.positional.stream().allMatch(q -> q instanceof Pattern.Wildcard);
                error(c, "variant '" + v.name + "' has " + plural(v.fieldNames.size(), "field") + ", but the pattern gives "
                                + c.positional.size() + (ignored ? " (to match any " + v.name + " without its fields, write " + v.name + ")"
                                                : " (name the ones you need: " + v.name + " { " + String.join(", ", v.fieldNames) + " })"));
                return;
            }
            for (int i = 0; i < c.positional.size(); i++) {
                pattern(c.positional.get(i), fieldTypes.get(i));
            }
        }
    }

    /**
     * The type pattern {@code name: Record { fields }} that a record's pattern on an {@code any} is ({@code Point { x }},
     * {@code Point}); a generic record's fields are 'any' until matched, as a variant's are ({@code Box { item }} tests
     * for a {@code Box<any>}).
     */
    private static Pattern.Typed recordTest(Pattern p, String binder, TypeInfo record, List<Pattern.FieldPat> fields) {
        int nameEnd = p.start + record.name.length();
        List<org.osprey.ast.TypeExpr> anyArgs = new ArrayList<>();
        for (int i = 0; i < record.params.size(); i++) {
            anyArgs.add(new org.osprey.ast.TypeExpr.Named(p.start, nameEnd, "any", List.of()));
        }
        return new Pattern.Typed(p.start, p.end, binder, new org.osprey.ast.TypeExpr.Named(p.start, nameEnd, record.name, anyArgs), fields);
    }

    private void fieldPatterns(List<Pattern.FieldPat> fields, List<String> names, java.util.function.IntFunction<Type> typeOf, String what) {
        Set<String> seen = new HashSet<>();
        for (Pattern.FieldPat fp : fields) {
            int idx = names.indexOf(fp.field);
            if (idx < 0) {
                error(fp.start, fp.start + fp.field.length(), what + " has no field '" + fp.field + "'"
                                + (names.isEmpty() ? "" : fieldMeant(fp.field, names, names)));
                continue;
            }
            if (!seen.add(fp.field)) {
                error(fp, "field '" + fp.field + "' appears twice in the pattern");
            }
            fp.index = idx;
            Type ft = typeOf.apply(idx);
            if (fp.pattern == null) {
                if (fp.binding != null) {
                    fp.binding.type = ft;
                }
            } else {
                pattern(fp.pattern, ft);
            }
        }
    }

    /**
     * The field types a structural pattern on {@code any} proves: every record and variant that has all the
     * pattern's fields is a value it can match, so a field whose type is the same concrete type in all of them
     * has that type; any other field stays {@code any} (generic fields, fields whose types differ).
     */
    private Map<String, Type> structuralFieldTypes(Pattern.Typed tp) {
        List<String> wanted = tp.fields.stream().map(f -> f.field).toList();
        List<Map<String, Type>> shapes = new ArrayList<>();
        List<Object> candidates = new ArrayList<>();
        tp.byNameCandidates = candidates;
        for (TypeInfo r : types.recordTypes()) {
            if (r.fieldNames.containsAll(wanted)) {
                candidates.add(r);
                Map<String, Type> m = new HashMap<>();
                for (String w : wanted) {
                    m.put(w, r.fieldTypes.get(r.fieldIndex(w)));
                }
                shapes.add(m);
            }
        }
        for (VariantInfo v : types.allVariants()) {
            if (v.fieldNames.containsAll(wanted)) {
                candidates.add(v);
                Map<String, Type> m = new HashMap<>();
                for (String w : wanted) {
                    m.put(w, v.fieldTypes.get(v.fieldNames.indexOf(w)));
                }
                shapes.add(m);
            }
        }
        Map<String, Type> known = new HashMap<>();
        if (shapes.isEmpty()) {
            error(tp, "no record or variant has the field" + (wanted.size() == 1 ? " " : "s ") + String.join(", ", wanted)
                            + ", so this pattern can never match");
            return known;
        }
        for (String w : wanted) {
            Type first = shapes.get(0).get(w);
            boolean same = first != null && Types.isGround(first);
            for (Map<String, Type> m : shapes) {
                same &= m.get(w) != null && Types.isGround(m.get(w)) && TypePrinter.print(m.get(w)).equals(TypePrinter.print(first));
            }
            if (same) {
                known.put(w, first);
            }
        }
        return known;
    }

    /**
     * {@code q: Square { side }}: a variant with its fields destructured and the whole value bound (spec 0007,
     * "type pattern with destructuring of a known constructor"), on a value of its union or of 'any'; or
     * {@code q: Square}, the variant without its fields.
     */
    private void variantTypedPattern(Pattern.Typed tp, Type t, VariantInfo v) {
        Type tt = t.prune();
        Type.Con owner;
        if (tt instanceof Type.Con c && c.info == v.owner) {
            owner = c;
        } else if (isCon(tt, Prelude.ANY)) {
            // q: Some on an 'any': nothing tells the union's type arguments, so they are 'any' as the generic fields
            // of a variant pattern on 'any' are (a later use must not fix them: the test would then check them,
            // or, through a function field, not be able to).
            List<Type> anys = new ArrayList<>();
            for (int i = 0; i < v.owner.params.size(); i++) {
                anys.add(Prelude.T_ANY);
            }
            owner = new Type.Con(v.owner, anys);
        } else {
            owner = new Type.Con(v.owner, Types.freshArgs(v.owner, level));
        }
        if (!isCon(tt, Prelude.ANY)) {
            unify(t, owner, tp, () -> "the pattern '" + tp.name + ": " + v.name + " { ... }'");
        }
        tp.tested = owner;
        tp.variant = v;
        List<Type> fts = Types.variantFieldTypes(v, owner.args);
        if (tp.fields != null) {
            fieldPatterns(tp.fields, v.fieldNames, fts::get, "variant '" + v.name + "'");
        }
        if (tp.binding != null) {
            tp.binding.type = owner;
        }
    }

    /**
     * A structural pattern that matches several variants binds each field to one type: the field's type in the
     * first of them ({@code firstTypes}) must be its type in every other.
     */
    private void sameFieldTypes(Pattern.Typed tp, Type.Con union, List<VariantInfo> matches, List<Type> firstTypes) {
        VariantInfo first = matches.get(0);
        String names = String.join(", ", matches.stream().map(v -> v.name).toList());
        for (Pattern.FieldPat fp : tp.fields) {
            Type ft = firstTypes.get(first.fieldNames.indexOf(fp.field));
            for (VariantInfo v : matches.subList(1, matches.size())) {
                Type other = Types.variantFieldTypes(v, union.args).get(v.fieldNames.indexOf(fp.field));
                unify(ft, other, fp, () -> "field '" + fp.field + "' of variant '" + v.name + "' (this pattern matches the variants " + names
                                + ", so each field needs the same type in all of them)");
            }
        }
    }

    private void typedPattern(Pattern.Typed tp, Type t) {
        Type tt = t.prune();
        if (tp.typeExpr == null) {
            // `{ value }` or `p: { name }`: a structural pattern
            if (tt instanceof Type.Con c && c.info.isRecord()) {
                fieldPatterns(tp.fields, c.info.fieldNames, i -> Types.recordFieldType(c, i), "record '" + c.info.name + "'");
                tp.tested = tt;
            } else if (tt instanceof Type.Con c && c.info.isUnion()) {
                // Spec 0007: a structural pattern matches any value with these fields, so every variant that has them.
                List<VariantInfo> matches = new ArrayList<>();
                for (VariantInfo v : c.info.variants) {
                    if (tp.fields.stream().allMatch(f -> v.fieldNames.contains(f.field))) {
                        matches.add(v);
                    }
                }
                if (matches.isEmpty()) {
                    error(tp, "no variant of " + TypePrinter.print(tt) + " has the fields " + String.join(", ",
                                    tp.fields.stream().map(f -> f.field).toList()));
                } else {
                    VariantInfo mv = matches.get(0);
                    List<Type> fts = Types.variantFieldTypes(mv, c.args);
                    tp.tested = tt;
                    if (matches.size() > 1) {
                        sameFieldTypes(tp, c, matches, fts);
                        tp.variants = new ArrayList<>(matches);
                    } else {
                        tp.variant = mv;
                    }
                    fieldPatterns(tp.fields, mv.fieldNames, fts::get, "variant '" + mv.name + "'");
                }
            } else if (isCon(tt, Prelude.ANY)) {
                Map<String, Type> known = structuralFieldTypes(tp);
                tp.byNameTypes = new ArrayList<>();
                for (Pattern.FieldPat fp : tp.fields) {
                    Type ft = known.getOrDefault(fp.field, Prelude.T_ANY);
                    tp.byNameTypes.add(known.get(fp.field));
                    if (fp.binding != null) {
                        fp.binding.type = ft;
                    } else if (fp.pattern != null) {
                        pattern(fp.pattern, ft);
                    }
                }
                if (tp.binding != null) {
                    tp.binding.structuralFields = known;
                }
            } else if (tt instanceof Type.Var) {
                error(tp, "cannot tell the type of the value matched by this structural pattern; annotate it");
            } else {
                error(tp, "a structural pattern { ... } needs a record, a union or 'any', not " + TypePrinter.print(tt));
            }
            if (tp.binding != null) {
                tp.binding.type = t;
            }
            return;
        }
        if (tp.typeExpr instanceof org.osprey.ast.TypeExpr.Named n && n.args.isEmpty() && types.lookupType(n.name) == null
                        && !types.constructors(n.name).isEmpty()) {
            variantTypedPattern(tp, t, pickVariant(n.name, tt, tp));
            return;
        }
        int resolveErrors = diagnostics.size();
        Type tested = types.resolve(tp.typeExpr, new HashMap<>(), false);
        tp.tested = tested;
        if (isCon(tt, Prelude.ANY) && containsFunction(tested)) {
            error(tp, "a function type cannot be tested at run time; match other types or use '_'");
        } else if (isCon(tt, Prelude.ANY) && containsIterator(tested)) {
            // An iterator's element type is known only by running it (a lazy map chain), so it cannot be tested.
            error(tp, "an iterator type cannot be tested at run time; match other types or use '_'");
        } else if (isCon(tt, Prelude.ANY) && diagnostics.size() == resolveErrors && untestableArgs(tested)) {
            // type H<T> = { f: (T) -> T }: no value of an H tells its T, so h: H<string> would take an H<int>.
            error(tp, "'" + TypePrinter.print(tested) + "' cannot be tested at run time: a type argument of it is the type of a function's"
                            + " parameter or result, or of an iterator's elements, which a value does not tell; match other types or use '_'");
        }
        if (!isCon(tt, Prelude.ANY)) {
            unify(t, tested, tp, () -> "the type pattern '" + tp.name + ": " + TypePrinter.print(tested) + "'");
        }
        if (tp.binding != null) {
            tp.binding.type = tested;
        }
        if (tp.fields != null) {
            Type tested2 = tested.prune();
            if (tested2 instanceof Type.Con c && c.info.isRecord()) {
                fieldPatterns(tp.fields, c.info.fieldNames, i -> Types.recordFieldType(c, i), "record '" + c.info.name + "'");
            } else {
                error(tp, "only a record type can be destructured with { ... } here");
            }
        }
    }

    // ---------------------------------------------------------------- effects (spec 0017)

    /** Effects this program declares, by name; they join the environment when the program runs. */
    public final Map<String, EffectInfo> declaredEffects = new java.util.LinkedHashMap<>();

    private boolean checkEffects = true;

    /** For a tool's question about an expression's type (the REPL's :type): whether its effects are handled does not matter. */
    public void skipEffectCheck() {
        checkEffects = false;
    }

    /** " !State" or " ![Log, State]" after a function's type, for its declared or inferred effects; "" for none. */
    public static String effectsSuffix(Binding b) {
        if (b == null || b.effects == null || b.effects.isEmpty()) {
            return "";
        }
        return b.effects.size() == 1 ? " !" + b.effects.iterator().next() : " ![" + String.join(", ", b.effects) + "]";
    }

    private EffectInfo effect(String name) {
        EffectInfo e = declaredEffects.get(name);
        return e != null ? e : env.effects.get(name);
    }

    /** The effects in the functions' annotations ({@code !E}) name declared effects or type parameters (for {@code <E>}). */
    private void checkAnnotations(Program program) {
        new org.osprey.ast.AstWalker(e -> {
        }, st -> {
            if (st instanceof Stmt.Fn fn && fn.effects != null) {
                for (Stmt.EffectRef ref : fn.effects) {
                    if (effect(ref.name) == null && fn.typeParams.stream().noneMatch(tp -> tp.name.equals(ref.name))) {
                        unknownEffect(ref.name, ref.start);
                    }
                }
            }
        }).stmt(new Stmt.ExprStmt(0, 0, new Expr.Block(0, 0, program.statements, null)));
    }

    private void declareEffects(Program program) {
        for (Stmt s : program.statements) {
            if (!(s instanceof Stmt.EffectDecl d)) {
                continue;
            }
            EffectInfo before = declaredEffects.get(d.name);
            if (before != null) {
                error(d.nameStart, d.nameStart + d.name.length(), "effect '" + d.name + "' is already declared at line " + line(before.declOffset));
                continue;
            }
            if (types.lookupType(d.name) != null) {
                error(d.nameStart, d.nameStart + d.name.length(), "'" + d.name + "' is already the name of a type: give the effect another name");
                continue;
            }
            List<String> ops = new ArrayList<>();
            List<Type.Fun> opTypes = new ArrayList<>();
            for (Stmt.OpDecl op : d.ops) {
                ops.add(op.name);
                // A name such as T is taken as a type parameter only to say that an operation cannot have one
                // (it read "unknown type 'T'" at each use, as if a type of that name were missing).
                Map<String, Type> parameters = new java.util.LinkedHashMap<>();
                opTypes.add((Type.Fun) types.resolve(op.type, parameters, true));
                if (!parameters.isEmpty()) {
                    error(op.type, "operation '" + op.name + "' of effect '" + d.name + "' uses the type parameter"
                                    + (parameters.size() == 1 ? " '" : "s '") + String.join("', '", parameters.keySet())
                                    + "', but an effect's operations cannot have type parameters: write the types it takes and gives (int, string, any, ...)");
                }
            }
            EffectInfo earlier = env.effects.get(d.name);
            if (earlier != null && earlier.ops.equals(ops) && earlier.types.stream().map(TypePrinter::print).toList()
                            .equals(opTypes.stream().map(TypePrinter::print).toList())) {
                // The same declaration again in a later REPL entry (a file loaded twice): the same effect, so
                // that the functions of earlier entries that perform it meet the handlers of later ones.
                declaredEffects.put(d.name, earlier);
                continue;
            }
            declaredEffects.put(d.name, new EffectInfo(d.name, d.start, ops, opTypes));
        }
    }

    /** "unknown effect 'Stat'", with what the name is if it is something else. */
    private void unknownEffect(String name, int start) {
        String hint = types.lookupType(name) != null ? ": '" + name + "' is a type; an effect is declared with effect " + name + " { op: fn() -> int }"
                        : closestEffect(name) instanceof String near ? " (did you mean '" + near + "'?)"
                        : ": declare it with effect " + name + " { op: fn(int) -> unit }";
        error(start, start + name.length(), "unknown effect '" + name + "'" + hint);
    }

    private String closestEffect(String name) {
        List<String> names = new ArrayList<>(env.effects.keySet());
        names.addAll(declaredEffects.keySet());
        for (String n : names) {
            if (n.equalsIgnoreCase(name) || Resolver.editDistance(n, name, 2) <= 2) {
                return n;
            }
        }
        return null;
    }

    /** "effect State has no operation 'put' (its operations: get, set)". */
    private String noSuchOp(EffectInfo e, String op) {
        return "effect " + e.name + " has no operation '" + op + "' (its operations: " + String.join(", ", e.ops) + ")";
    }

    static String signature(EffectInfo e, int i) {
        return e.name + "." + e.ops.get(i) + ": " + TypePrinter.print(e.types.get(i));
    }

    private Type perform(Expr.Perform p) {
        EffectInfo e = effect(p.effect);
        if (e == null) {
            unknownEffect(p.effect, p.effectStart);
            p.args.forEach(a -> infer(a.value, null));
            return fresh();
        }
        int i = e.indexOf(p.op);
        if (i < 0) {
            error(p.opStart, p.opStart + p.op.length(), noSuchOp(e, p.op));
            p.args.forEach(a -> infer(a.value, null));
            return fresh();
        }
        Type.Fun f = e.types.get(i);
        if (p.args.size() != f.params.size()) {
            error(p, p.effect + "." + p.op + " takes " + plural(f.params.size(), "argument") + " (" + signature(e, i) + "), found "
                            + p.args.size());
            p.args.forEach(a -> infer(a.value, null));
            return f.result;
        }
        for (int j = 0; j < p.args.size(); j++) {
            Arg a = p.args.get(j);
            if (a.name != null) {
                error(a, "the arguments of an operation are given by position, not by name: perform " + p.effect + "." + p.op + "(value)");
            }
            int n = j;
            check(a.value, f.params.get(j), Mode.ARGUMENT, () -> "argument " + (n + 1) + " of " + p.effect + "." + p.op);
        }
        p.target = e;
        p.opIndex = i;
        return f.result;
    }

    private Type handle(Expr.Handle h, Type expected) {
        EffectInfo e = effect(h.effect);
        if (e == null) {
            unknownEffect(h.effect, h.effectStart);
            h.arms.forEach(a -> infer(a.function, null));
            return infer(h.body, expected);
        }
        Expr.HandlerArm[] byOp = new Expr.HandlerArm[e.ops.size()];
        for (Expr.HandlerArm arm : h.arms) {
            int i = e.indexOf(arm.op);
            if (i < 0) {
                error(arm.start, arm.opEnd, noSuchOp(e, arm.op));
                infer(arm.function, null);
                continue;
            }
            if (byOp[i] != null) {
                error(arm.start, arm.opEnd, "handle " + e.name + " already has an arm for '" + arm.op + "' at line " + line(byOp[i].start));
                continue;
            }
            byOp[i] = arm;
            Type.Fun f = e.types.get(i);
            if (arm.function.params.size() != f.params.size()) {
                error(arm.start, arm.function.params.isEmpty() ? arm.opEnd : arm.function.params.get(arm.function.params.size() - 1).end,
                                "operation '" + arm.op + "' takes " + plural(f.params.size(), "parameter") + " (" + signature(e, i)
                                                + "), this arm names " + arm.function.params.size()
                                                + (arm.function.params.size() == f.params.size() + 1
                                                                // `op x k => k(x)` (Koka, OCaml, Eff): a continuation parameter
                                                                ? " (an arm takes no continuation: there is no resume, its value is the"
                                                                                + " value of the perform, spec 0017)"
                                                                : ""));
                infer(arm.function, null);
                continue;
            }
            // An arm of an operation that returns unit is run for its effect: its value is dropped (spec 0017's
            // worked example ends its arm for raise with -1).
            Expr.Lambda fn = arm.function;
            for (int j = 0; j < fn.params.size(); j++) {
                fn.params.get(j).binding.type = f.params.get(j);
            }
            if (e.returnsUnit(i)) {
                discard(fn.body);
                fn.type = new Type.Fun(f.params, fn.body.type);
            } else {
                int n = i;
                check(fn.body, f.result, Mode.ARGUMENT, () -> "the value of arm '" + arm.op + "' of handle " + e.name + " (" + signature(e, n) + ")");
                fn.type = new Type.Fun(f.params, f.result);
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < byOp.length; i++) {
            if (byOp[i] == null) {
                missing.add(e.ops.get(i));
            }
        }
        if (!missing.isEmpty() && h.arms.size() == h.arms.stream().filter(a -> e.indexOf(a.op) >= 0).count()) {
            String first = missing.get(0);
            int n = e.types.get(e.indexOf(first)).params.size();
            error(h.start, h.effectStart + h.effect.length(), "handle " + e.name + " has no arm for " + (missing.size() == 1 ? "operation '" + first + "'"
                            : "operations " + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList())) + ": a handler gives every"
                            + " operation of its effect, e.g. " + first + (n == 0 ? "" : " x".repeat(n)) + " => ...");
        }
        h.target = e;
        h.armsByOp = byOp;
        return infer(h.body, expected);
    }
}
