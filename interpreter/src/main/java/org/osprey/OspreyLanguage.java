package org.osprey;

import java.util.HashSet;
import java.util.Set;

import org.graalvm.options.OptionCategory;
import org.graalvm.options.OptionDescriptors;
import org.graalvm.options.OptionKey;
import org.graalvm.options.OptionMap;
import org.graalvm.options.OptionStability;
import org.graalvm.options.OptionType;
import org.graalvm.polyglot.SandboxPolicy;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.Option;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.instrumentation.ProvidedTags;
import com.oracle.truffle.api.instrumentation.StandardTags;

import org.osprey.builtins.BuiltinLoader;
import org.osprey.nodes.call.ForeignCallRootNode;
import org.osprey.runtime.LanguageView;
import org.osprey.runtime.TopScope;
import org.osprey.types.Environment;

/**
 * The Osprey language for Truffle. Parsing checks the whole program (syntax, names, types, exhaustiveness)
 * and builds its node tree; nothing runs if anything is wrong.
 */
@TruffleLanguage.Registration(id = OspreyLanguage.ID, name = "Osprey", version = OspreyLanguage.VERSION,
                defaultMimeType = OspreyLanguage.MIME_TYPE, characterMimeTypes = {OspreyLanguage.MIME_TYPE, OspreyLanguage.RUN_MIME_TYPE, OspreyLanguage.QUERY_MIME_TYPE},
                contextPolicy = TruffleLanguage.ContextPolicy.EXCLUSIVE, fileTypeDetectors = OspreyFileDetector.class, sandbox = SandboxPolicy.CONSTRAINED,
                website = "https://github.com/osprey-lang")
@ProvidedTags({StandardTags.CallTag.class, StandardTags.StatementTag.class, StandardTags.RootTag.class,
                StandardTags.RootBodyTag.class, StandardTags.ExpressionTag.class})
public final class OspreyLanguage extends TruffleLanguage<OspreyContext> {
    public static final String ID = "osprey";
    public static final String VERSION = "0.1.0";
    public static final String MIME_TYPE = "application/x-osprey";
    /**
     * Questions about the session from tools (the REPL): see ProgramLoader.query; nothing runs. Three requests
     * act: {@code interrupt}, which asks the running entry to stop (OspreyContext.interruptRun) and answers
     * with its run number, 0 if none runs; {@code interrupt entry}, which does the same for the entry a tool is
     * evaluating even before its run has begun (OspreyContext.interruptEntry: -1 then); and {@code interrupt
     * forget}, which takes back such a stop once that entry is over. Tools send them from a thread of their own.
     */
    public static final String QUERY_MIME_TYPE = "application/x-osprey-query";
    /**
     * A program run as a process (the launcher's {@code osprey run}): its evaluation yields the exit status,
     * an int (main's int result, else 0), instead of the program's value. A primitive result spares the host
     * the polyglot wrapper for an Osprey value, which costs a sixth of a short program's start.
     */
    public static final String RUN_MIME_TYPE = "application/x-osprey-run";

    @Option(name = "Sandbox", help = "Disable every risky builtin: files, processes, WebSockets, HTTP (spec 0016).", category = OptionCategory.USER, stability = OptionStability.STABLE, sandbox = SandboxPolicy.CONSTRAINED) //
    static final OptionKey<Boolean> SANDBOX = new OptionKey<>(false, onOff("osprey.Sandbox"));

    @Option(name = "NoFs", help = "Disable the file system and process builtins.", category = OptionCategory.USER, stability = OptionStability.STABLE, sandbox = SandboxPolicy.CONSTRAINED) //
    static final OptionKey<Boolean> NO_FS = new OptionKey<>(false, onOff("osprey.NoFs"));

    @Option(name = "NoWebSocket", help = "Disable the WebSocket builtins.", category = OptionCategory.USER, stability = OptionStability.STABLE, sandbox = SandboxPolicy.CONSTRAINED) //
    static final OptionKey<Boolean> NO_WEBSOCKET = new OptionKey<>(false, onOff("osprey.NoWebSocket"));

    @Option(name = "NoHttp", help = "Disable the HTTP builtins.", category = OptionCategory.USER, stability = OptionStability.STABLE, sandbox = SandboxPolicy.CONSTRAINED) //
    static final OptionKey<Boolean> NO_HTTP = new OptionKey<>(false, onOff("osprey.NoHttp"));

    @Option(name = "NoFfi", help = "Disable extern functions, Osprey's calls of C functions (spec 0016's --no-ffi).", category = OptionCategory.USER, stability = OptionStability.STABLE, sandbox = SandboxPolicy.CONSTRAINED) //
    static final OptionKey<Boolean> NO_FFI = new OptionKey<>(false, onOff("osprey.NoFfi"));

    @Option(name = "Libraries", help = "Shared libraries in which extern functions are looked up before the C library, separated by the path separator (':').", category = OptionCategory.USER, stability = OptionStability.STABLE, sandbox = SandboxPolicy.TRUSTED) //
    static final OptionKey<String> LIBRARIES = new OptionKey<>("");

    @Option(name = "LineBuffered", help = "Flush standard output after every print (the launcher sets it for terminals).", category = OptionCategory.INTERNAL, stability = OptionStability.STABLE, sandbox = SandboxPolicy.CONSTRAINED) //
    static final OptionKey<Boolean> LINE_BUFFERED = new OptionKey<>(false, onOff("osprey.LineBuffered"));

    @Option(name = "Interactive", help = "The context is a REPL session: Ctrl-C interrupts the running entry through the host, not as a signal to the program.", category = OptionCategory.INTERNAL, stability = OptionStability.STABLE) //
    static final OptionKey<Boolean> INTERACTIVE = new OptionKey<>(false, onOff("osprey.Interactive"));

    @Option(name = "Signals", help = "The program may take the process's SIGINT and SIGTERM: websocketKeepAlive() and httpKeepAlive() wait for them (the launcher sets it; in an application that embeds Osprey the JVM's signals stay the application's).", category = OptionCategory.INTERNAL, stability = OptionStability.STABLE) //
    static final OptionKey<Boolean> SIGNALS = new OptionKey<>(false, onOff("osprey.Signals"));

    /**
     * The most that MaxCallDepth takes: the depth at which the thread's stack (1 GB in osprey run) still
     * outlasts the count for ordinary functions. Where the stack runs out first, the JVM's StackOverflowError
     * unwinds through every call and Truffle records a frame for each: with the limit at 5,000,000 or more a
     * runaway recursion grew the process past 8 GB in a minute instead of stopping with "stack overflow"
     * (a function of four parameters and three lets already at 5,000,000; at 1,000,000 it stops).
     */
    static final int MAX_CALL_DEPTH_LIMIT = 1_000_000;

    @Option(name = "MaxCallDepth", help = "How deep calls may nest before the program stops with 'stack overflow'.", category = OptionCategory.USER, stability = OptionStability.STABLE, sandbox = SandboxPolicy.CONSTRAINED) //
    static final OptionKey<Integer> MAX_CALL_DEPTH = new OptionKey<>(100_000, wholeNumber("osprey.MaxCallDepth", 1, MAX_CALL_DEPTH_LIMIT));

    @Option(name = "FiberPlatformThreads", help = "How many fibers alive at once run on platform threads of their own (256 MB of stack each); more run on the JVM's virtual threads, which are cheaper to make and keep, with a stack of the JVM's thread stack size (-Xss). Default: all of them; osprey run, which starts the JVM with -Xss256m, uses 64.", category = OptionCategory.EXPERT, stability = OptionStability.STABLE) //
    static final OptionKey<Integer> FIBER_PLATFORM_THREADS = new OptionKey<>(Integer.MAX_VALUE, wholeNumber("osprey.FiberPlatformThreads", 0, Integer.MAX_VALUE));

    @Option(name = "InlineSmallFunctions", help = "Build calls of small functions without effects into their callers, which is faster; a CPU sampler then counts their time in the caller (osprey run --cpusampler turns this off). Small functions calling each other in tail position are built in place either way, so they run in constant stack.", category = OptionCategory.USER, stability = OptionStability.STABLE, sandbox = SandboxPolicy.CONSTRAINED) //
    static final OptionKey<Boolean> INLINE_SMALL_FUNCTIONS = new OptionKey<>(true, onOff("osprey.InlineSmallFunctions"));

    @Option(name = "FirstCompilationWait", help = "Once a compilation has been pending this many milliseconds in a program's run, the program waits for it, once, so the cold compiler gets the processor (0: never; osprey run uses 300). Needs Truffle's runtime package exported to this module, as scripts/osprey does.", category = OptionCategory.EXPERT, stability = OptionStability.EXPERIMENTAL) //
    static final OptionKey<Integer> FIRST_COMPILATION_WAIT = new OptionKey<>(0, wholeNumber("osprey.FirstCompilationWait", 0, Integer.MAX_VALUE));

    @Option(name = "Plugin", help = "Settings of builtin modules, e.g. osprey.Plugin.websocket.MaxMessageSize=65536.", category = OptionCategory.USER, stability = OptionStability.STABLE, sandbox = SandboxPolicy.CONSTRAINED) //
    static final OptionKey<OptionMap<String>> PLUGIN_OPTIONS = OptionKey.mapOf(String.class);

    /**
     * An int option's values from {@code min} to {@code max}: a value that is not such a number is refused with a message
     * naming the option (the polyglot layer's own for an int says only "For input string").
     */
    private static OptionType<Integer> wholeNumber(String option, int min, int max) {
        return new OptionType<>("integer", text -> {
            String wanted = "--" + option + " takes a whole number from " + min + " to " + max + ", not '" + text + "'";
            int value;
            try {
                value = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(wanted);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(wanted);
            }
            return value;
        });
    }

    /**
     * A switch's values, true and false, as the polyglot layer's own type takes them; any other value is refused with
     * a message naming the option, where the polyglot layer's ("Invalid boolean option value 'yes'") names none, which
     * left an embedder or a user who gave several to find which.
     */
    private static OptionType<Boolean> onOff(String option) {
        return new OptionType<>("Boolean", text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + option + " takes true or false, not '" + text + "'");
        });
    }

    @Override
    protected OptionDescriptors getOptionDescriptors() {
        return new OspreyLanguageOptionDescriptors();
    }

    private static final LanguageReference<OspreyLanguage> LANGUAGE = LanguageReference.create(OspreyLanguage.class);

    /** The language instance of the code {@code node} belongs to. */
    public static OspreyLanguage get(com.oracle.truffle.api.nodes.Node node) {
        return LANGUAGE.get(node);
    }

    /** Each thread's effect handlers in each context (spec 0017); only handle and perform read it. */
    public final com.oracle.truffle.api.ContextThreadLocal<org.osprey.runtime.EffectHandlers> effectHandlers = locals
                    .createContextThreadLocal((context, thread) -> new org.osprey.runtime.EffectHandlers());

    /** The module instances of the fiber each thread runs, in each context (spec 0011); only module values read it. */
    public final com.oracle.truffle.api.ContextThreadLocal<org.osprey.runtime.ModuleInstances.Holder> moduleInstances = locals
                    .createContextThreadLocal((context, thread) -> new org.osprey.runtime.ModuleInstances.Holder());

    @Override
    protected OspreyContext createContext(Env env) {
        Set<String> disabled = new HashSet<>();
        if (env.getOptions().get(SANDBOX)) {
            disabled.add("fs");
            disabled.add("process");
            disabled.add("websocket");
            disabled.add("http");
        }
        if (env.getOptions().get(NO_FS)) {
            disabled.add("fs");
            disabled.add("process");
        }
        if (env.getOptions().get(NO_WEBSOCKET)) {
            disabled.add("websocket");
        }
        if (env.getOptions().get(NO_HTTP)) {
            disabled.add("http");
        }
        Environment environment = new Environment();
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        for (var setting : env.getOptions().get(PLUGIN_OPTIONS).entrySet()) {
            settings.put(setting.getKey(), setting.getValue());
        }
        String badSetting = BuiltinLoader.install(environment, disabled, settings);
        if (badSetting != null) {
            // The option map takes any key and value; the modules say which they declare (BuiltinRegistry.setting).
            throw new org.osprey.runtime.OspreyError(badSetting, null);
        }
        OspreyContext context = new OspreyContext(this, env, environment);
        current = context;
        return context;
    }

    /**
     * The context of this language instance. The policy is EXCLUSIVE, so an instance serves one context at a
     * time (a new one may reuse it after the old one is closed). Function roots in the interpreter find the
     * call depth through it: a field load, where the context lookup is a thread-local read, on every call.
     */
    public OspreyContext current;

    @Override
    protected void finalizeContext(OspreyContext context) {
        context.close();
    }

    /** An interactive entry shows its declarations and value itself, with their types (InteractiveEcho). */
    @Override
    protected boolean isVisible(OspreyContext context, Object value) {
        return false;
    }

    @Override
    protected boolean isThreadAccessAllowed(Thread thread, boolean singleThreaded) {
        return true; // handlers run on library threads; the context's lock keeps Osprey single-threaded
    }

    /** What {@code context.getBindings("osprey")} shows: the top-level declarations of the programs run so far. */
    @Override
    protected Object getScope(OspreyContext context) {
        return new TopScope(context.environment.values);
    }

    /** Ints, floats, bools and strings shown with Osprey's type names (the debugger's variables view). */
    @Override
    protected Object getLanguageView(OspreyContext context, Object value) {
        return new LanguageView(value);
    }

    private volatile RootCallTarget foreignFunctionTarget;

    /** The one call target behind every foreign function passed into Osprey (ForeignCallRootNode). */
    public RootCallTarget foreignFunctionTarget() {
        RootCallTarget t = foreignFunctionTarget;
        if (t == null) {
            synchronized (this) {
                t = foreignFunctionTarget;
                if (t == null) {
                    t = new ForeignCallRootNode(this).getCallTarget();
                    foreignFunctionTarget = t;
                }
            }
        }
        return t;
    }

    private volatile RootCallTarget handlersKeptTarget;

    /** The one call target behind every function kept with its effect handlers (HandlersKeptRootNode). */
    public RootCallTarget handlersKeptTarget() {
        RootCallTarget t = handlersKeptTarget;
        if (t == null) {
            synchronized (this) {
                t = handlersKeptTarget;
                if (t == null) {
                    t = new org.osprey.nodes.call.HandlersKeptRootNode(this).getCallTarget();
                    handlersKeptTarget = t;
                }
            }
        }
        return t;
    }

    @Override
    protected CallTarget parse(ParsingRequest request) {
        OspreyContext context = OspreyContext.get(null);
        if (QUERY_MIME_TYPE.equals(request.getSource().getMimeType())) {
            String asked = request.getSource().getCharacters().toString().strip();
            if (asked.equals("interrupt") || asked.equals("interrupt entry") || asked.equals("interrupt forget")) {
                return new InterruptRunRootNode(this, asked).getCallTarget();
            }
            String answer;
            context.lockExecution(); // the session it reads may be changing on another thread
            try {
                answer = ProgramLoader.query(context, request.getSource());
            } finally {
                context.unlockExecution();
            }
            return new org.osprey.nodes.ConstantRootNode(this, answer).getCallTarget();
        }
        return ProgramLoader.load(this, context, request.getSource());
    }

    /**
     * The {@code interrupt}, {@code interrupt entry} and {@code interrupt forget} requests: evaluated on the
     * requesting thread, they only ask the run's thread to stop (or take back a stop its run did not begin to take).
     */
    private static final class InterruptRunRootNode extends com.oracle.truffle.api.nodes.RootNode {
        private final String asked;

        InterruptRunRootNode(OspreyLanguage language, String asked) {
            super(language);
            this.asked = asked;
        }

        @Override
        public Object execute(com.oracle.truffle.api.frame.VirtualFrame frame) {
            return ask(OspreyContext.get(this));
        }

        @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
        private long ask(OspreyContext context) {
            return switch (asked) {
                case "interrupt entry" -> context.interruptEntry();
                case "interrupt forget" -> {
                    context.forgetEntryInterrupt();
                    yield 0L;
                }
                default -> context.interruptRun();
            };
        }
    }
}
