package org.osprey.types;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osprey.ast.AstWalker;
import org.osprey.ast.Binding;
import org.osprey.ast.Expr;
import org.osprey.ast.Stmt;

/**
 * Orders top-level declarations for inference: strongly connected components of the "uses" graph, each
 * component after the ones it uses (Tarjan). Mutually recursive functions form one component and are
 * generalised together, as in Haskell's binding groups.
 */
final class Dependencies {
    private Dependencies() {
    }

    static List<List<Stmt>> components(List<Stmt> decls, Map<Binding, Stmt> declOf) {
        Map<Stmt, Set<Stmt>> edges = new HashMap<>();
        for (Stmt d : decls) {
            Set<Stmt> uses = new LinkedHashSet<>();
            AstWalker w = new AstWalker(e -> {
                Binding b = e instanceof Expr.Ident id ? id.binding : e instanceof Expr.MethodCall m ? m.function : null;
                Stmt target = b == null ? null : declOf.get(b);
                if (target != null) {
                    uses.add(target);
                }
            }, s -> {
                if (s instanceof Stmt.Assign a && a.binding != null && declOf.containsKey(a.binding)) {
                    uses.add(declOf.get(a.binding));
                }
            });
            switch (d) {
                case Stmt.Fn fn -> w.expr(fn.body);
                case Stmt.Let let -> w.expr(let.value);
                case Stmt.LetPattern lp -> w.expr(lp.value);
                default -> {
                }
            }
            // A validated record's construction calls its validator: treat it as a use (checked later).
            edges.put(d, uses);
        }
        return new Tarjan(decls, edges).run();
    }

    private static final class Tarjan {
        private final List<Stmt> nodes;
        private final Map<Stmt, Set<Stmt>> edges;
        private final Map<Stmt, Integer> index = new HashMap<>();
        private final Map<Stmt, Integer> low = new HashMap<>();
        private final Deque<Stmt> stack = new ArrayDeque<>();
        private final Set<Stmt> onStack = new java.util.HashSet<>();
        private final List<List<Stmt>> out = new ArrayList<>();
        private int counter;

        Tarjan(List<Stmt> nodes, Map<Stmt, Set<Stmt>> edges) {
            this.nodes = nodes;
            this.edges = edges;
        }

        List<List<Stmt>> run() {
            for (Stmt n : nodes) {
                if (!index.containsKey(n)) {
                    visit(n);
                }
            }
            return out;
        }

        /** Iterative, so a long chain of declarations cannot overflow the checker's stack. */
        private void visit(Stmt root) {
            Deque<Object[]> work = new ArrayDeque<>();
            work.push(new Object[] {root, edges.getOrDefault(root, Set.of()).iterator()});
            enter(root);
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                Stmt v = (Stmt) frame[0];
                @SuppressWarnings("unchecked")
                java.util.Iterator<Stmt> it = (java.util.Iterator<Stmt>) frame[1];
                if (it.hasNext()) {
                    Stmt w = it.next();
                    if (!index.containsKey(w)) {
                        enter(w);
                        work.push(new Object[] {w, edges.getOrDefault(w, Set.of()).iterator()});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    Stmt parent = (Stmt) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    List<Stmt> scc = new ArrayList<>();
                    Stmt w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        scc.add(w);
                    } while (w != v);
                    // Keep source order inside a component, for predictable messages.
                    scc.sort((a, b) -> Integer.compare(a.start, b.start));
                    out.add(scc);
                }
            }
        }

        private void enter(Stmt v) {
            index.put(v, counter);
            low.put(v, counter);
            counter++;
            stack.push(v);
            onStack.add(v);
        }
    }
}
