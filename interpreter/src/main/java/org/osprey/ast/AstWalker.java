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
        }
    }

    public void expr(Expr e) {
        if (e == null) {
            return;
        }
        onExpr.accept(e);
        switch (e) {
            case Expr.StringLit s -> {
                for (Object part : s.parts) {
                    if (part instanceof Expr pe) {
                        expr(pe);
                    }
                }
            }
            case Expr.Binary b -> {
                expr(b.left);
                expr(b.right);
            }
            case Expr.Unary u -> expr(u.operand);
            case Expr.Call c -> {
                expr(c.callee);
                c.args.forEach(a -> expr(a.value));
            }
            case Expr.MethodCall m -> {
                expr(m.receiver);
                m.args.forEach(a -> expr(a.value));
            }
            case Expr.FieldAccess f -> expr(f.target);
            case Expr.Index i -> {
                expr(i.target);
                expr(i.index);
            }
            case Expr.Lambda l -> {
                if (intoLambda.test(l)) {
                    expr(l.body);
                }
            }
            case Expr.Block b -> {
                b.statements.forEach(this::stmt);
                expr(b.result);
            }
            case Expr.Match m -> {
                expr(m.scrutinee);
                for (Expr.Arm a : m.arms) {
                    expr(a.guard);
                    expr(a.body);
                }
            }
            case Expr.RecordLit r -> r.fields.forEach(f -> expr(f.value));
            case Expr.RecordUpdate r -> {
                if (r.construction == null) {
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
            case Expr.Spawn sp -> expr(sp.body);
            case Expr.Select sel -> sel.arms.forEach(a -> {
                expr(a.channel);
                expr(a.value);
                expr(a.body);
            });
            case Expr.NewChannel nc -> expr(nc.capacity);
            case Expr.Perform p -> p.args.forEach(a -> expr(a.value));
            case Expr.Handle h -> {
                h.arms.forEach(a -> expr(a.function));
                expr(h.body);
            }
            case Expr.Comprehension c -> {
                expr(c.source);
                expr(c.condition);
                expr(c.element);
            }
            default -> {
            }
        }
    }
}
