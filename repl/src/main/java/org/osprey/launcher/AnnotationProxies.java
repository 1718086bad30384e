package org.osprey.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Makes, on a thread of its own, the proxy classes that Java's reflection will need for the annotations
 * Truffle reads while the engine starts, so that the program's thread finds them made.
 *
 * <p>Truffle and the Graal runtime read annotations through reflection while an engine starts (libraries,
 * node classes, the language and instrument caches, the runtime's call boundary), and the first read of
 * each annotation type has the JDK generate a dynamic proxy class for it: 17 types in a one-line program,
 * about 30 ms of the program thread's 0.1 s in cold JDK code (async-profiler), and JDK 25's AOT cache does
 * not keep such classes. The JDK caches a proxy class per class loader and interface, so one made here is
 * the one the annotation parser uses later. Made on the second core while the main thread starts the engine:
 * a one-line program 0.90x the time, short programs 0.95-0.98x (docs/performance.md, "Start-up").
 *
 * <p>The list is what {@code -Djdk.proxy.debug=debug} printed for a one-line program with the pinned GraalVM
 * version; a name that is no longer there is skipped (AnnotationProxiesTest checks them).
 */
final class AnnotationProxies {
    /** In the order a run first needs them. */
    static final String[] TYPES = {
        "java.lang.annotation.Retention",
        "com.oracle.truffle.api.library.GenerateLibrary",
        "com.oracle.truffle.api.InternalResource$Id",
        "com.oracle.truffle.api.nodes.ExplodeLoop",
        "com.oracle.truffle.api.CompilerDirectives$TruffleBoundary",
        "com.oracle.truffle.runtime.TruffleCallBoundary",
        "java.lang.annotation.Target",
        "java.lang.annotation.Repeatable",
        "jdk.internal.ValueBased",
        "com.oracle.truffle.api.library.ExportLibrary",
        "com.oracle.truffle.api.dsl.GeneratedBy",
        "com.oracle.truffle.api.TruffleLanguage$Registration",
        "com.oracle.truffle.api.instrumentation.ProvidedTags",
        "com.oracle.truffle.api.instrumentation.TruffleInstrument$Registration",
        "com.oracle.truffle.api.CompilerDirectives$CompilationFinal",
        "com.oracle.truffle.api.nodes.Node$Children",
        "com.oracle.truffle.api.nodes.Node$Child",
    };

    private AnnotationProxies() {
    }

    /** Starts the daemon thread that makes them. */
    static void startMaking() {
        Thread t = new Thread(AnnotationProxies::make, "osprey-annotation-proxies");
        t.setDaemon(true);
        t.start();
    }

    private static void make() {
        InvocationHandler none = (proxy, method, args) -> null;
        for (String name : TYPES) {
            try {
                Class<?> type = Class.forName(name, false, AnnotationProxies.class.getClassLoader());
                Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, none);
                type.getAnnotations(); // its own meta-annotations (Retention, Target, ...), parsed and cached
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // not in this version: the annotation parser makes what it needs itself
            }
        }
    }
}
