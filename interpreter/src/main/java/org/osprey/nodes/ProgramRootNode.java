package org.osprey.nodes;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.SourceSection;

import org.osprey.OspreyContext;
import org.osprey.OspreyLanguage;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.Display;
import org.osprey.runtime.Results;
import org.osprey.runtime.RunInterrupted;
import org.osprey.runtime.StackOverflowUnwind;

/**
 * Runs a program: its top-level statements in order, then {@code main()} if it declares one (spec README:
 * an int result becomes the exit code). An interactive source (a REPL entry) instead yields the value of
 * its last expression; a program run as a process ({@link OspreyLanguage#RUN_MIME_TYPE}) yields its exit
 * status as an Integer. Holds the context's execution lock while Osprey code runs on this thread.
 */
public final class ProgramRootNode extends RootNode {
    /**
     * The top-level statements, then the call of main() or else the last expression's value (a BlockNode):
     * the whole run is inside it, so tools see the root's body end when the program's code does.
     */
    @Child private OspreyNode body;
    /** The call of main() in the body, or null: names the place when main returns an Error. */
    private final OspreyNode main;
    private final SourceSection section;
    /** For an interactive source: what to show once it ran; null otherwise. */
    private final InteractiveEcho echo;
    private final boolean exitStatus;

    public ProgramRootNode(OspreyLanguage language, FrameDescriptor descriptor, SourceSection section, OspreyNode body,
                    OspreyNode main, InteractiveEcho echo, boolean exitStatus, Session session) {
        super(language, descriptor);
        this.exitStatus = exitStatus;
        this.session = session;
        this.section = section;
        this.echo = echo;
        this.body = body;
        this.main = main;
    }

    /**
     * How the program joins its session: {@code stale} says whether a program that declares something has run
     * since this one was parsed (then {@code reparse} parses it again, against the session as it is now);
     * {@code commit} adds its declarations when it starts; {@code forgetUnrun} gives back the names of its lets
     * whose declarations did not run when it faulted.
     */
    public record Session(BooleanSupplier stale, Runnable commit, Runnable forgetUnrun, Supplier<CallTarget> reparse) {
    }

    private final Session session;

    @Override
    public Object execute(VirtualFrame frame) {
        OspreyContext context = OspreyContext.get(this);
        context.lockExecution();
        if (join(context)) {
            return again(frame.getArguments());
        }
        int depth = context.callDepth;
        frame.setLong(FunctionRootNode.DEPTH_SLOT, depth);
        long run = 0;
        try {
            run = context.beginRun();
            Object value;
            try {
                context.stopIfAskedBefore(run);
                value = run(frame);
                if (context.fibers != null) {
                    endFibers(context); // the run waits for its fibers
                }
            } catch (Throwable t) {
                forgetUnrun();
                if (context.fibers != null) {
                    abandonFibers(context, t);
                }
                throw t;
            }
            if (echo != null) {
                echo.print(context, value);
            }
            if (exitStatus) {
                return value instanceof Long status ? (int) (long) status : exitStatus(context, value, main);
            }
            return value;
        } catch (StackOverflowUnwind e) {
            throw e.error;
        } catch (RunInterrupted e) {
            context.interrupted(e.run); // stop what the entry started before the prompt comes back
            throw e;
        } finally {
            context.endRun(run);
            context.callDepth = depth; // calls that ended with an error did not count themselves down
            context.flush();
            context.unlockExecution();
        }
    }

    /** Adds the declarations to the session; true if the program must be parsed again instead (the lock released). */
    @TruffleBoundary
    private boolean join(OspreyContext context) {
        if (session.stale().getAsBoolean()) {
            context.unlockExecution();
            return true;
        }
        session.commit().run();
        return false;
    }

    @TruffleBoundary
    private Object again(Object[] arguments) {
        return session.reparse().get().call(arguments);
    }

    @TruffleBoundary
    private static void endFibers(OspreyContext context) {
        context.fibers.endRun();
    }

    @TruffleBoundary
    private static void abandonFibers(OspreyContext context, Throwable failure) {
        context.fibers.abandonRun(failure);
    }

    @TruffleBoundary
    private void forgetUnrun() {
        session.forgetUnrun().run();
    }

    private Object run(VirtualFrame frame) {
        return body.executeGeneric(frame);
    }

    /**
     * The exit status of a program whose main returned something other than an int: a {@code Result} from
     * arithmetic ({@code fn main() = a % b}) exits with its int when it succeeded; an Error is a failed
     * program, said on standard error on one line (a line break of its message written \\n), status 1. Anything
     * else (unit, a string) is 0.
     */
    @TruffleBoundary
    private static int exitStatus(OspreyContext context, Object value, OspreyNode main) {
        if (value instanceof DataValue r && r.shape == Results.SUCCESS) {
            return r.fieldCount() > 0 && r.field(0) instanceof Long status ? (int) (long) status : 0;
        }
        if (value instanceof DataValue r && r.shape == Results.ERROR) {
            context.flush();
            context.err().println(OspreyContext.place(main != null ? main.getSourceSection() : null) + "error: main returned " + Display.visible(Display.show(value)));
            return 1;
        }
        return 0;
    }

    @Override
    public String getName() {
        return "<program>";
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }
}
