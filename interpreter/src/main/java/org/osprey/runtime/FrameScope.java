package org.osprey.runtime;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.MaterializedFrame;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * The local variables of one running function, as a debugger shows them: every parameter and let that has
 * a value at this point, read from the frame (a captured mut through its cell). Read-only.
 */
@ExportLibrary(InteropLibrary.class)
public final class FrameScope implements TruffleObject {
    private final MaterializedFrame frame;
    private final String function;

    /**
     * The slot information of a variable whose slot holds a plain int or float where the variable is a
     * Result (the node builder's {@code let x = a * b}); shown as the Result.
     */
    public static final Object RESULT_KEPT_PLAIN = new Object();

    public FrameScope(MaterializedFrame frame, String function) {
        this.frame = frame;
        this.function = function;
    }

    /** The frame slot of a name, or -1. The innermost binding of a name wins, so search from the end. */
    @TruffleBoundary
    private int slot(String name) {
        FrameDescriptor d = frame.getFrameDescriptor();
        for (int i = d.getNumberOfSlots() - 1; i >= 0; i--) {
            if (name.equals(d.getSlotName(i)) && value(i) != null) {
                return i;
            }
        }
        return -1;
    }

    private Object value(int slot) {
        if (frame.getTag(slot) == com.oracle.truffle.api.frame.FrameSlotKind.Illegal.tag) {
            return null; // never set, or cleared (a let of an inlined lambda between elements)
        }
        Object v = frame.getValue(slot);
        if (v instanceof Cell c) {
            v = c.value;
        } else if ((v instanceof Long || v instanceof Double) && frame.getFrameDescriptor().getSlotInfo(slot) == RESULT_KEPT_PLAIN) {
            v = Results.success(v);
        }
        return v instanceof Long || v instanceof Double || v instanceof Boolean || MetaType.of(v) != null ? v : null;
    }

    @ExportMessage
    boolean isScope() {
        return true;
    }

    @ExportMessage
    boolean hasMembers() {
        return true;
    }

    @ExportMessage
    @TruffleBoundary
    Object getMembers(boolean includeInternal) {
        FrameDescriptor d = frame.getFrameDescriptor();
        List<Object> names = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < d.getNumberOfSlots(); i++) {
            // Names in angle brackets are the interpreter's own slots (a loop's index and end), not variables.
            if (d.getSlotName(i) instanceof String name && !name.startsWith("<") && !seen.contains(name) && value(i) != null) {
                seen.add(name);
                names.add(Strings.of(name));
            }
        }
        return ListValue.of(names);
    }

    @ExportMessage
    boolean isMemberReadable(String member) {
        return slot(member) >= 0;
    }

    @ExportMessage
    Object readMember(String member) throws UnknownIdentifierException {
        int i = slot(member);
        if (i < 0) {
            throw UnknownIdentifierException.create(member);
        }
        return value(i);
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<? extends com.oracle.truffle.api.TruffleLanguage<?>> getLanguage() {
        return org.osprey.OspreyLanguage.class;
    }

    @ExportMessage
    Object toDisplayString(boolean allowSideEffects) {
        return function;
    }
}
