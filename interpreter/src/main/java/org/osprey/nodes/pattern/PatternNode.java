package org.osprey.nodes.pattern;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;

/** A compiled pattern (spec 0007): tests a value and, if it matches, writes its binders to their slots. */
public abstract class PatternNode extends Node {
    public abstract boolean match(VirtualFrame frame, Object value);

    /** As {@link #match}, for an int the match did not box; the forms an int is matched with override it. */
    public boolean matchLong(VirtualFrame frame, long value) {
        return match(frame, value);
    }
}
