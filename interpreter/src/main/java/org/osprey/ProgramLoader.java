package org.osprey;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.source.Source;

import org.osprey.ast.Binding;
import org.osprey.ast.Expr;
import org.osprey.ast.Program;
import org.osprey.ast.Stmt;
import org.osprey.nodes.InteractiveEcho;
import org.osprey.nodes.ProgramRootNode;
import org.osprey.parser.Diagnostic;
import org.osprey.parser.ParseResult;
import org.osprey.parser.Parser;
import org.osprey.runtime.OspreySyntaxError;
import org.osprey.translate.NodeBuilder;
import org.osprey.types.Checker;
import org.osprey.types.FunctionSignature;
import org.osprey.types.Prelude;
import org.osprey.types.Resolver;
import org.osprey.types.Type;
import org.osprey.types.TypePrinter;
import org.osprey.types.TypeSnapshot;

/**
 * Source to runnable program: parse, resolve names, check types, build nodes (architecture.md). Any
 * problem stops here with every error found, so a program that does not check never starts. What a program
 * declares joins the context's environment only when it checks, so a failed REPL entry changes nothing.
 */
final class ProgramLoader {
    private ProgramLoader() {
    }

    /**
     * Checks and builds {@code source} holding the context's execution lock: it reads the session (the
     * environment) that a program running on another thread adds its declarations to when it starts, and
     * Context.eval parses on the calling thread before the program's root takes the lock.
     */
    static CallTarget load(OspreyLanguage language, OspreyContext context, Source source) {
        context.lockExecution();
        try {
            return loadLocked(language, context, source);
        } finally {
            context.unlockExecution();
        }
    }

    private static CallTarget loadLocked(OspreyLanguage language, OspreyContext context, Source source) {
        String text = source.getCharacters().toString();
        long parsedAt = context.declarations;
        ParseResult parsed;
        try {
            parsed = Parser.parse(text);
        } catch (StackOverflowError e) {
            throw new OspreySyntaxError(source.getName() + ": the program is nested too deeply to parse", source, 0, 0, false);
        }
        List<Diagnostic> diagnostics = new ArrayList<>(parsed.diagnostics());
        if (source.isInteractive() && !parsed.incomplete() && diagnostics.stream().anyMatch(d -> !d.message().endsWith("before the end of input"))) {
            // A REPL entry that a mistake ended before its '{' was closed: the entry ends where the user pressed
            // Enter, so "this '{' is never closed" is true of it and says nothing; the mistake is what to fix.
            diagnostics.removeIf(d -> d.message().endsWith("before the end of input") && d.message().contains("is never closed"));
        }
        if (!diagnostics.isEmpty()) {
            throw error(source, diagnostics, parsed.incomplete());
        }
        Program program = parsed.program();
        Resolver resolver;
        Checker checker;
        TypeSnapshot unknownsBefore = TypeSnapshot.of(context.environment.values.values());
        try {
            resolver = new Resolver(context.environment, diagnostics, text);
            resolver.resolveProgram(program);
            checker = new Checker(context.environment, diagnostics, text, resolver);
            checker.setTopLevel(resolver.declared);
            checker.setInteractive(source.isInteractive());
            checker.setLastValueKept(!OspreyLanguage.RUN_MIME_TYPE.equals(source.getMimeType()));
            if (keepsResult(source, program) instanceof Stmt.ExprStmt last) {
                checker.showResultOf(last.expr);
            }
            checker.checkProgram(program);
        } catch (StackOverflowError e) {
            unknownsBefore.restore();
            throw new OspreySyntaxError(source.getName() + ": the program is nested too deeply to check", source, 0, 0, false);
        }
        if (diagnostics.isEmpty()) {
            ExternLinker.link(context, program, diagnostics);
        }
        if (!diagnostics.isEmpty()) {
            unknownsBefore.restore();
            throw error(source, diagnostics, false);
        }
        java.util.Map<String, Binding> replaced = new java.util.HashMap<>();
        boolean declares = !resolver.declared.isEmpty()
                        || program.statements.stream().anyMatch(s -> s instanceof Stmt.TypeDecl || s instanceof Stmt.EffectDecl || s instanceof Stmt.Module);
        // The program's declarations join the session when it starts to run, not here: a parse that is never
        // run (Context.parse) changes nothing, and one that ran before (a cached source) is parsed again.
        // The count of declarations after this program's own last commit: evaluated again with nothing
        // declared in between, it finds the session as its previous run left it, its own declarations, and
        // runs as it is, compiled code and all (an embedder running one script again and again, the steady
        // benchmark); anything declared in between makes it parse again.
        long[] committedAt = {-1};
        InteractiveEcho echo = source.isInteractive() ? echo(program, resolver.declared, sessionValues(context, resolver.declared)) : null;
        // What the types and effects a REPL entry declares replaced, by name, for forgetUnrun.
        java.util.Map<String, Runnable> typesBefore = new java.util.HashMap<>();
        java.util.Map<String, Runnable> effectsBefore = new java.util.HashMap<>();
        Runnable commit = () -> {
            if (echo != null) {
                checker.types.before().forEach(typesBefore::putIfAbsent);
                for (String name : checker.declaredEffects.keySet()) {
                    org.osprey.types.EffectInfo before = context.environment.effects.get(name);
                    effectsBefore.putIfAbsent(name, () -> {
                        if (before != null) {
                            context.environment.effects.put(name, before);
                        } else {
                            context.environment.effects.remove(name);
                        }
                    });
                }
            }
            checker.types.commit();
            context.environment.effects.putAll(checker.declaredEffects);
            // At the prompt the later declaration of a name wins, a module or not: `let C = 4` after module C is
            // the value from then on, and a module C after it the module (Name.member would reach neither otherwise).
            for (Binding b : resolver.declared) {
                context.environment.modules.remove(b.name);
            }
            context.environment.modules.putAll(resolver.modules);
            synchronized (context.environment.values) { // the bindings (TopScope) read it from any thread
                resolver.modules.keySet().forEach(context.environment.values::remove);
                for (Binding b : resolver.declared) {
                    Binding before = context.environment.values.put(b.name, b);
                    replaced.putIfAbsent(b.name, before);
                }
            }
            if (declares) {
                context.declarations++;
            }
            committedAt[0] = context.declarations;
        };
        NodeBuilder builder = new NodeBuilder(language, source, name -> {
            for (Binding b : resolver.declared) {
                if (b.name.equals(name) && b.isFunction()) {
                    return b;
                }
            }
            return context.environment.values.get(name);
        }, context.functionValues, context.inlineSmallFunctions);
        Runnable forgetUnrun = () -> {
            if (echo != null) {
                typesFromWhatRan(context, source, program, echo, resolver.declared, replaced, unknownsBefore);
            }
            forgetUnrun(context, resolver.declared, replaced, echo);
            if (echo != null) {
                forgetUnrunTypes(program, typesBefore, effectsBefore, echo);
            }
        };
        ProgramRootNode.Session session = new ProgramRootNode.Session(() -> context.declarations != parsedAt && context.declarations != committedAt[0], commit, forgetUnrun,
                        () -> load(language, context, source));
        ProgramRootNode root = builder.program(program, source.isInteractive(), keepsResult(source, program) != null, echo,
                        OspreyLanguage.RUN_MIME_TYPE.equals(source.getMimeType()), session);
        return root.getCallTarget();
    }

    /**
     * The statement whose value the evaluation yields: a REPL entry's last expression (shown), or an
     * embedder's (eval's value when the program has no main), unless that is a match or a block, whose arms
     * may have different types when the value is not used. A ternary and {@code ?:} are matches inside, but
     * written as expressions: their value is kept. None for a program run as a process.
     */
    private static Stmt keepsResult(Source source, Program program) {
        if (program.statements.isEmpty() || OspreyLanguage.RUN_MIME_TYPE.equals(source.getMimeType())
                        || !(program.statements.get(program.statements.size() - 1) instanceof Stmt.ExprStmt last)) {
            return null;
        }
        boolean statementLike = last.expr instanceof Expr.Match m && m.form == Expr.MatchForm.MATCH || last.expr instanceof Expr.Block;
        return source.isInteractive() || !statementLike ? last : null;
    }

    /**
     * After a program or REPL entry faulted (docs/repl.md: what earlier entries declared is still there):
     * each top-level let or mut of the entry whose declaration did not run, and each function of a REPL entry
     * (its {@code echo}) that the run did not get to, gives its name back to what it meant before the entry
     * (or to nothing). Such a function was kept without having been shown, while a let beside it was not.
     */
    private static void forgetUnrun(OspreyContext context, List<Binding> declared, java.util.Map<String, Binding> replaced, InteractiveEcho echo) {
        synchronized (context.environment.values) {
            forgetUnrunLocked(context, declared, replaced, echo);
        }
    }

    private static void forgetUnrunLocked(OspreyContext context, List<Binding> declared, java.util.Map<String, Binding> replaced, InteractiveEcho echo) {
        for (Binding b : declared) {
            boolean unrun = b.kind == Binding.Kind.GLOBAL ? NodeBuilder.global(b).value == null
                            : b.kind == Binding.Kind.FUNCTION && echo != null && !echo.shown(b.decl.start);
            if (unrun && context.environment.values.get(b.name) == b) {
                Binding before = replaced.get(b.name);
                if (before != null) {
                    context.environment.values.put(b.name, before);
                } else {
                    context.environment.values.remove(b.name);
                }
            }
        }
    }

    /**
     * After a REPL entry of several statements faulted: what the session keeps about types comes from the
     * statements that ran, the one that faulted included, as if they had been the entry. The check of the whole
     * entry decided the types it left unknown ({@code mut xs = []}) by statements that never ran too: after
     * {@code print(9223372036854775807 + 1); xs = append(xs, 1)} faulted at the print, {@code xs} had become a
     * list of ints. So the session's unknowns are put back as they were before the entry, the statements that
     * ran are checked again on their own against the session as it was, and the values they declared, which are
     * kept, take the types found so. An entry that leaves code behind that may run later (a function, a lambda,
     * a fiber, a handler, a declaration of a type, effect or module) keeps the types of its whole check: that
     * code was built for them.
     */
    private static void typesFromWhatRan(OspreyContext context, Source source, Program program, InteractiveEcho echo, List<Binding> declared,
                    java.util.Map<String, Binding> replaced, TypeSnapshot unknownsBefore) {
        int faulted = echo.statementsRun();
        if (faulted >= program.statements.size() - 1) {
            return; // the last statement faulted (or none did): every statement ran
        }
        List<Stmt> ran = program.statements.subList(0, faulted + 1);
        boolean[] leavesCode = {false};
        for (Stmt s : program.statements) {
            leavesCode[0] |= !(s instanceof Stmt.Let || s instanceof Stmt.LetPattern || s instanceof Stmt.Assign || s instanceof Stmt.FieldAssign
                            || s instanceof Stmt.ExprStmt);
        }
        org.osprey.ast.AstWalker code = new org.osprey.ast.AstWalker(
                        e -> leavesCode[0] |= e instanceof Expr.Lambda || e instanceof Expr.Spawn || e instanceof Expr.Handle || e instanceof Expr.Extern,
                        s -> leavesCode[0] |= s instanceof Stmt.Fn);
        ran.forEach(code::stmt);
        if (leavesCode[0]) {
            return;
        }
        String text = source.getCharacters().toString().substring(0, ran.get(ran.size() - 1).end);
        ParseResult parsed = Parser.parse(text);
        if (!parsed.diagnostics().isEmpty()) {
            return;
        }
        Program prefix = parsed.program();
        List<Binding> all = sessionValues(context, declared);
        TypeSnapshot asChecked = TypeSnapshot.of(all);
        java.util.Map<String, Binding> now = new java.util.HashMap<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        synchronized (context.environment.values) {
            for (Binding b : declared) {
                now.putIfAbsent(b.name, context.environment.values.get(b.name));
            }
            // The session as the entry found it: its own declarations are checked again.
            now.keySet().forEach(name -> restore(context, name, replaced.get(name)));
        }
        unknownsBefore.restore();
        Resolver again = new Resolver(context.environment, diagnostics, text);
        try {
            again.resolveProgram(prefix);
            Checker checker = new Checker(context.environment, diagnostics, text, again);
            checker.setTopLevel(again.declared);
            checker.setInteractive(true);
            checker.setLastValueKept(true);
            if (keepsResult(source, prefix) instanceof Stmt.ExprStmt last) {
                checker.showResultOf(last.expr);
            }
            checker.checkProgram(prefix);
        } catch (StackOverflowError e) {
            diagnostics.add(new Diagnostic(0, 0, "nested too deeply"));
        } finally {
            synchronized (context.environment.values) {
                now.forEach((name, b) -> restore(context, name, b));
            }
        }
        if (!diagnostics.isEmpty()) {
            // What ran does not check on its own (let xs = [], typed only by a later statement): the types of the whole check.
            asChecked.restore();
            return;
        }
        for (Binding b : declared) {
            for (Binding checked : again.declared) {
                if (checked.name.equals(b.name) && checked.decl.start == b.decl.start) {
                    b.type = checked.type;
                    b.scheme = checked.scheme;
                    b.structuralFields = checked.structuralFields;
                }
            }
        }
    }

    /** Gives the name {@code name} of the session the binding {@code b}, or takes it away (null). */
    private static void restore(OspreyContext context, String name, Binding b) {
        if (b != null) {
            context.environment.values.put(name, b);
        } else {
            context.environment.values.remove(name);
        }
    }

    /**
     * After a REPL entry faulted: each type and effect it declares after the statement that failed (one its
     * run did not get to, so it was not shown) gives its name back to what it meant before the entry, as its
     * lets and functions there do (docs/repl.md: nothing after the error is kept).
     */
    private static void forgetUnrunTypes(Program program, java.util.Map<String, Runnable> typesBefore, java.util.Map<String, Runnable> effectsBefore,
                    InteractiveEcho echo) {
        for (Stmt s : program.statements) {
            Runnable undo = s instanceof Stmt.TypeDecl td && !echo.shown(td.start) ? typesBefore.get(td.name)
                            : s instanceof Stmt.EffectDecl d && !echo.shown(d.start) ? effectsBefore.get(d.name) : null;
            if (undo != null) {
                undo.run();
            }
        }
    }

    /**
     * What an interactive entry shows: its declarations, each once its statement has run (a function is
     * declared before the entry runs, but shown where it stands), and its final expression, with types.
     */
    private static InteractiveEcho echo(Program program, List<Binding> declared, List<Binding> session) {
        List<InteractiveEcho.Item> items = new ArrayList<>();
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.TypeDecl td) {
                items.add(new InteractiveEcho.Item(td.name, null, null, true, td.start));
            } else if (s instanceof Stmt.EffectDecl d) {
                items.add(new InteractiveEcho.Item(d.name, "effect", null, true, d.start));
            }
        }
        for (Binding b : declared) {
            String type = (b.scheme != null ? TypePrinter.print(b.scheme) : b.type == null ? "?" : TypePrinter.printDeclared(b.type))
                            + Checker.effectsSuffix(b);
            items.add(new InteractiveEcho.Item(b.name, type, b.kind == Binding.Kind.GLOBAL ? NodeBuilder.global(b) : null, false, b.decl.start));
        }
        items.sort(java.util.Comparator.comparingInt(InteractiveEcho.Item::at));
        String resultType = null;
        if (!program.statements.isEmpty() && program.statements.get(program.statements.size() - 1) instanceof Stmt.ExprStmt es
                        && es.expr.type != null && !(es.expr.type.prune() instanceof Type.Con c && c.info == Prelude.UNIT)) {
            resultType = TypePrinter.printIn(es.expr.type, session);
        }
        return new InteractiveEcho(items, resultType);
    }

    /** The values of the session, with those the program declares, whose types hold what is not known yet ({@code ?}). */
    private static List<Binding> sessionValues(OspreyContext context, List<Binding> declared) {
        List<Binding> all;
        synchronized (context.environment.values) {
            all = new ArrayList<>(context.environment.values.values());
        }
        all.addAll(declared);
        return all;
    }

    /**
     * Answers a tool's question about the session without running anything (the REPL's :type and
     * completion): {@code type EXPR} gives the expression's type, {@code names} every name in scope (one per
     * line), {@code fields EXPR} the fields of the expression's record type, or a module's members. A bad expression is a syntax
     * error, with its diagnostics.
     */
    static String query(OspreyContext context, Source source) {
        String text = source.getCharacters().toString();
        if (text.strip().equals("names")) {
            java.util.TreeSet<String> names = new java.util.TreeSet<>(context.environment.values.keySet());
            names.addAll(context.environment.modules.keySet());
            names.addAll(context.environment.builtins.keySet());
            names.addAll(context.environment.constructors.keySet());
            // A record is built with its type's name (Point { x: 1 }), so the REPL completes those names too.
            context.environment.types.forEach((name, info) -> {
                if (info.isRecord()) {
                    names.add(name);
                }
            });
            return String.join("\n", names);
        }
        boolean fields = text.startsWith("fields ");
        if (!fields && !text.startsWith("type ")) {
            throw new OspreySyntaxError("unknown query: expected 'type EXPR', 'fields EXPR' or 'names'", source, 0, 0, false);
        }
        int skip = fields ? "fields ".length() : "type ".length();
        String expr = text.substring(skip);
        if (fields && context.environment.modules.get(expr.strip()) instanceof java.util.Map<String, Binding> members) {
            return String.join("\n", members.keySet()); // Counter. completes the module's members
        }
        ParseResult parsed = Parser.parse(expr);
        List<Diagnostic> diagnostics = new ArrayList<>(parsed.diagnostics());
        Program program = parsed.program();
        if (diagnostics.isEmpty() && (program.statements.size() != 1 || !(program.statements.get(0) instanceof Stmt.ExprStmt))) {
            // Under the text itself, not the spaces before it, which stand for the ':type ' the REPL was given.
            int from = expr.isBlank() ? 0 : expr.length() - expr.stripLeading().length();
            diagnostics.add(new Diagnostic(from, Math.max(from + 1, expr.stripTrailing().length()), "expected one expression"));
        }
        if (!diagnostics.isEmpty()) {
            throw error(Source.newBuilder(source.getLanguage(), expr, source.getName()).uri(source.getURI()).build(), diagnostics, parsed.incomplete());
        }
        TypeSnapshot unknownsBefore = TypeSnapshot.of(context.environment.values.values());
        try {
            return answer(context, source, expr, program, diagnostics, fields);
        } finally {
            unknownsBefore.restore(); // a question runs nothing, so it decides no type the session left unknown
        }
    }

    private static String answer(OspreyContext context, Source source, String expr, Program program, List<Diagnostic> diagnostics, boolean fields) {
        Resolver resolver = new Resolver(context.environment, diagnostics, expr);
        resolver.resolveProgram(program);
        Checker checker = new Checker(context.environment, diagnostics, expr, resolver);
        checker.setTopLevel(resolver.declared);
        checker.showResultOf(((Stmt.ExprStmt) program.statements.get(0)).expr); // a match is a value here, as when evaluated
        checker.skipEffectCheck();
        checker.checkProgram(program);
        if (!diagnostics.isEmpty()) {
            throw error(Source.newBuilder(source.getLanguage(), expr, source.getName()).uri(source.getURI()).build(), diagnostics, false);
        }
        Expr e = ((Stmt.ExprStmt) program.statements.get(0)).expr;
        Type t = e.type;
        if (!fields) {
            if (e instanceof Expr.Ident id && id.binding != null && id.binding.kind != Binding.Kind.BUILTIN) {
                return (id.binding.scheme != null ? TypePrinter.print(id.binding.scheme) : TypePrinter.printDeclared(t)) + Checker.effectsSuffix(id.binding);
            }
            if (e instanceof Expr.Ident id && id.binding != null && id.binding.kind == Binding.Kind.BUILTIN
                            && context.environment.builtins.get(id.name) instanceof List<FunctionSignature> forms && !forms.isEmpty()) {
                if (forms.size() > 1) {
                    return withForms(id.name, t, forms);
                }
                StringBuilder sb = new StringBuilder(TypePrinter.print(t));
                describe(sb, forms.get(0));
                return sb.toString();
            }
            return TypePrinter.printIn(t, sessionValues(context, List.of()));
        }
        if (t != null && t.prune() instanceof Type.Con c && c.info.isRecord() && c.info.declaredOrder != null) {
            return String.join("\n", c.info.declaredOrder);
        }
        return "";
    }

    /**
     * {@code :type map}: a builtin with a form per type of its first argument has no one type. The shape its
     * forms share (what the checker gives it as a value, its form chosen by what it is given), then each form.
     */
    private static String withForms(String name, Type t, List<FunctionSignature> forms) {
        TypePrinter p = new TypePrinter();
        StringBuilder sb = new StringBuilder(p.show(t));
        if (t.prune() instanceof Type.Fun f && !f.params.isEmpty() && f.params.get(0).prune() instanceof Type.Var) {
            sb.append(" where ").append(name).append('(').append(p.show(f.params.get(0))).append(')');
        }
        sb.append("; ").append(forms.size()).append(" forms, chosen by the type of the first argument:");
        for (FunctionSignature form : forms) {
            describe(sb, form);
        }
        return sb.toString();
    }

    /**
     * A builtin's form under {@code :type}: its signature with the parameters' names (which named arguments
     * use), then the description its module gave it ({@code BuiltinRegistry.function}), if any.
     */
    private static void describe(StringBuilder sb, FunctionSignature form) {
        sb.append("\n    ").append(form.display());
        if (form.doc != null && !form.doc.isBlank()) {
            sb.append("\n        ").append(form.doc.strip());
        }
    }

    private static OspreySyntaxError error(Source source, List<Diagnostic> diagnostics, boolean incomplete) {
        diagnostics.sort((a, b) -> Integer.compare(a.start(), b.start()));
        Diagnostic first = diagnostics.get(0);
        return new OspreySyntaxError(DiagnosticFormatter.format(source, diagnostics), source, first.start(),
                        Math.max(0, first.end() - first.start()), incomplete);
    }
}
