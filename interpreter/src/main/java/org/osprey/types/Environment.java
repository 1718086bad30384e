package org.osprey.types;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osprey.ast.Binding;

/**
 * Everything a program can see without declaring it, plus what earlier evaluations in the same context
 * declared (REPL entries see earlier entries, like OCaml's toplevel). One per context; a check that fails
 * adds nothing.
 */
public final class Environment {
    public final Map<String, TypeInfo> types = new HashMap<>(Prelude.TYPE_NAMES);
    /** Type aliases ({@code type WebSocketID = int}). */
    public final Map<String, Type> aliases = new HashMap<>();
    /** Constructor name to the variants of that name (a name may belong to several built-in unions). */
    public final Map<String, List<VariantInfo>> constructors = new HashMap<>();
    /** Effects declared by earlier evaluations (spec 0017). */
    public final Map<String, EffectInfo> effects = new HashMap<>();
    /** Modules declared by earlier evaluations (spec 0011): each name to its members by their own names. */
    public final Map<String, Map<String, Binding>> modules = new HashMap<>();
        /** Top-level values and functions declared by earlier evaluations. */
    public final Map<String, Binding> values = new LinkedHashMap<>();
    /** Builtins by name; several signatures for an overloaded name (length of a string, a list, a map). */
    public final Map<String, List<FunctionSignature>> builtins = new LinkedHashMap<>();
    /** Builtins a sandbox flag took away, name to category, so the error can say why. */
    public final Map<String, String> disabled = new HashMap<>();
    /**
     * The types builtins modules declared, by name: what {@code Values.record} builds, even where a program
     * declared a type of the same name since.
     */
    private final Map<String, TypeInfo> moduleTypes = new HashMap<>();
    /** One shared binding per builtin name, so identifiers can point at it. */
    private final Map<String, Binding> builtinBindings = new HashMap<>();

    public Environment() {
        for (TypeInfo t : List.of(Prelude.RESULT, Prelude.MATH_ERROR, Prelude.STRING_ERROR, Prelude.INDEX_ERROR)) {
            addConstructors(t);
        }
        constructors.put("Err", List.of(Prelude.ERROR));
    }

    public void addConstructors(TypeInfo union) {
        for (VariantInfo v : union.variants) {
            List<VariantInfo> list = new ArrayList<>(constructors.getOrDefault(v.name, List.of()));
            // A user type redeclaring a variant name shadows older user variants of that name.
            list.removeIf(old -> old.owner.declOffset >= 0 && old.owner != union && union.declOffset >= 0);
            list.add(0, v);
            constructors.put(v.name, list);
        }
    }

    public void addBuiltin(FunctionSignature sig, Set<String> disabledCategories) {
        if (disabledCategories.contains(sig.category)) {
            disabled.put(sig.name, sig.category);
            return;
        }
        builtins.computeIfAbsent(sig.name, k -> new ArrayList<>()).add(sig);
    }

    public Binding builtinBinding(String name) {
        if (!builtins.containsKey(name)) {
            return null;
        }
        return builtinBindings.computeIfAbsent(name, n -> new Binding(n, Binding.Kind.BUILTIN, false, null, null));
    }

    /** A type a builtins module declared (BuiltinLoader). */
    public void addModuleType(TypeInfo type) {
        moduleTypes.put(type.name, type);
    }

    /** The record type a builtins module declared with this name, or null. */
    public TypeInfo builtinRecord(String name) {
        TypeInfo t = moduleTypes.get(name);
        return t != null && t.kind == TypeInfo.Kind.RECORD ? t : null;
    }

    public boolean isConstructor(String name) {
        return constructors.containsKey(name);
    }
}
