package org.osprey.types;

import java.util.List;

/**
 * A declared effect (spec 0017): its operations in declaration order, each with its function type. The
 * checker resolves them once; a {@code perform} and a handler arm refer to an operation by its index.
 */
public final class EffectInfo {
    public final String name;
    /** Where the declaration starts in its source, for messages; -1 when unknown. */
    public final int declOffset;
    public final List<String> ops;
    public final List<Type.Fun> types;

    public EffectInfo(String name, int declOffset, List<String> ops, List<Type.Fun> types) {
        this.name = name;
        this.declOffset = declOffset;
        this.ops = ops;
        this.types = types;
    }

    /** The index of operation {@code op}, or -1 if the effect has none of that name. */
    public int indexOf(String op) {
        return ops.indexOf(op);
    }

    /** Whether operation {@code i} returns unit: its arm's value is then discarded. */
    public boolean returnsUnit(int i) {
        return types.get(i).result.prune() instanceof Type.Con c && c.info == Prelude.UNIT;
    }

    @Override
    public String toString() {
        return name;
    }
}
