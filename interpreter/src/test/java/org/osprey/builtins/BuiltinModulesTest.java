package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osprey.runtime.OspreyError;
import org.osprey.spi.BuiltinException;
import org.osprey.spi.BuiltinFunction;
import org.osprey.spi.BuiltinProvider;
import org.osprey.types.Environment;

/**
 * A builtins module with a mistake in it is named in a plain message, for its author: before, the launcher
 * printed the Java exception's class (java.lang.IllegalStateException: builtin signature ...), a services
 * entry naming a missing class was a ServiceConfigurationError, and a NullPointerException inside a
 * module's function reached the program's user as java.lang.NullPointerException.
 */
class BuiltinModulesTest {
    /** A module of this test's, declaring what {@code declare} says, named after the test's class below. */
    static final class Module implements BuiltinProvider {
        private final java.util.function.Consumer<org.osprey.spi.BuiltinRegistry> declare;

        Module(java.util.function.Consumer<org.osprey.spi.BuiltinRegistry> declare) {
            this.declare = declare;
        }

        @Override
        public void register(org.osprey.spi.BuiltinRegistry registry) {
            declare.accept(registry);
        }
    }

    private static final String NAME = Module.class.getName();

    private static String install(BuiltinProvider... modules) {
        return BuiltinLoader.install(new Environment(), Set.of(), Map.of(), List.of(modules).iterator());
    }

    private static String failure(BuiltinProvider... modules) {
        return assertThrows(OspreyError.class, () -> install(modules)).getMessage();
    }

    @Test
    void aModuleThatDeclaresWellIsInstalled() {
        Environment env = new Environment();
        assertNull(BuiltinLoader.install(env, Set.of(), Map.of(),
                        List.<BuiltinProvider>of(new Module(r -> r.function("twice(n: int) -> int", "test", (c, a) -> 2 * (Long) a[0]))).iterator()));
        assertEquals("twice", env.builtins.get("twice").get(0).name);
    }

    @Test
    void aSignatureWithAnUnknownTypeNamesTheModule() {
        assertEquals("the builtins module " + NAME + " declares 'oops(x: Strin) -> int': unknown type 'Strin' (did you mean 'string'?)",
                        failure(new Module(r -> r.function("oops(x: Strin) -> int", "test", (c, a) -> 1L))));
    }

    @Test
    void aMalformedSignatureNamesTheModule() {
        assertEquals("the builtins module " + NAME + ": malformed builtin signature 'oops(x: int': expected ',' or ')' in the parameter list, found end of input",
                        failure(new Module(r -> r.function("oops(x: int", "test", (c, a) -> 1L))));
    }

    @Test
    void aFunctionDefinedTwiceNamesBothModules() {
        assertEquals("builtin 'length' is defined twice: by the core builtins and by the builtins module " + NAME,
                        failure(new Module(r -> r.function("length(s: string) -> int", "test", (c, a) -> 1L))));
    }

    @Test
    void invalidTypeDeclarationsNameTheModule() {
        assertEquals("the builtins module " + NAME + " declares types that are not valid: expected a type name after 'type', found '='\ntype = 3",
                        failure(new Module(r -> r.declareTypes("type = 3"))));
    }

    @Test
    void aModuleFailingWhileItDeclaresIsNamed() {
        assertEquals("the builtins module " + NAME + " failed while declaring its functions: java.lang.IllegalArgumentException: no configuration",
                        failure(new Module(r -> {
                            throw new IllegalArgumentException("no configuration");
                        })));
    }

    @Test
    void aModuleThatCannotBeLoadedIsSaidSo() {
        Iterator<BuiltinProvider> broken = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public BuiltinProvider next() {
                throw new ServiceConfigurationError("org.osprey.spi.BuiltinProvider: Provider org.example.Gone not found");
            }
        };
        OspreyError e = assertThrows(OspreyError.class, () -> BuiltinLoader.install(new Environment(), Set.of(), Map.of(), broken));
        assertEquals("a builtins module could not be loaded: org.osprey.spi.BuiltinProvider: Provider org.example.Gone not found", e.getMessage());
    }

    @Test
    void aModuleFunctionFailingWithAJavaExceptionIsAnErrorNamingIt() {
        Environment env = new Environment();
        BuiltinLoader.install(env, Set.of(), Map.of(), List.<BuiltinProvider>of(new Module(r -> {
            r.function("crash(s: string) -> int", "test", (c, a) -> {
                throw new NullPointerException("the cache was null");
            });
            r.function("refuse(s: string) -> int", "test", (c, a) -> {
                throw new BuiltinException("refuse: not today");
            });
        })).iterator());
        BuiltinFunction crash = (BuiltinFunction) env.builtins.get("crash").get(0).implementation;
        assertEquals("crash: the builtins module " + NAME + " failed: java.lang.NullPointerException: the cache was null",
                        assertThrows(BuiltinException.class, () -> crash.call(null, new Object[] {"x"})).getMessage());
        BuiltinFunction refuse = (BuiltinFunction) env.builtins.get("refuse").get(0).implementation;
        assertEquals("refuse: not today", assertThrows(BuiltinException.class, () -> refuse.call(null, new Object[] {"x"})).getMessage());
    }

    /**
     * A module's function returning a value of another type than its signature says: the call fails there,
     * naming the function, the module and both types. The value went into the program and failed later, at
     * the first use, as java.lang.ClassCastException: class java.lang.String cannot be cast to class java.lang.Long.
     * Every element of a list is checked: one whose first element fits and a later one does not failed so too.
     */
    @Test
    void aModuleFunctionReturningTheWrongTypeIsNamedAtTheCall() {
        Environment env = new Environment();
        BuiltinLoader.install(env, Set.of(), Map.of(), List.<BuiltinProvider>of(new Module(r -> {
            r.function("seven() -> int", "test", (c, a) -> "seven");
            r.function("labels() -> List<string>", "test", (c, a) -> org.osprey.spi.Values.list(List.of(7L)));
            r.function("nothing() -> Result<string, string>", "test", (c, a) -> null);
            r.function("later() -> List<string>", "test", (c, a) -> org.osprey.spi.Values.list(List.of(org.osprey.spi.Values.string("a"), 7L)));
            r.function("same(xs: List<string>) -> List<string>", "test", (c, a) -> a[0]);
            r.function("first(xs: List<T>) -> T", "test", (c, a) -> org.osprey.spi.Values.elements(a[0]).get(0));
            r.function("fine() -> Result<List<int>, string>", "test", (c, a) -> org.osprey.spi.Values.success(org.osprey.spi.Values.list(List.of(1L, 2L))));
        })).iterator());
        java.util.function.Function<String, BuiltinFunction> f = name -> (BuiltinFunction) env.builtins.get(name).get(0).implementation;
        assertEquals("seven: the builtins module " + NAME + " returned a Java java.lang.String (Values makes Osprey values), where its signature says int",
                        assertThrows(BuiltinException.class, () -> f.apply("seven").call(null, new Object[0])).getMessage());
        assertEquals("labels: the builtins module " + NAME + " returned a value of type List ([7]), where its signature says List<string>",
                        assertThrows(BuiltinException.class, () -> f.apply("labels").call(null, new Object[0])).getMessage());
        assertEquals("nothing: the builtins module " + NAME + " returned Java's null, where its signature says Result<string, string>",
                        assertThrows(BuiltinException.class, () -> f.apply("nothing").call(null, new Object[0])).getMessage());
        assertEquals("later: the builtins module " + NAME + " returned a value of type List ([\"a\", 7]), where its signature says List<string>",
                        assertThrows(BuiltinException.class, () -> f.apply("later").call(null, new Object[0])).getMessage());
        Object mixed = org.osprey.spi.Values.list(List.of(org.osprey.spi.Values.string("a"), 7L));
        assertEquals("[\"a\", 7]", org.osprey.runtime.Display.repr(f.apply("same").call(null, new Object[] {mixed})),
                        "a list the module was given is the program's own: only its first element is read");
        Object list = org.osprey.spi.Values.list(List.of(org.osprey.spi.Values.string("a")));
        assertEquals("a", org.osprey.spi.Values.javaString(f.apply("first").call(null, new Object[] {list})));
        assertEquals("Success([1, 2])", org.osprey.runtime.Display.repr(f.apply("fine").call(null, new Object[0])));
    }
}
