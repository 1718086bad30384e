package org.osprey.types;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osprey.ast.Node;
import org.osprey.ast.Stmt;
import org.osprey.ast.TypeExpr;
import org.osprey.parser.Diagnostic;

/**
 * Turns type declarations into {@link TypeInfo}s and written types ({@link TypeExpr}) into {@link Type}s.
 * Declarations of one program may refer to each other in any order, recursively (spec 0004 TYPE-UNION-REC).
 */
public final class TypeResolver {
    private final Environment env;
    private final List<Diagnostic> diagnostics;
    /** Types this program declares; committed to the environment when the whole check succeeds. */
    public final Map<String, TypeInfo> programTypes = new LinkedHashMap<>();
    public final Map<String, Type> programAliases = new HashMap<>();
    public final Map<String, List<VariantInfo>> programConstructors = new HashMap<>();

    public TypeResolver(Environment env, List<Diagnostic> diagnostics) {
        this.env = env;
        this.diagnostics = diagnostics;
    }

    private void error(Node at, String message) {
        diagnostics.add(new Diagnostic(at.start, Math.max(at.end, at.start + 1), message));
    }

    private void error(int start, int len, String message) {
        diagnostics.add(new Diagnostic(start, start + Math.max(1, len), message));
    }

    public TypeInfo lookupType(String name) {
        TypeInfo t = programTypes.get(name);
        return t != null ? t : env.types.get(name);
    }

    private Type lookupAlias(String name) {
        Type t = programAliases.get(name);
        return t != null ? t : env.aliases.get(name);
    }

    public List<VariantInfo> constructors(String name) {
        List<VariantInfo> own = programConstructors.get(name);
        List<VariantInfo> outer = env.constructors.getOrDefault(name, List.of());
        if (own == null) {
            return outer;
        }
        List<VariantInfo> all = new ArrayList<>(own);
        for (VariantInfo v : outer) {
            if (v.owner.declOffset < 0) {
                all.add(v); // built-in variants stay reachable by expected type
            }
        }
        return all;
    }

    /** Every union variant in scope, the program's and the built-in ones. */
    public List<VariantInfo> allVariants() {
        List<VariantInfo> out = new ArrayList<>();
        Set<TypeInfo> seen = new HashSet<>();
        for (TypeInfo t : programTypes.values()) {
            if (t.isUnion() && seen.add(t)) {
                out.addAll(t.variants);
            }
        }
        for (TypeInfo t : env.types.values()) {
            if (t.isUnion() && seen.add(t)) {
                out.addAll(t.variants);
            }
        }
        return out;
    }

    /** Every record type in scope, for resolving {@code x.field} when x's type is not known yet. */
    public List<TypeInfo> recordTypes() {
        List<TypeInfo> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TypeInfo t : programTypes.values()) {
            if (t.isRecord()) {
                out.add(t);
                seen.add(t.name);
            }
        }
        for (TypeInfo t : env.types.values()) {
            if (t.isRecord() && !seen.contains(t.name) && !out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- declarations

    public void declare(List<Stmt.TypeDecl> decls) {
        List<Stmt.TypeDecl> aliasDecls = new ArrayList<>();
        Map<TypeInfo, Stmt.TypeDecl> bodies = new LinkedHashMap<>();
        for (Stmt.TypeDecl td : decls) {
            if (Prelude.TYPE_NAMES.containsKey(td.name)) {
                error(td.nameStart, td.name.length(), "cannot redefine the built-in type '" + td.name + "'");
                continue;
            }
            if (programTypes.containsKey(td.name) || programAliases.containsKey(td.name)) {
                error(td.nameStart, td.name.length(), "type '" + td.name + "' is already declared in this program");
                continue;
            }
            Set<String> seen = new HashSet<>();
            for (Stmt.TypeParam tp : td.typeParams) {
                if (!seen.add(tp.name)) {
                    error(tp, "type parameter '" + tp.name + "' is declared twice in '" + td.name + "'");
                }
            }
            if (isAlias(td, decls)) {
                aliasDecls.add(td);
                programAliases.put(td.name, null); // placeholder so other declarations see the name
                continue;
            }
            TypeInfo info = new TypeInfo(td.name, td.fields != null ? TypeInfo.Kind.RECORD : TypeInfo.Kind.UNION);
            info.declOffset = td.start;
            for (int i = 0; i < td.typeParams.size(); i++) {
                info.params.add(new Type.Var(0));
            }
            programTypes.put(td.name, info);
            bodies.put(info, td);
        }
        for (Stmt.TypeDecl td : aliasDecls) {
            Map<String, Type> params = typeParams(td.typeParams, null);
            TypeExpr rhs = td.alias != null ? td.alias : new TypeExpr.Named(td.variants.get(0).start, td.variants.get(0).end,
                            td.variants.get(0).name, List.of());
            programAliases.put(td.name, resolve(rhs, params, false));
        }
        for (Map.Entry<TypeInfo, Stmt.TypeDecl> e : bodies.entrySet()) {
            defineBody(e.getKey(), e.getValue());
        }
    }

    /** {@code type X = Int} is an alias; {@code type X = Red} declares a union with one variant. */
    private boolean isAlias(Stmt.TypeDecl td, List<Stmt.TypeDecl> decls) {
        if (td.alias != null) {
            return true;
        }
        if (td.variants == null || td.variants.size() != 1 || td.variants.get(0).fields != null) {
            return false;
        }
        String rhs = td.variants.get(0).name;
        if (rhs.equals(td.name)) {
            return false;
        }
        if (lookupType(rhs) != null || lookupAlias(rhs) != null) {
            return true;
        }
        for (Stmt.TypeDecl other : decls) {
            if (other != td && other.name.equals(rhs)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Type> typeParams(List<Stmt.TypeParam> declared, TypeInfo info) {
        Map<String, Type> m = new HashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            m.put(declared.get(i).name, info != null ? info.params.get(i) : new Type.Var(0));
        }
        return m;
    }

    private void defineBody(TypeInfo info, Stmt.TypeDecl td) {
        Map<String, Type> params = typeParams(td.typeParams, info);
        if (td.fields != null) {
            Map<String, Type> byName = new LinkedHashMap<>();
            for (Stmt.FieldDecl f : td.fields) {
                if (byName.containsKey(f.name)) {
                    error(f, "field '" + f.name + "' is declared twice in '" + td.name + "'");
                    continue;
                }
                byName.put(f.name, resolve(f.type, params, false));
            }
            info.declaredOrder = new ArrayList<>(byName.keySet());
            info.fieldNames = new ArrayList<>(byName.keySet());
            info.fieldNames.sort(null);
            info.fieldTypes = new ArrayList<>();
            for (String n : info.fieldNames) {
                info.fieldTypes.add(byName.get(n));
            }
            info.validator = td.validator;
            return;
        }
        Set<String> seen = new HashSet<>();
        for (Stmt.VariantDecl vd : td.variants) {
            if (!seen.add(vd.name)) {
                error(vd, "variant '" + vd.name + "' is declared twice in '" + td.name + "'");
                continue;
            }
            List<VariantInfo> existing = programConstructors.get(vd.name);
            if (existing != null) {
                error(vd, "variant '" + vd.name + "' is already declared by type '" + existing.get(0).owner.name + "'");
                continue;
            }
            if (vd.fields != null && (vd.name.equals("Fiber") || vd.name.equals("Channel"))) {
                // `Fiber { ... }` and `Channel { ... }` are spec 0011's forms that make a fiber and a channel.
                error(vd, "a variant named '" + vd.name + "' cannot have fields: " + vd.name + " { ... } makes a "
                                + (vd.name.equals("Fiber") ? "fiber" : "channel") + " (spec 0011), so the variant could never be built; name it otherwise");
            }
            List<String> names = new ArrayList<>();
            List<Type> types = new ArrayList<>();
            if (vd.fields != null) {
                for (Stmt.FieldDecl f : vd.fields) {
                    if (names.contains(f.name)) {
                        error(f, "field '" + f.name + "' is declared twice in variant '" + vd.name + "'");
                        continue;
                    }
                    names.add(f.name);
                    types.add(resolve(f.type, params, false));
                }
            }
            VariantInfo v = new VariantInfo(info, vd.name, info.variants.size(), names, types);
            info.variants.add(v);
            programConstructors.put(vd.name, List.of(v));
        }
    }

    // ---------------------------------------------------------------- written types

    /**
     * Resolves a written type. {@code params} maps type parameter names in scope; when {@code implicitVars} is
     * set (function signatures), an unknown single capital letter such as T becomes a new type variable.
     */
    public Type resolve(TypeExpr te, Map<String, Type> params, boolean implicitVars) {
        return switch (te) {
            case TypeExpr.Function f -> {
                List<Type> ps = new ArrayList<>();
                for (TypeExpr p : f.params) {
                    ps.add(resolve(p, params, implicitVars));
                }
                yield new Type.Fun(ps, resolve(f.result, params, implicitVars));
            }
            case TypeExpr.Tuple t -> {
                List<Type> es = new ArrayList<>();
                for (TypeExpr e : t.elements) {
                    es.add(resolve(e, params, implicitVars));
                }
                yield new Type.Tuple(es);
            }
            case TypeExpr.Named n -> named(n, params, implicitVars);
        };
    }

    private Type named(TypeExpr.Named n, Map<String, Type> params, boolean implicitVars) {
        if (params != null && params.containsKey(n.name)) {
            if (!n.args.isEmpty()) {
                error(n, "type parameter '" + n.name + "' does not take type arguments");
            }
            return params.get(n.name);
        }
        if (n.name.equals("Success") && n.args.isEmpty()) {
            return Prelude.T_UNIT; // Result<Success, String>: the seeds' unit success
        }
        Type alias = lookupAlias(n.name);
        if (alias != null) {
            if (!n.args.isEmpty()) {
                error(n, "type alias '" + n.name + "' does not take type arguments");
            }
            return alias;
        }
        if (programAliases.containsKey(n.name)) {
            error(n, "type alias '" + n.name + "' refers to itself");
            return new Type.Var(0);
        }
        TypeInfo info = lookupType(n.name);
        if (info == null) {
            if (implicitVars && params != null && n.args.isEmpty() && looksLikeTypeVariable(n.name)) {
                Type.Var v = new Type.Var(0);
                params.put(n.name, v);
                return v;
            }
            String habit = otherLanguageType(n.name);
            error(n, "unknown type '" + n.name + "'" + (habit != null ? ": " + habit : suggestType(n.name)));
            return new Type.Var(0);
        }
        if (n.args.size() != info.params.size()) {
            if (info.params.isEmpty()) {
                error(n, "type '" + info.name + "' does not take type arguments");
            } else {
                error(n, "type '" + info.name + "' needs " + info.params.size() + " type argument"
                                + (info.params.size() == 1 ? "" : "s") + ", e.g. " + example(info));
            }
            return new Type.Con(info, Types.freshArgs(info, 0));
        }
        if (info.params.isEmpty()) {
            return new Type.Con(info, List.of());
        }
        List<Type> args = new ArrayList<>();
        for (TypeExpr a : n.args) {
            args.add(resolve(a, params, implicitVars));
        }
        if (info == Prelude.MAP && !Types.isMapKey(args.get(0))) {
            error(n.args.get(0), "map keys must be int, string or bool, not " + TypePrinter.print(args.get(0)));
            args.set(0, new Type.Var(0)); // reported once, here
        }
        return new Type.Con(info, args);
    }

    private static String example(TypeInfo info) {
        return switch (info.name) {
            case "Result" -> "Result<int, string>";
            case "List" -> "List<int>";
            case "Map" -> "Map<string, int>";
            default -> info.name + "<" + "T, U, V, W".substring(0, 3 * info.params.size() - 2) + ">";
        };
    }

    private static boolean looksLikeTypeVariable(String name) {
        return name.length() == 1 && Character.isUpperCase(name.charAt(0))
                        || (name.length() == 2 && Character.isUpperCase(name.charAt(0)) && Character.isDigit(name.charAt(1)));
    }

    /** Type names other languages have and Osprey spells otherwise: what to write instead, or null. */
    static String otherLanguageType(String name) {
        return switch (name) {
            case "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "int32", "int64",
                            "uint", "uint32", "uint64", "long", "Long", "Integer", "integer", "short", "byte" ->
                "Osprey's integer type is int";
            case "f32", "f64", "float32", "float64", "double", "Double", "decimal" -> "Osprey's floating-point type is float";
            case "number", "Number" -> "Osprey's number types are int and float";
            case "str", "char", "Char", "rune", "text" -> "Osprey's text type is string";
            case "boolean", "Boolean" -> "Osprey's boolean type is bool";
            case "void", "Void", "None", "nil", "null" -> "a function that gives no value has the type unit";
            case "Vec", "Array", "ArrayList", "list", "array", "Seq", "Sequence" -> "a list type is written List<T>, e.g. List<int>";
            case "HashMap", "dict", "Dict", "Dictionary", "map" ->
                "a map type is written Map<K, V>, e.g. Map<string, int>";
            case "Option", "Optional", "Maybe" -> "Osprey has no Option: use Result<T, E> or a union of your own";
            default -> null;
        };
    }

    private String suggestType(String name) {
        Set<String> names = new HashSet<>(env.types.keySet());
        names.addAll(programTypes.keySet());
        names.addAll(programAliases.keySet());
        names.addAll(env.aliases.keySet());
        String best = Resolver.closest(name, names, false);
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /**
     * For each type this program declares, by name, what gives the environment back what {@link #commit} is
     * about to replace: the type or alias of that name, and the constructors of its variants' names (a REPL
     * entry that faulted before its type declaration keeps nothing of it, as a let it did not reach).
     */
    public Map<String, Runnable> before() {
        Map<String, Runnable> undo = new HashMap<>();
        Set<String> names = new LinkedHashSet<>(programTypes.keySet());
        programAliases.forEach((name, t) -> {
            if (t != null) {
                names.add(name);
            }
        });
        for (String name : names) {
            TypeInfo type = env.types.get(name);
            Type alias = env.aliases.get(name);
            Map<String, List<VariantInfo>> variants = new HashMap<>();
            TypeInfo declared = programTypes.get(name);
            if (declared != null && declared.isUnion()) {
                declared.variants.forEach(v -> variants.put(v.name, env.constructors.get(v.name)));
            }
            undo.put(name, () -> {
                putOrRemove(env.types, name, type);
                putOrRemove(env.aliases, name, alias);
                variants.forEach((variant, list) -> putOrRemove(env.constructors, variant, list));
            });
        }
        return undo;
    }

    private static <V> void putOrRemove(Map<String, V> map, String name, V value) {
        if (value != null) {
            map.put(name, value);
        } else {
            map.remove(name);
        }
    }

    /** Makes this program's types visible to later evaluations in the same context. */
    public void commit() {
        for (Map.Entry<String, TypeInfo> e : programTypes.entrySet()) {
            env.types.put(e.getKey(), e.getValue());
            env.aliases.remove(e.getKey());
            if (e.getValue().isUnion()) {
                env.addConstructors(e.getValue());
            }
        }
        for (Map.Entry<String, Type> e : programAliases.entrySet()) {
            if (e.getValue() != null) {
                env.aliases.put(e.getKey(), e.getValue());
                env.types.remove(e.getKey());
            }
        }
    }
}
