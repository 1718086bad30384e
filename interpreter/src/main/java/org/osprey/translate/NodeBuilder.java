package org.osprey.translate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.FrameSlotKind;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;

import org.osprey.OspreyLanguage;
import org.osprey.ast.AstWalker;
import org.osprey.ast.Binding;
import org.osprey.ast.Expr;
import org.osprey.ast.Expr.BinOp;
import org.osprey.ast.FunctionInfo;
import org.osprey.ast.Param;
import org.osprey.ast.Pattern;
import org.osprey.ast.Program;
import org.osprey.ast.Stmt;
import org.osprey.builtins.Fusion;
import org.osprey.builtins.Intrinsics;
import org.osprey.builtins.OverloadDispatch;
import org.osprey.nodes.FunctionRootNode;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.ProgramRootNode;
import org.osprey.nodes.Rep;
import org.osprey.nodes.call.AdapterRootNode;
import org.osprey.nodes.call.Arguments;
import org.osprey.nodes.call.CallNodes;
import org.osprey.nodes.call.InlinedCall;
import org.osprey.nodes.call.PeeledCall;
import org.osprey.nodes.call.InlinedLoop;
import org.osprey.nodes.call.MakeClosure;
import org.osprey.nodes.call.RangeLoopCall;
import org.osprey.nodes.call.SelfTailCall;
import org.osprey.nodes.controlflow.BlockNode;
import org.osprey.nodes.controlflow.HandleNode;
import org.osprey.nodes.call.PerformNode;
import org.osprey.nodes.controlflow.Conditional;
import org.osprey.nodes.controlflow.MatchNode;
import org.osprey.nodes.data.CollectionNodes;
import org.osprey.nodes.data.ComprehensionNode;
import org.osprey.nodes.data.DataNodes;
import org.osprey.nodes.data.FiberNodes;
import org.osprey.nodes.expression.Comparisons;
import org.osprey.nodes.expression.FloatArithmetic;
import org.osprey.nodes.expression.IntArithmetic;
import org.osprey.nodes.expression.IntDivision;
import org.osprey.nodes.expression.Literals;
import org.osprey.nodes.expression.Logic;
import org.osprey.nodes.expression.MathNodes;
import org.osprey.nodes.expression.ResultNodes;
import org.osprey.nodes.expression.StringNodes;
import org.osprey.nodes.local.CellNodes;
import org.osprey.nodes.local.GlobalNodes;
import org.osprey.nodes.local.LocalNodes;
import org.osprey.nodes.local.ModuleNodes;
import org.osprey.nodes.pattern.PatternNode;
import org.osprey.nodes.pattern.Patterns;
import org.osprey.runtime.DataShape;
import org.osprey.runtime.MathOps;
import org.osprey.runtime.FrameScope;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.GlobalCell;
import org.osprey.runtime.OspreyModule;
import org.osprey.runtime.Strings;
import org.osprey.runtime.Unit;
import org.osprey.spi.BuiltinFunction;
import org.osprey.types.Coercion;
import org.osprey.types.FunctionSignature;
import org.osprey.types.Overload;
import org.osprey.types.Prelude;
import org.osprey.types.Type;
import org.osprey.types.TypeInfo;
import org.osprey.types.VariantInfo;

/**
 * Builds the Truffle node tree of a checked program. Representations follow the checker's types (an int is
 * an unboxed long from producer to consumer), and every {@link Coercion} the checker recorded becomes a node.
 *
 * Arithmetic is built "raw" wherever its value is consumed as a plain number: operators compute plain values
 * and signal failure with a MathException that the top of the chain turns into {@code Error(...)}
 * ({@link ResultNodes.Materialize}); where a failed value could not be represented, the operation reports a
 * run-time error instead ({@code propagate == false}).
 */
public final class NodeBuilder {
    private final OspreyLanguage language;
    private final Source source;
    private final Function<String, Binding> topLevelFunction;
    private final Map<Object, FunctionValue> functionValues;
    private Scope scope;
    /** The set call of a fold whose map is edited in place ({@link #setOnly}) while its body is built. */
    private Expr.Call setInPlace;

    /** Frame slots reserved for the fold and forEach calls of each function, taken in the order they are built. */
    private final Map<FunctionInfo, ArrayDeque<int[]>> loopSlots = new HashMap<>();
    /** Per function with a self tail call: a frame slot for each parameter's new value ({@link SelfTailCall}). */
    private final Map<FunctionInfo, int[]> tailTemps = new HashMap<>();
    /** The lambdas built as the body of a loop of the function around them ({@link #inlinedLambda}). */
    private final Set<Expr.Lambda> inlined = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The calls of map and filter whose list a consumer walks once: built as their lazy form ({@link #iterable}). */
    private final Set<Expr.Call> fused = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The top-level fns of the program being built: only these may be built in place of their calls. */
    private final Set<Stmt.Fn> programFns = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Per top-level fn binding: whether its calls are built in place ({@link #inlineable}), and its size there. */
    private final Map<Binding, Integer> inlineSizes = new HashMap<>();
    /** Per top-level fn binding: whether it can be built in place at a tail call ({@link #tailPartner}), and its size there. */
    private final Map<Binding, Integer> tailSizes = new HashMap<>();
    /** While tailPartner measures a body: its tail calls of top-level fns, which cost only their arguments. */
    private Set<Expr.Call> tailCallsMeasured = Set.of();
    /** The functions whose root is a loop because a partner built in place at a tail call calls them back. */
    private final Set<FunctionInfo> mutualLoops = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Per function: its calls whose callee's base case is tested in place ({@link #peeledCall}), with the slots for the arguments. */
    private final Map<FunctionInfo, Map<Expr.Call, int[]>> peelSites = new HashMap<>();
    /** Per top-level fn: the arm of its body that makes the recursive call, or NO_PEEL ({@link #peelRest}). */
    private final Map<Stmt.Fn, Expr> peelRests = new IdentityHashMap<>();
    private static final Expr NO_PEEL = new Expr.UnitLit(0, 0);
    /** While a peeled call's body is built: the expression built as the real call instead. */
    private final Map<Expr, OspreyNode> substitutes = new IdentityHashMap<>();
    /** Per function: the calls in its own code built in place, with the frame slots reserved for each. */
    private final Map<FunctionInfo, Map<Expr.Call, Inline>> inlineSites = new HashMap<>();
    /** The option osprey.InlineSmallFunctions: off, every call is an ordinary call but those of {@link #tailPartner}s. */
    private final boolean inlineSmallFunctions;

    /**
     * The largest body built in place of a call, in expressions (a callee built in place inside it counts with
     * its own size): a hash step or a lookup, not a function of many lines.
     */
    private static final int INLINE_SIZE = 40;

    /**
     * The most frame slots one function's frame gives to calls built in place; further calls are ordinary
     * calls. Every call of a function allocates its whole frame, so a function with many such calls should
     * not make each of its own calls slower.
     */
    private static final int INLINE_SLOTS = 64;

    /**
     * The builtins a body built in place may call: those without effects that take no function, so running
     * the body a second time (InlinedCall, on a run-time error) changes nothing.
     */
    private static final Set<String> PURE_BUILTINS = Set.of("append", "byteAt", "byteLength", "codePointAt", "codePointWidth",
                    "concat", "contains", "drop", "endsWith", "entries", "fromCodePoint", "get", "head", "indexOf", "isEmpty", "join",
                    "keys", "length", "lines", "merge", "padEnd", "padStart", "parseFloat", "parseInt", "prepend", "range", "remove",
                    "repeat", "replace", "reverse", "set", "split", "startsWith", "substring", "tail", "take", "toFloat", "toInt",
                    "toList", "toLowerCase", "toString", "toUpperCase", "trim", "trimEnd", "trimStart", "values", "words", "zipToMap",
                    "parseJson", "toJson", "abs", "min", "max", "floor", "ceil", "round", "sqrt", "log", "exp", "pow", "sin", "cos", "tan", "atan2", "log10", "asin", "acos", "atan", "toFixed");

    /**
     * One call built in place: the frame slots of the callee's bindings for this call, and the calls in the
     * callee's body that are built in place in turn.
     */
    private static final class Inline {
        final Map<Binding, Integer> slots = new IdentityHashMap<>();
        final Map<Expr.Call, Inline> nested = new IdentityHashMap<>();
        /**
         * A call in tail position whose callee comes back to the function of the frame by tail calls
         * ({@link #prepareTailPartners}): its body is built in tail position, so that call back is a jump.
         */
        boolean tail;
    }

    /**
     * The function being built: its FunctionInfo tells which bindings are its own and which are captures.
     * An inlined lambda's scope shares the frame of the scope around it.
     */
    private static final class Scope {
        final FunctionInfo info;
        final List<Binding> captures;
        final Scope parent;
        final boolean inlined;
        /** For the body of a function built in place of a call: that call's slots and nested calls. */
        final Inline inline;

        Scope(FunctionInfo info, Scope parent, boolean inlined) {
            this(info, parent, inlined, null);
        }

        Scope(FunctionInfo info, Scope parent, boolean inlined, Inline inline) {
            this.info = info;
            this.captures = new ArrayList<>(info.captures);
            this.parent = parent;
            this.inlined = inlined;
            this.inline = inline;
        }
    }

    /** The scope whose frame the code being built runs in. */
    private Scope frameScope() {
        Scope s = scope;
        while (s.inlined) {
            s = s.parent;
        }
        return s;
    }

    /** Whether b lives in the current frame: owned by the function being built or by a lambda inlined in it. */
    private boolean inFrame(Binding b) {
        for (Scope s = scope; s != null; s = s.parent) {
            if (b.owner == s.info) {
                return true;
            }
            if (!s.inlined) {
                return false;
            }
        }
        return false;
    }

    public NodeBuilder(OspreyLanguage language, Source source, Function<String, Binding> topLevelFunction,
                    Map<Object, FunctionValue> functionValues, boolean inlineSmallFunctions) {
        this.inlineSmallFunctions = inlineSmallFunctions;
        this.language = language;
        this.source = source;
        this.topLevelFunction = topLevelFunction;
        this.functionValues = functionValues;
    }

    private SourceSection section(org.osprey.ast.Node n) {
        int len = source.getLength();
        int start = Math.min(n.start, len);
        return source.createSection(start, Math.max(0, Math.min(n.end, len) - start));
    }

    private static <T extends OspreyNode> T at(T node, org.osprey.ast.Node ast) {
        if (node.sourceStart() < 0) {
            node.at(ast.start, ast.end);
        }
        return node;
    }

    // ---------------------------------------------------------------- program and functions

    public ProgramRootNode program(Program program, boolean interactive, boolean keepResult, org.osprey.nodes.InteractiveEcho echo, boolean exitStatus,
                    ProgramRootNode.Session session) {
        // First the producers fused into consumers (never built as loops that make a list), then the lambdas
        // built in place.
        AstWalker fusions = new AstWalker(e -> {
            if (e instanceof Expr.Call c && c.kind == Expr.CallKind.BUILTIN && c.target instanceof FunctionSignature sig
                            && sig.implementation instanceof Fusion.Consumer && c.ordered != null && !c.ordered.isEmpty()
                            && fusedProducer(c.ordered.get(0)) instanceof Expr.Call p) {
                fused.add(p);
            } else if (e instanceof Expr.Comprehension x && fusedProducer(x.source) instanceof Expr.Call p) {
                fused.add(p);
            }
        }, st -> {
        });
        program.statements.forEach(fusions::stmt);
        AstWalker sites = new AstWalker(e -> {
            if (e instanceof Expr.Call c && inlinedLambda(c) instanceof Expr.Lambda l) {
                inlined.add(l);
                for (Expr.Call p : stageCalls(c.ordered.get(0))) {
                    inlined.add(lambdaInPlace(p, 1));
                }
            }
        }, st -> {
        });
        program.statements.forEach(sites::stmt);
        List<Stmt.Fn> declaredFns = new ArrayList<>();
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.Fn fn) {
                declaredFns.add(fn);
            } else if (s instanceof Stmt.Module m) {
                declaredFns.addAll(m.functions());
                module(m);
            }
        }
        for (Stmt.Fn fn : declaredFns) {
            if (fn.binding != null && fn.binding.kind == Binding.Kind.FUNCTION) {
                programFns.add(fn);
            }
        }
        FrameDescriptor.Builder fd = frameBuilder();
        prepareFrame(program.info, fd, w -> program.statements.forEach(w::stmt));
        scope = new Scope(program.info, null, false);

        List<Stmt.Fn> fns = new ArrayList<>();
        for (Stmt.Fn fn : declaredFns) {
            if (fn.binding != null) {
                FunctionRootNode root = functionRoot(fn.info, fn.params, fn.qualifiedName(), fn, fn.body);
                fn.binding.storage = new FunctionValue(fn.qualifiedName(), root.getCallTarget(), new Object[0], fn.params.size());
                fns.add(fn);
            }
        }
        for (Stmt.Fn fn : fns) {
            FunctionRootNode root = (FunctionRootNode) ((FunctionValue) fn.binding.storage).target.getRootNode();
            root.setBody(functionBody(fn.info, fn.body));
        }
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.Module m && m.init != null) {
                moduleInit(m);
            }
        }

        List<OspreyNode> statements = new ArrayList<>();
        OspreyNode result = null;
        for (int i = 0; i < program.statements.size(); i++) {
            Stmt s = program.statements.get(i);
            if (keepResult && i == program.statements.size() - 1 && s instanceof Stmt.ExprStmt es) {
                result = use(es.expr, false, false);
                at(result, es).tagged(OspreyNode.STATEMENT);
                continue;
            }
            OspreyNode n = statement(s);
            if (n != null) {
                statements.add(n);
            }
            OspreyNode shown = echo != null ? echo.after(s.start, s.end) : null;
            if (shown != null) {
                statements.add(shown);
            }
            if (echo != null && program.statements.size() > 1) {
                statements.add(echo.ran(i + 1));
            }
        }
        OspreyNode main = null;
        if (!interactive) {
            for (Stmt.Fn fn : fns) {
                if (fn.module == null && fn.name.equals("main") && fn.params.isEmpty()) {
                    main = new CallNodes.Direct((FunctionValue) fn.binding.storage, new Arguments(new OspreyNode[0], new int[0], 1), false);
                    main.at(fn.nameStart, fn.nameStart + 4);
                }
            }
        }
        SourceSection whole = source.createSection(0, source.getLength());
        // The top level is a root body of its own, as a function's is: tools count a program's roots by it (the
        // coverage tool's "<program>"), and the debugger its frames. The call of main is in it, last, so that
        // the body ends when the run does (a debugger stopped at the body's end, before main ran).
        if (main != null && result != null) {
            statements.add(result);
        }
        OspreyNode body = new BlockNode(statements.toArray(new OspreyNode[0]), main != null ? main : result).at(0, source.getLength())
                        .tagged(OspreyNode.ROOT_BODY);
        return new ProgramRootNode(language, fd.build(), whole, body, main, echo, exitStatus, session);
    }

    /** The runtime module of m (spec 0011), and where each of its values lies in an instance. */
    private void module(Stmt.Module m) {
        List<Stmt.Let> values = m.values();
        OspreyModule runtime = new OspreyModule(m.name, values.stream().map(v -> v.name).toArray(String[]::new));
        runtimeModules.put(m, runtime);
        for (int i = 0; i < values.size(); i++) {
            Binding b = values.get(i).binding;
            if (b != null) {
                b.storage = new ModuleSlot(runtime, i);
            }
        }
    }

    /**
     * For each frame (by its function), the slot where a call keeps the running fiber's values of each module
     * its own code reads or assigns: found once per call (ModuleNodes.InFrame), where each read and each
     * assignment looked them up in the thread's fiber (a module's counter in a hot loop was 1.3x the time of a
     * top-level mut's). A read inside a lambda that is not built in place looks them up itself.
     */
    private final Map<FunctionInfo, Map<OspreyModule, Integer>> moduleValueSlots = new IdentityHashMap<>();

    private void keepModuleValues(FunctionInfo info, FrameDescriptor.Builder fd, Binding b) {
        if (b != null && b.storage instanceof ModuleSlot m) {
            moduleValueSlots.computeIfAbsent(info, k -> new IdentityHashMap<>()).computeIfAbsent(m.module(),
                            k -> fd.addSlot(FrameSlotKind.Object, "<module " + k.name + ">", null));
        }
    }

    /** The slot of this frame that keeps m's values for the call, or -1. */
    private int moduleValuesSlot(ModuleSlot m) {
        Map<OspreyModule, Integer> slots = moduleValueSlots.get(frameScope().info);
        Integer slot = slots == null ? null : slots.get(m.module());
        return slot == null ? -1 : slot;
    }

    /** Where a module's value lies: its module, and its index in an instance. */
    private record ModuleSlot(OspreyModule module, int index) {
    }

    /**
     * The function that initialises m's values in the fiber that calls it: each value's initialiser in order,
     * in a frame of its own (the locals of their blocks and the lambdas they make).
     */
    private void moduleInit(Stmt.Module m) {
        FrameDescriptor.Builder fd = frameBuilder();
        List<Stmt.Let> values = m.values();
        prepareFrame(m.init, fd, w -> values.forEach(w::stmt));
        FunctionRootNode root = new FunctionRootNode(language, fd.build(), "<module " + m.name + ">", section(m), new int[0], new Rep[0], false,
                        new String[0], new Type[0], -1, Rep.OBJECT);
        Scope saved = scope;
        scope = new Scope(m.init, saved, false);
        try {
            List<OspreyNode> inits = new ArrayList<>();
            for (Stmt.Let let : values) {
                if (let.binding != null) {
                    inits.add(statement(let));
                }
            }
            OspreyNode body = new BlockNode(inits.toArray(new OspreyNode[0]), new Literals.ObjectLiteral(Unit.INSTANCE)).at(m.start, m.end)
                            .tagged(OspreyNode.ROOT_BODY);
            root.setBody(body);
        } finally {
            scope = saved;
        }
        runtimeModules.get(m).init = root.getCallTarget();
    }

    private final Map<Stmt.Module, OspreyModule> runtimeModules = new IdentityHashMap<>();

    /** A frame's slots start with the call depth (FunctionRootNode.DEPTH_SLOT), for programs and functions alike. */
    private static FrameDescriptor.Builder frameBuilder() {
        FrameDescriptor.Builder fd = FrameDescriptor.newBuilder();
        int depth = fd.addSlot(FrameSlotKind.Long, "<depth>", null);
        assert depth == FunctionRootNode.DEPTH_SLOT;
        return fd;
    }

    /**
     * Lays out a function's frame: a slot for every binding it owns and for those of the lambdas inlined in
     * it, and four slots (index, end, accumulator, function) for each of its fold and forEach calls, for
     * {@link RangeLoopCall} and {@link InlinedLoop}. {@code walk} walks the function's own code, which
     * includes its inlined lambdas but not its other lambdas and nested fns: they have frames of their own.
     */
    private void prepareFrame(FunctionInfo info, FrameDescriptor.Builder fd, Consumer<AstWalker> walk) {
        allocate(info, fd);
        int[] loopSites = {0};
        Map<Expr.Call, Inline> inlineCalls = new IdentityHashMap<>();
        Map<Expr.Call, int[]> peels = new IdentityHashMap<>();
        int[] inlineSlots = {0};
        walk.accept(new AstWalker(e -> {
            if (e instanceof Expr.Call c && (isRangeLoop(c) || inlinedLambda(c) != null)) {
                loopSites[0]++;
            }
            if (e instanceof Expr.Call c && inlineTarget(c) instanceof Stmt.Fn fn) {
                int need = slotsNeeded(fn);
                if (inlineSlots[0] + need <= INLINE_SLOTS) {
                    inlineSlots[0] += need;
                    inlineCalls.put(c, prepareInline(fn, fd));
                }
            } else if (e instanceof Expr.Call c && peelTarget(c) instanceof Stmt.Fn fn && inlineSlots[0] + fn.params.size() <= INLINE_SLOTS) {
                inlineSlots[0] += fn.params.size();
                int[] slots = new int[fn.params.size()];
                for (int i = 0; i < slots.length; i++) {
                    slots[i] = fd.addSlot(rep(fn.params.get(i).binding).slotKind(), null, null);
                }
                peels.put(c, slots);
            }
            if (e instanceof Expr.Lambda l && inlined.contains(l)) {
                allocate(l.info, fd);
            }
            if (e instanceof Expr.Ident id) {
                keepModuleValues(info, fd, id.binding);
            }
        }, st -> {
            if (st instanceof Stmt.Assign a) {
                keepModuleValues(info, fd, a.binding);
            }
        }, inlined::contains, false));
        if (info.self != null && info.self.kind == Binding.Kind.FUNCTION && info.self.decl instanceof Stmt.Fn self && programFns.contains(self)) {
            List<Stmt.Fn> path = new ArrayList<>();
            path.add(self);
            prepareTailPartners(self, self.body, fd, inlineCalls, inlineSlots, path);
        }
        ArrayDeque<int[]> pool = new ArrayDeque<>();
        for (int i = 0; i < loopSites[0]; i++) {
            pool.add(new int[] {fd.addSlot(FrameSlotKind.Long, "<loop index>", null), fd.addSlot(FrameSlotKind.Long, "<loop end>", null),
                            fd.addSlot(FrameSlotKind.Object, "<loop accumulator>", null), fd.addSlot(FrameSlotKind.Object, "<loop function>", null)});
        }
        loopSlots.put(info, pool);
        inlineSites.put(info, inlineCalls);
        peelSites.put(info, peels);
    }

    /**
     * Mutual tail calls as a loop. Where {@code body} (root's own, or that of a partner built in place in it)
     * calls in tail position a small fn that comes back to root by tail calls ({@link #tailPartner},
     * {@link #comesBack}), that fn is built in place there, in tail position, so its tail call of root is a
     * self tail call of root, a jump ({@link SelfTailCall}): isEven calling isOdd calling isEven is a loop in
     * isEven, and one in isOdd. {@code path} holds root and the partners being built around body; a call of
     * one of them that is not root stays an ordinary call.
     */
    private void prepareTailPartners(Stmt.Fn root, Expr body, FrameDescriptor.Builder fd, Map<Expr.Call, Inline> into, int[] used,
                    List<Stmt.Fn> path) {
        forEachTailCall(body, c -> {
            Stmt.Fn partner = tailCallee(c);
            if (partner == null || path.contains(partner) || into.containsKey(c) || !tailPartner(partner.binding)
                            || !comesBack(partner, root, new ArrayList<>(path))) {
                return;
            }
            int need = slotsNeeded(partner);
            if (used[0] + need > INLINE_SLOTS) {
                return;
            }
            used[0] += need;
            Inline inline = prepareInline(partner, fd);
            inline.tail = true;
            into.put(c, inline);
            mutualLoops.add(root.info);
            path.add(partner);
            prepareTailPartners(root, partner.body, fd, inline.nested, used, path);
            path.remove(path.size() - 1);
        });
    }

    /** Whether fn calls root back by tail calls, directly or through partners not in {@code seen}. */
    private boolean comesBack(Stmt.Fn fn, Stmt.Fn root, List<Stmt.Fn> seen) {
        seen.add(fn);
        boolean[] found = {false};
        forEachTailCall(fn.body, c -> {
            Stmt.Fn next = tailCallee(c);
            found[0] |= next == root || next != null && !found[0] && !seen.contains(next) && tailPartner(next.binding) && comesBack(next, root, seen);
        });
        return found[0];
    }

    /**
     * The calls in tail position of e, where NodeBuilder builds them with {@code tail} set: e itself, the
     * result of a block, the arms of a match or select whose value is used; never under a coercion.
     */
    private static void forEachTailCall(Expr e, Consumer<Expr.Call> action) {
        if (e == null || e.coercion != null) {
            return;
        }
        switch (e) {
            case Expr.Call c -> action.accept(c);
            case Expr.MethodCall m -> forEachTailCall(m.resolved, action);
            case Expr.Block b -> forEachTailCall(b.result, action);
            case Expr.Match m when !m.discarded -> m.arms.forEach(a -> forEachTailCall(a.body, action));
            case Expr.Select sel when !sel.discarded -> sel.arms.forEach(a -> forEachTailCall(a.body, action));
            default -> {
            }
        }
    }

    /** The top-level fn of this program that call c calls by name, or null. */
    private Stmt.Fn tailCallee(Expr.Call c) {
        if (c.kind == Expr.CallKind.FUNCTION && c.coercion == null && c.callee instanceof Expr.Ident id && id.binding != null
                        && id.binding.kind == Binding.Kind.FUNCTION && id.binding.decl instanceof Stmt.Fn fn && programFns.contains(fn)) {
            return fn;
        }
        return null;
    }

    /**
     * Whether the top-level fn b can be built in place at a tail call that it may call back
     * ({@link #prepareTailPartners}): as {@link #inlineable}, except that its own tail calls of top-level fns
     * are allowed (each becomes a jump, another partner built in place, or an ordinary call). Whatever the
     * option osprey.InlineSmallFunctions says: this is how such recursion runs in constant stack, and a
     * program should not stop with "stack overflow" under the CPU sampler (which turns the option off) when
     * it runs without.
     */
    private boolean tailPartner(Binding b) {
        Integer known = tailSizes.get(b);
        if (known == null) {
            int size = -1;
            if (b.decl instanceof Stmt.Fn fn && buildableInPlace(fn)) {
                Set<Expr.Call> calls = Collections.newSetFromMap(new IdentityHashMap<>());
                forEachTailCall(fn.body, c -> {
                    if (tailCallee(c) != null) {
                        calls.add(c);
                    }
                });
                Set<Expr.Call> saved = tailCallsMeasured;
                tailCallsMeasured = calls;
                try {
                    size = inlineCost(fn.body, fn.info);
                } finally {
                    tailCallsMeasured = saved;
                }
            }
            known = size >= 0 && size <= INLINE_SIZE ? size : -1;
            tailSizes.put(b, known);
        }
        return known >= 0;
    }

    /** The top-level fn whose base case call c tests in place ({@link #peeledCall}), or null for an ordinary call. */
    private Stmt.Fn peelTarget(Expr.Call c) {
        if (inlineSmallFunctions && !c.selfTailCall && tailCallee(c) instanceof Stmt.Fn fn && peelRest(fn) != null) {
            return fn;
        }
        return null;
    }

    /**
     * For a fn whose body is a match (or a ternary) on a comparison or a parameter, without guards, where
     * every arm but one answers with a parameter or a literal and that one does not bind anything: that
     * arm's body, the case that recurses. Else null: calls of fn are ordinary calls.
     */
    private Expr peelRest(Stmt.Fn fn) {
        Expr known = peelRests.get(fn);
        if (known == null) {
            known = NO_PEEL;
            if (fn.info != null && fn.info.captures.isEmpty() && fn.params.stream().allMatch(p -> p.binding != null && !p.binding.needsCell)
                            && fn.body.coercion == null && fn.body instanceof Expr.Match m && !m.discarded && m.form != Expr.MatchForm.ELVIS
                            && (simpleOperand(m.scrutinee, fn) || m.scrutinee.coercion == null && m.scrutinee instanceof Expr.Binary b
                                            && b.op.isComparison() && simpleOperand(b.left, fn) && simpleOperand(b.right, fn))) {
                Expr rest = null;
                boolean ok = true;
                for (Expr.Arm a : m.arms) {
                    ok &= a.guard == null && (a.pattern instanceof Pattern.Literal || a.pattern instanceof Pattern.Wildcard);
                    if (!simpleOperand(a.body, fn)) {
                        ok &= rest == null && a.body.coercion == null;
                        rest = a.body;
                    }
                }
                if (ok && rest != null) {
                    known = rest;
                }
            }
            peelRests.put(fn, known);
        }
        return known == NO_PEEL ? null : known;
    }

    /** A literal or a parameter of fn, as written: evaluating it cannot fail and has no effects. */
    private static boolean simpleOperand(Expr e, Stmt.Fn fn) {
        if (e.coercion != null) {
            return false;
        }
        return e instanceof Expr.IntLit || e instanceof Expr.FloatLit || e instanceof Expr.BoolLit
                        || e instanceof Expr.Ident id && id.binding != null && fn.params.stream().anyMatch(p -> p.binding == id.binding);
    }

    /** Reserves frame slots for a call of fn built in place: for fn's bindings, and for the calls in its body built in place. */
    private Inline prepareInline(Stmt.Fn fn, FrameDescriptor.Builder fd) {
        Inline inline = new Inline();
        for (Binding b : fn.info.locals) {
            inline.slots.put(b, fd.addSlot(slotRep(b).slotKind(), null, null)); // no name: not a local of the caller
        }
        forEachInlinedCall(fn, (c, callee) -> inline.nested.put(c, prepareInline(callee, fd)));
        return inline;
    }

    /** How many frame slots a call of fn built in place takes: fn's bindings and those of the calls built in place in it. */
    private int slotsNeeded(Stmt.Fn fn) {
        int[] n = {fn.info.locals.size()};
        forEachInlinedCall(fn, (c, callee) -> n[0] += slotsNeeded(callee));
        return n[0];
    }

    /** The calls in fn's body that are built in place in turn, each with the fn it calls. */
    private void forEachInlinedCall(Stmt.Fn fn, BiConsumer<Expr.Call, Stmt.Fn> action) {
        new AstWalker(e -> {
            if (e instanceof Expr.Call c && inlineTarget(c) instanceof Stmt.Fn callee) {
                action.accept(c, callee);
            }
        }, st -> {
        }, l -> false, false).expr(fn.body);
    }

    /** The top-level fn that call c is built in place of, or null for a call made the ordinary way. */
    private Stmt.Fn inlineTarget(Expr.Call c) {
        if (c.kind == Expr.CallKind.FUNCTION && !c.selfTailCall && c.callee instanceof Expr.Ident id && id.binding != null
                        && id.binding.kind == Binding.Kind.FUNCTION && inlineable(id.binding)) {
            return (Stmt.Fn) id.binding.decl;
        }
        return null;
    }

    /**
     * Whether calls of the top-level fn b are built in place ({@link InlinedCall}): b is declared in this
     * program, calls nothing but builtins without effects and other such fns (so it is not recursive), has no
     * lambda, no nested fn and no loop over a function, and is small.
     */
    private boolean inlineable(Binding b) {
        Integer known = inlineSizes.get(b);
        if (known != null) {
            return known >= 0;
        }
        inlineSizes.put(b, -1); // while b is being decided, a call back to it is a recursion: not inlineable
        int size = -1;
        if (inlineSmallFunctions && b.decl instanceof Stmt.Fn fn && buildableInPlace(fn)) {
            size = inlineCost(fn.body, fn.info);
        }
        inlineSizes.put(b, size >= 0 && size <= INLINE_SIZE ? size : -1);
        return inlineSizes.get(b) >= 0;
    }

    /** What building fn's body in place needs whatever its size: a top-level fn of this program without captures, cells or a self tail call. */
    private boolean buildableInPlace(Stmt.Fn fn) {
        return programFns.contains(fn) && fn.info != null && fn.info.captures.isEmpty() && !fn.info.hasSelfTailCall
                        && fn.params.stream().allMatch(p -> p.binding != null) && fn.info.locals.stream().noneMatch(l -> l.needsCell || l.captured);
    }

    /**
     * The size of e in a body built in place, counting a callee built in place with its own size; -1 where e
     * rules building in place out (a lambda, a call of a function value, a builtin with effects, ...). A new kind
     * of expression whose parts run apart from the body (in a frame or fiber of their own) needs a case here.
     */
    private int inlineCost(Expr e, FunctionInfo owner) {
        if (e == null) {
            return 0;
        }
        List<Expr> parts = new ArrayList<>();
        int own = 1;
        switch (e) {
            case Expr.Ident id -> {
                // a module's value: the fiber's first read runs the module's initialisers, which a run again would repeat
                if (id.binding != null && (id.binding.kind == Binding.Kind.NESTED_FUNCTION || id.binding.kind == Binding.Kind.MODULE
                                || id.binding.kind == Binding.Kind.LOCAL && id.binding.owner != owner)) {
                    return -1;
                }
            }
            case Expr.Call c -> {
                switch (c.kind) {
                    case CONSTRUCTOR -> {
                    }
                    case BUILTIN -> {
                        if (!(c.target instanceof FunctionSignature sig) || !PURE_BUILTINS.contains(sig.name)
                                        || sig.implementation.getClass().getPackage() != Fusion.class.getPackage()) {
                            return -1;
                        }
                    }
                    case FUNCTION -> {
                        if (!tailCallsMeasured.contains(c)) {
                            if (!(inlineTarget(c) instanceof Stmt.Fn callee)) {
                                return -1;
                            }
                            own += inlineSizes.get(callee.binding);
                        }
                    }
                    case VALUE -> {
                        return -1;
                    }
                }
                c.args.forEach(a -> parts.add(a.value));
            }
            case Expr.MethodCall m -> {
                return inlineCost(m.resolved, owner);
            }
            case Expr.Block b -> {
                if (!b.statements.stream().allMatch(st -> st instanceof Stmt.Let || st instanceof Stmt.LetPattern || st instanceof Stmt.ExprStmt)) {
                    return -1;
                }
                AstWalker.children(b, parts::add);
            }
            case Expr.Lambda l -> {
                return -1;
            }
            case Expr.Comprehension c -> {
                return -1;
            }
            case Expr.Spawn sp -> {
                return -1;
            }
            case Expr.Select sel -> {
                return -1;
            }
            case Expr.Perform p -> {
                return -1;
            }
            case Expr.Handle h -> {
                return -1;
            }
            default -> AstWalker.children(e, parts::add);
        }
        int size = own;
        for (Expr p : parts) {
            int c = inlineCost(p, owner);
            if (c < 0) {
                return -1;
            }
            size += c;
            if (size > INLINE_SIZE) {
                return -1;
            }
        }
        return size;
    }

    /** The call an expression makes: itself, or what a method call resolved to. */
    private static Expr callOf(Expr e) {
        return e instanceof Expr.MethodCall m ? m.resolved : e;
    }

    /**
     * The lambda literal that is c's last argument, of n parameters, where it can be built in place: without
     * a coercion, its parameters in frame slots (not in cells); else null.
     */
    private static Expr.Lambda lambdaInPlace(Expr.Call c, int n) {
        if (c.ordered == null || c.ordered.size() != n + 1) {
            return null;
        }
        if (!(c.ordered.get(n) instanceof Expr.Lambda l) || l.coercion != null || l.params.size() != n) {
            return null;
        }
        for (Param p : l.params) {
            if (p.binding == null || p.binding.needsCell) {
                return null;
            }
        }
        return l;
    }

    /**
     * The calls of map and filter (any form) with a lambda built in place that a loop built in place over
     * subject runs as its stages ({@link InlinedLoop.Stage}): subject itself, its own subject, and so on,
     * outermost first. Their values are only walked by that loop, so making no list or iterator changes
     * nothing a program can see.
     */
    private static List<Expr.Call> stageCalls(Expr subject) {
        List<Expr.Call> calls = new ArrayList<>();
        for (Expr e = subject;;) {
            Expr.Call p = builtinCallOf(e);
            if (p == null || !(((FunctionSignature) p.target).implementation instanceof Intrinsics.Stage) || p.propagatesMathError
                            || lambdaInPlace(p, 1) == null) {
                return calls;
            }
            calls.add(p);
            e = p.ordered.get(0);
        }
    }

    private static boolean isListBuilding(Expr.Call c) {
        return c.kind == Expr.CallKind.BUILTIN && c.target instanceof FunctionSignature sig && sig.implementation instanceof Intrinsics.ListBuilding;
    }

    private static boolean isRangeLoop(Expr.Call c) {
        return c.kind == Expr.CallKind.BUILTIN && c.target instanceof FunctionSignature sig
                        && (sig.implementation instanceof Intrinsics.Fold || sig.implementation instanceof Intrinsics.ForEach);
    }

    /**
     * The lambda of {@code xs |> fold(initial: a, function: (acc, x) => ...)} (or forEach, or map or filter
     * building a list) when it can be built as the body of a loop in the calling function
     * ({@link InlinedLoop}), else null: the function is a lambda literal without a coercion, the accumulator
     * has one representation in the initial value, the parameter and the lambda's result, and a map or
     * filter is not {@link #fused} into a consumer.
     */
    private Expr.Lambda inlinedLambda(Expr.Call c) {
        if (!isRangeLoop(c) && !(isListBuilding(c) && !fused.contains(c))) {
            return null;
        }
        boolean fold = ((FunctionSignature) c.target).implementation instanceof Intrinsics.Fold;
        Expr.Lambda l = lambdaInPlace(c, fold ? 2 : 1);
        if (l == null) {
            return null;
        }
        if (fold) {
            Rep acc = rep(l.params.get(0).binding);
            return acc == usedRep(c.ordered.get(1)) && acc == usedRep(l.body) ? l : null;
        }
        return l;
    }

    /** Gives every binding the function owns a frame slot of the right kind. */
    private static void allocate(FunctionInfo info, FrameDescriptor.Builder fd) {
        for (Binding b : info.locals) {
            b.slot = fd.addSlot(slotRep(b).slotKind(), b.name, plainLet(b) != null ? FrameScope.RESULT_KEPT_PLAIN : null);
        }
    }

    private static Type typeOf(Binding b) {
        if (b.type != null) {
            return b.type;
        }
        return b.scheme != null ? b.scheme.type() : null;
    }

    private static Rep rep(Binding b) {
        return b.needsCell ? Rep.OBJECT : Rep.of(typeOf(b));
    }

    /** What binding b's frame slot holds: its plain value for a {@link #plainLet}, else its representation (a cell is an object). */
    private static Rep slotRep(Binding b) {
        Rep plain = plainLet(b);
        return plain != null ? plain : rep(b);
    }

    /**
     * For {@code let x = a * b} in a function (x a {@code Result<int, MathError>} or float Result, not a cell):
     * the representation of the plain value its slot holds instead of the Result ({@link ResultNodes.LetPlain});
     * null for every other binding.
     */
    private static Rep plainLet(Binding b) {
        if (b.kind != Binding.Kind.LOCAL || b.mutable || b.needsCell || !(b.decl instanceof Stmt.Let let) || let.value.coercion != null) {
            return null;
        }
        Type t = typeOf(b);
        if (t == null || !Prelude.isMathResult(t)) {
            return null;
        }
        boolean arithmetic = let.value instanceof Expr.Binary x && x.op.isArithmetic()
                        || let.value instanceof Expr.Unary u && Prelude.isMathResult(u.type);
        Rep inner = Rep.of(inner(t));
        return arithmetic && (inner == Rep.LONG || inner == Rep.DOUBLE) ? inner : null;
    }

    private FunctionRootNode functionRoot(FunctionInfo info, List<Param> params, String name, org.osprey.ast.Node decl, Expr body) {
        FrameDescriptor.Builder fd = frameBuilder();
        prepareFrame(info, fd, w -> w.expr(body));
        int[] slots = new int[params.size()];
        Rep[] reps = new Rep[params.size()];
        String[] names = new String[params.size()];
        Type[] types = new Type[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Binding b = params.get(i).binding;
            slots[i] = b.slot;
            reps[i] = rep(b);
            names[i] = params.get(i).name;
            types[i] = typeOf(b);
        }
        boolean loop = info.hasSelfTailCall || mutualLoops.contains(info);
        if (loop) {
            // The slots where a self tail call's new arguments wait while the others are evaluated.
            int[] temps = new int[params.size()];
            for (int i = 0; i < temps.length; i++) {
                temps[i] = fd.addSlot(reps[i].slotKind(), null, null);
            }
            tailTemps.put(info, temps);
        }
        // A tail loop carries an int, float or bool result out through a frame slot of its own, not as an
        // Object: boxed in a loop, the value would stay boxed in compiled code where the function is inlined.
        Rep result = usedRep(body);
        int resultSlot = loop && result != Rep.OBJECT ? fd.addSlot(result.slotKind(), null, null) : -1;
        FunctionRootNode root = new FunctionRootNode(language, fd.build(), name, section(decl), slots, reps, loop, names, types,
                        resultSlot, result);
        Type own = decl instanceof Stmt.Fn fn && fn.binding != null ? typeOf(fn.binding) : decl instanceof Expr.Lambda l ? l.type : null;
        if (own != null && own.prune() instanceof Type.Fun f) {
            root.setResultType(f.result); // a call from the host checks function arguments by it (RuntimeTypes.fits)
        }
        return root;
    }

    private OspreyNode functionBody(FunctionInfo info, Expr body) {
        Scope saved = scope;
        scope = new Scope(info, saved, false);
        try {
            OspreyNode n = use(body, false, true);
            at(n, body);
            if (body instanceof Expr.Block) {
                return n.tagged(OspreyNode.ROOT_BODY);
            }
            // `fn loop(n) = loop(n + 1)`: the body is the function's one statement, so a statement limit
            // (ResourceLimits) and the debugger's stepping see every call and every turn of a tail loop. The
            // root body is a node around it: a node that is both is counted by tools as one or the other
            // (the coverage tool then saw the function run but none of its lines).
            n.tagged(OspreyNode.STATEMENT);
            return at(new BlockNode(new OspreyNode[0], n), body).tagged(OspreyNode.ROOT_BODY);
        } finally {
            scope = saved;
        }
    }

    /** A lambda or nested fn: its own root, and a node that makes the closure here. */
    private OspreyNode closure(FunctionInfo info, List<Param> params, Expr body, String name, org.osprey.ast.Node decl) {
        FunctionRootNode root = functionRoot(info, params, name, decl, body);
        root.setBody(functionBody(info, body));
        List<OspreyNode> captures = new ArrayList<>();
        Type[] captureTypes = new Type[info.captures.size()];
        for (Binding b : info.captures) {
            captureTypes[captures.size()] = typeOf(b);
            captures.add(captureSource(b));
        }
        root.setCaptureTypes(captureTypes); // a call from the host binds the enclosing call's type variables by them
        return new MakeClosure(name, root.getCallTarget(), params.size(), captures.toArray(new OspreyNode[0]));
    }

    /** What the current function passes into a closure for binding b: its value, or its cell. */
    private OspreyNode captureSource(Binding b) {
        if (inFrame(b)) {
            if (plainLet(b) instanceof Rep plain) {
                return new ResultNodes.ReadResult(b.slot, plain);
            }
            return b.needsCell ? new CellNodes.LocalCellObject(b.slot) : LocalNodes.read(b.slot, rep(b));
        }
        return new CellNodes.ReadCapture(captureIndex(b));
    }

    private int captureIndex(Binding b) {
        Scope frame = frameScope();
        int i = frame.captures.indexOf(b);
        if (i < 0) {
            throw new IllegalStateException("binding " + b + " is not captured by " + frame.info);
        }
        return i;
    }

    // ---------------------------------------------------------------- statements

    private OspreyNode statement(Stmt s) {
        OspreyNode n = switch (s) {
            case Stmt.Let let -> plainLet(let.binding) instanceof Rep plain
                            ? new ResultNodes.LetPlain(let.binding.slot, plain, raw(let.value, true))
                            : declare(let.binding, use(let.value, false, false));
            case Stmt.LetPattern lp -> new MatchNode(use(lp.value, false, false), new PatternNode[] {pattern(lp.pattern)},
                            new OspreyNode[1], new OspreyNode[] {new Literals.ObjectLiteral(Unit.INSTANCE)},
                            "does not match the pattern of this 'let'");
            case Stmt.Assign a -> assign(a.binding, use(a.value, false, false));
            case Stmt.FieldAssign a -> throw new IllegalStateException("a field assignment reached the node builder; the resolver refuses every one");
            case Stmt.Fn fn -> {
                if (fn.binding == null || fn.binding.kind == Binding.Kind.FUNCTION) {
                    yield null;
                }
                OspreyNode make = closure(fn.info, fn.params, fn.body, fn.name, fn);
                make.at(fn.start, fn.end);
                yield fn.binding.needsCell ? new CellNodes.WriteLocal(fn.binding.slot, make) : new LocalNodes.Write(fn.binding.slot, Rep.OBJECT, make);
            }
            case Stmt.ExprStmt es -> use(es.expr, false, false);
            case Stmt.TypeDecl td -> null;
            case Stmt.Import im -> null;
            case Stmt.EffectDecl d -> null;
            case Stmt.Module m -> null;
        };
        if (n != null) {
            at(n, s).tagged(OspreyNode.STATEMENT);
        }
        return n;
    }

    private OspreyNode declare(Binding b, OspreyNode value) {
        if (b.kind == Binding.Kind.GLOBAL) {
            return new GlobalNodes.Write(global(b), value);
        }
        if (b.storage instanceof ModuleSlot m) {
            return new ModuleNodes.Write(m.module(), m.index(), moduleValuesSlot(m), value);
        }
        if (b.needsCell) {
            return new LocalNodes.Write(b.slot, Rep.OBJECT, new NewCell(value));
        }
        return new LocalNodes.Write(b.slot, rep(b), value);
    }

    /** Wraps the initial value of a captured mut in its cell. */
    private static final class NewCell extends OspreyNode {
        @Child private OspreyNode value;

        NewCell(OspreyNode value) {
            this.value = value;
        }

        @Override
        public Object executeGeneric(com.oracle.truffle.api.frame.VirtualFrame frame) {
            return new org.osprey.runtime.Cell(value.executeGeneric(frame));
        }
    }

    private OspreyNode assign(Binding b, OspreyNode value) {
        if (b.kind == Binding.Kind.GLOBAL) {
            return new GlobalNodes.Write(global(b), value);
        }
        if (b.storage instanceof ModuleSlot m) {
            return new ModuleNodes.Write(m.module(), m.index(), moduleValuesSlot(m), value);
        }
        if (inFrame(b)) {
            return b.needsCell ? new CellNodes.WriteLocal(b.slot, value) : new LocalNodes.Write(b.slot, rep(b), value);
        }
        return new CellNodes.WriteCapturedCell(captureIndex(b), value);
    }

    /** The cell of a top-level let or mut (made on first use). */
    public static GlobalCell global(Binding b) {
        if (b.storage == null) {
            b.storage = new GlobalCell(b.name);
        }
        return (GlobalCell) b.storage;
    }

    private OspreyNode read(Binding b, org.osprey.ast.Node at) {
        OspreyNode n = switch (b.kind) {
            case GLOBAL -> new GlobalNodes.Read(global(b));
            case MODULE -> {
                ModuleSlot m = (ModuleSlot) b.storage;
                yield new ModuleNodes.Read(m.module(), m.index(), moduleValuesSlot(m));
            }
            case FUNCTION -> new Literals.ObjectLiteral(b.storage);
            case BUILTIN -> throw new IllegalStateException("builtins are read through their signature");
            case LOCAL, NESTED_FUNCTION -> {
                if (inFrame(b)) {
                    if (plainLet(b) instanceof Rep plain) {
                        yield new ResultNodes.ReadResult(b.slot, plain);
                    }
                    yield b.needsCell ? new CellNodes.ReadLocal(b.slot, b.name) : LocalNodes.read(b.slot, rep(b));
                }
                int idx = captureIndex(b);
                yield b.needsCell ? new CellNodes.ReadCapturedCell(idx, b.name) : new CellNodes.ReadCapture(idx);
            }
        };
        return at(n, at);
    }

    // ---------------------------------------------------------------- expressions

    /** The value of {@code e} as its use needs it: with the checker's coercion applied. */
    private OspreyNode use(Expr e, boolean propagate, boolean tail) {
        OspreyNode substitute = substitutes.get(e);
        if (substitute != null) {
            return substitute;
        }
        Coercion c = e.coercion;
        if (c == null) {
            return value(e, tail);
        }
        OspreyNode n = switch (c) {
            case Coercion.Unwrap u -> raw(e, propagate);
            case Coercion.ValueOrError v -> new ResultNodes.ValueOrError(raw(e, true));
            case Coercion.AsAny k -> value(e, false);
            case Coercion.Wrap w -> new ResultNodes.Wrap(value(e, false));
            case Coercion.Adapt a -> adapter(value(e, false), a, e);
        };
        return at(n, e);
    }

    /** The representation of e's value after its coercion. */
    private static Rep usedRep(Expr e) {
        if (e.coercion instanceof Coercion.Unwrap) {
            return Rep.of(inner(e.type));
        }
        if (e.coercion != null) {
            return Rep.OBJECT;
        }
        return Rep.of(e.type);
    }

    private static Type inner(Type t) {
        return ((Type.Con) t.prune()).args.get(0);
    }

    /** The plain value inside an expression of type {@code Result<T, MathError>}. */
    private OspreyNode raw(Expr e, boolean propagate) {
        if (e instanceof Expr.Binary b && b.op.isArithmetic()) {
            return at(arithmetic(b, propagate), e);
        }
        if (e instanceof Expr.Unary u && Prelude.isMathResult(u.type)) {
            // '+' changes no number: the value is its operand's, an Error passed on or reported as '-' does.
            return at(u.op == '+' ? use(u.operand, propagate, false) : negate(u, propagate), e);
        }
        if (e instanceof Expr.Ident id && id.binding != null && plainLet(id.binding) instanceof Rep plain && inFrame(id.binding)) {
            return at(new ResultNodes.ReadPlain(id.binding.slot, plain, propagate), e);
        }
        // A block's value is its last expression: a fault there is reported there, not at the block's '{'.
        return at(new ResultNodes.Unwrap(value(e, false), propagate), Expr.valueSite(e));
    }

    private OspreyNode value(Expr e, boolean tail) {
        OspreyNode n = switch (e) {
            case Expr.IntLit x -> new Literals.LongLiteral(x.value);
            case Expr.FloatLit x -> new Literals.DoubleLiteral(x.value);
            case Expr.BoolLit x -> new Literals.BooleanLiteral(x.value);
            case Expr.UnitLit x -> new Literals.ObjectLiteral(Unit.INSTANCE);
            case Expr.StringLit s -> string(s);
            case Expr.Ident id -> ident(id);
            case Expr.Binary b -> binary(b);
            case Expr.Unary u -> unary(u);
            case Expr.Call c -> call(c, tail);
            case Expr.MethodCall m -> use(m.resolved, false, tail);
            case Expr.FieldAccess f when f.resolved != null -> use(f.resolved, false, false); // Counter.count
            case Expr.FieldAccess f -> f.byName ? new DataNodes.ReadFieldNamed(use(f.target, false, false), f.field)
                            : new DataNodes.ReadField(use(f.target, false, false), f.index);
            case Expr.Index ix -> index(ix);
            case Expr.Lambda l -> closure(l.info, l.params, l.body, "<lambda>", l);
            case Expr.Block b -> block(b, tail);
            case Expr.Match m -> match(m, tail);
            case Expr.RecordLit r -> recordLit(r);
            case Expr.RecordUpdate r when r.construction != null -> recordLit(r.construction);
            case Expr.RecordUpdate r -> recordUpdate(r);
            case Expr.ListLit l -> new CollectionNodes.NewList(uses(l.elements));
            case Expr.MapLit m -> mapLit(m);
            case Expr.TupleLit t -> new DataNodes.NewTuple(uses(t.elements));
            case Expr.Comprehension c -> comprehension(c);
            case Expr.Spawn sp -> new FiberNodes.Spawn(use(sp.body, false, false), sp.type);
            case Expr.Select sel -> select(sel, tail);
            case Expr.NewChannel nc -> new FiberNodes.NewChannel(use(nc.capacity, false, false), nc.type);
            case Expr.Extern x -> new org.osprey.nodes.call.ExternCall(x.linked, (org.osprey.nodes.call.CStrings) x.strings, x.symbol,
                            x.args.stream().map(a -> use(a, false, false)).toArray(OspreyNode[]::new), x.types.toArray(org.osprey.ast.ExternType[]::new), x.result);
            case Expr.Perform p -> perform(p);
            case Expr.Handle h -> handle(h);
        };
        return at(n, e);
    }

    /** {@code perform E.op(args)}: a call of the innermost handler's arm (spec 0017). */
    private OspreyNode perform(Expr.Perform p) {
        OspreyNode[] values = new OspreyNode[p.args.size()];
        int[] positions = new int[p.args.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = use(p.args.get(i).value, false, false);
            positions[i] = i;
        }
        PerformNode n = new PerformNode(p.target, p.effect, p.op, p.opIndex, p.target.returnsUnit(p.opIndex), new Arguments(values, positions, 1));
        return at(n, p).tagged(OspreyNode.CALL);
    }

    /** {@code handle E arms in body}: the arms are closures over the handle's scope; the body is no tail position. */
    private OspreyNode handle(Expr.Handle h) {
        OspreyNode[] arms = new OspreyNode[h.armsByOp.length];
        for (int i = 0; i < arms.length; i++) {
            Expr.Lambda arm = h.armsByOp[i].function;
            arms[i] = at(closure(arm.info, arm.params, arm.body, h.effect + "." + h.target.ops.get(i), arm), arm);
        }
        return at(new HandleNode(h.target, arms, use(h.body, false, false)), h);
    }

    private OspreyNode[] uses(List<Expr> es) {
        OspreyNode[] out = new OspreyNode[es.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = use(es.get(i), false, false);
        }
        return out;
    }

    private OspreyNode string(Expr.StringLit s) {
        if (s.isPlain()) {
            return new Literals.ObjectLiteral(Strings.of((String) s.parts.get(0)));
        }
        List<OspreyNode> parts = new ArrayList<>();
        for (Object p : s.parts) {
            if (p instanceof String text) {
                if (!text.isEmpty()) {
                    parts.add(new Literals.ObjectLiteral(Strings.of(text)));
                }
            } else {
                Expr pe = (Expr) p;
                parts.add(at(new StringNodes.ToDisplay(use(pe, false, false), usedRep(pe)), pe));
            }
        }
        return new StringNodes.Interpolation(parts.toArray(new OspreyNode[0]));
    }

    private OspreyNode ident(Expr.Ident id) {
        if (id.binding == null && id.variant instanceof VariantInfo v) {
            DataShape shape = DataShape.of(v);
            if (!v.hasFields()) {
                return new Literals.ObjectLiteral(shape.singleton);
            }
            return new Literals.ObjectLiteral(constructorFunction(v));
        }
        if (id.binding.kind == Binding.Kind.BUILTIN) {
            return new Literals.ObjectLiteral(builtinFunction((FunctionSignature) id.variant));
        }
        return read(id.binding, id);
    }

    // ---------------------------------------------------------------- operators

    private OspreyNode binary(Expr.Binary b) {
        BinOp op = b.op;
        if (op.isArithmetic()) {
            Type t = b.operandType;
            if (Types.is(t, Prelude.STRING)) {
                // a + b + c is one node, whose result is made at once and whose first operand a site that
                // builds a long string can extend in place (StringNodes.Chain): out = out + line + "\n"
                List<Expr> operands = new ArrayList<>();
                Expr first = b;
                while (first instanceof Expr.Binary inner && inner.op == op && Types.is(inner.operandType, Prelude.STRING)) {
                    operands.add(0, inner.right);
                    first = inner.left;
                }
                operands.add(0, first);
                if (operands.size() > 2) {
                    return new StringNodes.Interpolation(uses(operands), true);
                }
                return new StringNodes.Concat(use(b.left, false, false), use(b.right, false, false));
            }
            if (Types.is(t, Prelude.LIST) || Types.is(t, Prelude.MAP)) {
                return new CollectionNodes.Concat(use(b.left, false, false), use(b.right, false, false));
            }
            return new ResultNodes.Materialize(arithmetic(b, true), Rep.of(inner(b.type)));
        }
        if (op == BinOp.AND) {
            return new Logic.And(use(b.left, false, false), use(b.right, false, false));
        }
        if (op == BinOp.OR) {
            return new Logic.Or(use(b.left, false, false), use(b.right, false, false));
        }
        Comparisons.Op cop = Comparisons.Op.valueOf(op.name());
        Type t = b.operandType;
        if (Types.is(t, Prelude.FLOAT)) {
            return new Comparisons.FloatCompare(cop, numeric(b.left, false, true), numeric(b.right, false, true));
        }
        OspreyNode l = use(b.left, false, false);
        OspreyNode r = use(b.right, false, false);
        if (Types.is(t, Prelude.INT)) {
            return new Comparisons.IntCompare(cop, l, r);
        }
        if (Types.is(t, Prelude.STRING)) {
            return new Comparisons.StringCompare(cop, l, r);
        }
        if (Types.is(t, Prelude.BOOL)) {
            return new Comparisons.BoolCompare(cop, l, r);
        }
        return new Comparisons.StructuralEquals(cop, l, r);
    }

    /** An operand of a numeric operation, promoted from int when the operation is on floats. */
    private OspreyNode numeric(Expr operand, boolean propagate, boolean asFloat) {
        OspreyNode n = use(operand, propagate, false);
        if (asFloat && usedRep(operand) == Rep.LONG) {
            return at(new FloatArithmetic.IntToFloat(n), operand);
        }
        return n;
    }

    private OspreyNode arithmetic(Expr.Binary b, boolean propagate) {
        boolean isFloat = Types.is(b.operandType, Prelude.FLOAT);
        if (isFloat && b.op == BinOp.DIV && usedRep(b.left) == Rep.LONG && usedRep(b.right) == Rep.LONG) {
            // int / int: the exact quotient rounded once, not the quotient of the two ints rounded to floats.
            return at(new IntDivision(propagate, use(b.left, propagate, false), use(b.right, propagate, false)), b);
        }
        OspreyNode l = numeric(b.left, propagate, isFloat);
        OspreyNode r = numeric(b.right, propagate, isFloat);
        OspreyNode n;
        if (isFloat) {
            n = switch (b.op) {
                case ADD -> new FloatArithmetic.Add(propagate, l, r);
                case SUB -> new FloatArithmetic.Sub(propagate, l, r);
                case MUL -> new FloatArithmetic.Mul(propagate, l, r);
                case DIV -> new FloatArithmetic.Div(propagate, l, r);
                case MOD -> new FloatArithmetic.Mod(propagate, l, r);
                default -> throw new IllegalStateException(b.op.toString());
            };
        } else {
            n = switch (b.op) {
                case ADD -> new IntArithmetic.Add(propagate, l, r);
                case SUB -> new IntArithmetic.Sub(propagate, l, r);
                case MUL -> new IntArithmetic.Mul(propagate, l, r);
                case MOD -> new IntArithmetic.Mod(propagate, l, r);
                default -> throw new IllegalStateException(b.op.toString());
            };
        }
        return at(n, b);
    }

    private OspreyNode unary(Expr.Unary u) {
        if (u.op == '!') {
            return new Logic.Not(use(u.operand, false, false));
        }
        if (Prelude.isMathResult(u.type)) {
            return new ResultNodes.Materialize(raw(u, true), Rep.of(inner(u.type)));
        }
        return u.op == '+' ? use(u.operand, false, false) : negate(u, false);
    }

    private OspreyNode negate(Expr.Unary u, boolean propagate) {
        OspreyNode operand = use(u.operand, propagate, false);
        Type t = Prelude.isMathResult(u.type) ? inner(u.type) : u.type;
        if (Types.is(t, Prelude.FLOAT)) {
            return at(new FloatArithmetic.Negate(operand), u);
        }
        return at(new IntArithmetic.Negate(propagate, operand), u);
    }

    // ---------------------------------------------------------------- calls

    private OspreyNode call(Expr.Call c, boolean tail) {
        OspreyNode n = switch (c.kind) {
            case CONSTRUCTOR -> constructor(c);
            case BUILTIN -> ((FunctionSignature) c.target).implementation instanceof Overload.Forms forms
                            ? new CallNodes.Builtin(new OverloadDispatch(forms.forms()), arguments(c, 0), c.propagatesMathError)
                            : builtinCall(c, (BuiltinFunction) ((FunctionSignature) c.target).implementation);
            case FUNCTION -> functionCall(c, tail);
            case VALUE -> new CallNodes.Value(use(c.callee, false, false), arguments(c, 1), c.propagatesMathError);
        };
        return at(n, c).tagged(OspreyNode.CALL);
    }

    private OspreyNode mathCall(MathOps op, Expr.Call c) {
        OspreyNode a = use(c.ordered.get(0), false, false);
        return switch (op) {
            case ABS_INT -> new MathNodes.IntAbs(a);
            case MIN_INT, MAX_INT -> new MathNodes.IntMinMax(op, a, use(c.ordered.get(1), false, false));
            case MIN_FLOAT, MAX_FLOAT, ATAN2 -> new MathNodes.FloatBinary(op, a, use(c.ordered.get(1), false, false));
            default -> new MathNodes.FloatUnary(op, a);
        };
    }

    private OspreyNode builtinCall(Expr.Call c, BuiltinFunction f) {
        if (c.ordered.size() == 1 && !c.propagatesMathError) {
            if (f instanceof Intrinsics.FloatToInt) {
                return new FloatArithmetic.FloatToInt(use(c.ordered.get(0), false, false));
            }
            if (f instanceof Intrinsics.IntToFloat) {
                return new FloatArithmetic.IntToFloat(use(c.ordered.get(0), false, false));
            }
            if (f instanceof Intrinsics.Identity) {
                return use(c.ordered.get(0), false, false);
            }
            if (f instanceof Intrinsics.ListLength || f instanceof Intrinsics.MapLength) {
                return new CollectionNodes.Size(use(c.ordered.get(0), false, false), f instanceof Intrinsics.MapLength);
            }
            if (f instanceof Intrinsics.StringLength) {
                return new StringNodes.Length(use(c.ordered.get(0), false, false));
            }
        }
        if (f instanceof Intrinsics.MathFunction math && !c.propagatesMathError) {
            return mathCall(math.op(), c);
        }
        if (f instanceof Intrinsics.ListAdd add && c.ordered.size() == 2 && !c.propagatesMathError) {
            return new CollectionNodes.Add(arguments(c, 0), add.atEnd());
        }
        if (f instanceof Intrinsics.MapSet && c.ordered.size() == 3 && !c.propagatesMathError) {
            return c == setInPlace ? new CollectionNodes.PutInPlace(arguments(c, 0)) : new CollectionNodes.Put(arguments(c, 0));
        }
        if (f instanceof Intrinsics.StringSearch search && c.ordered.size() == 2 && !c.propagatesMathError) {
            return new StringNodes.Search(arguments(c, 0), search.kind());
        }
        if (f instanceof Intrinsics.Fold || f instanceof Intrinsics.ForEach || f instanceof Intrinsics.ListBuilding) {
            ArrayDeque<int[]> pool = loopSlots.get(frameScope().info);
            // inlinedLambda is the rule the program's walk put into `inlined`, so the lambda's slots are laid out.
            Expr.Lambda l = inlinedLambda(c);
            if (pool != null && !pool.isEmpty() && (l != null || !(f instanceof Intrinsics.ListBuilding))) {
                boolean fold = f instanceof Intrinsics.Fold;
                InlinedLoop.Kind kind = fold ? InlinedLoop.Kind.FOLD
                                : f instanceof Intrinsics.ForEach ? InlinedLoop.Kind.FOR_EACH
                                : ((Intrinsics.ListBuilding) f).filters() ? InlinedLoop.Kind.FILTER : InlinedLoop.Kind.MAP;
                return l != null ? inlinedLoop(c, l, kind, pool.poll())
                                : new RangeLoopCall(f, fold, arguments(c, 0, true), c.propagatesMathError, pool.poll());
            }
        }
        return new CallNodes.Builtin(f, arguments(c, 0, f instanceof Fusion.Consumer), c.propagatesMathError);
    }

    /**
     * A fold, forEach, map or filter with its lambda's body built in place ({@link InlinedLoop}), and the
     * lambdas of the map and filter calls its subject is made of as its stages ({@link #stageCalls}). The
     * lambdas' bindings already have slots in this frame ({@link #prepareFrame}); their bodies are built in a
     * scope that shares the frame, so they read the calling function's locals and captures directly.
     */
    private OspreyNode inlinedLoop(Expr.Call c, Expr.Lambda l, InlinedLoop.Kind kind, int[] slots) {
        boolean fold = kind == InlinedLoop.Kind.FOLD;
        int functionAt = fold ? 2 : 1;
        OspreyNode[] values = new OspreyNode[c.args.size()];
        int[] positions = new int[c.args.size()];
        List<InlinedLoop.Stage> stages = new ArrayList<>();
        for (int i = 0; i < c.args.size(); i++) {
            Expr arg = c.args.get(i).value;
            positions[i] = indexOf(c.ordered, arg);
            if (positions[i] == 0) {
                List<Expr.Call> calls = stageCalls(arg);
                Expr subject = calls.isEmpty() ? arg : calls.get(calls.size() - 1).ordered.get(0);
                for (int k = calls.size() - 1; k >= 0; k--) { // the innermost first: the order elements go through them
                    Expr.Call p = calls.get(k);
                    Expr.Lambda pl = lambdaInPlace(p, 1);
                    Binding param = pl.params.get(0).binding;
                    stages.add(new InlinedLoop.Stage(((Intrinsics.Stage) ((FunctionSignature) p.target).implementation).filters(), param.slot,
                                    rep(param), bodyInPlace(pl), localsInPlace(pl, param, null)));
                }
                values[i] = iterable(subject, c.propagatesMathError);
            } else {
                values[i] = positions[i] == functionAt ? new Literals.ObjectLiteral(Unit.INSTANCE) : use(arg, c.propagatesMathError, false);
            }
        }
        Binding element = l.params.get(fold ? 1 : 0).binding;
        Binding acc = fold ? l.params.get(0).binding : null;
        Expr appended = fold ? appendedOnly(c, l, acc) : null;
        if (appended != null) {
            // fold(initial: [], (xs, x) => append(xs, e)) is map(x => e): the lists in between are never seen.
            return new InlinedLoop(InlinedLoop.Kind.MAP, new Arguments(values, positions, 0), c.propagatesMathError, slots, element.slot,
                            rep(element), -1, Rep.OBJECT, inPlace(l, appended, l.body), localsInPlace(l, element, acc),
                            stages.toArray(new InlinedLoop.Stage[0]));
        }
        Expr.Call set = fold ? setOnly(l, acc) : null;
        if (set != null) {
            // fold(initial: m, (acc, x) => { ...; set(acc, k, v) }), acc read only as acc[key]: each turn's map is seen
            // by nothing after that turn's set, which may then change the nodes the fold itself made.
            for (int i = 0; i < values.length; i++) {
                if (positions[i] == 1) {
                    values[i] = new CollectionNodes.Editing(values[i]);
                }
            }
        }
        Expr.Call saved = setInPlace;
        setInPlace = set;
        OspreyNode body;
        try {
            body = bodyInPlace(l);
        } finally {
            setInPlace = saved;
        }
        if (fold) {
            body = new LocalNodes.Write(acc.slot, rep(acc), body);
        }
        OspreyNode loop = new InlinedLoop(kind, new Arguments(values, positions, 0), c.propagatesMathError, slots, element.slot, rep(element),
                        fold ? acc.slot : -1, fold ? rep(acc) : Rep.OBJECT, body, localsInPlace(l, element, acc),
                        stages.toArray(new InlinedLoop.Stage[0]));
        return set != null ? new CollectionNodes.Frozen(loop) : loop;
    }

    /**
     * For {@code fold(initial: m, function: (acc, x) => { ...; set(acc, k, v) })} where the body reads {@code acc}
     * nowhere else than as {@code acc[key]} (or {@link #readsByKey}), and not in a lambda or fn of its own: that set call. No turn's map
     * is then seen after the set that makes the next one, so the set may change the nodes that the fold itself
     * made ({@link org.osprey.runtime.MapValue#editing}) instead of copying a path of the map per update. Null
     * for any other fold.
     */
    private static Expr.Call setOnly(Expr.Lambda l, Binding acc) {
        if (!(callOf(Expr.valueSite(l.body)) instanceof Expr.Call set && set.kind == Expr.CallKind.BUILTIN && !set.propagatesMathError
                        && set.ordered.size() == 3 && set.target instanceof FunctionSignature sig && sig.implementation instanceof Intrinsics.MapSet
                        && set.ordered.get(0) instanceof Expr.Ident map && map.binding == acc && acc != null)) {
            return null;
        }
        int[] uses = {0, 0}; // every use of acc, and those that read it by key outside nested lambdas and fns
        new AstWalker(e -> {
            if (e instanceof Expr.Ident id && id.binding == acc) {
                uses[0]++;
            }
        }, st -> {
        }).expr(l.body);
        new AstWalker(e -> {
            if (e instanceof Expr.Index i && i.target instanceof Expr.Ident id && id.binding == acc || readsByKey(e, acc)) {
                uses[1]++;
            }
        }, st -> {
        }, nested -> false, false).expr(l.body);
        return uses[0] == uses[1] + 1 ? set : null;
    }

    /**
     * Whether {@code e} is {@code get(acc, k)}, {@code contains(acc, k)}, {@code length(acc)} or {@code isEmpty(acc)}:
     * a read of the map that lets none of its nodes out, as {@code acc[k]} (a count of words reads {@code get(counts,
     * w) ?: 0} more often than {@code counts[w]}).
     */
    private static boolean readsByKey(Expr e, Binding acc) {
        return e instanceof Expr.Call c && c.kind == Expr.CallKind.BUILTIN && c.target instanceof FunctionSignature sig
                        && (sig.name.equals("get") || sig.name.equals("contains") || sig.name.equals("length") || sig.name.equals("isEmpty"))
                        && !c.ordered.isEmpty() && c.ordered.get(0) instanceof Expr.Ident id && id.binding == acc;
    }

    /** The body of a lambda built in place, in a scope that shares the frame of the function around it. */
    private OspreyNode bodyInPlace(Expr.Lambda l) {
        return inPlace(l, l.body, l.body);
    }

    /** An expression of a lambda built in place; a statement of its own at {@code site} unless the body is a block. */
    private OspreyNode inPlace(Expr.Lambda l, Expr e, Expr site) {
        OspreyNode body;
        Scope saved = scope;
        scope = new Scope(l.info, saved, true);
        try {
            body = use(e, false, false);
        } finally {
            scope = saved;
        }
        if (!(l.body instanceof Expr.Block)) {
            at(body, site).tagged(OspreyNode.STATEMENT); // one statement per turn, as the lambda's own call would be
        }
        return body;
    }

    /**
     * For {@code fold(initial: [], function: (xs, x) => append(xs, e))} where {@code e} does not read {@code xs}:
     * {@code e}. Each turn's list is then seen by nothing but the next turn's append, so the fold is a map of
     * {@code e}: one array gathered in place instead of a new list per element (each copied the list's last
     * leaf, up to 32 elements). Null for any other fold.
     */
    private static Expr appendedOnly(Expr.Call c, Expr.Lambda l, Binding acc) {
        if (!(c.ordered.get(1) instanceof Expr.ListLit initial && initial.elements.isEmpty())) {
            return null;
        }
        if (!(l.body instanceof Expr.Call a && a.kind == Expr.CallKind.BUILTIN && !a.propagatesMathError && a.ordered.size() == 2
                        && a.target instanceof FunctionSignature sig && sig.implementation instanceof Intrinsics.ListAdd add && add.atEnd()
                        && a.ordered.get(0) instanceof Expr.Ident list && list.binding == acc && acc != null)) {
            return null;
        }
        Expr value = a.ordered.get(1);
        boolean[] readsAcc = {false};
        new AstWalker(e -> {
            if (e instanceof Expr.Ident id && id.binding == acc) {
                readsAcc[0] = true;
            }
        }, st -> {
        }).expr(value);
        return readsAcc[0] ? null : value;
    }

    /** The slots of a lambda built in place other than its parameters: its lets, cleared after each element. */
    private static int[] localsInPlace(Expr.Lambda l, Binding element, Binding acc) {
        List<Integer> locals = new ArrayList<>();
        for (Binding b : l.info.locals) {
            if (b != element && b != acc) {
                locals.add(b.slot);
            }
        }
        return locals.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * An argument that its consumer only walks once (spec 0010 Stream Fusion): a call of {@code map} or
     * {@code filter} on a list or a map there becomes its lazy form, an iterator, so no list is built in
     * between. Applies down the chain: {@code xs |> map(f) |> filter(p) |> fold(...)} is one loop.
     */
    private OspreyNode iterable(Expr e, boolean propagate) {
        if (fusedProducer(e) instanceof Expr.Call c) {
            return at(builtinCall(c, ((Fusion.Producer) ((FunctionSignature) c.target).implementation).lazy()), c).tagged(OspreyNode.CALL);
        }
        return use(e, propagate, false);
    }

    /** The call of map or filter on a list or a map that e is, where a consumer of e builds it lazily; else null. */
    private static Expr.Call fusedProducer(Expr e) {
        Expr.Call c = builtinCallOf(e);
        return c != null && ((FunctionSignature) c.target).implementation instanceof Fusion.Producer ? c : null;
    }

    /**
     * The call of a builtin that e is, written as a call or a method call, with no coercion of its value;
     * else null.
     */
    private static Expr.Call builtinCallOf(Expr e) {
        Expr inner = e instanceof Expr.MethodCall m && m.coercion == null ? m.resolved : e;
        if (e.coercion == null && inner.coercion == null && inner instanceof Expr.Call c && c.kind == Expr.CallKind.BUILTIN
                        && c.target instanceof FunctionSignature) {
            return c;
        }
        return null;
    }

    private OspreyNode functionCall(Expr.Call c, boolean tail) {
        Binding b = ((Expr.Ident) c.callee).binding;
        FunctionInfo frame = frameScope().info;
        if (tail && c.coercion == null && b == frame.self && (c.selfTailCall && b == scope.info.self || mutualLoops.contains(frame))) {
            return selfTailCall(c, frame); // in frame's own body, or in a partner built in place at its tail call
        }
        if (b.kind == Binding.Kind.FUNCTION) {
            FunctionValue f = (FunctionValue) b.storage;
            if (f.target.getRootNode() instanceof FunctionRootNode callee) {
                Inline site = inlineSite(c);
                if (site != null) {
                    return inlinedCall(c, (Stmt.Fn) b.decl, f, callee, site);
                }
                Map<Expr.Call, int[]> peels = peelSites.get(frameScope().info);
                if (peels != null && peels.get(c) instanceof int[] slots) {
                    return peeledCall(c, (Stmt.Fn) b.decl, f, callee, slots);
                }
                return new CallNodes.DirectUnboxed(f, callee, arguments(c, 1), c.propagatesMathError);
            }
            return new CallNodes.Direct(f, arguments(c, 1), c.propagatesMathError);
        }
        return new CallNodes.Value(read(b, c.callee), arguments(c, 1), c.propagatesMathError);
    }

    /** The slots prepareFrame reserved for building call c in place, or null where c is an ordinary call. */
    private Inline inlineSite(Expr.Call c) {
        for (Scope s = scope; s != null; s = s.parent) {
            if (s.inline != null) {
                return s.inline.nested.get(c);
            }
            if (!s.inlined) {
                break;
            }
        }
        Map<Expr.Call, Inline> sites = inlineSites.get(frameScope().info);
        return sites == null ? null : sites.get(c);
    }

    /**
     * A call of a small top-level fn with its body built here ({@link InlinedCall}): the arguments, built in
     * the caller's scope, go to the slots reserved for this call; the body is built in a scope that shares the
     * caller's frame, with the callee's bindings at those slots while it is built.
     */
    private OspreyNode inlinedCall(Expr.Call c, Stmt.Fn fn, FunctionValue f, FunctionRootNode callee, Inline site) {
        Arguments args = arguments(c, 1);
        int[] slots = new int[fn.params.size()];
        Rep[] reps = new Rep[slots.length];
        for (int i = 0; i < slots.length; i++) {
            Binding p = fn.params.get(i).binding;
            Integer slot = site.slots.get(p);
            slots[i] = slot == null ? -1 : slot;
            reps[i] = rep(p);
        }
        List<Integer> objects = new ArrayList<>();
        Map<Binding, Integer> home = new IdentityHashMap<>();
        for (Binding b : fn.info.locals) {
            home.put(b, b.slot);
            b.slot = site.slots.get(b);
            if (rep(b) == Rep.OBJECT) {
                objects.add(b.slot);
            }
        }
        Scope saved = scope;
        scope = new Scope(fn.info, saved, true, site);
        OspreyNode body;
        try {
            body = use(fn.body, false, site.tail);
        } finally {
            scope = saved;
            home.forEach((b, slot) -> b.slot = slot);
        }
        return new InlinedCall(f, callee, args, body, slots, reps, objects.stream().mapToInt(Integer::intValue).toArray(),
                        c.propagatesMathError);
    }

    /**
     * A call of a recursive fn with its base case tested here ({@link PeeledCall}): the arguments, built in
     * the caller's scope, go to the slots reserved for this call; fn's body is built in a scope that shares
     * the caller's frame, with fn's parameters at those slots, and with its recursive arm replaced by the
     * real call, which takes its arguments from the same slots.
     */
    private OspreyNode peeledCall(Expr.Call c, Stmt.Fn fn, FunctionValue f, FunctionRootNode callee, int[] slots) {
        Arguments args = arguments(c, 1);
        int n = fn.params.size();
        Rep[] reps = new Rep[n];
        OspreyNode[] reads = new OspreyNode[n];
        int[] positions = new int[n];
        List<Integer> objects = new ArrayList<>();
        Map<Binding, Integer> home = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            Binding p = fn.params.get(i).binding;
            reps[i] = rep(p);
            reads[i] = LocalNodes.read(slots[i], reps[i]);
            positions[i] = i;
            if (reps[i] == Rep.OBJECT) {
                objects.add(slots[i]);
            }
            home.put(p, p.slot);
        }
        Expr rest = peelRest(fn);
        substitutes.put(rest, new CallNodes.DirectUnboxed(f, callee, new Arguments(reads, positions, 1), c.propagatesMathError));
        for (int i = 0; i < n; i++) {
            fn.params.get(i).binding.slot = slots[i];
        }
        Scope saved = scope;
        scope = new Scope(fn.info, saved, true, null);
        OspreyNode body;
        try {
            body = use(fn.body, false, false);
        } finally {
            scope = saved;
            substitutes.remove(rest);
            home.forEach((b, slot) -> b.slot = slot);
        }
        return new PeeledCall(f, callee, args, body, slots, reps, objects.stream().mapToInt(Integer::intValue).toArray(), c.propagatesMathError);
    }

    /** Arguments in the order written, each placed at its parameter's position. */
    private Arguments arguments(Expr.Call c, int offset) {
        return arguments(c, offset, false);
    }

    /** As above; with {@code fuseFirst}, the first parameter's argument is built by {@link #iterable}. */
    private Arguments arguments(Expr.Call c, int offset, boolean fuseFirst) {
        OspreyNode[] values = new OspreyNode[c.args.size()];
        int[] positions = new int[c.args.size()];
        for (int i = 0; i < c.args.size(); i++) {
            Expr arg = c.args.get(i).value;
            positions[i] = indexOf(c.ordered, arg);
            values[i] = fuseFirst && positions[i] == 0 ? iterable(arg, c.propagatesMathError) : use(arg, c.propagatesMathError, false);
        }
        return new Arguments(values, positions, offset);
    }

    private static int indexOf(List<Expr> ordered, Expr e) {
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i) == e) {
                return i;
            }
        }
        throw new IllegalStateException("argument not in parameter order");
    }

    /**
     * A call of the function of the frame in tail position: the new arguments go over the parameters and
     * the body runs again. An argument that is its own parameter ({@code limit: limit}) is not evaluated at
     * all; any other goes straight to its parameter's slot unless an argument after it reads that parameter,
     * in which case it waits in a slot of its own until all are evaluated. In the interpreter that saves a
     * read, a write and a copy per argument and iteration.
     */
    private OspreyNode selfTailCall(Expr.Call c, FunctionInfo info) {
        Stmt.Fn fn = (Stmt.Fn) info.self.decl;
        int n = fn.params.size();
        int[] slots = new int[n];
        Rep[] reps = new Rep[n];
        for (int i = 0; i < n; i++) {
            Binding pb = fn.params.get(i).binding;
            slots[i] = pb.slot;
            reps[i] = rep(pb);
        }
        int[] temps = tailTemps.get(info);
        int[] targets = new int[n];
        int[] waiting = new int[n];
        Arrays.fill(waiting, -1);
        List<OspreyNode> values = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < c.args.size(); i++) {
            Expr arg = c.args.get(i).value;
            int p = indexOf(c.ordered, arg);
            Binding pb = fn.params.get(p).binding;
            if (arg.coercion == null && arg instanceof Expr.Ident id && id.binding == pb && !pb.needsCell) {
                continue;
            }
            values.add(use(arg, c.propagatesMathError, false));
            positions.add(p);
            boolean readLater = pb.needsCell || readByArgumentAfter(c, i, pb);
            targets[p] = readLater ? temps[p] : slots[p];
            if (readLater && slots[p] >= 0) {
                waiting[p] = temps[p];
            }
        }
        return new SelfTailCall(values.toArray(new OspreyNode[0]), positions.stream().mapToInt(Integer::intValue).toArray(), targets,
                        slots, waiting, reps, c.propagatesMathError);
    }

    /** Whether an argument of c after the i-th (in the order written, which is the order of evaluation) reads b. */
    private static boolean readByArgumentAfter(Expr.Call c, int i, Binding b) {
        boolean[] reads = {false};
        AstWalker walker = new AstWalker(e -> reads[0] |= e instanceof Expr.Ident id && id.binding == b, st -> {
        });
        for (int j = i + 1; j < c.args.size() && !reads[0]; j++) {
            walker.expr(c.args.get(j).value);
        }
        return reads[0];
    }

    private OspreyNode constructor(Expr.Call c) {
        VariantInfo v = (VariantInfo) c.target;
        DataShape shape = DataShape.of(v);
        if (c.ordered.isEmpty() && v.hasFields()) {
            return new DataNodes.New(shape, new OspreyNode[] {new Literals.ObjectLiteral(Unit.INSTANCE)}); // Success()
        }
        if (!v.hasFields()) {
            return new Literals.ObjectLiteral(shape.singleton);
        }
        // Evaluate in the order written; the layout order is the declaration order.
        OspreyNode[] fields = new OspreyNode[c.ordered.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = use(c.ordered.get(i), false, false);
        }
        return new DataNodes.New(shape, fields);
    }

    /** A builtin used as a value, e.g. {@code forEach(print)}: a function value calling it. */
    private FunctionValue builtinFunction(FunctionSignature sig) {
        return functionValues.computeIfAbsent(sig, k -> {
            int n = sig.paramNames.size();
            FrameDescriptor.Builder fd = frameBuilder();
            int[] slots = new int[n];
            Rep[] reps = new Rep[n];
            OspreyNode[] reads = new OspreyNode[n];
            int[] positions = new int[n];
            for (int i = 0; i < n; i++) {
                slots[i] = fd.addSlot(FrameSlotKind.Object, sig.paramNames.get(i), null);
                reps[i] = Rep.OBJECT;
                reads[i] = LocalNodes.read(slots[i], Rep.OBJECT);
                positions[i] = i;
            }
            // An overloaded builtin used as a value whose form its uses did not fix chooses by its first argument; its
            // types are those of no one form (a host's call is checked by the form it chooses).
            boolean overloaded = sig.implementation instanceof Overload.Forms;
            FunctionRootNode root = new FunctionRootNode(language, fd.build(), sig.name, null, slots, reps, false,
                            sig.paramNames.toArray(new String[0]), overloaded ? null : sig.paramTypes.toArray(new Type[0]), -1, Rep.OBJECT);
            root.setResultType(overloaded ? null : sig.result);
            BuiltinFunction implementation = sig.implementation instanceof Overload.Forms forms ? new OverloadDispatch(forms.forms())
                            : (BuiltinFunction) sig.implementation;
            root.setBody(new CallNodes.Builtin(implementation, new Arguments(reads, positions, 0), false));
            return new FunctionValue(sig.name, root.getCallTarget(), new Object[0], n);
        });
    }

    /** A variant with fields used as a value, e.g. {@code map(Some)}: a function that constructs it. */
    private FunctionValue constructorFunction(VariantInfo v) {
        return functionValues.computeIfAbsent(v, k -> {
            int n = v.fieldNames.size();
            FrameDescriptor.Builder fd = frameBuilder();
            int[] slots = new int[n];
            Rep[] reps = new Rep[n];
            OspreyNode[] reads = new OspreyNode[n];
            for (int i = 0; i < n; i++) {
                slots[i] = fd.addSlot(FrameSlotKind.Object, v.fieldNames.get(i), null);
                reps[i] = Rep.OBJECT;
                reads[i] = LocalNodes.read(slots[i], Rep.OBJECT);
            }
            FunctionRootNode root = new FunctionRootNode(language, fd.build(), v.name, null, slots, reps, false,
                            v.fieldNames.toArray(new String[0]), v.fieldTypes.toArray(new Type[0]), -1, Rep.OBJECT);
            root.setResultType(new Type.Con(v.owner, new ArrayList<>(v.owner.params)));
            root.setBody(new DataNodes.New(DataShape.of(v), reads));
            return new FunctionValue(v.name, root.getCallTarget(), new Object[0], n);
        });
    }

    private OspreyNode adapter(OspreyNode function, Coercion.Adapt a, Expr site) {
        return MakeClosure.adapter(adapterTarget(a, site), a.params().size(), function);
    }

    /** The adapter calling a function through a's conversions; a function argument or result may need its own. */
    private RootCallTarget adapterTarget(Coercion.Adapt a, Expr site) {
        int n = a.params().size();
        AdapterRootNode.Conversion[] params = new AdapterRootNode.Conversion[n];
        for (int i = 0; i < n; i++) {
            params[i] = conversion(a.params().get(i), site);
        }
        return new AdapterRootNode(language, params, conversion(a.result(), site), section(site)).getCallTarget();
    }

    private AdapterRootNode.Conversion conversion(Coercion c, Expr site) {
        return switch (c) {
            case Coercion.Unwrap u -> AdapterRootNode.Conversion.UNWRAP;
            case Coercion.ValueOrError v -> AdapterRootNode.Conversion.VALUE_OR_ERROR;
            case Coercion.AsAny k -> AdapterRootNode.Conversion.NONE;
            case Coercion.Wrap w -> AdapterRootNode.Conversion.WRAP;
            case Coercion.Adapt inner -> AdapterRootNode.Conversion.adapt(adapterTarget(inner, site), inner.params().size());
            case null -> AdapterRootNode.Conversion.NONE;
        };
    }

    // ---------------------------------------------------------------- blocks and match

    private OspreyNode block(Expr.Block b, boolean tail) {
        if (b.statements.isEmpty() && b.result == null && Types.is(b.type, Prelude.MAP)) {
            return new CollectionNodes.NewMap(new OspreyNode[0], new OspreyNode[0]); // `{}` where a map is expected
        }
        List<OspreyNode> stmts = new ArrayList<>();
        for (Stmt s : b.statements) {
            if (s instanceof Stmt.Fn fn && fn.binding != null && fn.binding.needsCell) {
                stmts.add(new CellNodes.Init(fn.binding.slot)); // nested fns may refer to each other early
            }
        }
        for (Stmt s : b.statements) {
            OspreyNode n = statement(s);
            if (n != null) {
                stmts.add(n);
            }
        }
        OspreyNode result = b.result == null ? null : use(b.result, false, tail);
        if (result != null) {
            at(result, b.result).tagged(OspreyNode.STATEMENT); // a line of its own, where the debugger stops
        }
        if (stmts.isEmpty() && result != null) {
            return result;
        }
        return new BlockNode(stmts.toArray(new OspreyNode[0]), result);
    }

    private OspreyNode match(Expr.Match m, boolean tail) {
        if (m.form == Expr.MatchForm.ELVIS && m.scrutinee instanceof Expr.Index ix && ix.coercion == null && m.arms.size() == 2
                        && m.arms.get(0).guard == null && m.arms.get(0).pattern instanceof Pattern.Constructor success
                        && success.name.equals("Success") && m.arms.get(0).body.coercion == null
                        && m.arms.get(1).guard == null && m.arms.get(1).pattern instanceof Pattern.Wildcard) {
            // xs[i] ?: d (the parser's two arms: Success { v } => v, _ => d): no Result in between.
            OspreyNode target = use(ix.target, false, false);
            OspreyNode index = use(ix.index, false, false);
            OspreyNode otherwise = use(m.arms.get(1).body, false, tail && !m.discarded);
            return new CollectionNodes.IndexOrElse(target, index, indexesMap(ix), otherwise);
        }
        OspreyNode scrutinee = use(m.scrutinee, false, false);
        int n = m.arms.size();
        if (n == 2 && usedRep(m.scrutinee) == Rep.BOOLEAN && m.arms.get(0).guard == null && m.arms.get(1).guard == null
                        && m.arms.get(0).pattern instanceof Pattern.Literal first && first.value instanceof Boolean b
                        && m.arms.get(1).pattern instanceof Pattern.Literal second && Boolean.valueOf(!b).equals(second.value)) {
            OspreyNode a = armBody(m, m.arms.get(0), tail);
            OspreyNode c = armBody(m, m.arms.get(1), tail);
            return b ? new Conditional(scrutinee, a, c) : new Conditional(scrutinee, c, a);
        }
        PatternNode[] patterns = new PatternNode[n];
        OspreyNode[] guards = new OspreyNode[n];
        OspreyNode[] bodies = new OspreyNode[n];
        for (int i = 0; i < n; i++) {
            Expr.Arm arm = m.arms.get(i);
            patterns[i] = pattern(arm.pattern);
            guards[i] = arm.guard == null ? null : use(arm.guard, false, false);
            bodies[i] = armBody(m, arm, tail);
        }
        return new MatchNode(scrutinee, patterns, guards, bodies, usedRep(m.scrutinee) == Rep.LONG);
    }

    /**
     * An arm of a match as written is a statement of its own where it is an expression (a block's statements
     * are already): the coverage tool shows an arm that never ran, on a line of its own, as not run, and the
     * debugger steps into the arm taken. Ternaries and {@code ?:} are one expression each.
     */
    private OspreyNode armBody(Expr.Match m, Expr.Arm arm, boolean tail) {
        OspreyNode body = use(arm.body, false, tail && !m.discarded);
        if (m.form == Expr.MatchForm.MATCH && !(arm.body instanceof Expr.Block)) {
            at(body, arm.body).tagged(OspreyNode.STATEMENT);
        }
        return body;
    }

    /** {@code select}: the operations' channels and values, each arm's binder and body (spec 0011). */
    private OspreyNode select(Expr.Select s, boolean tail) {
        int n = s.arms.size();
        OspreyNode[] channels = new OspreyNode[n];
        OspreyNode[] values = new OspreyNode[n];
        PatternNode[] binders = new PatternNode[n];
        OspreyNode[] bodies = new OspreyNode[n];
        int defaultArm = -1;
        for (int i = 0; i < n; i++) {
            Expr.SelectArm arm = s.arms.get(i);
            if (arm.channel == null) {
                defaultArm = i;
            } else {
                channels[i] = use(arm.channel, false, false);
                values[i] = arm.value != null ? use(arm.value, false, false) : null;
                binders[i] = arm.binder != null ? pattern(arm.binder) : null;
            }
            bodies[i] = use(arm.body, false, tail && !s.discarded);
        }
        return new FiberNodes.Select(channels, values, binders, bodies, defaultArm);
    }

    private PatternNode pattern(Pattern p) {
        return switch (p) {
            case Pattern.Wildcard w -> new Patterns.Wildcard();
            case Pattern.Binder b -> {
                if (b.typeTest != null) {
                    yield typedPattern(b.typeTest);
                }
                if (b.constructor) {
                    VariantInfo v = (VariantInfo) b.variant;
                    yield new Patterns.Data(DataShape.of(v), new int[0], new PatternNode[0]);
                }
                yield bind(b.binding);
            }
            case Pattern.Literal l -> literal(l.value);
            case Pattern.Constructor c -> constructorPattern(c);
            case Pattern.Typed t -> typedPattern(t);
            case Pattern.TuplePat t -> {
                PatternNode[] elems = new PatternNode[t.elements.size()];
                for (int i = 0; i < elems.length; i++) {
                    elems[i] = pattern(t.elements.get(i));
                }
                yield new Patterns.Tuple(elems);
            }
            case Pattern.ListPat l -> {
                PatternNode[] elems = new PatternNode[l.elements.size()];
                for (int i = 0; i < elems.length; i++) {
                    elems[i] = pattern(l.elements.get(i));
                }
                PatternNode rest = l.restBinding != null ? bind(l.restBinding) : l.rest != null ? new Patterns.Wildcard() : null;
                yield new Patterns.List(elems, rest);
            }
            case Pattern.MapPat mp -> {
                Object[] keys = new Object[mp.keys.size()];
                PatternNode[] values = new PatternNode[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    Object k = mp.keys.get(i);
                    keys[i] = k instanceof String s ? Strings.of(s) : k;
                    values[i] = pattern(mp.values.get(i));
                }
                yield new Patterns.Map(keys, values);
            }
        };
    }

    private PatternNode bind(Binding b) {
        if (b.kind == Binding.Kind.GLOBAL) {
            GlobalCell cell = global(b);
            return new BindGlobal(cell);
        }
        return new Patterns.Bind(b.slot, rep(b));
    }

    /** A binder of a top-level destructuring let. */
    private static final class BindGlobal extends PatternNode {
        private final GlobalCell cell;

        BindGlobal(GlobalCell cell) {
            this.cell = cell;
        }

        @Override
        public boolean match(com.oracle.truffle.api.frame.VirtualFrame frame, Object value) {
            cell.value = value;
            return true;
        }
    }

    private static PatternNode literal(Object v) {
        if (v instanceof Long l) {
            return new Patterns.LongLiteral(l);
        }
        if (v instanceof Double d) {
            return new Patterns.DoubleLiteral(d);
        }
        if (v instanceof Boolean b) {
            return new Patterns.BooleanLiteral(b);
        }
        if (v instanceof String s) {
            return new Patterns.StringLiteral(Strings.of(s));
        }
        return new Patterns.Wildcard(); // () matches the only unit value
    }

    private PatternNode constructorPattern(Pattern.Constructor c) {
        if (c.typeTest != null) {
            return typedPattern(c.typeTest);
        }
        if (c.variant instanceof TypeInfo record) {
            return fields(null, c.fields);
        }
        VariantInfo v = (VariantInfo) c.variant;
        DataShape shape = DataShape.of(v);
        if (c.fields != null) {
            return fields(shape, c.fields);
        }
        if (c.positional != null && !c.positional.isEmpty()) {
            int[] idx = new int[c.positional.size()];
            PatternNode[] subs = new PatternNode[idx.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
                subs[i] = pattern(c.positional.get(i));
            }
            return new Patterns.Data(shape, idx, subs);
        }
        return new Patterns.Data(shape, new int[0], new PatternNode[0]);
    }

    private PatternNode fields(DataShape shape, List<Pattern.FieldPat> fps) {
        List<Integer> idx = new ArrayList<>();
        List<PatternNode> subs = new ArrayList<>();
        if (fps != null) {
            for (Pattern.FieldPat fp : fps) {
                if (fp.index < 0) {
                    continue;
                }
                idx.add(fp.index);
                subs.add(fp.pattern != null ? pattern(fp.pattern) : bind(fp.binding));
            }
        }
        return new Patterns.Data(shape, idx.stream().mapToInt(Integer::intValue).toArray(), subs.toArray(new PatternNode[0]));
    }

    private PatternNode fieldsByName(List<Pattern.FieldPat> fps) {
        return fieldsByName(fps, null, null);
    }

    /**
     * {@code candidates} and {@code types}: on {@code any}, the records and variants the checker took the
     * fields' types from, and those types (see {@link Pattern.Typed#byNameCandidates}).
     */
    private PatternNode fieldsByName(List<Pattern.FieldPat> fps, List<Object> candidates, List<org.osprey.types.Type> types) {
        String[] names = new String[fps.size()];
        PatternNode[] subs = new PatternNode[fps.size()];
        for (int i = 0; i < names.length; i++) {
            Pattern.FieldPat fp = fps.get(i);
            names[i] = fp.field;
            subs[i] = fp.pattern != null ? pattern(fp.pattern) : bind(fp.binding);
        }
        if (candidates == null || types == null || types.stream().allMatch(java.util.Objects::isNull)) {
            return new Patterns.FieldsByName(names, subs);
        }
        DataShape[] shapes = new DataShape[candidates.size()];
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = candidates.get(i) instanceof VariantInfo v ? DataShape.of(v) : DataShape.of((TypeInfo) candidates.get(i));
        }
        return new Patterns.FieldsByName(names, subs, shapes, types.toArray(new org.osprey.types.Type[0]));
    }

    private PatternNode typedPattern(Pattern.Typed t) {
        boolean onAny = Types.is(t.type, Prelude.ANY);
        PatternNode inner;
        if (t.variant instanceof VariantInfo v) {
            inner = fields(DataShape.of(v), t.fields);
        } else if (t.variants != null) {
            inner = fieldsByName(t.fields); // { x } on a union: each of its variants that has these fields
        } else if (t.fields != null && onAny && t.tested == null) {
            inner = fieldsByName(t.fields, t.byNameCandidates, t.byNameTypes); // { name, age } on any: whatever has these fields
        } else if (t.fields != null) {
            inner = fields(null, t.fields);
        } else {
            inner = new Patterns.Wildcard();
        }
        if (onAny && t.tested != null) {
            inner = new Patterns.TypeTest(t.tested, inner);
        }
        if (t.binding != null) {
            return new Patterns.BindThen(bind(t.binding), inner);
        }
        return inner;
    }

    // ---------------------------------------------------------------- records and collections

    private OspreyNode recordLit(Expr.RecordLit r) {
        OspreyNode[] fields = new OspreyNode[r.ordered.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = use(r.ordered.get(i), false, false);
        }
        if (r.target instanceof TypeInfo record) {
            OspreyNode make = at(new DataNodes.New(DataShape.of(record), fields), r);
            return validated(record, make, r);
        }
        return new DataNodes.New(DataShape.of((VariantInfo) r.target), fields);
    }

    /** A record type with {@code where validator}: construction calls the validator (spec 0004). */
    private OspreyNode validated(TypeInfo record, OspreyNode make, org.osprey.ast.Node at) {
        if (record.validator == null) {
            return make;
        }
        // The validator of the type's declaration, not a later function of its name (a REPL entry may declare one).
        Binding v = record.validatorBinding != null ? record.validatorBinding : topLevelFunction.apply(record.validator);
        Arguments args = new Arguments(new OspreyNode[] {make}, new int[] {0}, 1);
        return at(new CallNodes.Direct((FunctionValue) v.storage, args, false), at);
    }

    private OspreyNode recordUpdate(Expr.RecordUpdate r) {
        OspreyNode[] values = new OspreyNode[r.fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = use(r.fields.get(i).value, false, false);
        }
        OspreyNode update = at(new DataNodes.Update(use(r.target, false, false), r.indices, values), r);
        Type t = r.target.type.prune();
        return t instanceof Type.Con c ? validated(c.info, update, r) : update;
    }

    private OspreyNode mapLit(Expr.MapLit m) {
        OspreyNode[] keys = new OspreyNode[m.entries.size()];
        OspreyNode[] values = new OspreyNode[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = use(m.entries.get(i).key, false, false);
            values[i] = use(m.entries.get(i).value, false, false);
        }
        return new CollectionNodes.NewMap(keys, values);
    }

    private OspreyNode index(Expr.Index ix) {
        OspreyNode target = use(ix.target, false, false);
        OspreyNode index = use(ix.index, false, false);
        if (indexesMap(ix)) {
            return new CollectionNodes.MapIndex(target, index);
        }
        return new CollectionNodes.ListIndex(target, index);
    }

    private static boolean indexesMap(Expr.Index ix) {
        Type t = Prelude.isMathResult(ix.target.type) ? inner(ix.target.type) : ix.target.type;
        return Types.is(t, Prelude.MAP);
    }

    private OspreyNode comprehension(Expr.Comprehension c) {
        OspreyNode source = iterable(c.source, false);
        PatternNode binder = pattern(c.binder);
        OspreyNode cond = c.condition == null ? null : use(c.condition, false, false);
        return new ComprehensionNode(source, binder, cond, use(c.element, false, false));
    }

    /** Type tests on resolved types. */
    private static final class Types {
        static boolean is(Type t, TypeInfo info) {
            return t != null && t.prune() instanceof Type.Con c && c.info == info;
        }
    }
}
