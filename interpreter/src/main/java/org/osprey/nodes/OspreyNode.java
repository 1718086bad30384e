package org.osprey.nodes;

import com.oracle.truffle.api.frame.Frame;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.GenerateWrapper;
import com.oracle.truffle.api.instrumentation.InstrumentableNode;
import com.oracle.truffle.api.instrumentation.ProbeNode;
import com.oracle.truffle.api.instrumentation.StandardTags;
import com.oracle.truffle.api.instrumentation.Tag;
import com.oracle.truffle.api.interop.NodeLibrary;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.SourceSection;

/**
 * Base of every executable node. The checker knows every expression's type, so a parent asks a child for
 * exactly the representation it needs ({@link #executeLong} for an int, ...) and nothing is boxed on the way;
 * a typed node overrides its own execute method and boxes only in {@link #executeGeneric}.
 *
 * Source positions are two ints; the SourceSection is made only when a tool or an error asks for it.
 */
@GenerateWrapper
@ExportLibrary(value = NodeLibrary.class)
public abstract class OspreyNode extends Node implements InstrumentableNode {
    public static final byte STATEMENT = 1;
    public static final byte CALL = 2;
    public static final byte ROOT_BODY = 4;

    private int sourceStart = -1;
    private int sourceLength;
    private byte tags;

    public abstract Object executeGeneric(VirtualFrame frame);

    public long executeLong(VirtualFrame frame) {
        return (long) executeGeneric(frame);
    }

    public double executeDouble(VirtualFrame frame) {
        return (double) executeGeneric(frame);
    }

    public boolean executeBoolean(VirtualFrame frame) {
        return (boolean) executeGeneric(frame);
    }

    /** Runs the node for its effect only. */
    public void executeVoid(VirtualFrame frame) {
        executeGeneric(frame);
    }

    /** Records the source range; returns this for chaining in the node builder. */
    public final OspreyNode at(int start, int end) {
        this.sourceStart = start;
        this.sourceLength = Math.max(0, end - start);
        return this;
    }

    public final OspreyNode tagged(byte tag) {
        this.tags |= tag;
        return this;
    }

    public final int sourceStart() {
        return sourceStart;
    }

    public final int sourceLength() {
        return sourceLength;
    }

    public final void copySourceFrom(OspreyNode other) {
        this.sourceStart = other.sourceStart;
        this.sourceLength = other.sourceLength;
    }

    @Override
    public SourceSection getSourceSection() {
        if (sourceStart < 0) {
            return null;
        }
        RootNode root = getRootNode();
        if (root == null) {
            return null;
        }
        SourceSection rootSection = root.getSourceSection();
        if (rootSection == null) {
            return null;
        }
        return rootSection.getSource().createSection(sourceStart, sourceLength);
    }

    @Override
    public boolean isInstrumentable() {
        return sourceStart >= 0;
    }

    @Override
    public WrapperNode createWrapper(ProbeNode probe) {
        return new OspreyNodeWrapper(this, probe);
    }

    @Override
    public boolean hasTag(Class<? extends Tag> tag) {
        if (tag == StandardTags.StatementTag.class) {
            return (tags & STATEMENT) != 0;
        }
        if (tag == StandardTags.CallTag.class) {
            return (tags & CALL) != 0;
        }
        if (tag == StandardTags.RootBodyTag.class || tag == StandardTags.RootTag.class) {
            // The body is the whole function: the debugger counts frames by RootTag (step over, step out).
            return (tags & ROOT_BODY) != 0;
        }
        if (tag == StandardTags.ExpressionTag.class) {
            return (tags & (STATEMENT | ROOT_BODY)) == 0;
        }
        return false;
    }

    /**
     * A debugger stopped in a function sees its locals (FrameScope); stopped at a top-level statement, the
     * top-level declarations (TopScope), which live in global cells rather than in the frame.
     */
    @ExportMessage
    boolean hasScope(Frame frame) {
        return frame != null && (getRootNode() instanceof FunctionRootNode || getRootNode() instanceof ProgramRootNode);
    }

    @ExportMessage
    Object getScope(Frame frame, boolean nodeEnter) throws com.oracle.truffle.api.interop.UnsupportedMessageException {
        if (frame == null) {
            throw com.oracle.truffle.api.interop.UnsupportedMessageException.create();
        }
        if (getRootNode() instanceof FunctionRootNode root) {
            return new org.osprey.runtime.FrameScope(frame.materialize(), root.getName());
        }
        if (getRootNode() instanceof ProgramRootNode) {
            return new org.osprey.runtime.TopScope(org.osprey.OspreyContext.get(this).environment.values);
        }
        throw com.oracle.truffle.api.interop.UnsupportedMessageException.create();
    }
}
