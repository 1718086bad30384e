package org.osprey.types;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osprey.ast.Binding;
import org.osprey.ast.Expr;
import org.osprey.ast.FunctionInfo;
import org.osprey.ast.Node;
import org.osprey.ast.Param;
import org.osprey.ast.Pattern;
import org.osprey.ast.Program;
import org.osprey.ast.Stmt;
import org.osprey.parser.Diagnostic;

/**
 * Name resolution: gives every identifier its {@link Binding} and works out which bindings closures capture.
 *
 * Scoping (spec 0003 Variable Binding, 0008): top-level functions are visible everywhere in the program
 * (forward references and mutual recursion); a top-level let is visible to the statements and functions
 * after it. Inside a block, nested functions are visible in the whole block and lets from their declaration
 * on; inner scopes shadow outer ones.
 */
public final class Resolver {
    private static final Set<String> NOT_OSPREY = Set.of("if", "else", "while", "for", "loop", "return", "null", "nil",
                    "var", "const", "function", "def", "this", "self", "class");

    private final Environment env;
    private final List<Diagnostic> diagnostics;
    /** Constructors declared by this program, on top of the environment's. */
    private final Set<String> programConstructors = new HashSet<>();
    /** Record types declared by this program. */
    private final Set<String> programRecords = new HashSet<>();
    /** Every type this program declares, records and unions. */
    private final Set<String> programTypes = new HashSet<>();
    private final Map<String, Binding> topFunctions = new LinkedHashMap<>();
    private final Map<String, Binding> visibleGlobals = new HashMap<>();
    /** The let whose value is being resolved: its name is not yet visible there. */
    private Stmt.Let declaring;
    /** Top-level lets of this program by name, with the offset of the first, for "declared later" hints. */
    private final Map<String, Integer> programGlobals = new HashMap<>();
    /** Top-level bindings this program declares, in order; committed to the environment after checking. */
    public final List<Binding> declared = new ArrayList<>();
    /** The modules this program declares (spec 0011): each name to its members by their own names. */
    public final Map<String, Map<String, Binding>> modules = new LinkedHashMap<>();
    /** The declarations of {@link #modules}. */
    private final Map<String, Stmt.Module> moduleDecls = new HashMap<>();
    /** The module whose values are being resolved, while one is: their initialisers run in its init function. */
    private Stmt.Module initialising;

    private Scope scope;
    private FunctionInfo function;
    private final String sourceText;

    /** Names declared in blocks that have ended, with where: to say why a use after the block finds none (spec 0008). */
    private final Map<String, Binding> blockNamesEnded = new HashMap<>();

    private static final class Scope {
        final Scope parent;
        final FunctionInfo function;
        final Map<String, Binding> names = new HashMap<>();
        /** For a block: where each of its lets and muts is declared, to say so of a name used before. */
        Map<String, Integer> declaredLater = Map.of();

        Scope(Scope parent, FunctionInfo function) {
            this.parent = parent;
            this.function = function;
        }
    }

    public Resolver(Environment env, List<Diagnostic> diagnostics, String sourceText) {
        this.env = env;
        this.diagnostics = diagnostics;
        this.sourceText = sourceText;
        visibleGlobals.putAll(env.values);
    }

    private void error(Node at, String message) {
        diagnostics.add(new Diagnostic(at.start, Math.max(at.end, at.start + 1), message));
    }

    private void error(int start, int end, String message) {
        diagnostics.add(new Diagnostic(start, Math.max(end, start + 1), message));
    }

    private int line(int offset) {
        return org.osprey.parser.Parser.lineOf(sourceText, offset);
    }

    /** Whether {@code name} is an effect this program or an earlier evaluation declares. */
    private boolean isEffect(String name) {
        return programEffects.contains(name) || env.effects.containsKey(name);
    }

    /** Effects declared by this program. */
    private final Set<String> programEffects = new HashSet<>();
    /** The operations of the effects this program declares, each with its effect. */
    private final Map<String, String> programOps = new HashMap<>();

    /** The effect (of this program's or an earlier evaluation's) with an operation named {@code op}, or null. */
    private String effectWithOp(String op) {
        String own = programOps.get(op);
        if (own != null) {
            return own;
        }
        for (EffectInfo e : env.effects.values()) {
            if (e.ops.contains(op)) {
                return e.name;
            }
        }
        return null;
    }

    public boolean isConstructor(String name) {
        return programConstructors.contains(name) || env.isConstructor(name);
    }

    private boolean isRecordType(String name) {
        return programRecords.contains(name) || env.types.get(name) instanceof TypeInfo t && t.isRecord();
    }

    /** Whether {@code name} is a type (a record, a union or an alias) this program or an earlier evaluation declares. */
    private boolean isType(String name) {
        return programTypes.contains(name) || env.types.containsKey(name);
    }

    // ---------------------------------------------------------------- program

    public void resolveProgram(Program program) {
        FunctionInfo main = new FunctionInfo("<program>", null);
        program.info = main;
        function = main;
        scope = null;
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.TypeDecl td) {
                programTypes.add(td.name);
                if (td.variants != null) {
                    for (Stmt.VariantDecl v : td.variants) {
                        programConstructors.add(v.name);
                    }
                } else if (td.fields != null) {
                    programRecords.add(td.name);
                }
            } else if (s instanceof Stmt.EffectDecl d) {
                programEffects.add(d.name);
                d.ops.forEach(op -> programOps.putIfAbsent(op.name, d.name));
            }
        }
        // Hoist top-level functions: visible from every statement.
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.Fn fn) {
                Binding prev = topFunctions.get(fn.name);
                if (prev != null) {
                    error(fn.nameStart, fn.nameStart + fn.name.length(), "function '" + fn.name + "' is already defined at line "
                                    + line(prev.decl.start));
                    continue;
                }
                if (moduleDecls.get(fn.name) instanceof Stmt.Module m) {
                    error(fn.nameStart, fn.nameStart + fn.name.length(), alreadyAModule(m));
                    continue;
                }
                Binding b = new Binding(fn.name, Binding.Kind.FUNCTION, false, fn, null);
                fn.binding = b;
                topFunctions.put(fn.name, b);
                declared.add(b);
            } else if (s instanceof Stmt.Let let) {
                programGlobals.putIfAbsent(let.name, let.nameStart);
            } else if (s instanceof Stmt.Module m) {
                declareModule(m);
            }
        }
        for (Stmt s : program.statements) {
            topLevelStatement(s);
        }
    }

    private void topLevelStatement(Stmt s) {
        switch (s) {
            case Stmt.Fn fn -> {
                if (fn.binding != null) {
                    functionBody(fn);
                }
            }
            case Stmt.Let let -> {
                valueOf(let);
                Binding fnClash = topFunctions.get(let.name);
                if (fnClash != null) {
                    error(let.nameStart, let.nameStart + let.name.length(), "'" + let.name + "' is already defined as a function at line "
                                    + line(fnClash.decl.start));
                } else if (moduleDecls.get(let.name) instanceof Stmt.Module m) {
                    error(let.nameStart, let.nameStart + let.name.length(), alreadyAModule(m));
                }
                Binding b = new Binding(let.name, Binding.Kind.GLOBAL, let.mutable, let, null);
                let.binding = b;
                if (!moduleDecls.containsKey(let.name)) {
                    visibleGlobals.put(let.name, b); // else Counter.get() still names the module, reported above
                }
                declared.add(b);
            }
            case Stmt.LetPattern lp -> {
                expr(lp.value);
                declarePattern(lp.pattern, true);
            }
            case Stmt.Module m -> moduleBodies(m);
            default -> statement(s);
        }
    }

    // ---------------------------------------------------------------- modules (spec 0011)

    /** Declares a module's functions and values, before any statement is resolved: a module is visible everywhere. */
    private void declareModule(Stmt.Module m) {
        Stmt.Module earlier = moduleDecls.get(m.name);
        if (earlier != null || topFunctions.containsKey(m.name)) {
            String what = earlier != null ? "module '" + m.name + "' is already declared" : "'" + m.name + "' is already declared as a function";
            error(m.nameStart, m.nameStart + m.name.length(), what + " at line " + line(earlier != null ? earlier.start : topFunctions.get(m.name).decl.start));
            return;
        }
        moduleDecls.put(m.name, m);
        Map<String, Binding> members = new LinkedHashMap<>();
        for (Stmt s : m.members) {
            String name = s instanceof Stmt.Fn fn ? fn.name : ((Stmt.Let) s).name;
            int at = s instanceof Stmt.Fn fn ? fn.nameStart : ((Stmt.Let) s).nameStart;
            Binding prev = members.get(name);
            if (prev != null) {
                error(at, at + name.length(), "'" + name + "' is already declared in module " + m.name + " at line " + line(prev.decl.start));
                continue;
            }
            Binding b;
            if (s instanceof Stmt.Fn fn) {
                b = new Binding(fn.qualifiedName(), Binding.Kind.FUNCTION, false, fn, null);
                fn.binding = b;
            } else {
                Stmt.Let let = (Stmt.Let) s;
                b = new Binding(m.name + "." + let.name, Binding.Kind.MODULE, let.mutable, let, null);
                let.binding = b;
            }
            members.put(name, b);
            declared.add(b);
        }
        modules.put(m.name, members);
    }

    /**
     * Resolves a module's functions and the initialisers of its values, where its members are visible by their
     * own names (and hide the program's of the same names). The initialisers run in a function of their own.
     */
    private void moduleBodies(Stmt.Module m) {
        Map<String, Binding> members = modules.get(m.name);
        if (moduleDecls.get(m.name) != m) {
            return; // a second module of the name, reported
        }
        m.init = new FunctionInfo("<module " + m.name + ">", null);
        Scope saved = scope;
        FunctionInfo savedFn = function;
        Scope own = new Scope(null, function);
        own.names.putAll(members);
        for (Stmt s : m.members) {
            if (s instanceof Stmt.Fn fn && fn.binding != null) {
                scope = own;
                functionBody(fn);
            } else if (s instanceof Stmt.Let let && let.binding != null) {
                function = m.init;
                scope = new Scope(own, m.init);
                initialising = m;
                valueOf(let);
                initialising = null;
                function = savedFn;
            }
        }
        scope = saved;
    }

    /** A top-level function or value named as module {@code m}, which Name.member would no longer reach. */
    private String alreadyAModule(Stmt.Module m) {
        return "'" + m.name + "' is already declared as a module at line " + line(m.start) + "; a top-level function or value takes another name";
    }

    /** The module named {@code name}, this program's or an earlier evaluation's, or null. */
    private Map<String, Binding> module(String name) {
        Map<String, Binding> own = modules.get(name);
        return own != null ? own : env.modules.get(name);
    }

    /** Whether module {@code name} (this program's or an earlier evaluation's) has a member {@code member}. */
    private boolean moduleHas(String name, String member) {
        Map<String, Binding> members = module(name);
        return members != null && members.containsKey(member);
    }

    /**
     * What to say when {@code target.field} names a parameter or value that hides a module with a member
     * {@code field} ("'Config' here is the parameter declared at line 6, which hides module Config: ..."), or null.
     */
    String hidingModule(Expr target, String field) {
        if (target instanceof Expr.Ident id && id.binding != null && id.binding.decl != null && moduleHas(id.name, field)) {
            return "'" + id.name + "' here is the " + (id.binding.decl instanceof Param ? "parameter" : "value") + " declared at line "
                            + line(id.binding.decl.start) + ", which hides module " + id.name + ": give one of them another name";
        }
        return null;
    }

    /** The member {@code name} of module {@code module}, or null after saying it has none. */
    private Binding member(String module, Map<String, Binding> members, String name, int at) {
        Binding b = members.get(name);
        if (b == null) {
            noSuchMember(module, members, name, at);
            return null;
        }
        noteUse(b);
        declaredBefore(b, at, at + name.length());
        return b;
    }

    private void noSuchMember(String module, Map<String, Binding> members, String name, int at) {
        String close = closest(name, members.keySet(), false);
        error(at, at + name.length(), "module " + module + " has no function or value '" + name + "'"
                        + (close != null ? " (did you mean '" + close + "'?)" : members.isEmpty() ? "" : "; it has " + String.join(", ", members.keySet())));
    }

    /** The module one of whose members is named {@code name}, for "call it as Module.name", or null. */
    private String moduleWithMember(String name) {
        for (Map<String, Map<String, Binding>> all : List.of(modules, env.modules)) {
            for (Map.Entry<String, Map<String, Binding>> m : all.entrySet()) {
                if (m.getValue().containsKey(name)) {
                    return m.getKey();
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- functions

    private void functionBody(Stmt.Fn fn) {
        FunctionInfo info = new FunctionInfo(fn.qualifiedName(), function);
        info.self = fn.binding;
        fn.info = info;
        FunctionInfo savedFn = function;
        Scope savedScope = scope;
        function = info;
        scope = new Scope(scope, info);
        Set<String> typeParams = new HashSet<>();
        for (Stmt.TypeParam tp : fn.typeParams) {
            if (!typeParams.add(tp.name)) {
                error(tp, "type parameter '" + tp.name + "' is declared twice in '" + fn.name + "'");
            }
        }
        declareParams(fn.params, info);
        expr(fn.body);
        markTailCalls(fn.body, info);
        function = savedFn;
        scope = savedScope;
    }

    private void declareParams(List<Param> params, FunctionInfo info) {
        Set<String> seen = new HashSet<>();
        for (Param prm : params) {
            if (!prm.name.equals("_") && !seen.add(prm.name)) {
                error(prm, "parameter '" + prm.name + "' is declared twice");
            }
            Binding b = new Binding(prm.name, Binding.Kind.LOCAL, false, prm, info);
            prm.binding = b;
            info.locals.add(b);
            if (!prm.name.equals("_")) {
                scope.names.put(prm.name, b);
            }
        }
    }

    /** Marks calls of the function to itself in tail position; the node builder turns them into a loop. */
    private void markTailCalls(Expr e, FunctionInfo info) {
        switch (e) {
            case Expr.Call c when c.callee instanceof Expr.Ident id && id.binding != null && id.binding == info.self -> {
                c.selfTailCall = true;
                info.hasSelfTailCall = true;
            }
            case Expr.Block b when b.result != null -> markTailCalls(b.result, info);
            case Expr.Match m -> m.arms.forEach(a -> markTailCalls(a.body, info));
            case Expr.Select sel -> sel.arms.forEach(a -> markTailCalls(a.body, info));
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------- statements and blocks

    private void block(Expr.Block block) {
        Scope saved = scope;
        scope = new Scope(scope, function);
        // Nested functions are visible in the whole block, so they can call each other.
        for (Stmt s : block.statements) {
            if (s instanceof Stmt.Fn fn) {
                if (scope.names.containsKey(fn.name) && scope.names.get(fn.name).isFunction()) {
                    error(fn.nameStart, fn.nameStart + fn.name.length(), "function '" + fn.name + "' is already defined in this block at line "
                                    + line(scope.names.get(fn.name).decl.start));
                    continue;
                }
                Binding b = new Binding(fn.name, Binding.Kind.NESTED_FUNCTION, false, fn, function);
                fn.binding = b;
                function.locals.add(b);
                scope.names.put(fn.name, b);
            }
        }
        Map<String, Integer> later = new HashMap<>();
        for (Stmt s : block.statements) {
            if (s instanceof Stmt.Let let) {
                later.putIfAbsent(let.name, let.nameStart);
            }
        }
        scope.declaredLater = later;
        for (Stmt s : block.statements) {
            statement(s);
        }
        if (block.result != null) {
            expr(block.result);
        }
        scope.names.forEach((name, b) -> {
            if (b.decl != null) {
                blockNamesEnded.putIfAbsent(name, b);
            }
        });
        scope = saved;
    }

    private void statement(Stmt s) {
        switch (s) {
            case Stmt.Let let -> {
                valueOf(let);
                Binding b = new Binding(let.name, Binding.Kind.LOCAL, let.mutable, let, function);
                let.binding = b;
                function.locals.add(b);
                scopeForLocals().names.put(let.name, b);
            }
            case Stmt.LetPattern lp -> {
                expr(lp.value);
                scopeForLocals();
                declarePattern(lp.pattern, false);
            }
            case Stmt.Assign a -> {
                expr(a.value);
                Binding b = lookup(a.name);
                if (b == null) {
                    String suggestion = suggest(a.name);
                    error(a.start, a.start + a.name.length(), "cannot assign to '" + a.name + "': no variable of that name is in scope"
                                    + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "; declare it first with 'mut " + a.name + " = ...'"));
                    return;
                }
                if (b.kind == Binding.Kind.BUILTIN || b.isFunction()) {
                    error(a.start, a.start + a.name.length(), "cannot assign to function '" + a.name + "'");
                    return;
                }
                if (!b.mutable && b.decl instanceof Param) {
                    error(a.start, a.start + a.name.length(), "cannot assign to parameter '" + a.name
                                    + "': parameters cannot change; bind a new variable instead, e.g. mut " + a.name + "2 = " + a.name);
                    return;
                }
                if (!b.mutable) {
                    // A binding of an earlier REPL entry (or eval) has its offset in that entry's text, not in this one.
                    String where = env.values.get(a.name) == b ? "in an earlier entry" : "at line " + line(b.decl.start);
                    error(a.start, a.start + a.name.length(), "cannot assign to '" + a.name + "': it was declared with 'let' " + where
                                    + "; declare it with 'mut' to make it assignable");
                    return;
                }
                a.binding = b;
                noteUse(b);
            }
            case Stmt.FieldAssign fa -> {
                expr(fa.value);
                Expr.FieldAccess t = fa.target;
                if (t.target instanceof Expr.Ident id && lookup(id.name) == null && module(id.name) instanceof Map<String, Binding> members) {
                    Binding member = members.get(t.field);
                    if (member == null) {
                        // a name the module does not have is the mistake, not the assignment
                        noSuchMember(id.name, members, t.field, t.fieldStart);
                    } else if (member.isFunction()) {
                        error(fa.equalsAt, fa.equalsAt + 1, "cannot assign to function '" + id.name + "." + t.field + "'");
                    } else if (!member.mutable) {
                        error(fa.equalsAt, fa.equalsAt + 1, "cannot assign to '" + id.name + "." + t.field + "': module " + id.name
                                        + " declares it with 'let', so it never changes");
                    } else {
                        // Counter.count = 0: a module's values change in its own functions, in the fiber's own instance
                        error(fa.equalsAt, fa.equalsAt + 1, "a value of a module is assigned only by the module's own functions: give module "
                                        + id.name + " a function that assigns " + t.field + " (fn set(value) = { " + t.field + " = value }) and call it");
                    }
                    return;
                }
                int before = diagnostics.size();
                expr(t.target);
                if (diagnostics.size() == before) {
                    String base = sourceText.substring(t.target.start, t.target.end);
                    String hiding = hidingModule(t.target, t.field);
                    String copy = base + " { " + t.field + ": ... }";
                    boolean assignable = t.target instanceof Expr.Ident id && id.binding != null && id.binding.mutable;
                    error(fa.equalsAt, fa.equalsAt + 1, "records cannot be changed in place: "
                                    + (assignable ? "write " + base + " = " + copy
                                                    : copy + " is a copy with the field changed; give it a name (let changed = " + copy + ")")
                                    + (hiding != null ? " (" + hiding + ")" : ""));
                }
            }
            case Stmt.Fn fn -> {
                if (fn.binding != null) {
                    functionBody(fn);
                }
            }
            case Stmt.ExprStmt es -> expr(es.expr);
            case Stmt.TypeDecl td -> {
                // Only at top level; the parser rejects it elsewhere.
            }
            case Stmt.Import im -> {
                // No module system yet; accepted so programs written for the compiler still run.
            }
            case Stmt.EffectDecl d -> {
                // Only at top level; the checker declares it.
            }
            case Stmt.Module m -> {
                // Only at top level; the parser rejects it elsewhere.
            }
        }
    }

    /** Top-level statements have no block scope; their locals (e.g. in a let's block) live in block scopes. */
    private Scope scopeForLocals() {
        if (scope == null) {
            scope = new Scope(null, function);
        }
        return scope;
    }

    // ---------------------------------------------------------------- expressions

    private void expr(Expr e) {
        switch (e) {
            case Expr.IntLit x -> {
            }
            case Expr.FloatLit x -> {
            }
            case Expr.BoolLit x -> {
            }
            case Expr.UnitLit x -> {
            }
            case Expr.StringLit s -> {
                for (Object part : s.parts) {
                    if (part instanceof Expr pe) {
                        expr(pe);
                    }
                }
            }
            case Expr.Ident id -> ident(id);
            case Expr.Binary b -> {
                expr(b.left);
                expr(b.right);
            }
            case Expr.Unary u -> expr(u.operand);
            case Expr.Call c -> {
                if (c.callee instanceof Expr.Ident id && lookup(id.name) == null && env.builtinBinding(id.name) == null
                                && isConstructor(id.name)) {
                    id.variant = Boolean.TRUE; // resolved to a variant by the checker
                } else if (c.callee instanceof Expr.Ident id && lookup(id.name) == null && env.builtinBinding(id.name) == null
                                && effectWithOp(id.name) instanceof String effect) {
                    // `log("x")` for an operation: performed with perform (spec 0017); said once, here
                    error(id, "'" + id.name + "' is an operation of effect " + effect + ": perform it with perform " + effect + "." + id.name + "(...)");
                } else {
                    if (c.callee instanceof Expr.Ident id && lookup(id.name) == null && env.builtinBinding(id.name) != null
                                    && effectWithOp(id.name) instanceof String effect) {
                        // `log("x")` where log is both a builtin (the logarithm) and an operation: the builtin is
                        // called, and if the arguments do not fit it, the operation was probably meant
                        c.argumentNote = "'" + id.name + "' names the builtin here: an operation of effect " + effect + " is performed with perform "
                                        + effect + "." + id.name + "(...)";
                    }
                    expr(c.callee);
                }
                c.args.forEach(a -> expr(a.value));
            }
            case Expr.MethodCall m -> {
                if (m.receiver instanceof Expr.Ident id && lookup(id.name) == null && module(id.name) instanceof Map<String, Binding> members) {
                    // Counter.increment(): a call of the module's function (or of a function its value holds)
                    Binding b = member(id.name, members, m.name, m.nameStart);
                    m.args.forEach(a -> expr(a.value));
                    if (b == null) {
                        m.refused = true;
                        return;
                    }
                    Expr.Ident callee = new Expr.Ident(id.start, m.nameStart + m.name.length(), b.name);
                    callee.binding = b;
                    m.function = b;
                    m.resolved = new Expr.Call(m.start, m.end, callee, m.args, false);
                    m.ofModule = true;
                    return;
                }
                if (m.receiver instanceof Expr.Ident id && lookup(id.name) == null && methodOfNoValue(id.name, m.name) instanceof String why) {
                    // said once, here, not also as an unknown name or a call with the receiver as its first argument
                    error(m, why);
                    m.refused = true;
                    m.args.forEach(a -> expr(a.value));
                    return;
                }
                if (foreignPath(m.receiver) instanceof String path && otherLanguageModule(path, m.name) instanceof String habit) {
                    // `console.log(x)`, `fmt.Println(x)`, `System.out.println(x)`: said once, not also as an unknown name
                    // and a call of the builtin of the method's name (log, the logarithm) with the receiver as an argument
                    error(m, habit.startsWith("Osprey ") ? habit : "Osprey has no '" + path + "." + m.name + "': " + habit);
                    m.refused = true;
                    m.args.forEach(a -> expr(a.value));
                    return;
                }
                expr(m.receiver);
                m.args.forEach(a -> expr(a.value));
                // The name is a field or a function: decided by the checker, which needs the receiver's type.
                Binding b = lookup(m.name);
                if (b != null) {
                    noteUse(b);
                    declaredBefore(b, m.nameStart, m.nameStart + m.name.length());
                    m.function = b;
                } else {
                    m.function = env.builtinBinding(m.name);
                }
            }
            case Expr.FieldAccess f -> {
                if (f.target instanceof Expr.Ident id && lookup(id.name) == null && module(id.name) instanceof Map<String, Binding> members) {
                    // Counter.count, or Counter.increment as a value
                    Binding b = member(id.name, members, f.field, f.fieldStart);
                    if (b != null) {
                        f.resolved = new Expr.Ident(f.start, f.end, b.name);
                        f.resolved.binding = b;
                    } else {
                        f.resolved = new Expr.Ident(f.start, f.end, f.field); // said; typed as anything
                    }
                    return;
                }
                if (f.target instanceof Expr.Ident id && lookup(id.name) == null && env.builtinBinding(id.name) == null
                                && !isConstructor(id.name) && isConstructor(f.field)) {
                    // `Color.Red` (Java, C#, TypeScript enums): reported once, here, not also as an unknown name
                    error(f, "a variant is named on its own: write " + f.field + ", not " + id.name + "." + f.field);
                } else {
                    expr(f.target);
                }
            }
            case Expr.Index ix -> {
                expr(ix.target);
                expr(ix.index);
            }
            case Expr.Lambda l -> lambda(l);
            case Expr.Block b -> block(b);
            case Expr.Match m -> {
                expr(m.scrutinee);
                for (Expr.Arm arm : m.arms) {
                    Scope saved = scope;
                    scope = new Scope(scope, function);
                    pattern(arm.pattern);
                    if (arm.guard != null) {
                        expr(arm.guard);
                    }
                    expr(arm.body);
                    scope = saved;
                }
            }
            case Expr.RecordLit r -> r.fields.forEach(f -> expr(f.value));
            case Expr.RecordUpdate r -> {
                if (r.target instanceof Expr.Ident id && lookup(id.name) == null && env.builtinBinding(id.name) == null
                                && (isConstructor(id.name) || isRecordType(id.name))) {
                    // A type whose name starts with a lower-case letter (spec 0003 allows any name): the parser
                    // read `point { x: 1 }` as an update of a value named point, since it cannot know the names.
                    r.construction = new Expr.RecordLit(r.start, r.end, id.name, r.fields);
                } else {
                    expr(r.target);
                }
                r.fields.forEach(f -> expr(f.value));
            }
            case Expr.ListLit l -> l.elements.forEach(this::expr);
            case Expr.MapLit m -> m.entries.forEach(en -> {
                expr(en.key);
                expr(en.value);
            });
            case Expr.TupleLit t -> t.elements.forEach(this::expr);
            case Expr.Spawn sp -> lambda(sp.body);
            case Expr.Select sel -> {
                for (Expr.SelectArm arm : sel.arms) {
                    if (arm.channel != null) {
                        expr(arm.channel);
                    }
                    if (arm.value != null) {
                        expr(arm.value);
                    }
                    Scope saved = scope;
                    scope = new Scope(scope, function);
                    if (arm.binder != null) {
                        pattern(arm.binder);
                    }
                    expr(arm.body);
                    scope = saved;
                }
            }
            case Expr.NewChannel nc -> expr(nc.capacity);
            case Expr.Extern f -> f.args.forEach(this::expr);
            case Expr.Perform p -> p.args.forEach(a -> expr(a.value));
            case Expr.Handle h -> {
                // Each arm is a function closing over the scope the handle is written in (spec 0017).
                h.arms.forEach(a -> lambda(a.function));
                expr(h.body);
            }
            case Expr.Comprehension c -> {
                expr(c.source);
                Scope saved = scope;
                scope = new Scope(scope, function);
                pattern(c.binder);
                if (c.condition != null) {
                    expr(c.condition);
                }
                expr(c.element);
                scope = saved;
            }
        }
    }

    private void lambda(Expr.Lambda l) {
        FunctionInfo info = new FunctionInfo("<lambda>", function);
        l.info = info;
        FunctionInfo savedFn = function;
        Scope savedScope = scope;
        function = info;
        scope = new Scope(scope, info);
        declareParams(l.params, info);
        expr(l.body);
        function = savedFn;
        scope = savedScope;
    }

    private void ident(Expr.Ident id) {
        Binding b = lookup(id.name);
        if (b != null) {
            id.binding = b;
            noteUse(b);
            declaredBefore(b, id.start, id.start + id.name.length());
            return;
        }
        Binding builtin = env.builtinBinding(id.name);
        if (builtin != null) {
            id.binding = builtin;
            return;
        }
        if (isConstructor(id.name)) {
            id.variant = Boolean.TRUE;
            return;
        }
        error(id, unknownName(id.name, id.start));
        if (usedInOwnValue(id.name)) {
            selfReferences.add(diagnostics.get(diagnostics.size() - 1));
        }
    }

    /** Whether an unknown {@code name} is the let being declared, used in its own value (not a builtin a flag took away). */
    private boolean usedInOwnValue(String name) {
        return !env.disabled.containsKey(name) && declaring != null && declaring.name.equals(name);
    }

    /**
     * The errors for a let's name used in its own value ({@link #unknownName}). The checker withdraws one that
     * lies in a right operand it finds missing: after {@code let x = 1 +}, the next line {@code print(x)} was
     * read as the operand, and its use of x is no mistake of its own ({@link #withdrawSelfReferences}).
     */
    private final List<Diagnostic> selfReferences = new ArrayList<>();

    /** Removes the errors of a let's name used in its own value between {@code start} and {@code end}. */
    void withdrawSelfReferences(int start, int end) {
        for (Diagnostic d : selfReferences) {
            if (d.start() >= start && d.end() <= end) {
                diagnostics.remove(d);
            }
        }
    }

    /**
     * A function declared in a block is visible in the whole block, so that the block's functions can call
     * each other, but it exists once its declaration has run: the block's own code (not a function or lambda
     * in it, which runs later) cannot use it before that.
     */
    private void declaredBefore(Binding b, int start, int end) {
        if (b.kind == Binding.Kind.MODULE && initialising != null && function == initialising.init && initialising.members.contains(b.decl)
                        && b.decl.start >= declaring.start) {
            // module M { let a = b + 1  let b = 2 }: each fiber runs the initialisers in order
            error(start, end, "'" + ((Stmt.Let) b.decl).name + "' is " + (b.decl == declaring ? "used in the value of its own declaration"
                            : "declared later in module " + initialising.name + ", at line " + line(b.decl.start))
                            + "; a value of a module can use only the values declared before it");
        }
        if (b.kind == Binding.Kind.NESTED_FUNCTION && b.owner == function && b.decl.start > start) {
            error(start, end, "function '" + b.name + "' is used before its declaration at line " + line(b.decl.start)
                            + "; a function declared in a block can be used after its declaration, or in the functions of the block");
        }
    }

    /** Why a builtin that spec 0016's flags took away ({@code category}: fs, process, websocket, http) cannot be used. */
    static String disabled(String name, String category) {
        return "'" + name + "' is not available: " + category + " functions are disabled ("
                        + switch (category) {
                            case "websocket" -> "--no-websocket";
                            case "http" -> "--no-http";
                            case "fs", "process" -> "--no-fs";
                            default -> "--sandbox";
                        }
                        + " or --sandbox)";
    }

    /** Resolves a let's value, in which the let's own name is not yet declared. */
    private void valueOf(Stmt.Let let) {
        Stmt.Let outer = declaring;
        declaring = let;
        try {
            expr(let.value);
        } finally {
            declaring = outer;
        }
    }

    private String unknownName(String name, int at) {
        if (env.disabled.containsKey(name)) {
            return disabled(name, env.disabled.get(name));
        }
        if (usedInOwnValue(name)) {
            // `let x =` and its value forgotten: the next line, print(x), became the value
            return "'" + name + "' is used in the value of its own declaration, at line " + line(declaring.start)
                            + "; a let can only use names declared before it";
        }
        Integer later = programGlobals.get(name);
        if (later != null && later > at) {
            return "'" + name + "' is declared later, at line " + line(later)
                            + "; a top-level value can only be used after its declaration";
        }
        for (Scope s = scope; s != null; s = s.parent) {
            Integer inBlock = s.declaredLater.get(name);
            if (inBlock != null && inBlock > at) {
                return "'" + name + "' is declared later in this block, at line " + line(inBlock) + "; a let can only be used after its declaration";
            }
        }
        if (NOT_OSPREY.contains(name)) {
            return switch (name) {
                case "if", "else" -> "Osprey has no '" + name + "': use match, or the ternary cond ? a : b (spec 0009)";
                case "while", "for", "loop" -> "Osprey has no '" + name + "' loop: use recursion, or range(...) |> forEach(...) (spec 0010)";
                case "return" -> "Osprey has no 'return': a function's value is its body's last expression";
                case "null", "nil" -> "Osprey has no '" + name + "': use a union or Result to express absence";
                default -> "unknown name '" + name + "'" + (otherLanguageName(name) instanceof String habit ? ": " + habit : "");
            };
        }
        if (isEffect(name)) {
            // `:type Log`, `let logger = Log`: an effect is no value (spec 0017)
            String op = programOps.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).sorted().findFirst()
                            .orElse(env.effects.containsKey(name) && !env.effects.get(name).ops.isEmpty() ? env.effects.get(name).ops.get(0) : "op");
            return "'" + name + "' is an effect, not a value: its operations are performed with perform " + name + "." + op + "(...), and"
                            + " handled with handle " + name + " " + op + " x => value in expr (spec 0017)";
        }
        if (name.equals("spawn") && lookup(name) == null) {
            // `:type spawn`, `map(xs, spawn)`: spawn is written before what the fiber computes (spec 0011)
            return "spawn is written before what a fiber computes: spawn f(x) starts one and gives a Fiber<T>, whose value"
                            + " await(fiber) waits for (spec 0011)";
        }
        if (module(name) != null) {
            // print(Counter), let c = Counter
            String some = module(name).keySet().stream().findFirst().orElse("name");
            return "'" + name + "' is a module, not a value: use its functions and values, as " + name + "." + some + " (spec 0011)";
        }
        if (moduleWithMember(name) instanceof String module) {
            // increment() outside module Counter
            return "unknown name '" + name + "': module " + module + " has a member of that name; outside the module it is written "
                            + module + "." + name;
        }
        if (isRecordType(name)) {
            return "'" + name + "' is a record type: make a value of it with " + name + " { field: value, ... }";
        }
        Binding inBlock = blockNamesEnded.get(name);
        if (inBlock != null && inBlock.decl.start < at) {
            // let result = { let inner = 50 ... } then print(inner)
            boolean function = inBlock.isFunction();
            return "unknown name '" + name + "': the " + (function ? "function " : "") + "'" + name + "' declared at line "
                            + line(inBlock.decl.start) + " is inside a block, and a block's names are visible only inside it (spec 0008); "
                            + (function ? "declare it at the top level" : "declare it before the block") + " to use it here";
        }
        String habit = otherLanguageName(name);
        if (habit != null) {
            return "unknown name '" + name + "': " + habit;
        }
        String suggestion = suggest(name);
        return "unknown name '" + name + "'" + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "");
    }

    /**
     * How to walk a string's characters, said where a string is used as a list (the checker's {@code for c in s}
     * told {@code s |> forEach(...)}, {@code map(s, ...)}) and for {@code chars()} and its kin of other languages. Its
     * characters are code points, as {@code length} and {@code substring} count them (spec 0012).
     */
    static final String STRING_IS_NOT_A_LIST = "a string is not a list: range(0, length(s)) |> map(fn(i) => substring(s, i, i + 1) ?: \"\")"
                    + " gives its characters, each one a string, as Osprey has no character type";

    /** Names other languages have and Osprey spells otherwise: what to write instead, or null. */
    public static String otherLanguageName(String name) {
        return switch (name) {
            case "True", "TRUE" -> "Osprey writes true";
            case "False", "FALSE" -> "Osprey writes false";
            case "None", "undefined", "NULL", "Nothing" -> "Osprey has no null value: use a union or Result to express absence";
            case "Some", "Just" -> "Osprey has no Option: use Result (Success(value) or Error(message)) or a union of your own";
            case "Ok", "Err" -> "Osprey's Result is Success(value) or Error(message)";
            case "len", "size", "count" -> "use length(...) for a string, list or map";
            case "str", "String", "string", "toStr" -> "use toString(...)";
            case "int", "Int", "parseInt32", "atoi", "Number" -> "use parseInt(s) to read an int from a string, toInt(x) to drop a float's fraction";
            case "float", "Float", "double", "Double" -> "use parseFloat(s) to read a float from a string, toFloat(n) for an int";
            case "sum" -> "add up a list with fold(xs, 0, fn(total, x) => total + x)";
            case "panic", "raise", "throw", "abort", "fail", "assert", "unreachable", "unimplemented" -> "Osprey has no exceptions or panics: a function that can"
                            + " fail gives Error(...) as its Result, which the caller matches (spec 0013)";
            case "unwrap", "expect", "unwrapOr", "unwrap_or", "getOrElse", "orElse", "getOrThrow", "orThrow" -> "a Result is taken"
                            + " apart with match r { Success { value } => ...  Error { message } => ... }, or given a default with"
                            + " r ?: fallback (spec 0013)";
            case "println", "printf", "puts", "console", "echo", "printLn" -> "use print(...)";
            case "eprint", "eprintln", "printError", "printErrLn", "stderr", "warn" -> "use printErr(...), which writes to standard error";
            case "appendToFile", "appendFileSync", "appendText" -> "use appendFile(path, text)";
            case "push", "add" -> "use append(list, value), which gives a new list";
            case "upper", "toUpper", "uppercase", "toUppercase" -> "use toUpperCase(...)";
            case "lower", "toLower", "lowercase", "toLowercase" -> "use toLowerCase(...)";
            case "strip" -> "use trim(...)";
            case "charAt", "at" -> "the character at i is substring(s, i, i + 1)";
            case "chars", "toChars", "toCharArray", "characters", "codePoints", "graphemes" -> STRING_IS_NOT_A_LIST;
            case "slice", "substr" -> "use substring(s, start, end) for a part of a string";
            case "includes", "has", "containsKey", "hasKey" -> "use contains(...) for a string, list or map";
            case "reduce", "inject", "foldl", "foldLeft" -> "use fold(xs, initial, fn(total, x) => ...)";
            case "each", "iter", "for_each" -> "use forEach(xs, fn(x) => ...)";
            case "first" -> "use head(xs), which gives a Result";
            case "items" -> "use entries(map), a list of (key, value) tuples";
            case "sorted", "sort_by", "sortWith", "sortOn", "orderBy", "sort_unstable" -> "use sort(list) for numbers, strings or bools, and"
                            + " sortBy(list, fn(x) => key) to order by a key of each element";
            case "exit", "quit" -> "the REPL is left with :quit or Ctrl-D; a program's exit code is the int its fn main() returns";
            case "help" -> "in the REPL, :help lists the commands";
            case "close" -> "a channel is not closed (spec 0011): end its receiver with a value agreed on (a sentinel), or by counting;"
                            + " a WebSocket is closed with websocketClose";
            case "resume", "continuation" -> "an effect handler has no resume: an arm's value is the value of the perform, and the code"
                            + " after the perform goes on (spec 0017)";
            case "format", "sprintf" -> "put values in a string with ${...}: \"x = ${x}\", a float with two digits after the point as \"${toFixed(x, 2)}\"";
            case "toPrecision", "formatFloat", "formatNumber" -> "toFixed(x, 2) writes a number with two digits after the point";
            case "JSON", "json", "jsonParse", "parseJSON", "fromJson", "loads", "decode" -> "use parseJson(text), which gives a Result<any, string>";
            case "stringify", "jsonStringify", "toJSON", "dumps", "encode" -> "use toJson(value), which gives a Result<string, string>";
            case "pass" -> "Osprey has no 'pass': a function or arm with nothing to do gives (), the unit value";
            case "self", "this" -> "Osprey has no '" + name + "': functions take the value as a parameter";
            case "math", "Math" -> "Osprey has no math module: the math functions are builtins (" + MATH_FUNCTIONS + "), called as sqrt(x)";
            case "pi", "PI" -> "Osprey has no constant for it: let pi = 3.141592653589793";
            case "trunc", "truncate" -> "toInt(x) drops a float's fraction";
            case "ln" -> "use log(x), the natural logarithm";
            case "power", "powi", "powf" -> "use pow(base, exponent)";
            default -> null;
        };
    }

    /**
     * Why {@code receiver.name(...)} is refused when the receiver names no value of the program: an effect
     * ({@code State.get()}: an operation is performed with perform, spec 0017), another language's concurrency
     * module ({@code sync.WaitGroup()}, {@code asyncio.gather(...)}, {@code Promise.all(...)}), or a math module
     * ({@code Math.sqrt(x)}, Python's {@code math.sqrt}); null for anything else.
     */
    private String methodOfNoValue(String receiver, String name) {
        if (isEffect(receiver)) {
            return receiver + " is an effect: perform its operation with perform " + receiver + "." + name + "(...)";
        }
        if (env.builtinBinding(receiver) == null && otherLanguageConcurrency(receiver) instanceof String habit) {
            return "Osprey has no '" + receiver + "." + name + "': " + habit;
        }
        if (receiver.equals("Math") || receiver.equals("math")) {
            return "Osprey has no " + receiver + " module: " + (env.builtinBinding(name) != null ? "write " + name + "(...)"
                            : "the math functions are builtins (" + MATH_FUNCTIONS + ")");
        }
        return null;
    }

    /**
     * The dotted name {@code a} or {@code a.b} that {@code e} is, where {@code a} names nothing of the program, no
     * module, builtin, type or effect: a module or object of another language ({@code fmt}, {@code System.out}); null
     * for anything else.
     */
    private String foreignPath(Expr e) {
        if (e instanceof Expr.Ident id) {
            return lookup(id.name) == null && module(id.name) == null && env.builtinBinding(id.name) == null && !isConstructor(id.name)
                            && !isType(id.name) && !isEffect(id.name) ? id.name : null;
        }
        return e instanceof Expr.FieldAccess f && foreignPath(f.target) instanceof String base ? base + "." + f.field : null;
    }

    /**
     * What Osprey writes for {@code path.name(...)}, a call of another language's module ({@code fmt.Println},
     * {@code console.log}, {@code JSON.parse}, {@code time.sleep}): the hint for the function's name (also capitalised,
     * as Go's are), else for the module's, else the builtin of that name; null where there is none.
     */
    private String otherLanguageModule(String path, String name) {
        String lower = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        String root = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        if (otherLanguageName(name) instanceof String habit) {
            return habit;
        }
        if (otherLanguageName(lower) instanceof String habit) {
            return habit;
        }
        if (name.equals("error") && root.equals("console")) {
            return otherLanguageName("eprint"); // console.error writes to standard error
        }
        if (otherLanguageName(root) instanceof String habit) {
            return habit; // console.log: not the builtin log, the logarithm
        }
        for (String builtin : List.of(name, lower)) {
            if (env.builtinBinding(builtin) != null) {
                // Python's time.sleep(1) and Ruby's sleep count seconds; Osprey's sleep, milliseconds
                return "the builtins are called by their name alone: " + builtin + "(...)"
                                + (builtin.equals("sleep") ? ", which counts milliseconds: sleep(1000) for a second" : "");
            }
        }
        return null;
    }

    /** The math builtins, for the hints to a user looking for a math module. */
    private static final String MATH_FUNCTIONS = "abs, min, max, floor, ceil, round, sqrt, pow, exp, log, log10, sin, cos, tan, asin, acos, atan, atan2";

    /** Modules and classes of other languages' concurrency, called as {@code name.f(...)}: what Osprey writes. */
    private static String otherLanguageConcurrency(String name) {
        return switch (name) {
            case "sync" -> "a run waits for all its fibers, and await(fiber) waits for one; a channel (Channel<T> { capacity: n }) passes"
                            + " values between fibers (spec 0011)";
            case "asyncio", "threading", "Thread", "Executors", "CompletableFuture", "GlobalScope", "Promise" ->
                "start a fiber with spawn f(x), and wait for its value with await(fiber); for several, spawn each and await each:"
                                + " map(fibers, fn(f) => await(f)) (spec 0011)";
            default -> null;
        };
    }

    private String suggest(String name) {
        Set<String> candidates = new HashSet<>();
        for (Scope s = scope; s != null; s = s.parent) {
            candidates.addAll(s.names.keySet());
        }
        candidates.addAll(topFunctions.keySet());
        candidates.addAll(visibleGlobals.keySet());
        candidates.addAll(env.builtins.keySet());
        candidates.addAll(programConstructors); // `Gren` for the variant Green
        candidates.addAll(env.constructors.keySet()); // `Sucess(3)`
        return closest(name, candidates, false);
    }

    /**
     * The candidate nearest to {@code name} by {@link #editDistance}, within about a third of its length, or
     * null: the "did you mean" of names, types, methods and settings. {@code ignoringCase} compares them in
     * lower case (a setting or a builtin typed with other capitals).
     */
    public static String closest(String name, Iterable<String> candidates, boolean ignoringCase) {
        String key = ignoringCase ? name.toLowerCase(java.util.Locale.ROOT) : name;
        String best = null;
        int bestDistance = Math.max(1, name.length() / 3) + 1;
        for (String c : candidates) {
            int d = editDistance(key, ignoringCase ? c.toLowerCase(java.util.Locale.ROOT) : c, bestDistance - 1);
            // A one-letter name is one edit from every other one: 'y' with only 'a' declared is no slip for 'a'.
            // A suggestion keeps a letter of the name ('yy' for 'y'), unless only capitals differ ('X' for 'x').
            if (d < bestDistance && (d < Math.max(name.length(), c.length()) || c.equalsIgnoreCase(name))) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /** Names longer than this get no "did you mean": comparing two of them would take time the check has not. */
    private static final int LONGEST_SUGGESTED_NAME = 1000;

    /**
     * Optimal string alignment distance: like Levenshtein, but swapping two neighbours costs one edit.
     * Only distances up to {@code limit} are exact; a larger one is reported as {@code limit + 1}, found
     * without filling the whole table: a typo in a name of 40,000 letters once took a table of 6 GB.
     */
    public static int editDistance(String a, String b, int limit) {
        int n = a.length();
        int m = b.length();
        if (Math.abs(n - m) > limit || n > LONGEST_SUGGESTED_NAME || m > LONGEST_SUGGESTED_NAME) {
            return limit + 1;
        }
        // Three rows of the table: the optimal-alignment step looks two rows back.
        int[] before = new int[m + 1];
        int[] previous = new int[m + 1];
        int[] row = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            row[0] = i;
            int rowMin = i;
            char x = Character.toLowerCase(a.charAt(i - 1));
            for (int j = 1; j <= m; j++) {
                char y = Character.toLowerCase(b.charAt(j - 1));
                int cost = x == y ? 0 : 1;
                int d = Math.min(Math.min(previous[j] + 1, row[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && x == Character.toLowerCase(b.charAt(j - 2)) && Character.toLowerCase(a.charAt(i - 2)) == y) {
                    d = Math.min(d, before[j - 2] + 1);
                }
                row[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            if (rowMin > limit) {
                return limit + 1; // every alignment already costs more
            }
            int[] spare = before;
            before = previous;
            previous = row;
            row = spare;
        }
        return Math.min(previous[m], limit + 1);
    }

    private Binding lookup(String name) {
        for (Scope s = scope; s != null; s = s.parent) {
            Binding b = s.names.get(name);
            if (b != null) {
                return b;
            }
        }
        Binding b = topFunctions.get(name);
        if (b != null) {
            return b;
        }
        return visibleGlobals.get(name);
    }

    /** Records that the current function uses {@code b}; a binding of an outer function becomes a capture. */
    private void noteUse(Binding b) {
        if (b.owner == null || b.owner == function) {
            return;
        }
        b.captured = true;
        if (b.mutable || b.kind == Binding.Kind.NESTED_FUNCTION) {
            b.needsCell = true;
        }
        for (FunctionInfo f = function; f != null && f != b.owner; f = f.parent) {
            f.captures.add(b);
        }
    }

    // ---------------------------------------------------------------- patterns

    private void pattern(Pattern p) {
        declarePattern(p, false);
    }

    /** Declares every name a pattern binds: as locals of the current scope, or as globals at top level. */
    private void declarePattern(Pattern p, boolean global) {
        patternConstructors(p);
        for (Pattern.Binder binder : binders(p)) {
            binder.binding = declareBinder(binder.name, binder, global);
        }
        for (Pattern.Typed t : typedBinders(p)) {
            t.binding = declareBinder(t.name, t, global);
        }
        for (Pattern.FieldPat fp : shorthandFields(p)) {
            fp.binding = declareBinder(fp.field, fp, global);
        }
        for (Pattern.ListPat lp : restBinders(p)) {
            lp.restBinding = declareBinder(lp.rest, lp, global);
        }
    }

    private Binding declareBinder(String name, Node decl, boolean global) {
        if (global) {
            Binding b = new Binding(name, Binding.Kind.GLOBAL, false, decl, null);
            visibleGlobals.put(name, b);
            declared.add(b);
            return b;
        }
        Binding b = new Binding(name, Binding.Kind.LOCAL, false, decl, function);
        function.locals.add(b);
        scope.names.put(name, b);
        return b;
    }

    /** Marks bare names that are constructors ({@code Red =>}) so they match instead of binding. */
    private void patternConstructors(Pattern p) {
        walk(p, q -> {
            if (q instanceof Pattern.Binder b && isConstructor(b.name)) {
                b.constructor = true;
            }
        });
    }

    private List<Pattern.Binder> binders(Pattern p) {
        List<Pattern.Binder> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        walk(p, q -> {
            if (q instanceof Pattern.Binder b && !b.constructor && !isConstructor(b.name)) {
                if (!seen.add(b.name)) {
                    error(b, "'" + b.name + "' is bound twice in this pattern");
                }
                out.add(b);
            }
        });
        return out;
    }

    private List<Pattern.Typed> typedBinders(Pattern p) {
        List<Pattern.Typed> out = new ArrayList<>();
        walk(p, q -> {
            if (q instanceof Pattern.Typed t && t.name != null) {
                out.add(t);
            }
        });
        return out;
    }

    private List<Pattern.FieldPat> shorthandFields(Pattern p) {
        List<Pattern.FieldPat> out = new ArrayList<>();
        walk(p, q -> {
            List<Pattern.FieldPat> fields = q instanceof Pattern.Constructor c ? c.fields : q instanceof Pattern.Typed t ? t.fields : null;
            if (fields != null) {
                for (Pattern.FieldPat fp : fields) {
                    if (fp.pattern == null) {
                        out.add(fp);
                    }
                }
            }
        });
        return out;
    }

    private List<Pattern.ListPat> restBinders(Pattern p) {
        List<Pattern.ListPat> out = new ArrayList<>();
        walk(p, q -> {
            if (q instanceof Pattern.ListPat lp && lp.rest != null && !lp.rest.equals("_")) {
                out.add(lp);
            }
        });
        return out;
    }

    /** Visits a pattern and all its sub-patterns. */
    public static void walk(Pattern p, java.util.function.Consumer<Pattern> f) {
        f.accept(p);
        switch (p) {
            case Pattern.Constructor c -> {
                if (c.fields != null) {
                    c.fields.forEach(fp -> {
                        if (fp.pattern != null) {
                            walk(fp.pattern, f);
                        }
                    });
                }
                if (c.positional != null) {
                    c.positional.forEach(q -> walk(q, f));
                }
            }
            case Pattern.Typed t -> {
                if (t.fields != null) {
                    t.fields.forEach(fp -> {
                        if (fp.pattern != null) {
                            walk(fp.pattern, f);
                        }
                    });
                }
            }
            case Pattern.ListPat l -> l.elements.forEach(q -> walk(q, f));
            case Pattern.TuplePat t -> t.elements.forEach(q -> walk(q, f));
            case Pattern.MapPat m -> m.values.forEach(q -> walk(q, f));
            default -> {
            }
        }
    }
}
