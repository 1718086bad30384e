package org.osprey.builtins;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.osprey.ast.Program;
import org.osprey.ast.Stmt;
import org.osprey.parser.Diagnostic;
import org.osprey.parser.ParseResult;
import org.osprey.parser.Parser;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.RuntimeTypes;
import org.osprey.spi.BuiltinFunction;
import org.osprey.spi.BuiltinProvider;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.types.Environment;
import org.osprey.types.FunctionSignature;
import org.osprey.types.Type;
import org.osprey.types.TypeInfo;
import org.osprey.types.TypeResolver;
import org.osprey.types.Types;

/**
 * Installs the core builtins and every {@link BuiltinProvider} on the module or class path into a context's
 * environment. Types declared by providers come first, so signatures can use them. Two functions with the
 * same name and the same first-parameter type are a configuration error reported at start-up.
 */
public final class BuiltinLoader {
    private BuiltinLoader() {
    }

    private record Entry(String signature, String category, String doc, BuiltinFunction implementation, String provider) {
    }

    /** Collects what providers declare; resolution happens after all types are known. */
    static final class Collector implements BuiltinRegistry {
        final List<String> typeSources = new ArrayList<>();
        /** Which provider declared each of typeSources. */
        final List<String> typeProviders = new ArrayList<>();
        final List<Entry> functions = new ArrayList<>();
        /** Declared settings: module, then setting name, then its check. */
        final Map<String, Map<String, Function<String, String>>> settings = new TreeMap<>();
        String provider = "core";
        /** The providers that tell the context while their handlers can be called (BuiltinRegistry.countsCallbacks). */
        final Set<String> counting = new java.util.HashSet<>();

        @Override
        public void declareTypes(String ospreySource) {
            typeSources.add(ospreySource);
            typeProviders.add(provider);
        }

        @Override
        public void function(String signature, String category, BuiltinFunction implementation) {
            functions.add(new Entry(signature, category, null, implementation, provider));
        }

        @Override
        public void function(String signature, String category, String doc, BuiltinFunction implementation) {
            functions.add(new Entry(signature, category, doc, implementation, provider));
        }

        @Override
        public void countsCallbacks() {
            counting.add(provider);
        }

        @Override
        public void setting(String module, String name, Function<String, String> check) {
            settings.computeIfAbsent(module, m -> new TreeMap<>()).put(name, check);
        }
    }

    /**
     * Installs the builtins and checks the modules' settings ({@code osprey.Plugin.<module>.<name>}, given here
     * as {@code <module>.<name>} to value): returns null if every setting is declared and its value taken, else
     * the first one's error.
     */
    public static String install(Environment env, Set<String> disabledCategories, Map<String, String> settings) {
        return install(env, disabledCategories, settings, ServiceLoader.load(BuiltinProvider.class, BuiltinLoader.class.getClassLoader()).iterator());
    }

    /**
     * {@link #install(Environment, Set, Map)} with these modules (what the service lookup finds). A module that
     * cannot be loaded or declares something wrong is an {@link OspreyError} naming it: the context is not made.
     */
    static String install(Environment env, Set<String> disabledCategories, Map<String, String> settings, java.util.Iterator<BuiltinProvider> providers) {
        Collector c = new Collector();
        CoreBuiltins.register(c);
        MathBuiltins.register(c);
        StringBuiltins.register(c);
        IterationBuiltins.register(c);
        CollectionBuiltins.register(c);
        FileBuiltins.register(c);
        ProcessBuiltins.register(c);
        FiberBuiltins.register(c);
        JsonBuiltins.register(c);
        while (true) {
            BuiltinProvider p;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                p = providers.next();
            } catch (java.util.ServiceConfigurationError e) {
                // A services entry naming a class that is missing, not a provider, or cannot be made.
                throw new OspreyError("a builtins module could not be loaded: " + e.getMessage(), null);
            }
            c.provider = p.getClass().getName();
            try {
                p.register(c);
            } catch (RuntimeException | LinkageError e) {
                throw new OspreyError(module(c.provider) + " failed while declaring its functions: " + e, null);
            }
        }
        for (int i = 0; i < c.typeSources.size(); i++) {
            declareTypes(env, c.typeSources.get(i), c.typeProviders.get(i));
        }
        Map<String, String> seen = new HashMap<>();
        for (Entry e : c.functions) {
            FunctionSignature sig = resolve(env, e, c.counting.contains(e.provider));
            TypeInfo subject = sig.subjectInfo();
            String key = sig.name + "/" + (subject == null ? "_" : subject.name);
            String previous = seen.put(key, e.provider);
            if (previous != null) {
                throw new OspreyError("builtin '" + sig.name + "' is defined twice: by " + module(previous) + " and by " + module(e.provider), null);
            }
            env.addBuiltin(sig, disabledCategories);
        }
        return checkSettings(c.settings, settings);
    }

    /** How messages name the module a provider class makes. */
    private static String module(String provider) {
        return provider.equals("core") ? "the core builtins" : "the builtins module " + provider;
    }

    /**
     * A module's implementation that fails with a Java exception (a bug of the module's: a
     * NullPointerException, a cast of an argument to the wrong class) stops the program with a message
     * naming the builtin and the module, at the call, instead of a bare Java exception. Exceptions Truffle
     * and the interpreter use to unwind (interrupts, cancels, errors at a node) pass through. A function value
     * given to a module that does not count its callbacks ({@code counts} false) may be called back at any time
     * from then on (OspreyContext.noteCallbacks).
     */
    private static BuiltinFunction guarded(String name, String provider, Type result, boolean counts, BuiltinFunction implementation) {
        boolean ground = Types.isGround(result);
        return (context, args) -> {
            for (Object a : args) {
                if (!counts && a instanceof org.osprey.runtime.FunctionValue) {
                    ((org.osprey.OspreyContext) context).noteCallbacks(); // a handler may wake a fiber (Fibers)
                }
            }
            Object value;
            try {
                value = implementation.call(context, args);
            } catch (com.oracle.truffle.api.exception.AbstractTruffleException | com.oracle.truffle.api.nodes.ControlFlowException
                            | org.osprey.spi.BuiltinException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new org.osprey.spi.BuiltinException(name + ": " + module(provider) + " failed: " + e);
            }
            // A value of another type than the signature's would fail later, far from here, as a Java
            // ClassCastException. Every element is read, except of a list or map the module was given.
            if (!RuntimeTypes.fitsResult(value, ground ? result : RuntimeTypes.fresh(new Type[] {result})[0], args)) {
                throw new org.osprey.spi.BuiltinException(name + ": " + module(provider) + " returned " + returned(value)
                                + ", where its signature says " + org.osprey.types.TypePrinter.print(result));
            }
            return value;
        };
    }

    /** A value a module's function returned that did not fit its signature, for the message. */
    private static String returned(Object value) {
        if (value == null) {
            return "Java's null";
        }
        return org.osprey.runtime.HostValues.isOspreyValue(value) ? org.osprey.runtime.HostValues.describe(value)
                        : "a Java " + value.getClass().getName() + " (Values makes Osprey values)";
    }

    private static String checkSettings(Map<String, Map<String, Function<String, String>>> declared, Map<String, String> given) {
        for (Map.Entry<String, String> g : new TreeMap<>(given).entrySet()) {
            String key = g.getKey();
            String option = "osprey.Plugin." + key;
            int dot = key.indexOf('.');
            Map<String, Function<String, String>> module = dot < 0 ? null : declared.get(key.substring(0, dot));
            if (module == null) {
                return "unknown setting " + option + ": " + switch (declared.size()) {
                    case 0 -> "no builtins module has settings";
                    case 1 -> "the only module with settings is " + declared.keySet().iterator().next() + " (osprey.Plugin.<module>.<setting>)";
                    default -> "the modules with settings are " + String.join(", ", declared.keySet()) + " (osprey.Plugin.<module>.<setting>)";
                };
            }
            String name = key.substring(dot + 1);
            Function<String, String> check = module.get(name);
            if (check == null) {
                String close = org.osprey.types.Resolver.closest(name, module.keySet(), true);
                return "unknown setting " + option + (close != null ? " (did you mean " + close + "?)" : "") + "; the "
                                + key.substring(0, dot) + " module's settings are " + String.join(", ", module.keySet());
            }
            String wanted = check.apply(g.getValue());
            if (wanted != null) {
                return "invalid setting " + option + "=" + g.getValue() + ": it takes " + wanted;
            }
        }
        return null;
    }


    private static void declareTypes(Environment env, String src, String provider) {
        ParseResult pr = Parser.parse(src);
        List<Diagnostic> diags = new ArrayList<>(pr.diagnostics());
        List<Stmt.TypeDecl> decls = new ArrayList<>();
        Program prog = pr.program();
        for (Stmt s : prog.statements) {
            if (s instanceof Stmt.TypeDecl td) {
                decls.add(td);
            } else {
                diags.add(new Diagnostic(s.start, s.end, "only type declarations are allowed here"));
            }
        }
        TypeResolver tr = new TypeResolver(env, diags);
        tr.declare(decls);
        if (!diags.isEmpty()) {
            throw new OspreyError(module(provider) + " declares types that are not valid: " + diags.get(0).message() + "\n" + src, null);
        }
        for (var t : tr.programTypes.values()) {
            t.declOffset = -1; // built-in: never shadowed away by user types of the same variant names
        }
        tr.commit();
        tr.programTypes.values().forEach(env::addModuleType);
    }

    /** {@code counts}: the provider tells the context while its handlers can be called (BuiltinRegistry.countsCallbacks). */
    private static FunctionSignature resolve(Environment env, Entry e, boolean counts) {
        Parser.Signature s;
        try {
            s = Parser.parseSignature(e.signature());
        } catch (IllegalArgumentException malformed) {
            throw new OspreyError(module(e.provider()) + ": " + malformed.getMessage(), null);
        }
        List<Diagnostic> diags = new ArrayList<>();
        TypeResolver tr = new TypeResolver(env, diags);
        Map<String, Type> vars = new java.util.LinkedHashMap<>();
        List<Type> params = new ArrayList<>();
        for (var te : s.paramTypes()) {
            params.add(tr.resolve(te, vars, true));
        }
        Type result = tr.resolve(s.result(), vars, true);
        if (!diags.isEmpty()) {
            throw new OspreyError(module(e.provider()) + " declares '" + e.signature() + "': " + diags.get(0).message(), null);
        }
        List<Type.Var> tvs = new ArrayList<>();
        for (Type t : vars.values()) {
            tvs.add((Type.Var) t);
        }
        BuiltinFunction implementation = e.provider().equals("core") ? e.implementation() : guarded(s.name(), e.provider(), result, counts, e.implementation());
        FunctionSignature sig = new FunctionSignature(s.name(), s.paramNames(), params, result, tvs, e.category(), implementation);
        sig.doc = e.doc();
        if (s.name().equals("toString")) {
            sig.noUnwrap = true; // spec 0004: toString shows the Result itself
        }
        return sig;
    }
}
