package org.osprey.ast;

import java.util.function.Consumer;
import java.util.function.Predicate;

/** Visits every expression and statement under a node, depth first; used by analyses that need no scopes. */
public final class AstWalker {
    private final Consumer<Expr> onExpr;
    private final Consumer<Stmt> onStmt;
    private final Predicate<Expr.Lambda> intoLambda;
    private final boolean intoFns;

    public AstWalker(Consumer<Expr> onExpr, Consumer<Stmt> onStmt) {
        this(onExpr, onStmt, l -> true, true);
    }

    /**
     * A walk that enters only the lambdas {@code intoLambda} accepts, and the bodies of nested fns only if
     * {@code intoFns}: for analyses of one function's own code.
     */
    public AstWalker(Consumer<Expr> onExpr, Consumer<Stmt> onStmt, Predicate<Expr.Lambda> intoLambda, boolean intoFns) {
        this.onExpr = onExpr;
        this.onStmt = onStmt;
        this.intoLambda = intoLambda;
        this.intoFns = intoFns;
    }

    public void stmt(Stmt s) {
        onStmt.accept(s);
        switch (s) {
            case Stmt.Let l -> expr(l.value);
            case Stmt.LetPattern l -> expr(l.value);
            case Stmt.Assign a -> expr(a.value);
            case Stmt.FieldAssign a -> {
                expr(a.target);
                expr(a.value);
            }
            case Stmt.Fn f -> {
                if (intoFns) {
                    expr(f.body);
                }
            }
            case Stmt.ExprStmt e -> expr(e.expr);
            case Stmt.TypeDecl t -> {
            }
            case Stmt.Import i -> {
            }
            case Stmt.EffectDecl d -> {
            }
            case Stmt.Module m -> {
                if (intoFns) { // its values' initialisers run in a function of their own
                    m.members.forEach(this::stmt);
                }
            }
        }
    }

    public void expr(Expr e) {
        if (e == null) {
            return;
        }
        onExpr.accept(e);
        switch (e) {
            case Expr.Lambda l -> {
                if (intoLambda.test(l)) {
                    expr(l.body);
                }
            }
            case Expr.Block b -> {
                b.statements.forEach(this::stmt);
                expr(b.result);
            }
            default -> children(e, this::expr);
        }
    }

    /**
     * The direct sub-expressions of e, in evaluation order, each once: the one place that knows what an
     * expression is made of, for the walk above and for analyses with their own rules at some kinds (the
     * effect check). A lambda's body is among them; of a block, the expressions of its statements (a nested
     * fn's body is its own function and is not) and its result. A method call the checker has decided is
     * its resolved call (which holds the receiver and the arguments), a record update the resolver found to
     * be a construction is that construction.
     */
    public static void children(Expr e, Consumer<Expr> each) {
        switch (e) {
            case Expr.StringLit s -> {
                for (Object part : s.parts) {
                    if (part instanceof Expr pe) {
                        each.accept(pe);
                    }
                }
            }
            case Expr.Binary b -> {
                each.accept(b.left);
                each.accept(b.right);
            }
            case Expr.Unary u -> each.accept(u.operand);
            case Expr.Call c -> {
                each.accept(c.callee);
                c.args.forEach(a -> each.accept(a.value));
            }
            case Expr.MethodCall m -> {
                if (m.resolved != null) {
                    each.accept(m.resolved);
                } else {
                    each.accept(m.receiver);
                    m.args.forEach(a -> each.accept(a.value));
                }
            }
            case Expr.FieldAccess f -> each.accept(f.resolved != null ? f.resolved : f.target);
            case Expr.Index i -> {
                each.accept(i.target);
                each.accept(i.index);
            }
            case Expr.Lambda l -> each.accept(l.body);
            case Expr.Block b -> {
                for (Stmt s : b.statements) {
                    switch (s) {
                        case Stmt.Let l -> each.accept(l.value);
                        case Stmt.LetPattern l -> each.accept(l.value);
                        case Stmt.Assign a -> each.accept(a.value);
                        case Stmt.ExprStmt x -> each.accept(x.expr);
                        default -> {
                        }
                    }
                }
                present(b.result, each);
            }
            case Expr.Match m -> {
                each.accept(m.scrutinee);
                for (Expr.Arm a : m.arms) {
                    present(a.guard, each);
                    each.accept(a.body);
                }
            }
            case Expr.RecordLit r -> r.fields.forEach(f -> each.accept(f.value));
            case Expr.RecordUpdate r -> {
                if (r.construction != null) {
                    each.accept(r.construction);
                } else {
                    each.accept(r.target);
                    r.fields.forEach(f -> each.accept(f.value));
                }
            }
            case Expr.ListLit l -> l.elements.forEach(each);
            case Expr.MapLit m -> m.entries.forEach(en -> {
                each.accept(en.key);
                each.accept(en.value);
            });
            case Expr.TupleLit t -> t.elements.forEach(each);
            case Expr.Spawn sp -> each.accept(sp.body);
            case Expr.Select sel -> sel.arms.forEach(a -> {
                present(a.channel, each);
                present(a.value, each);
                each.accept(a.body);
            });
            case Expr.NewChannel nc -> each.accept(nc.capacity);
            case Expr.Extern f -> f.args.forEach(each);
            case Expr.Perform p -> p.args.forEach(a -> each.accept(a.value));
            case Expr.Handle h -> {
                h.arms.forEach(a -> each.accept(a.function));
                each.accept(h.body);
            }
            case Expr.Comprehension c -> {
                each.accept(c.source);
                present(c.condition, each);
                each.accept(c.element);
            }
            default -> {
            }
        }
    }

    private static void present(Expr e, Consumer<Expr> each) {
        if (e != null) {
            each.accept(e);
        }
    }
}
