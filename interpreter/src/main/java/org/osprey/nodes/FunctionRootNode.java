package org.osprey.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.FrameSlotKind;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.LoopNode;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RepeatingNode;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.SourceSection;

import org.osprey.OspreyContext;
import org.osprey.OspreyLanguage;
import org.osprey.nodes.call.ArgumentRegisters;
import org.osprey.nodes.call.SelfTailCall;
import org.osprey.nodes.call.TailCallException;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Signature;
import org.osprey.runtime.StackOverflowUnwind;
import org.osprey.types.Type;

/**
 * The root of a function, lambda or nested fn. Arguments (after argument 0, the function itself) are copied
 * into their typed frame slots. A body that calls itself in tail position runs inside a {@link LoopNode}:
 * the tail call writes the new arguments and jumps back, so such recursion needs no stack. So does a body
 * that calls itself back through small functions built in place at its tail calls (mutual tail calls,
 * NodeBuilder.prepareTailPartners).
 */
public final class FunctionRootNode extends RootNode implements Signature {
    /**
     * Slot 0 of every Osprey frame (functions and programs): how deep in calls the frame is, counted from the
     * entry point that started the run. Made by {@code NodeBuilder.frameBuilder()}.
     */
    public static final int DEPTH_SLOT = 0;

    /** The body of a function without a self tail call; null for one with (the body is in the loop). */
    @Child private OspreyNode body;
    @Child private LoopNode loop;
    private final String name;
    private final SourceSection section;
    @CompilationFinal(dimensions = 1) private final int[] paramSlots;
    @CompilationFinal(dimensions = 1) private final Rep[] paramReps;
    private final boolean tailLoop;
    private final String[] paramNames;
    private final Type[] paramTypes;
    private final OspreyLanguage language;
    /** For a tail loop whose result is an int, float or bool: the frame slot that carries it out of the loop; else -1. */
    private final int resultSlot;
    private final Rep resultRep;

    public FunctionRootNode(OspreyLanguage language, FrameDescriptor descriptor, String name, SourceSection section,
                    int[] paramSlots, Rep[] paramReps, boolean tailLoop, String[] paramNames, Type[] paramTypes, int resultSlot, Rep resultRep) {
        super(language, descriptor);
        this.resultSlot = resultSlot;
        this.resultRep = resultRep;
        this.language = language;
        this.paramNames = paramNames;
        this.paramTypes = paramTypes;
        this.name = name;
        this.section = section;
        this.paramSlots = paramSlots;
        this.paramReps = paramReps;
        this.tailLoop = tailLoop;
    }

    /** Set once after construction, so mutually recursive functions can refer to each other's call targets. */
    public void setBody(OspreyNode body) {
        // The body has one parent: this root, or the tail loop. A node that is the child of two would be seen
        // twice by every walk of the tree, and copied twice where the tree is copied (a split of the function).
        if (tailLoop) {
            this.loop = insert(Truffle.getRuntime().createLoopNode(new TailLoop(body, locals(true), locals(false), resultSlot, resultRep)));
        } else {
            this.body = insert(body);
        }
        // The call target exists already, so tools saw an empty function when it was made: show them the
        // body, or a breakpoint on one of its lines would never resolve.
        notifyInserted(body);
    }

    @Override
    public Object execute(VirtualFrame frame) {
        ArgumentRegisters registers = copyArguments(frame);
        // Recursion depth is bounded by a count, not by the thread's stack: reaching the end of a 1 GiB stack
        // and unwinding it takes minutes on HotSpot. Each frame holds its own depth (DEPTH_SLOT). A caller
        // that passes registers passes its depth + 1 in them, so a chain of direct calls counts itself
        // without touching memory outside its frames, which is what compiled code pays for on every call
        // otherwise, inlined or not. Any other call site stores its frame's depth in the context first
        // (publishDepth); a function called that way counts from there and puts the context back as it found
        // it. One Osprey thread runs per context at a time (the execution lock), so the context's field is
        // exact. There is deliberately no try/finally here: a handler in every compiled frame would
        // deoptimise each frame an error unwinds through. Osprey code never catches an exception that crosses
        // a call, so the entry points reset the context's depth instead. In the interpreter the context is the
        // language's field (OspreyLanguage.current), which OspreyContext.get also reads there, but only after
        // finding the root and checking that it is Osprey's; this root holds its language, so it reads the field
        // at once. Compiled code folds the lookup to a constant.
        OspreyContext context = CompilerDirectives.inInterpreter() ? language.current : OspreyContext.get(this);
        int outer = 0;
        int depth;
        if (registers != null) {
            depth = registers.depth();
        } else {
            outer = context.callDepth;
            depth = outer + 1;
        }
        if (depth > context.maxCallDepth) {
            throw new StackOverflowUnwind(OspreyError.stackOverflow(this, context.maxCallDepth));
        }
        frame.setLong(DEPTH_SLOT, depth);
        Object result;
        if (resultRep != Rep.OBJECT) {
            // An int, float or bool result is computed unboxed whoever the caller is: one path through the
            // body, so partial evaluation builds the body once per compilation and per inlined call, not once
            // for callers with registers and again for the others. A caller that passed registers reads the
            // result from them, unboxed; any other gets it boxed (where this is inlined, the box goes away).
            long bits = unboxedResult(frame);
            if (registers != null) {
                registers.setResult(bits);
                result = ArgumentRegisters.RESULT;
            } else {
                result = resultRep.fromBits(bits);
            }
        } else if (loop == null) {
            result = body.executeGeneric(frame);
        } else {
            result = runLoop(frame);
        }
        if (registers == null) {
            context.callDepth = outer;
        }
        return result;
    }

    /**
     * Before a call that passes no registers (a function value, a builtin that may call back, a loop over a
     * function): the callee reads its caller's depth from the context. Returns the context, for the call to use.
     */
    public static OspreyContext publishDepth(Node site, VirtualFrame frame) {
        return publishDepth(OspreyContext.get(site), frame);
    }

    /** {@link #publishDepth(Node, VirtualFrame)} where the call site has the context already. */
    public static OspreyContext publishDepth(OspreyContext context, VirtualFrame frame) {
        context.callDepth = (int) frame.getLong(DEPTH_SLOT);
        return context;
    }

    /** The body's int, float or bool result as the bits {@link ArgumentRegisters} hold. */
    private long unboxedResult(VirtualFrame frame) {
        if (loop == null) {
            return switch (resultRep) {
                case LONG -> body.executeLong(frame);
                case DOUBLE -> Double.doubleToRawLongBits(body.executeDouble(frame));
                case BOOLEAN -> body.executeBoolean(frame) ? 1 : 0;
                case OBJECT -> throw CompilerDirectives.shouldNotReachHere();
            };
        }
        runLoop(frame);
        return switch (resultRep) {
            case LONG -> frame.getLong(resultSlot);
            case DOUBLE -> Double.doubleToRawLongBits(frame.getDouble(resultSlot));
            case BOOLEAN -> frame.getBoolean(resultSlot) ? 1 : 0;
            case OBJECT -> throw CompilerDirectives.shouldNotReachHere();
        };
    }

    /** Runs the tail loop from the start; its value (a tail loop with a result slot leaves its result there). */
    private Object runLoop(VirtualFrame frame) {
        ((TailLoop) loop.getRepeatingNode()).enter(frame);
        return executeLoop(loop, frame);
    }

    /**
     * Runs a loop of Osprey code (a tail loop, a fold or map written in place) so that a fault raised in its
     * body keeps its place in the stack trace. A loop that runs long in an interpreted frame is compiled on its
     * own (on-stack replacement), and a fault thrown there reached the host with the function's frame but
     * without the place in it: Truffle gives the fault's node to the loop's own call target, a frame no stack
     * trace shows. The launcher then said "error:" where it says "error in function 'grow':", and an
     * embedder's stack trace had "grow(Unknown)". Such a fault (its node is in this loop's function, not in a
     * function it called) is thrown again from here, as a new exception with the same message and node, whose
     * stack trace starts in this frame. Compiled code has no such handler: there the whole function is
     * compiled, loop and all, and its frame is the one that throws.
     */
    public static Object executeLoop(LoopNode loop, VirtualFrame frame) {
        if (CompilerDirectives.inInterpreter()) {
            try {
                return loop.execute(frame);
            } catch (OspreyError e) {
                throw e.thrownAgainIn(loop.getRootNode());
            }
        }
        return loop.execute(frame);
    }

    /** Copies the arguments into the parameters' slots; returns the caller's registers if it passed them. */
    @ExplodeLoop
    private ArgumentRegisters copyArguments(VirtualFrame frame) {
        Object[] args = frame.getArguments();
        if (args.length == 2 && args[1] instanceof ArgumentRegisters registers) {
            copyRegisters(frame, registers);
            return registers;
        }
        for (int i = 0; i < paramSlots.length; i++) {
            int slot = paramSlots[i];
            if (slot < 0) {
                continue;
            }
            paramReps[i].set(frame, slot, args[i + 1]);
        }
        return null;
    }

    /** The arguments of a call that passed them in its registers (CallNodes.DirectUnboxed), unboxed. */
    @ExplodeLoop
    private void copyRegisters(VirtualFrame frame, ArgumentRegisters registers) {
        for (int i = 0; i < paramSlots.length; i++) {
            int slot = paramSlots[i];
            if (slot < 0) {
                continue;
            }
            switch (paramReps[i]) {
                case LONG -> frame.setLong(slot, registers.longAt(i));
                case DOUBLE -> frame.setDouble(slot, Double.longBitsToDouble(registers.longAt(i)));
                case BOOLEAN -> frame.setBoolean(slot, registers.longAt(i) != 0);
                case OBJECT -> frame.setObject(slot, registers.takeObject(i));
            }
        }
    }

    /** How the body's result is held: an int, float or bool result comes back unboxed to a caller with registers. */
    public Rep resultRep() {
        return resultRep;
    }

    /** How each parameter is held, by position. */
    public Rep[] parameterReps() {
        return paramReps.clone();
    }

    /** Which parameters the body never reads (they have no frame slot), by position. */
    public boolean[] unusedParameters() {
        boolean[] unused = new boolean[paramSlots.length];
        for (int i = 0; i < unused.length; i++) {
            unused[i] = paramSlots[i] < 0;
        }
        return unused;
    }

    @Override
    public String[] parameterNames() {
        return paramNames;
    }

    @Override
    public Type[] parameterTypes() {
        return paramTypes;
    }

    /** The captures' types, set by the builder for a closure (see Signature.captureTypes). */
    private Type[] captureTypes;

    public void setCaptureTypes(Type[] types) {
        this.captureTypes = types;
    }

    @Override
    public Type[] captureTypes() {
        return captureTypes;
    }

    /** The result type, set by the builder where the checker inferred it. */
    private Type resultType;

    public void setResultType(Type type) {
        this.resultType = type;
    }

    @Override
    public Type resultType() {
        return resultType;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }

    @Override
    public boolean isCloningAllowed() {
        return true;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * The object slots (or else the primitive ones) of the frame that are not parameters, the depth or the
     * result: the locals of the body.
     */
    private int[] locals(boolean objects) {
        FrameDescriptor fd = getFrameDescriptor();
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int slot = 0; slot < fd.getNumberOfSlots(); slot++) {
            boolean param = slot == DEPTH_SLOT || slot == resultSlot;
            for (int p : paramSlots) {
                param |= p == slot;
            }
            if (!param && (fd.getSlotKind(slot) == FrameSlotKind.Object) == objects) {
                out.add(slot);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * One iteration runs the body; a self tail call ends the iteration with the parameters already rewritten.
     * The body's object locals are cleared before the next iteration: each iteration writes them before it
     * reads them, and a value left in a slot across the loop's back edge (a {@code Result} kept in a
     * {@code let}, a record) would have to be allocated in compiled code, where otherwise it need not be.
     * Compiled code clears the primitive locals too, here and when the function starts (see {@link #enter}).
     */
    private static final class TailLoop extends Node implements RepeatingNode {
        @Child private OspreyNode body;
        @CompilationFinal(dimensions = 1) private final int[] objects;
        @CompilationFinal(dimensions = 1) private final int[] primitives;
        private final int resultSlot;
        private final Rep resultRep;

        TailLoop(OspreyNode body, int[] objects, int[] primitives, int resultSlot, Rep resultRep) {
            this.body = body;
            this.objects = objects;
            this.primitives = primitives;
            this.resultSlot = resultSlot;
            this.resultRep = resultRep;
        }

        /**
         * With an int, float or bool result: the result goes to its slot, unboxed (see FunctionRootNode.resultSlot).
         * Interpreted, the body is asked for its generic value, where a tail call answers {@link SelfTailCall#JUMP}
         * instead of throwing (see there); compiled, for its typed value, where a tail call throws.
         */
        @Override
        public boolean executeRepeating(VirtualFrame frame) {
            if (CompilerDirectives.inInterpreter()) {
                Object result = runGeneric(frame);
                if (result == SelfTailCall.JUMP) {
                    return true;
                }
                resultRep.set(frame, resultSlot, result);
                return false;
            }
            try {
                switch (resultRep) {
                    case LONG -> frame.setLong(resultSlot, body.executeLong(frame));
                    case DOUBLE -> frame.setDouble(resultSlot, body.executeDouble(frame));
                    case BOOLEAN -> frame.setBoolean(resultSlot, body.executeBoolean(frame));
                    case OBJECT -> throw CompilerDirectives.shouldNotReachHere();
                }
                return false;
            } catch (TailCallException e) {
                clearLocals(frame);
                return true;
            }
        }

        @Override
        public Object executeRepeatingWithValue(VirtualFrame frame) {
            if (resultSlot >= 0) {
                return executeRepeating(frame) ? CONTINUE_LOOP_STATUS : BREAK_LOOP_STATUS;
            }
            Object result = runGeneric(frame);
            return result == SelfTailCall.JUMP ? CONTINUE_LOOP_STATUS : result;
        }

        /** One iteration for the body's generic value: its result, or JUMP (with the locals cleared) after a tail call. */
        private Object runGeneric(VirtualFrame frame) {
            Object result;
            try {
                result = body.executeGeneric(frame);
            } catch (TailCallException e) {
                result = SelfTailCall.JUMP;
            }
            if (result == SelfTailCall.JUMP) {
                clearLocals(frame);
            }
            return result;
        }

        @ExplodeLoop
        private void clearLocals(VirtualFrame frame) {
            for (int slot : objects) {
                frame.setObject(slot, null);
            }
            if (CompilerDirectives.inCompiledCode()) {
                clearPrimitives(frame);
            }
        }

        /**
         * In compiled code, before the first iteration: the primitive locals start cleared, as they are after
         * every iteration. A slot whose value (and kind) differs between the loop's entry and its back edge is
         * a value the compiled loop carries round, and keeps in memory across every call the body makes, since
         * the frame's contents are what deoptimisation needs there; a slot that is the same on both is a
         * constant and costs nothing.
         */
        void enter(VirtualFrame frame) {
            if (CompilerDirectives.inCompiledCode()) {
                clearPrimitives(frame);
            }
        }

        @ExplodeLoop
        private void clearPrimitives(VirtualFrame frame) {
            for (int slot : primitives) {
                frame.clear(slot);
            }
        }
    }
}
