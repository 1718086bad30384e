package org.osprey;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.oracle.truffle.api.ThreadLocalAction;
import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.TruffleLogger;
import com.oracle.truffle.api.TruffleRuntime;

/**
 * Makes a program's thread wait, once, for a compilation that has been pending too long
 * ({@code --osprey.FirstCompilationWait}, which {@code osprey run} sets).
 *
 * <p>At the start of a run the Graal compiler is cold: it is Java code that HotSpot still interprets and C1
 * is still compiling, so the first Truffle compilation of a program takes 0.3-0.8 s where a later one of the
 * same size takes tens of milliseconds. On a machine with two cores the program's thread, C1 and the Truffle
 * compiler thread then share two cores, and a program that runs for a second or more spends most of its run
 * in Truffle's interpreter waiting for that first compilation. Waiting for it instead, with the program's
 * thread off the processor, brings it about twice as soon. Waiting at once would make short programs wait
 * for a compilation they do not need (Truffle's {@code --engine.BackgroundCompilation=false}: the suite's
 * short cases 2-3x slower); so the thread waits only once a compilation has been pending for the given
 * time, as a ski-rental rule: a program that ends sooner loses nothing, a longer one at most that time.
 * docs/performance.md has the measurements.
 *
 * <p>Truffle has no public API for its compile queue, so this reaches Truffle's optimizing runtime
 * reflectively, which needs the package exported to this module; scripts/osprey adds
 * {@code --add-exports=org.graalvm.truffle.runtime/com.oracle.truffle.runtime=org.osprey.interpreter}.
 * Without it, or without the optimizing runtime, nothing waits and the run is as before.
 */
final class CompilationWait {
    static final TruffleLogger LOG = TruffleLogger.getLogger(OspreyLanguage.ID, "compilation");
    /** How often the watcher looks at the compile queue. */
    private static final long POLL_MILLIS = 10;
    /** After this much of a run, the first compilations are over or the program is waiting elsewhere. */
    private static final long WATCH_NANOS = 5_000_000_000L;
    /** The longest a program's thread waits for one compilation. */
    private static final long MAX_WAIT_MILLIS = 3_000;

    /** Truffle's optimizing runtime, seen through reflection. */
    private record Compiler(TruffleRuntime runtime, Object queue, Method allTargets, Class<?> targetType, Method submitted, Method waitFor) {
        static Compiler find() throws ReflectiveOperationException {
            TruffleRuntime runtime = Truffle.getRuntime();
            Class<?> runtimeType = Class.forName("com.oracle.truffle.runtime.OptimizedTruffleRuntime");
            if (!runtimeType.isInstance(runtime)) {
                throw new ClassNotFoundException("not the optimizing runtime: " + runtime.getName());
            }
            Class<?> targetType = Class.forName("com.oracle.truffle.runtime.OptimizedCallTarget");
            Object queue = runtimeType.getMethod("getCompileQueue").invoke(runtime);
            Class<?> engineType = Class.forName("com.oracle.truffle.runtime.EngineData");
            Method allTargets = queue.getClass().getMethod("getAllTargets", engineType);
            return new Compiler(runtime, queue, allTargets, targetType, targetType.getMethod("isSubmittedForCompilation"),
                            runtimeType.getMethod("waitForCompilation", targetType, long.class));
        }

        /** The call targets queued or being compiled, for every engine. */
        Collection<?> pending() throws ReflectiveOperationException {
            return (Collection<?>) allTargets.invoke(queue, (Object) null);
        }

        /** A compilation of a call target, not the compiler's own initialisation (queued as a task too). */
        boolean isCompilation(Object target) throws ReflectiveOperationException {
            return targetType.isInstance(target) && (Boolean) submitted.invoke(target);
        }

        void await(Object target) throws ReflectiveOperationException {
            waitFor.invoke(runtime, target, MAX_WAIT_MILLIS);
        }
    }

    private CompilationWait() {
    }

    /**
     * Watches the compile queue from a daemon thread while {@code running} holds (at most the first 5 s):
     * the first time a compilation has been pending {@code afterMillis}, {@code program} waits for it at its
     * next safepoint. Once a compilation ends without a wait, the compiler is warm and the watch ends.
     * Called on the program's thread.
     */
    static void watch(TruffleLanguage.Env env, Thread program, int afterMillis, BooleanSupplier running) {
        Compiler compiler;
        try {
            compiler = Compiler.find();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.fine(() -> "no waiting for compilations: " + e);
            return;
        }
        Thread watcher = new Thread(() -> watch(env, compiler, program, afterMillis * 1_000_000L, running), "osprey-compilation-wait");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void watch(TruffleLanguage.Env env, Compiler compiler, Thread program, long afterNanos, BooleanSupplier running) {
        long start = System.nanoTime();
        Map<Object, Long> seen = new IdentityHashMap<>();
        try {
            while (running.getAsBoolean() && System.nanoTime() - start < WATCH_NANOS) {
                Thread.sleep(POLL_MILLIS);
                Collection<?> pending = compiler.pending();
                long now = System.nanoTime();
                Map<Object, Long> still = new IdentityHashMap<>();
                Object oldest = null;
                long oldestSince = now;
                for (Object target : pending) {
                    if (!compiler.isCompilation(target)) {
                        continue;
                    }
                    Long since = seen.get(target);
                    if (since == null) {
                        since = now;
                    }
                    still.put(target, since);
                    if (since < oldestSince) {
                        oldestSince = since;
                        oldest = target;
                    }
                }
                if (!still.keySet().containsAll(seen.keySet())) {
                    return; // a compilation ended without a wait: the compiler is warm
                }
                seen = still;
                if (oldest != null && now - oldestSince >= afterNanos && program.getState() == Thread.State.RUNNABLE) {
                    waitOnce(env, compiler, program, oldest, (now - oldestSince) / 1_000_000L, running);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the process is ending
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Truffle's runtime is not what this class expects: the program goes on as without it
        }
    }

    private static void waitOnce(TruffleLanguage.Env env, Compiler compiler, Thread program, Object target, long pendingMillis, BooleanSupplier running) {
        env.submitThreadLocal(new Thread[]{program}, new ThreadLocalAction(false, false) {
            @Override
            protected void perform(Access access) {
                if (!running.getAsBoolean()) {
                    return;
                }
                long start = System.nanoTime();
                try {
                    compiler.await(target);
                } catch (InvocationTargetException e) {
                    // the compilation failed or took too long; the program goes on in the interpreter
                } catch (ReflectiveOperationException e) {
                    return;
                }
                long waited = (System.nanoTime() - start) / 1_000_000L;
                LOG.fine(() -> "waited " + waited + " ms for the compilation of " + target + ", pending for " + pendingMillis + " ms");
            }
        });
    }
}
