package org.osprey.types;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.osprey.ast.Binding;

/**
 * The type variables that earlier programs of a session left unknown ({@code mut cell = []}: {@code List<?>})
 * as they stand before another program is checked. Checking binds them ({@code cell = cell + [1]} makes
 * the {@code ?} an int); a program that is then rejected, or a question about a type that runs nothing (the
 * REPL's {@code :type}, its completion), must leave them as they were (docs/repl.md: nothing a rejected entry
 * declared is kept). A named type found {@link Type.Con#ground} holds no unknown, so it stays as it is;
 * one that is not may be found ground while the unknowns in it are bound, which is undone with them.
 */
public final class TypeSnapshot {
    private record Variable(Type.Var v, Type instance, int level, boolean mapKey, String rigid) {
    }

    private final List<Variable> variables = new ArrayList<>();
    private final List<Type.Con> cons = new ArrayList<>();
    private final List<Type.Tuple> tuples = new ArrayList<>();
    private final Set<Type> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private TypeSnapshot() {
    }

    /** The unknown types reachable from the bindings: their types, their schemes (with overloads), their fields. */
    public static TypeSnapshot of(Collection<Binding> bindings) {
        TypeSnapshot s = new TypeSnapshot();
        for (Binding b : bindings) {
            s.visit(b.type);
            if (b.scheme != null) {
                s.visit(b.scheme.type());
                for (Overload o : b.scheme.overloads()) {
                    o.params.forEach(s::visit);
                    s.visit(o.result);
                }
            }
            if (b.structuralFields != null) {
                b.structuralFields.values().forEach(s::visit);
            }
        }
        return s;
    }

    private void visit(Type t) {
        if (t == null || !seen.add(t)) {
            return;
        }
        switch (t) {
            case Type.Var v -> {
                // A bound one too: the path compression of prune may point it past a variable bound since.
                variables.add(new Variable(v, v.instance, v.level, v.mapKey, v.rigid));
                visit(v.instance);
            }
            case Type.Con c -> {
                if (!c.ground) {
                    cons.add(c);
                    c.args.forEach(this::visit);
                }
            }
            case Type.Fun f -> {
                f.params.forEach(this::visit);
                visit(f.result);
            }
            case Type.Tuple tu -> {
                if (!tu.ground) {
                    tuples.add(tu);
                    tu.elements.forEach(this::visit);
                }
            }
        }
    }

    /** Puts every variable back as it was at the snapshot (unbinding what was unknown then) and forgets which types were found ground since. */
    public void restore() {
        for (Variable u : variables) {
            u.v.instance = u.instance;
            u.v.level = u.level;
            u.v.mapKey = u.mapKey;
            u.v.rigid = u.rigid;
        }
        cons.forEach(c -> c.ground = false);
        tuples.forEach(tu -> tu.ground = false);
    }
}
